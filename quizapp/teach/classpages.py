"""A teacher's classes (/teach/classes/...): making one, its page and roster, assignments, and
its reports with their charts and CSV exports."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import format_date, format_percent, ngettext
from flask_babel import gettext as _

from quizapp.accounts import classes
from quizapp.accounts.auth import current_account
from quizapp.banks import store as bankstore
from quizapp.core.clock import now as utcnow
from quizapp.core.messages import UserError
from quizapp.learn import charts
from quizapp.teach import accepting, classreports
from quizapp.teach.blueprint import bp
from quizapp.teach.forms import AcceptForm, AssignForm, ClassForm
from quizapp.web.db import get_db
from quizapp.web.downloads import csv_response
from quizapp.web.errors import user_message
from quizapp.web.forms import choices, flash_errors
from quizapp.web.i18n import interface_language, ui_text


def own_class(class_id: int) -> dict:
    """The class if it is this teacher's: 404 if there is none, 403 if it is another's."""
    klass = classes.get(get_db(), class_id)
    if klass is None:
        abort(404)
    if klass["teacher_id"] != g.teacher_id:
        abort(403)
    return klass


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


def teachers_today() -> date:
    """Today where the teacher is: a date due "today" in Shanghai is not past at 01:00 there."""
    account = current_account()
    try:
        zone = ZoneInfo(account.get("timezone") or "UTC")
    except (ValueError, ZoneInfoNotFoundError):
        zone = ZoneInfo("UTC")
    return utcnow().astimezone(zone).date()


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
    if not form.validate_on_submit():
        flash_errors(form)
    elif form.due_on.data and form.due_on.data < teachers_today():
        flash(
            _(
                "The due date %(date)s has already passed: choose today or a later day.",
                date=format_date(form.due_on.data, "long"),
            ),
            "error",
        )
    else:
        due = classes.assign(
            db,
            class_id,
            form.bank.data,
            form.due_on.data.isoformat() if form.due_on.data else None,
            form.clear_due.data,
        )
        if due:
            flash(_("Assigned, due %(date)s.", date=format_date(date.fromisoformat(due), "long")), "info")
        else:
            flash(_("Assigned, with no due date."), "info")
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
    return csv_response(
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
        may_edit=bankstore.may_edit(bank, g.teacher_id),
    )


@bp.post("/classes/<int:class_id>/banks/<bank_id>/accept")
def accept_answer(class_id: int, bank_id: str):
    """Accept a typed answer marked wrong: a new bank version, and past attempts re-marked."""
    own_class(class_id)
    db = get_db()
    bank = bankstore.get_bank(db, bank_id)
    if bank is None:
        abort(404)
    if not bankstore.may_edit(bank, g.teacher_id):
        abort(403)
    form = AcceptForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        done = accepting.accept(
            db, bank_id, form.question.data, form.answer.data, form.shown.data or "en", g.teacher_id
        )
    except bankstore.NotYours:
        abort(403)
    except UserError as exc:
        flash(user_message(exc), "error")
    else:
        if done.version is None:
            flash(_("%(answer)s was already accepted.", answer=form.answer.data), "info")
        else:
            flash(
                _(
                    "%(answer)s is now an accepted answer: bank version %(version)s.",
                    answer=form.answer.data,
                    version=done.version,
                ),
                "info",
            )
        if done.remarked:
            flash(
                ngettext(
                    "%(num)d past answer is now marked right.",
                    "%(num)d past answers are now marked right.",
                    done.remarked,
                ),
                "info",
            )
    return redirect(
        url_for("teacher.question_report", class_id=class_id, bank_id=bank_id, _anchor=f"q-{form.question.data}")
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
    return csv_response(f"class-{class_id}-{bank_id}-questions.csv", headers, rows)
