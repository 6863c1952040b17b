"""The student's blueprint: banks, quizzes with instant feedback, results and own progress."""

from __future__ import annotations

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _

from quizapp.accounts import classes, learners, users
from quizapp.accounts.auth import current_account, current_learner, login_required, safe_next
from quizapp.accounts.forms import JoinClassForm
from quizapp.banks import store as bankstore
from quizapp.banks.types import AnswerError, grade
from quizapp.core.clock import now as utcnow
from quizapp.core.store import write
from quizapp.learn import charts, drafts, quizzes, scheduling
from quizapp.learn import progress as progress_data
from quizapp.learn.forms import StartQuizForm
from quizapp.web.db import get_db
from quizapp.web.errors import user_message
from quizapp.web.forms import (
    LanguageForm,
    ReadingAidForm,
    TextModeForm,
    choices,
    flash_errors,
    reading_aid_labels,
    text_mode_labels,
)
from quizapp.web.i18n import format_day, language_code_for_attempt, ui_text
from quizapp.web.security import check_rate, client_address, learner_key, rate_limited, refuse_when_spent

bp = Blueprint("student", __name__)
bp.add_app_template_global(text_mode_labels)
bp.add_app_template_global(reading_aid_labels)
QUIZ_STARTS_PER_LEARNER = 60  # per hour: a new quiz every minute is more than anyone reads
QUIZ_STARTS_PER_ADDRESS = 1000  # per hour, for everyone behind one address (a school's NAT) together
CLASS_CODE_FAILURES = 50  # wrong class codes per address per 10 minutes


def own_quiz(quiz_id: int) -> dict:
    learner_id = current_learner()
    quiz = quizzes.get(get_db(), quiz_id, learner_id) if learner_id else None
    if quiz is None:
        abort(404)
    return quiz


@bp.get("/")
def home():
    db = get_db()
    account = current_account()
    assignments = classes.for_learner(db, account["id"]) if account else []
    return render_template(
        "student/home.html",
        banks=bankstore.list_banks(db),
        assignments=assignments,
        today=utcnow().astimezone(ZoneInfo(account["timezone"] if account else "UTC")).date(),
    )


@bp.route("/classes/join", methods=["GET", "POST"])
@login_required
def join_class():
    """A signed-in student joins a class with its code; wrong codes count towards a limit (guessing)."""
    form = JoinClassForm(code=request.args.get("code", ""))
    if form.validate_on_submit():
        refuse_when_spent("class-code-failures", client_address(), CLASS_CODE_FAILURES, 600)
        db = get_db()
        klass, joined = classes.join(db, form.code.data, current_learner())
        if klass is None:
            check_rate("class-code-failures", client_address(), CLASS_CODE_FAILURES, 600)
            form.code.errors.append(_("No class has that code. Check it with your teacher."))
        else:
            flash(
                _("You are in the class %(name)s.", name=klass["name"])
                if joined
                else _("You were already in the class %(name)s.", name=klass["name"]),
                "info",
            )
            return redirect(url_for("student.home"))
    return render_template(
        "student/join_class.html", form=form, memberships=classes.memberships(get_db(), current_learner())
    )


@bp.get("/banks/<bank_id>")
def bank(bank_id: str):
    bank = bankstore.get_bank(get_db(), bank_id)
    if bank is None:
        if bank_id in bankstore.FORMER_IDS:  # a bookmark from before the bank was renamed
            return redirect(url_for("student.bank", bank_id=bankstore.FORMER_IDS[bank_id]), 301)
        abort(404)
    form = StartQuizForm(size=current_app.config["QUIZ_SIZE"])
    form.topic.choices = choices(
        [("", _("All topics"))] + [(t, f"{ui_text(bank['topic_labels'].get(t), t)} ({n})") for t, n in bank["topics"]]
    )
    return render_template("student/bank.html", bank=bank, form=form)


