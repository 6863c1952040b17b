"""Importing another tool's file in the browser (/teach/banks/import) and exporting a bank to one.

An upload or pasted text is read by quizapp.interchange, shown with what the reader guessed
(separators, which column or Anki field is which language) for the teacher to correct, with what
was left out and every problem at its line or row, then previewed in each language like a bank
from the editor; publishing goes through the editor's own publish step. The upload is kept beside
the database under its SHA-256 for a day, so correcting a guess does not need the file again.
"""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path

import yaml
from flask import Response, current_app, flash, g, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup

from quizapp import interchange
from quizapp.banks import mediastore
from quizapp.banks import store as bankstore
from quizapp.banks.yamlsafe import Problem
from quizapp.core.mediacheck import MediaError
from quizapp.core.messages import N_
from quizapp.interchange.cards import ROLES
from quizapp.interchange.common import MAX_UPLOAD, FormatError
from quizapp.teach import drafts
from quizapp.teach.bankeditor import editable_bank, preview_page
from quizapp.teach.blueprint import bp
from quizapp.teach.forms import ImportForm, PublishForm
from quizapp.web.db import get_db
from quizapp.web.i18n import TEXT_MODES

KEEP_UPLOADS_S = 24 * 3600
SEPARATORS = {"\t": "tab", "\n": "newline"}


def _uploads() -> Path:
    folder = Path(current_app.config["DATABASE"]).parent / "imports"
    folder.mkdir(exist_ok=True)
    return folder


def _keep(data: bytes) -> str:
    """Store an upload under its digest (and forget those older than a day); the digest names it."""
    digest = hashlib.sha256(data).hexdigest()
    folder = _uploads()
    cutoff = time.time() - KEEP_UPLOADS_S
    for old in folder.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    (folder / f"{g.teacher_id}-{digest}").write_bytes(data)
    return digest


def _kept(digest: str) -> bytes | None:
    if not re.fullmatch(r"[0-9a-f]{64}", digest or ""):
        return None
    path = _uploads() / f"{g.teacher_id}-{digest}"  # a teacher reads back only their own uploads
    return path.read_bytes() if path.is_file() else None


def _shown(separator: str) -> str:
    return SEPARATORS.get(separator, separator)


def _typed(separator: str) -> str:
    return {"tab": "\t", "newline": "\n", "\\t": "\t", "\\n": "\n"}.get(separator.strip().lower(), separator)


def _options(form: ImportForm) -> dict:
    """The teacher's corrections: separators, a role per column (or per Anki note type's field),
    the bank's id, title and language."""
    options = {}
    if form.separator.data:
        options["separator"] = _typed(form.separator.data)
    if form.row_separator.data:
        options["row_separator"] = _typed(form.row_separator.data)
    for key in ("bank", "title", "language"):
        if getattr(form, key).data:
            options[key] = getattr(form, key).data.strip()
    roles = [request.form.get(f"role-{i}", "") for i in range(50)]
    # Column roles belong to the columns the separators made: new separators make new columns.
    same_columns = request.form.get("roles_for") == f"{form.separator.data or ''}|{form.row_separator.data or ''}"
    if any(roles) and same_columns:
        options["roles"] = [r if r in ROLES else "skip" for r in roles[: max(i for i, r in enumerate(roles) if r) + 1]]
    types = {}
    for t in range(20):
        name = request.form.get(f"notetype-{t}")
        if name:
            types[name] = [
                request.form.get(f"role-{t}-{i}", "skip") for i in range(50) if request.form.get(f"role-{t}-{i}")
            ]
    if types:
        options["roles"] = types
    return options


def _role_names() -> dict[str, str]:
    return {
        "en": _("English"),
        "zh": _("Chinese"),
        "pinyin": _("Pinyin"),
        "back": _("Back, in the same language"),
        "topics": _("Tags, as topics"),
        "guid": _("Anki GUID (a re-import updates)"),
        "skip": _("Leave out"),
    }


def _page(form: ImportForm, status: int = 200, **context):
    return render_template(
        "teacher/bank_import.html", form=form, roles=ROLES, role_names=_role_names(), shown=_shown, **context
    ), status


@bp.get("/banks/import")
def import_bank():
    return _page(ImportForm())


