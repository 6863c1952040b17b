"""Form pieces every blueprint shares: the language switchers, a number range that refuses NaN and
infinities, flashing a redirected form's errors. Labels are lazy. A POST with no fields of its own needs
no form: CSRFProtect (web.security) checks the token of every POST."""

from __future__ import annotations

from decimal import Decimal

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, ValidationError

from quizapp.web.i18n import LOCALES, READING_AIDS, TEXT_MODES


class Between:
    """WTForms' NumberRange, but every value that is not a finite number in range gets the field's own
    message: NumberRange raises on Decimal('sNaN') (a 500), and a value past SQLite's 64-bit integers
    would overflow when written."""

    def __init__(self, low, high, message):
        self.low, self.high, self.message = low, high, message

    def __call__(self, form, field):
        try:
            fine = field.data is not None and Decimal(field.data).is_finite() and self.low <= field.data <= self.high
        except (ArithmeticError, TypeError, ValueError):
            fine = False
        if not fine:
            raise ValidationError(self.message)


def choices(pairs):
    return [SelectChoice(value, label) for value, label in pairs]


class LanguageForm(FlaskForm):
    locale = SelectField(
        _l("Interface language"),
        choices=[SelectChoice(code, name) for code, name in LOCALES.items()],
        validators=[InputRequired()],
    )
    next = HiddenField()


def text_mode_labels():
    return [
        SelectChoice("en", _l("English")),
        SelectChoice("zh", _l("Chinese")),
        SelectChoice("both", _l("Both side by side")),
    ]


class TextModeForm(FlaskForm):
    mode = SelectField(_l("Questions in"), choices=text_mode_labels(), validators=[InputRequired()])
    next = HiddenField()


def reading_aid_labels():
    return [
        SelectChoice("off", _l("Off")),
        SelectChoice("pinyin", _l("Pinyin")),
        SelectChoice("zhuyin", _l("Zhuyin (bopomofo)")),
    ]


class ReadingAidForm(FlaskForm):
    aid = SelectField(_l("Pinyin over Chinese"), choices=reading_aid_labels(), validators=[InputRequired()])
    next = HiddenField()


def flash_errors(form: FlaskForm) -> None:
    """A form posted from a page that redirects back: its errors travel as flashed messages."""
    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "error")


assert {c.value for c in text_mode_labels()} == set(TEXT_MODES)
assert {c.value for c in reading_aid_labels()} == set(READING_AIDS)
