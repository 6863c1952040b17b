"""A bank with its media as one zip: the bank's YAML and, under the paths it names, its files.

The versions page offers this download for a bank with pictures or sound (plain YAML otherwise), and
`quizapp banks import x.zip` and the bank editor's upload read it back, so a bank moves between
servers whole. No Flask. The zip is checked as an .apkg is (common.open_zip: members' declared
sizes, count and packing ratio) before anything in it is read.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath

from quizapp.banks.bankfile import Report, validate_bytes
from quizapp.banks.media import MappedMedia
from quizapp.banks.yamlsafe import MAX_BYTES, Problem
from quizapp.core import mediacheck
from quizapp.core.messages import N_
from quizapp.interchange.common import FormatError, open_zip

YAML = (".yaml", ".yml")


def write_zip(bank_id: str, source: str, files: dict[str, bytes]) -> bytes:
    """`<bank id>.yaml` and each file under the path the YAML names (e.g. media/chart.png)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{bank_id}.yaml", source.encode("utf-8"))
        for path, data in sorted(files.items()):
            archive.writestr(path, data, compress_type=zipfile.ZIP_STORED)  # pictures and clips are packed already
    return out.getvalue()


def is_bank_zip(data: bytes) -> bool:
    """A zip holding a YAML file (an .apkg or .xlsx holds none)."""
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return False
    return any(name.lower().endswith(YAML) for name in names)


def read_zip(data: bytes, name: str, wrap=None) -> Report:
    """Validate the one bank file in a zip, reading the media it names from beside it in the zip.
    `wrap` may wrap the zip's media source (mediastore.Known: files already stored stay as stored)."""
    report = Report(name)
    try:
        archive = open_zip(data, name)
    except FormatError as exc:
        report.problems.append(Problem(1, 1, "", exc.message, exc.params))
        return report
    members = {info.filename: info for info in archive.infolist() if not info.is_dir()}
    banks = [member for member in members if member.lower().endswith(YAML)]
    if len(banks) != 1:
        report.problems.append(
            Problem(
                1,
                1,
                "",
                N_("%(name)s must hold exactly one bank file (.yaml), beside its media; it holds %(count)s"),
                {"name": name, "count": len(banks)},
            )
        )
        return report
    bank_path = PurePosixPath(banks[0])
    folder = bank_path.parent
    limit = max(mediacheck.MAX_IMAGE_BYTES, mediacheck.MAX_AUDIO_BYTES)

    def member(path: str) -> bytes | None:
        info = members.get(str(folder / path) if str(folder) != "." else path)
        if info is None:
            return None
        with archive.open(info) as handle:
            return handle.read(limit + 1)

    with archive.open(members[banks[0]]) as handle:
        text = handle.read(MAX_BYTES + 1)
    source = MappedMedia(member)
    return validate_bytes(text, f"{name}/{banks[0]}", wrap(source) if wrap else source)
