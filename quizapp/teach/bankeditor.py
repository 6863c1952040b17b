"""Banks in the browser (/teach/banks/...): the editor, checking, the preview in each language,
publishing, and a bank's versions and their downloads."""

from __future__ import annotations

import re

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from quizapp.banks import mediastore
from quizapp.banks import renames as renaming
from quizapp.banks import store as bankstore
from quizapp.banks.bankfile import validate_bytes
from quizapp.banks.yamlsafe import MAX_BYTES, Problem
from quizapp.core import mediacheck
from quizapp.core.mediacheck import MediaError
from quizapp.core.messages import N_, UserError
from quizapp.interchange import bankzip
from quizapp.teach import drafts
from quizapp.teach.blueprint import bp
from quizapp.teach.forms import BankEditorForm, DiscardDraftForm, PublishForm
from quizapp.web.db import get_db
from quizapp.web.errors import user_message
from quizapp.web.i18n import TEXT_MODES, preview_readings
from quizapp.web.security import LARGER_BODIES

PREVIEW_PAGE = 50  # questions (and cards) rendered per preview page, in each of the three languages
PROBLEMS_SHOWN = 100  # the first problems in file order: 30,000 of them took a worker a second to list
STARTER = """\
# yaml-language-server: $schema=../docs/bank.schema.json
bank: my-bank
title: {en: My bank, zh: 我的题库}
questions:
  - id: first-question
    type: true_false
    prompt: {en: "...", zh: "..."}
    answer: true
    explanation: {en: "...", zh: "..."}
    source: "A sentence quoted from the article."
"""


def editable_bank(bank_id: str) -> dict:
    bank = bankstore.get_bank(get_db(), bank_id)
    if bank is None:
        abort(404)
    if not bankstore.may_edit(bank, g.teacher_id):
        abort(403)
    return bank


def _bank_line(text: str) -> int:
    """The line of the `bank:` field, where an error about the bank id belongs."""
    for number, line in enumerate(text.split("\n"), 1):
        if re.match(r"^bank\s*:", line):
            return number
    return 1


UPLOADS_LISTED = 20  # the teacher's most recent uploads, under the editor
# The editor's upload takes the largest clip plus the form's own text (the app's body limit is 1 MiB).
MEDIA_BODY_LIMIT = mediacheck.MAX_AUDIO_BYTES + MAX_BYTES + 64 * 1024
MEDIA_LIMITS = {
    "image_mb": mediacheck.MAX_IMAGE_BYTES // 1024 // 1024,
    "audio_mb": mediacheck.MAX_AUDIO_BYTES // 1024 // 1024,
    "minutes": mediacheck.MAX_SECONDS // 60,
}

LARGER_BODIES["teacher.upload_media"] = MEDIA_BODY_LIMIT
LARGER_BODIES["teacher.check_bank"] = MEDIA_BODY_LIMIT  # a bank zip with its media


def media_source():
    """Where a bank checked in the browser finds its pictures and clips (see mediastore.BrowserMedia)."""
    return mediastore.BrowserMedia(get_db(), g.teacher_id)


def _editor(form: BankEditorForm, problems: list[Problem] = (), path: str = "", bank=None, draft=None, uploaded=None):
    text = form.source.data or ""
    if draft is not None:
        # Any link or switcher on this page comes back to the draft (checked again if it had
        # problems), never to a POST-only URL.
        g.here = url_for("teacher.draft_preview" if problems else "teacher.draft_edit", bank=draft.bank_id)
    total = len(problems)
    problems = [
        {"line": p.line, "column": p.column, "path": p.path, "text": p.text(_)} for p in problems[:PROBLEMS_SHOWN]
    ]
    marked: dict[int, list[str]] = {}
    for problem in problems:
        marked.setdefault(problem["line"], []).append(problem["text"])
    lines = [(n, line, marked.get(n, [])) for n, line in enumerate(text.split("\n"), 1)] if problems else []
    return render_template(
        "teacher/bank_editor.html",
        form=form,
        problems=problems,
        total=total,
        lines=lines,
        path=path,
        bank=bank,
        draft=draft,
        uploaded=uploaded,
        uploads=mediastore.uploads(get_db(), g.teacher_id)[:UPLOADS_LISTED],
        media_limits=MEDIA_LIMITS,
    ), 422 if problems else 200


