"""The student's forms. Labels are lazy so they follow the reader's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from .i18n import LOCALES, TEXT_MODES


def choices(pairs):
    return [SelectChoice(value, label) for value, label in pairs]


class StartQuizForm(FlaskForm):
    topic = SelectField(_l("Topic"), choices=[], validate_choice=True)
    size = IntegerField(_l("Number of questions"), default=10,
                        validators=[Optional(), NumberRange(min=1, max=50, message=_l("Choose between 1 and 50 questions."))])


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Interface language"), choices=[SelectChoice(code, name) for code, name in LOCALES.items()], validators=[InputRequired()])
    next = HiddenField()


def text_mode_labels():
    return [SelectChoice("en", _l("English")), SelectChoice("zh", _l("Chinese")),
            SelectChoice("both", _l("Both side by side"))]


class TextModeForm(FlaskForm):
    mode = SelectField(_l("Questions in"), choices=text_mode_labels(), validators=[InputRequired()])
    next = HiddenField()


class CsrfOnlyForm(FlaskForm):
    """For forms whose fields are read by the question type (answers) or that have none (retry)."""


assert {c.value for c in text_mode_labels()} == set(TEXT_MODES)
