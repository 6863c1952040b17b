"""The web side of question types (banks.types): templates include a type's parts by name, and the
live game renders them for the phones' shared state outside any request."""

from __future__ import annotations

from flask import Flask, g
from flask_babel import force_locale, gettext

from quizapp.banks.types import kind_of
from quizapp.core.textnorm import pick
from quizapp.web.i18n import interface_language


def type_template(question: dict, part: str) -> str:
    """The template of one part of a question's presentation: {% include type_template(q, 'expected') %}."""
    return kind_of(question).template(part)


def type_label(question: dict) -> str:
    """The type's name for teachers, in the reader's language ("True or false", not "true_false")."""
    return gettext(kind_of(question).label)


def grade_note(question: dict, answer) -> str:
    """What the grader says about how an answer was read ("Accepted; the spelling is …") in the
    reader's language, or "" when it was read as written."""
    result = kind_of(question).grade(question, answer)
    if not result.note:
        return ""
    lang = interface_language()  # the bank's Chinese is Simplified: 吕频 reads 呂頻 in 繁體中文
    return gettext(result.note, **{name: pick({"en": value, "zh": value}, lang) for name, value in result.note_params})


def answer_parts(question: dict, answer) -> list[dict]:
    """The parts of an answer as its type marks them (a cloze's blanks), each note in the reader's language."""
    lang = interface_language()
    parts = kind_of(question).parts(question, answer)
    for part in parts:
        if part.get("note"):
            params = {name: pick({"en": value, "zh": value}, lang) for name, value in part.get("note_params", ())}
            part["note"] = gettext(part["note"], **params)
    return parts


def renderer(app: Flask):
    """A function that renders a type's template in an interface locale, both languages side by
    side, in an app context of its own: a live stream runs after its request has ended."""

    def render(template: str, locale: str, **context) -> str:
        with app.app_context():
            g.rendering = template  # Flask-Babel takes an empty g for no context, and would not force the locale
            with force_locale(locale):
                # The environment's own render: the app's context processors read the request's signed-in user.
                return app.jinja_env.get_template(template).render(mode="both", **context)

    return render


def init_app(app: Flask) -> None:
    app.jinja_env.globals["type_template"] = type_template
    app.jinja_env.globals["grade_note"] = grade_note
    app.jinja_env.globals["answer_parts"] = answer_parts
    app.jinja_env.globals["type_label"] = type_label