@bp.get("/banks/new")
def new_bank():
    form = BankEditorForm()
    form.source.data = STARTER
    return _editor(form)


@bp.get("/banks/<bank_id>/edit")
def edit_bank(bank_id: str):
    bank = editable_bank(bank_id)
    draft = drafts.get(get_db(), g.teacher_id, bank_id)
    if draft is not None:
        return _editor(BankEditorForm(formdata=None, source=draft.source), bank=bank, draft=draft)
    form = BankEditorForm()
    form.source.data = bankstore.editable_source(get_db(), bank) or ""
    return _editor(form, bank=bank)


def _checked(data: bytes, path: str):
    """Validate as the command line does, then apply the one rule only the web knows: whose bank it is."""
    report = validate_bytes(data, path, media_source())
    if report.ok:
        existing = bankstore.get_bank(get_db(), report.bank.id)
        if existing and not bankstore.may_edit(existing, g.teacher_id):
            report.problems.append(
                Problem(
                    _bank_line(report.bank.source),
                    1,
                    "bank",
                    N_("the bank id %(id)s belongs to another teacher; choose another id"),
                    {"id": repr(report.bank.id)},
                )
            )
            report.bank = None
    return report


@bp.post("/banks/check")
def check_bank():
    """Check the text (or an uploaded file), keep it as this teacher's draft, and show the errors
    or the preview; the page's links and switchers lead to the draft's own address."""
    form = BankEditorForm()
    if not form.validate_on_submit():
        return _editor(form)[0], 400
    form.source.data = (form.source.data or "").replace("\r\n", "\n")  # browsers send a textarea's lines as CRLF
    data, path = form.source.data.encode("utf-8"), "bank.yaml"
    upload = form.upload.data
    if upload and upload.filename:
        data, path = upload.read(MEDIA_BODY_LIMIT + 1), upload.filename[-100:]
        if bankzip.is_bank_zip(data):
            return _from_zip(data, path)
        data = data[: MAX_BYTES + 1]  # a YAML file: what the validator refuses past 1 MiB is not kept
        try:
            form.source.data = data.decode("utf-8-sig").replace("\r\n", "\n")
        except UnicodeDecodeError:
            return _editor(BankEditorForm(formdata=None, source=""), validate_bytes(data, path).problems, path)
    draft = drafts.save(get_db(), g.teacher_id, form.source.data or "")
    return _show_draft(draft, data, path, page=1)


def _from_zip(data: bytes, path: str):
    """A bank zip (the versions page's download): its media are checked and kept as the teacher's
    files under the paths the bank names, then its YAML is checked and previewed like any text."""
    db = get_db()
    report = bankzip.read_zip(data, path, wrap=lambda source: mediastore.Known(db, source))
    if not report.ok:
        return _editor(BankEditorForm(formdata=None, source=""), report.problems, path)
    try:
        for name, checked in report.bank.media.items():
            mediastore.keep_upload(db, g.teacher_id, name, checked)
    except MediaError as exc:  # e.g. the teacher has another file under one of the zip's names
        problem = Problem(1, 1, "", exc.message, exc.params)
        return _editor(BankEditorForm(formdata=None, source=report.bank.source), [problem], path)
    draft = drafts.save(db, g.teacher_id, report.bank.source)
    return _show_draft(draft, report.bank.source.encode("utf-8"), "bank.yaml", page=1)


def _show_draft(draft, data: bytes, path: str, page: int):
    report = _checked(data, path)
    if not report.ok:
        return _editor(BankEditorForm(formdata=None, source=draft.source), report.problems, path, draft=draft)
    return _preview(report.bank, PublishForm(formdata=None, source=report.bank.source), page=page, draft=draft)


def _no_draft():
    """A draft already published or discarded (the back button, an old tab): say so, and open the editor."""
    flash(_("That draft was published or discarded; nothing else is kept."), "info")
    return redirect(url_for("teacher.new_bank"))


