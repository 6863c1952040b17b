"""The teachers' blueprint (/teach): banks in the browser, classes, reports and their CSV exports.

Every page here is for teachers: a `before_request` guard covers routes added later too, so a
student gets 403 without anyone remembering a decorator. A class is its teacher's alone; a
bank made in the browser is its maker's, banks from disk are shared by all teachers.
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import format_percent
from flask_babel import gettext as _
from markupsafe import Markup

from quizapp.accounts import classes, invites
from quizapp.accounts.auth import current_account
from quizapp.banks import store as bankstore
from quizapp.banks.bankfile import validate_bytes
from quizapp.banks.yamlsafe import MAX_BYTES, Problem
from quizapp.core.clock import now as utcnow
from quizapp.core.messages import N_, UserError
from quizapp.learn import charts
from quizapp.teach import classreports
from quizapp.teach.csvexport import to_csv
from quizapp.teach.forms import AssignForm, BankEditorForm, ClassForm, PublishForm
from quizapp.web.db import get_db
from quizapp.web.errors import user_message
from quizapp.web.forms import choices, flash_errors
from quizapp.web.i18n import TEXT_MODES, interface_language, ui_text
from quizapp.web.origin import public_url

bp = Blueprint("teacher", __name__, url_prefix="/teach")
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


@bp.before_request
def teachers_only():
    account = current_account()
    if account is None:
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    if account["role"] != "teacher":
        abort(403)
    g.teacher_id = account["id"]


def own_class(class_id: int) -> dict:
    """The class if it is this teacher's: 404 if there is none, 403 if it is another's."""
    klass = classes.get(get_db(), class_id)
    if klass is None:
        abort(404)
    if klass["teacher_id"] != g.teacher_id:
        abort(403)
    return klass


def editable_bank(bank_id: str) -> dict:
    bank = bankstore.get_bank(get_db(), bank_id)
    if bank is None:
        abort(404)
    if not bankstore.may_edit(bank, g.teacher_id):
        abort(403)
    return bank


@bp.get("/")
def dashboard():
    db = get_db()
    return render_template(
        "teacher/dashboard.html",
        classes=classes.for_teacher(db, g.teacher_id),
        banks=bankstore.editable_banks(db, g.teacher_id),
        class_form=ClassForm(),
    )


@bp.post("/invites")
def invite():
    token = invites.create(get_db(), g.teacher_id, utcnow())
    link = public_url("auth.accept_invite", invite_token=token)
    return render_template("teacher/invite.html", link=link, days=invites.LIFETIME.days)


# Banks ---------------------------------------------------------------------------------------


def _bank_line(text: str) -> int:
    """The line of the `bank:` field, where an error about the bank id belongs."""
    for number, line in enumerate(text.split("\n"), 1):
        if re.match(r"^bank\s*:", line):
            return number
    return 1


def _editor(form: BankEditorForm, problems: list[Problem] = (), path: str = "", bank=None):
    text = form.source.data or ""
    total = len(problems)
    problems = [
        {"line": p.line, "column": p.column, "path": p.path, "text": p.text(_)} for p in problems[:PROBLEMS_SHOWN]
    ]
    marked: dict[int, list[str]] = {}
    for problem in problems:
        marked.setdefault(problem["line"], []).append(problem["text"])
    lines = [(n, line, marked.get(n, [])) for n, line in enumerate(text.split("\n"), 1)] if problems else []
    return render_template(
        "teacher/bank_editor.html", form=form, problems=problems, total=total, lines=lines, path=path, bank=bank
    ), 422 if problems else 200


@bp.get("/banks/new")
def new_bank():
    form = BankEditorForm()
    form.source.data = STARTER
    return _editor(form)


@bp.get("/banks/<bank_id>/edit")
def edit_bank(bank_id: str):
    bank = editable_bank(bank_id)
    form = BankEditorForm()
    form.source.data = bankstore.latest_source(get_db(), bank_id) or _disk_source(bank) or ""
    return _editor(form, bank=bank)


def _disk_source(bank: dict) -> str | None:
    """A disk bank imported before versions were kept: its file is the text to edit."""
    try:
        return Path(bank["source_path"]).read_text(encoding="utf-8-sig") if bank.get("source_path") else None
    except OSError:
        return None


def _checked(data: bytes, path: str):
    """Validate as the command line does, then apply the one rule only the web knows: whose bank it is."""
    report = validate_bytes(data, path)
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
    form = BankEditorForm()
    if not form.validate_on_submit():
        return _editor(form)[0], 400
    if request.form.get("edit"):
        return _editor(form)
    data, path = (form.source.data or "").encode("utf-8"), "bank.yaml"
    upload = form.upload.data
    if upload and upload.filename:
        data, path = upload.read(MAX_BYTES + 1), upload.filename[-100:]
        try:
            form.source.data = data.decode("utf-8-sig").replace("\r\n", "\n")
        except UnicodeDecodeError:
            form.source.data = ""
    report = _checked(data, path)
    if not report.ok:
        return _editor(form, report.problems, path)
    return _preview(
        report.bank, PublishForm(formdata=None, source=report.bank.source), page=request.form.get("page", 1, type=int)
    )


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


def _preview(bank, publish_form: PublishForm, status: int = 200, page: int = 1):
    """The bank as students will see it, in each question language, and what publishing changes."""
    db = get_db()
    changes = bankstore.preview_changes(db, bank)
    shown = preview_page(bank, page)
    rendered = {}
    for mode in TEXT_MODES:
        g.text_mode_override = mode
        rendered[mode] = Markup(render_template("teacher/_preview.html", bank=bank, shown=shown, preview=True))
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
    ), status


@bp.post("/banks/publish")
def publish_bank():
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    report = _checked(form.source.data.encode("utf-8"), "bank.yaml")
    if not report.ok:
        editor = BankEditorForm(formdata=None, source=form.source.data)
        return _editor(editor, report.problems, "bank.yaml")
    db = get_db()
    if bankstore.preview_changes(db, report.bank).answer_changed and not form.confirm_answers.data:
        form.confirm_answers.errors = [_("Tick the box to confirm the changed answers, or change them back.")]
        return _preview(report.bank, form, 422)
    try:
        [result] = bankstore.import_banks(db, [(report.bank, None)], origin="browser", author_id=g.teacher_id)
    except bankstore.NotYours:  # another teacher made this id between the check above and now
        abort(403)
    if result.unchanged:
        flash(_("Nothing changed: this is the bank as it is published now."), "info")
    else:
        flash(_("Published version %(version)s.", version=result.version), "info")
    return redirect(url_for("teacher.bank_versions", bank_id=report.bank.id))


@bp.get("/banks/<bank_id>/versions")
def bank_versions(bank_id: str):
    bank = editable_bank(bank_id)
    return render_template("teacher/bank_versions.html", bank=bank, versions=bankstore.versions(get_db(), bank_id))


@bp.get("/banks/<bank_id>/versions/<int:version>.yaml")
def download_version(bank_id: str, version: int):
    editable_bank(bank_id)
    source = bankstore.version_source(get_db(), bank_id, version)
    if source is None:
        abort(404)
    return Response(
        source,
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{bank_id}-v{version}.yaml"'},
    )


# Classes -------------------------------------------------------------------------------------


@bp.post("/classes")
def create_class():
    form = ClassForm()
    if not form.validate_on_submit():
        flash_errors(form)
        return redirect(url_for("teacher.dashboard"))
    try:
        class_id = classes.create(get_db(), g.teacher_id, form.name.data)
    except UserError as exc:
        flash(user_message(exc), "error")
        return redirect(url_for("teacher.dashboard"))
    return redirect(url_for("teacher.class_page", class_id=class_id))


def _assign_form(db) -> AssignForm:
    form = AssignForm()
    form.bank.choices = choices([(b["id"], ui_text(b["title"], b["id"])) for b in bankstore.list_banks(db)])
    return form


@bp.get("/classes/<int:class_id>")
def class_page(class_id: int):
    klass = own_class(class_id)
    db = get_db()
    return render_template(
        "teacher/class.html",
        klass=klass,
        members=classes.members(db, class_id),
        assignments=classes.assignments(db, class_id),
        assign_form=_assign_form(db),
        rows=classreports.student_rows(db, class_id, utcnow()),
    )


@bp.post("/classes/<int:class_id>/assignments")
def assign(class_id: int):
    own_class(class_id)
    db = get_db()
    form = _assign_form(db)
    if form.validate_on_submit():
        classes.assign(db, class_id, form.bank.data, form.due_on.data.isoformat() if form.due_on.data else None)
        flash(_("Assigned."), "info")
    else:
        flash_errors(form)
    return redirect(url_for("teacher.class_page", class_id=class_id) + "#assignments")


@bp.post("/classes/<int:class_id>/assignments/<int:assignment_id>/delete")
def unassign(class_id: int, assignment_id: int):
    own_class(class_id)
    if not classes.unassign(get_db(), class_id, assignment_id):
        abort(404)
    flash(_("Assignment removed; the students keep their answers."), "info")
    return redirect(url_for("teacher.class_page", class_id=class_id) + "#assignments")


@bp.post("/classes/<int:class_id>/members/<int:learner_id>/remove")
def remove_member(class_id: int, learner_id: int):
    own_class(class_id)
    if not classes.remove(get_db(), class_id, learner_id):
        abort(404)
    flash(_("Removed from the class; the student keeps their own progress."), "info")
    return redirect(url_for("teacher.class_page", class_id=class_id) + "#roster")


def _percent(value) -> str:
    return format_percent(value) if value is not None else "–"


def _rounded(value):
    return round(value, 3) if value is not None else None


def _csv(filename: str, headers: list[str], rows: list[list]) -> Response:
    return Response(
        to_csv(headers, rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/classes/<int:class_id>/students.csv")
def students_csv(class_id: int):
    own_class(class_id)
    rows = classreports.student_rows(get_db(), class_id, utcnow())
    headers = [
        _("Student"),
        _("Bank"),
        _("Questions answered"),
        _("Accuracy"),
        _("Cards learned"),
        _("Mastery"),
        _("Last active"),
    ]
    return _csv(
        f"class-{class_id}-students.csv",
        headers,
        [
            [
                r["username"],
                ui_text(r["title"], r["bank_id"]),
                r["answered"],
                _rounded(r["accuracy"]),
                r["learned"],
                _rounded(r["mastery"]),
                r["last_active"],
            ]
            for r in rows
        ],
    )


def _question_report(class_id: int, bank_id: str):
    klass = own_class(class_id)
    db = get_db()
    bank = bankstore.get_bank(db, bank_id)
    if bank is None:
        abort(404)
    return (
        klass,
        bank,
        classreports.question_report(db, class_id, bank_id, interface_language(), _),
    )


LANGUAGE_GROUPS = ("en", "zh", "both")


def language_names() -> dict[str, str]:
    return {"en": _("English"), "zh": _("Chinese"), "both": _("Both side by side")}


@bp.get("/classes/<int:class_id>/banks/<bank_id>")
def question_report(class_id: int, bank_id: str):
    klass, bank, report = _question_report(class_id, bank_id)
    return render_template(
        "teacher/question_report.html",
        klass=klass,
        bank=bank,
        report=report,
        groups=LANGUAGE_GROUPS,
        language_names=language_names(),
        charts=_report_charts(report),
    )


def _report_charts(report: list[dict]) -> dict:
    """Facility per question, and per question and language where a question was seen in more than
    one: the second chart is where a translation problem shows."""
    shown = [r for r in report if r["overall"].facility is not None][:20]
    if not shown:
        return {}
    rows = [
        (f"{r['question_id']} · {language_names()[key]}", r["by_language"][key].facility)
        for r in shown
        if len(r["by_language"]) > 1
        for key in LANGUAGE_GROUPS
        if key in r["by_language"]
    ]
    result = {
        "facility": charts.hbars(
            "facility",
            _("Facility per question, most missed first"),
            "; ".join(
                _("%(question)s: %(share)s", question=r["question_id"], share=_percent(r["overall"].facility))
                for r in shown
            ),
            [r["question_id"] for r in shown],
            [r["overall"].facility for r in shown],
        )
    }
    if rows:
        result["by_language"] = charts.hbars(
            "facility-by-language",
            _("Facility by the language the question was shown in"),
            "; ".join(_("%(question)s: %(share)s", question=label, share=_percent(share)) for label, share in rows),
            [label for label, _share in rows],
            [share for _label, share in rows],
        )
    return result


@bp.get("/classes/<int:class_id>/banks/<bank_id>/questions.csv")
def questions_csv(class_id: int, bank_id: str):
    _klass, _bank, report = _question_report(class_id, bank_id)
    names = language_names()
    headers = [
        _("Question"),
        _("Prompt"),
        _("Language shown"),
        _("Answered"),
        _("Facility"),
        _("Discrimination"),
        _("Most common wrong answers"),
    ]
    rows = []
    for r in report:
        groups = [("", _("All languages"), r["overall"])] + [
            (g_, names[g_], r["by_language"][g_]) for g_ in LANGUAGE_GROUPS if g_ in r["by_language"]
        ]
        for _key, label, figures in groups:
            wrong = "; ".join(f"{text} ({count})" for text, count in figures.wrong_answers)
            rows.append(
                [
                    r["question_id"],
                    ui_text(r["prompt"]),
                    label,
                    figures.answered,
                    _rounded(figures.facility),
                    _rounded(figures.discrimination),
                    wrong,
                ]
            )
    return _csv(f"class-{class_id}-{bank_id}-questions.csv", headers, rows)