@bp.post("/banks/import")
def import_preview():
    form = ImportForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    upload = form.upload.data
    if upload and upload.filename:
        data, name = upload.read(MAX_UPLOAD + 1), upload.filename[-100:]
    elif form.paste.data and form.paste.data.strip():
        data, name = form.paste.data.encode("utf-8"), "pasted.txt"
    else:
        data, name = _kept(form.kept.data), form.name.data or "upload"
        if data is None:
            form.upload.errors = [_("Choose a file or paste the text to import.")]
            return _page(form, 422)
    form.name.data = name
    try:
        draft = interchange.read(data, name, _options(form))
    except FormatError as exc:
        form.kept.data = _keep(data) if len(data) <= MAX_UPLOAD else ""
        where = _("%(name)s, line %(line)s", name=name, line=exc.line) if exc.line else name
        message = _(exc.message) % exc.params if exc.params else _(exc.message)
        return _page(form, 422, failure=f"{where}: {message}", detected=exc.detected)
    form.kept.data = _keep(data)
    db = get_db()
    report = interchange.checked(draft, name, wrap=lambda source: mediastore.Known(db, source))
    if report.ok:
        existing = bankstore.get_bank(get_db(), report.bank.id)
        if existing and not bankstore.may_edit(existing, g.teacher_id):
            report.problems.append(
                Problem(
                    1,
                    1,
                    "bank",
                    N_("the bank id %(id)s belongs to another teacher; choose another id"),
                    {"id": repr(report.bank.id)},
                )
            )
            report.bank = None
    context = {
        "draft": draft,
        "name": name,
        "skipped": [(n.line, n.text(_)) for n in draft.skipped],
        "problems": [(p.line, p.path, p.text(_)) for p in report.problems[:100]],
    }
    if not report.ok:
        return _page(form, 422, **context)
    bank = report.bank
    try:  # an Anki package's pictures and clips: kept as the teacher's files, as a bank zip's are
        for path, found in bank.media.items():
            mediastore.keep_upload(db, g.teacher_id, path, found)
    except MediaError as exc:
        context["problems"] = [(1, "", _(exc.message) % exc.params)]
        return _page(form, 422, **context)
    shown = preview_page(bank, request.form.get("page", 1, type=int))
    rendered = {}
    for mode in TEXT_MODES:
        g.text_mode_override = mode
        rendered[mode] = Markup(render_template("teacher/_preview.html", bank=bank, shown=shown, preview=True))
    g.text_mode_override = None
    drafts.save(
        get_db(), g.teacher_id, bank.source
    )  # as the editor keeps what it checked: "Edit the YAML first" opens it
    publish = PublishForm(formdata=None, source=bank.source)
    return _page(
        form,
        bank=bank,
        rendered=rendered,
        publish=publish,
        changes=bankstore.preview_changes(get_db(), bank),
        existing=bankstore.get_bank(get_db(), bank.id),
        **context,
    )


EXPORT_KINDS = "apkg,moodle,gift,kahoot,csv,tsv,quizlet"


def export_notes(source: str) -> dict[str, list[str]]:
    """What each format would leave out of this bank, said on the page before the download."""
    bank = yaml.safe_load(source)
    notes = {}
    for kind in ("moodle", "gift", "kahoot"):
        for language in ("en",) if kind != "kahoot" else bank.get("languages") or ("en", "zh"):
            _data, left = interchange.write(bank, kind, language)
            notes.setdefault(kind, []).extend(n.text(_) for n in left)
    return {k: list(dict.fromkeys(v)) for k, v in notes.items()}


@bp.get(f"/banks/<bank_id>/export/<any({EXPORT_KINDS}):kind>")
def export_bank(bank_id: str, kind: str):
    bank = editable_bank(bank_id)
    source = bankstore.editable_source(get_db(), bank)
    if source is None:
        flash(_("This bank has no recorded version to export yet."), "error")
        return Response(status=404)
    language = request.args.get("language", "en") if request.args.get("language") in ("en", "zh") else "en"
    media = {}
    if kind == "apkg":  # the package carries the bank's pictures and clips
        files = mediastore.version_files(get_db(), bank_id)
        media = {path: data for path, file in files.items() if (data := mediastore.read(get_db(), file)) is not None}
    data, _left = interchange.write(yaml.safe_load(source), kind, language, media)
    ending, mimetype = interchange.EXPORTS[kind]
    suffix = f"-{language}" if kind in ("kahoot", "quizlet") else ""
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{bank_id}{suffix}{ending}"'},
    )