def snippet(name: str, kind: str) -> str:
    """The YAML a teacher pastes for an upload; the words in it are theirs to write."""
    if kind == "image":
        shows = _("What the picture shows")
        return f'image: {{path: {name}, alt: {{en: "{shows}", zh: "……"}}}}'
    other = _("or en: the language spoken")
    return f'audio: {{zh: {{path: {name}, transcript: "……"}}}}  # {other}'


@bp.post("/banks/media")
def upload_media():
    """A picture or clip for the teacher's banks: checked by content, stored once, and answered with
    the editor again (the text sent along kept as the draft) and the lines to paste."""
    form = BankEditorForm()
    if not form.validate_on_submit():
        return _editor(form)[0], 400
    form.source.data = (form.source.data or "").replace("\r\n", "\n")
    draft = drafts.save(get_db(), g.teacher_id, form.source.data) if form.source.data.strip() else None
    upload = form.media.data
    if not upload or not upload.filename:
        form.media.errors = [_("Choose a picture or sound clip to upload.")]
        return _editor(form, draft=draft)[0], 422
    name = upload.filename[-100:]
    data = upload.read(mediacheck.MAX_AUDIO_BYTES + 1)
    try:
        checked = mediacheck.check_any(data, name)
        stored_as = mediastore.keep_upload(get_db(), g.teacher_id, mediastore.upload_name(name, checked.ext), checked)
    except MediaError as exc:
        form.media.errors = [user_message(exc)]
        return _editor(form, draft=draft)[0], 422
    uploaded = {
        "name": stored_as,
        "snippet": snippet(stored_as, checked.kind),
        "note": _(checked.note) if checked.note else "",
    }
    return _editor(form, draft=draft, uploaded=uploaded)[0]


@bp.get("/banks/draft")
def draft_preview():
    """The teacher's draft checked again: its errors, or its preview (after a language switch, a
    sign-in or any other page). A draft is its teacher's alone: it is looked up by both."""
    draft = drafts.get(get_db(), g.teacher_id, request.args.get("bank", ""))
    if draft is None:
        return _no_draft()
    return _show_draft(draft, draft.source.encode("utf-8"), "bank.yaml", request.args.get("page", 1, type=int))


@bp.get("/banks/draft/edit")
def draft_edit():
    draft = drafts.get(get_db(), g.teacher_id, request.args.get("bank", ""))
    if draft is None:
        return _no_draft()
    bank = bankstore.get_bank(get_db(), draft.bank_id)
    return _editor(
        BankEditorForm(formdata=None, source=draft.source),
        bank=bank if bank and bankstore.may_edit(bank, g.teacher_id) else None,
        draft=draft,
    )[0]


@bp.post("/banks/draft/discard")
def draft_discard():
    form = DiscardDraftForm()
    if not form.validate_on_submit():
        abort(400)
    if drafts.discard(get_db(), g.teacher_id, form.bank.data or ""):
        flash(_("The draft is discarded."), "info")
    return redirect(url_for("teacher.dashboard") + "#banks")


