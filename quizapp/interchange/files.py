"""Files on disk for the command line: any supported file to a checked bank, and a bank to any format."""

from __future__ import annotations

from pathlib import Path

import yaml

from quizapp.banks.bankfile import Report, validate_file
from quizapp.banks.yamlsafe import Problem
from quizapp.core.messages import N_
from quizapp.interchange import EXPORTS, FormatError, bankzip, checked, read, write

YAML = (".yaml", ".yml")
# An output file's ending -> the export format it is written in.
ENDINGS = {
    ".apkg": "apkg",
    ".xml": "moodle",
    ".gift": "gift",
    ".xlsx": "kahoot",
    ".csv": "csv",
    ".tsv": "tsv",
    ".txt": "quizlet",
}


def load(path: str | Path, options: dict | None = None, wrap=None) -> tuple[Report, list[str]]:
    """A bank file of any supported format as a validated Report, and the notes of what the reader
    left out ("file:line: message"). YAML is read as it always was; a .zip is a bank with its media
    (bankzip), whose media source `wrap` may wrap."""
    path = Path(path)
    if path.suffix.lower() in YAML:
        return validate_file(path), []
    if path.suffix.lower() == ".zip":
        try:
            return bankzip.read_zip(path.read_bytes(), str(path), wrap), []
        except OSError as exc:
            report = Report(str(path))
            report.problems.append(
                Problem(1, 1, "", N_("cannot read the file: %(reason)s"), {"reason": exc.strerror or ""})
            )
            return report, []
    report = Report(str(path))
    try:
        draft = read(path.read_bytes(), path.name, options)
    except FormatError as exc:
        report.problems.append(Problem(exc.line or 1, 1, "", exc.message, exc.params))
        return report, []
    except OSError as exc:
        report.problems.append(
            Problem(1, 1, "", N_("cannot read the file: %(reason)s"), {"reason": exc.strerror or ""})
        )
        return report, []
    result = checked(draft, str(path), wrap)
    notes = [f"{path}:{n.line}: {n.text()}" if n.line else f"{path}: {n.text()}" for n in draft.skipped]
    return result, notes


def export_kind(path: str | Path) -> str:
    name = str(path).lower()
    if name.endswith(".gift.txt"):
        return "gift"
    for ending, kind in ENDINGS.items():
        if name.endswith(ending):
            return kind
    raise FormatError(
        N_("cannot tell the format from %(name)s: use one of %(endings)s"),
        name=Path(path).name,
        endings=", ".join([*YAML, ".zip", *ENDINGS]),
    )


def convert(source: str | Path, target: str | Path, options: dict | None = None) -> tuple[Report, list[str]]:
    """Read any supported file, check it as a bank, write it in the format the target's ending names.
    Nothing is written when the bank has problems."""
    options = options or {}
    report, notes = load(source, options)
    if not report.ok:
        return report, notes
    target = Path(target)
    if target.suffix.lower() in YAML:
        target.write_text(report.bank.source, encoding="utf-8")
        return report, notes
    media = {name: found.data for name, found in report.bank.media.items()}
    if target.suffix.lower() == ".zip":  # the bank with its pictures and clips, as the versions page gives it
        target.write_bytes(bankzip.write_zip(report.bank.id, report.bank.source, media))
        return report, notes
    kind = export_kind(target)
    data, left_out = write(yaml.safe_load(report.bank.source), kind, options.get("language") or "en", media)
    target.write_bytes(data)
    notes += [f"{target}: {n.text()}" for n in left_out]
    return report, notes


__all__ = ["ENDINGS", "EXPORTS", "convert", "export_kind", "load"]