def quiz_starter() -> int:
    """The learner about to start a quiz, if they may: every quiz is rows kept for good, so bound
    how fast one learner, and one address, can make them. A learner's own limit comes first, so
    their refused starts do not use up the address's (a school's) allowance; a visitor new to us
    is made a learner only once the address allows the start."""
    message = _(
        "You have started a great many quizzes in the last hour. Finish one you have started "
        "(your quizzes are listed under Progress), or try again later."
    )
    learner_id = current_learner()
    if learner_id:
        check_rate("quiz-starts", str(learner_id), QUIZ_STARTS_PER_LEARNER, 3600, message)
    check_rate("quiz-starts-address", client_address(), QUIZ_STARTS_PER_ADDRESS, 3600, message)
    if not learner_id:
        learner_id = current_learner(create=True)
        check_rate("quiz-starts", str(learner_id), QUIZ_STARTS_PER_LEARNER, 3600, message)  # their first
    return learner_id


@bp.post("/banks/<bank_id>/quizzes")
def start_quiz(bank_id: str):
    db = get_db()
    bank = bankstore.get_bank(db, bank_id)
    if bank is None:
        abort(404)
    form = StartQuizForm()
    form.topic.choices = choices([("", "")] + [(t, t) for t, _n in bank["topics"]])
    if not form.validate():
        flash_errors(form)
        return redirect(url_for("student.bank", bank_id=bank_id))
    quiz_id = quizzes.start(
        db, quiz_starter(), bank_id, form.topic.data or None, form.size.data or current_app.config["QUIZ_SIZE"]
    )
    if quiz_id is None:
        flash(_("This bank has no questions on that topic yet."), "error")
        return redirect(url_for("student.bank", bank_id=bank_id))
    return redirect(url_for("student.question", quiz_id=quiz_id, position=1))


@bp.get("/quizzes/<int:quiz_id>")
def resume(quiz_id: int):
    own_quiz(quiz_id)  # 404 for anyone else's quiz
    position = quizzes.next_position(get_db(), quiz_id)
    if position is None:
        return redirect(url_for("student.results", quiz_id=quiz_id))
    return redirect(url_for("student.question", quiz_id=quiz_id, position=position))


@bp.get("/quizzes/<int:quiz_id>/<int:position>")
def question(quiz_id: int, position: int):
    db = get_db()
    quiz = own_quiz(quiz_id)
    entry = quizzes.item(db, quiz, position)
    if entry is None:
        abort(404)
    bank = bankstore.get_bank(db, quiz["bank_id"])
    draft, answer_error = drafts.take(request.path) if entry["attempt"] is None else ({}, None)
    if entry["attempt"] is None:
        quizzes.mark_shown(db, quiz_id, position)
    return render_template(
        "student/question.html", quiz=quiz, entry=entry, bank=bank, draft=draft, answer_error=answer_error
    )


@bp.post("/quizzes/<int:quiz_id>/<int:position>")
@rate_limited("answers", limit=120, window_s=60, key=lambda: learner_key(current_learner()))
def answer(quiz_id: int, position: int):
    db = get_db()
    quiz = own_quiz(quiz_id)
    entry = quizzes.item(db, quiz, position)
    if entry is None:
        abort(404)
    if entry["attempt"] is None:
        try:
            given, result = grade(entry["question"], request.form)
        except AnswerError as exc:  # the page comes back with what was typed and why it was refused
            here = url_for("student.question", quiz_id=quiz_id, position=position)
            drafts.keep(here, request.form, user_message(exc))
            return redirect(here)
        learner = users.get(db, quiz["learner_id"])
        sched = scheduling.for_learner(learner, fuzz=current_app.config["FSRS_FUZZ"])
        with write(db):  # the answer, its review and last-seen land together or not at all
            quizzes.record(db, quiz, entry, given, result, language_code_for_attempt(), sched)
            learners.touch(db, quiz["learner_id"])
    # No #feedback fragment: Chromium ignores autofocus on a page opened at one, and "Next" must get the focus.
    return redirect(url_for("student.question", quiz_id=quiz_id, position=position))


@bp.get("/quizzes/<int:quiz_id>/results")
def results(quiz_id: int):
    quiz = own_quiz(quiz_id)
    db = get_db()
    return render_template(
        "student/results.html",
        quiz=quiz,
        bank=bankstore.get_bank(db, quiz["bank_id"]),
        outcome=quizzes.results(db, quiz),
    )