def preview_page(bank, page: int, size: int = PREVIEW_PAGE) -> dict:
    """One page of a bank's questions and cards: rendering a few hundred questions three times
    over took a worker seconds, and no one reads them all on one page."""
    pages = max(1, -(-max(len(bank.questions), len(bank.cards)) // size))
    page = min(max(page, 1), pages)
    start = (page - 1) * size
    return {
        "page": page,
        "pages": pages,
        "start": start,
        "size": size,
        "questions": bank.questions[start : start + size],
        "cards": bank.cards[start : start + size],
    }


def _preview(
    bank, publish_form: PublishForm, status: int = 200, page: int = 1, draft=None, renames=None, rename_error=None
):
    """The bank as students will see it, in each question language, and what publishing changes."""
    db = get_db()
    draft = draft or drafts.get(db, g.teacher_id, bank.id)
    if draft is not None:
        g.here = url_for("teacher.draft_preview", bank=draft.bank_id, page=page if page > 1 else None)
    changes = bankstore.preview_changes(db, bank)
    renamable = renaming.candidates(db, bank, changes.retired, changes.added)
    shown = preview_page(bank, page)
    preview_readings(bank.readings)
    rendered = {}
    for mode in TEXT_MODES:
        g.text_mode_override = mode
        rendered[mode] = Markup(
            render_template("teacher/_preview.html", bank=bank, shown=shown, preview=True, preview_mode=mode)
        )
    g.text_mode_override = None
    names = {q["id"]: q["prompt"] for q in bank.questions}
    return render_template(
        "teacher/bank_preview.html",
        bank=bank,
        changes=changes,
        rendered=rendered,
        form=publish_form,
        names=names,
        shown=shown,
        existing=bankstore.get_bank(db, bank.id),
        draft=draft,
        renamable=renamable,
        renames=renames or {},
        rename_error=rename_error,
    ), status


def _renames_from(form) -> dict[str, str]:
    """The preview's rename choices: `rename-<old id>` = the new id, or empty for "not a rename"."""
    return {
        key.removeprefix("rename-"): value
        for key, value in form.items()
        if key.startswith("rename-") and value and len(key) <= 210 and len(value) <= 200
    }


@bp.post("/banks/publish")
def publish_bank():
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    report = _checked(form.source.data.encode("utf-8"), "bank.yaml")
    if not report.ok:  # e.g. another teacher took the id since the preview: keep the text as a draft
        draft = drafts.save(get_db(), g.teacher_id, form.source.data)
        editor = BankEditorForm(formdata=None, source=form.source.data)
        return _editor(editor, report.problems, "bank.yaml", draft=draft)
    db = get_db()
    renames = _renames_from(request.form)
    changes = bankstore.preview_changes(db, report.bank)
    if changes.answer_changed and not form.confirm_answers.data:
        form.confirm_answers.errors = [_("Tick the box to confirm the changed answers, or change them back.")]
        return _preview(report.bank, form, 422, renames=renames)
    try:
        [result] = bankstore.import_banks(
            db, [(report.bank, None)], origin="browser", author_id=g.teacher_id, renames=renames
        )
    except bankstore.NotYours:  # another teacher made this id between the check above and now
        abort(403)
    except UserError as exc:  # a rename that is not allowed: nothing was written
        return _preview(report.bank, form, 422, renames=renames, rename_error=user_message(exc))
    drafts.discard(db, g.teacher_id, report.bank.id)
    if result.unchanged:
        flash(_("Nothing changed: this is the bank as it is published now."), "info")
    else:
        flash(_("Published version %(version)s.", version=result.version), "info")
    return redirect(url_for("teacher.bank_versions", bank_id=report.bank.id))


@bp.get("/banks/<bank_id>/versions")
def bank_versions(bank_id: str):
    from quizapp.teach.importing import export_notes

    bank = editable_bank(bank_id)
    source = bankstore.editable_source(get_db(), bank)
    return render_template(
        "teacher/bank_versions.html",
        bank=bank,
        versions=bankstore.versions(get_db(), bank_id),
        export_notes=export_notes(source) if source else {},
        languages=[lang for lang in ("en", "zh") if lang in (bank["title"] or {})],
    )


@bp.get("/banks/<bank_id>/versions/<int:version>.yaml")
def download_version(bank_id: str, version: int):
    editable_bank(bank_id)
    db = get_db()
    source = bankstore.version_source(db, bank_id, version)
    if source is None:
        abort(404)
    files = mediastore.version_files(db, bank_id, version)
    if files:  # a bank with pictures or sound: the YAML and its files, under the paths it names
        contents = {path: mediastore.read(db, file) for path, file in files.items()}
        return Response(
            bankzip.write_zip(bank_id, source, {path: data for path, data in contents.items() if data is not None}),
            mimetype="application/zip",
            headers={"Content-Disposition": f'attachment; filename="{bank_id}-v{version}.zip"'},
        )
    return Response(
        source,
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{bank_id}-v{version}.yaml"'},
    )