@bp.post("/quizzes/<int:quiz_id>/retry")
def retry(quiz_id: int):
    quiz = own_quiz(quiz_id)
    quiz_starter()
    new_id = quizzes.retry_missed(get_db(), quiz)
    if new_id is None:
        flash(_("Nothing to retry: you got every question right."), "info")
        return redirect(url_for("student.results", quiz_id=quiz_id))
    return redirect(url_for("student.question", quiz_id=new_id, position=1))


@bp.get("/progress")
def progress():
    db = get_db()
    learner = users.get(db, current_learner())
    if learner is None:
        return render_template("student/progress.html", data=None, summary=None, charts=None)
    summary = progress_data.summary(db, learner, utcnow())
    labels = bankstore.topic_labels(db)
    topic_names = {t: ui_text(labels.get(t), t) for t in summary.topics}
    return render_template(
        "student/progress.html",
        data=quizzes.history(db, learner["id"]),
        summary=summary,
        topic_names=topic_names,
        charts=progress_charts(summary, topic_names),
        topic_labels=labels,
    )


def progress_charts(summary: progress_data.Summary, topic_names: dict[str, str]) -> dict:
    """The three charts with text alternatives in the reader's language."""
    history, forecast = summary.history, summary.forecast
    total = sum(d.reviews for d in history)
    answered = [d for d in history if d.accuracy is not None]
    accuracy = (sum(d.accuracy * d.reviews for d in answered) / total) if total else 0
    due_total = sum(d.due for d in forecast)
    topics = [(topic_names[t], v.mastery.share) for t, v in summary.topics.items() if v.mastery.studied]
    return {
        "history": charts.bars(
            "history",
            _("Reviews and accuracy per day, last 30 days"),
            _(
                "%(total)s reviews in the last 30 days on %(days)s days; %(accuracy)s remembered. "
                "Bars: reviews per day; line: share remembered.",
                total=format_decimal(total),
                days=format_decimal(len(answered)),
                accuracy=format_percent(accuracy),
            ),
            [format_day(d.day) for d in history],
            [d.reviews for d in history],
            [d.accuracy for d in history],
            label_every=7,
            line_ticks=(format_percent(0), format_percent(0.5), format_percent(1)),
        )
        if total
        else None,
        "forecast": charts.bars(
            "forecast",
            _("Cards due per day, next 14 days"),
            _(
                "%(total)s cards due in the next 14 days; %(today)s today.",
                total=format_decimal(due_total),
                today=format_decimal(forecast[0].due),
            ),
            [format_day(d.day) for d in forecast],
            [d.due for d in forecast],
            label_every=4,
        )
        if due_total
        else None,
        "mastery": charts.hbars(
            "mastery",
            _("Mastery per topic"),
            "; ".join(_("%(topic)s: %(share)s mastered", topic=t, share=format_percent(share)) for t, share in topics)
            or _("No cards studied yet."),
            [t for t, _share in topics],
            [share for _t, share in topics],
        )
        if topics
        else None,
    }


def _remember(name: str, value: str) -> None:
    """A setting chosen on a page: kept in the session (a visitor's only copy) and on the account, from
    which sign-in restores it on another device."""
    session[name] = value
    session.permanent = True
    if current_learner():
        users.update_settings(get_db(), current_learner(), **{name: value})


@bp.post("/settings/language")
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        _remember("locale", form.locale.data)
    else:
        flash(_("Please choose one of the listed languages."), "error")
    return redirect(safe_next(form.next.data))


@bp.post("/settings/text-mode")
def set_text_mode():
    form = TextModeForm()
    if form.validate_on_submit():
        drafts.keep(urlsplit(safe_next(form.next.data)).path, request.form)  # a typed answer is not lost
        _remember("text_mode", form.mode.data)
    else:
        flash(_("Please choose one of the listed options."), "error")
    return redirect(safe_next(form.next.data))


@bp.post("/settings/reading-aid")
def set_reading_aid():
    """Pinyin, zhuyin or neither over Chinese text, from the buttons beside a quiz question or a
    flashcard: the same setting as Settings, kept as the question language is (and a typed answer
    travels along and comes back, as with the language buttons)."""
    form = ReadingAidForm()
    if form.validate_on_submit():
        drafts.keep(urlsplit(safe_next(form.next.data)).path, request.form)
        _remember("reading_aid", form.aid.data)
    else:
        flash(_("Please choose one of the listed options."), "error")
    return redirect(safe_next(form.next.data))
