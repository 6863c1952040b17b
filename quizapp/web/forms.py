"""The student's forms. Labels are lazy so they follow the reader's language."""
from __future__ import annotations

from decimal import Decimal

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, HiddenField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, InputRequired, Length, Optional, ValidationError

from quizapp.web.i18n import LOCALES, TEXT_MODES


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


class StartQuizForm(FlaskForm):
    topic = SelectField(_l("Topic"), choices=[], validate_choice=True)
    size = IntegerField(_l("Number of questions"), default=10,
                        validators=[Optional(), Between(1, 50, _l("Choose between 1 and 50 questions."))])


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Interface language"), choices=[SelectChoice(code, name) for code, name in LOCALES.items()], validators=[InputRequired()])
    next = HiddenField()


def text_mode_labels():
    return [SelectChoice("en", _l("English")), SelectChoice("zh", _l("Chinese")),
            SelectChoice("both", _l("Both side by side"))]


class TextModeForm(FlaskForm):
    mode = SelectField(_l("Questions in"), choices=text_mode_labels(), validators=[InputRequired()])
    next = HiddenField()


def flash_errors(form: FlaskForm) -> None:
    """A form posted from a page that redirects back: its errors travel as flashed messages."""
    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "error")


class CsrfOnlyForm(FlaskForm):
    """For forms whose fields are read by the question type (answers) or that have none (retry)."""


assert {c.value for c in text_mode_labels()} == set(TEXT_MODES)


class SignUpForm(FlaskForm):
    # Only a bound here: accounts.sign_up says what a username may be (2 characters are enough in Chinese).
    username = StringField(_l("Username"), validators=[InputRequired(), Length(max=100)])
    password = PasswordField(_l("Password"), validators=[
        InputRequired(), Length(min=8, max=200, message=_l("Use a password of at least 8 characters."))])
    confirm = PasswordField(_l("Password again"), validators=[
        InputRequired(), EqualTo("password", message=_l("The two passwords differ."))])
    timezone = HiddenField()  # filled in by the browser (Intl) so streaks follow the learner's own day


class SignInForm(FlaskForm):
    username = StringField(_l("Username"), validators=[InputRequired(), Length(max=32)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=200)])


def valid_timezone(form, field):
    from zoneinfo import available_timezones
    if field.data not in available_timezones() and field.data != "UTC":
        raise ValidationError(_l("Choose a time zone such as Asia/Shanghai or Europe/London."))


def direction_labels():
    return [SelectChoice("", _l("Same as the question language")), SelectChoice("en", _l("English")),
            SelectChoice("zh", _l("Chinese")), SelectChoice("both", _l("Both side by side"))]


class SettingsForm(FlaskForm):
    locale = SelectField(_l("Interface language"), choices=[SelectChoice(c, n) for c, n in LOCALES.items()])
    text_mode = SelectField(_l("Questions in"), choices=text_mode_labels())
    card_front = SelectField(_l("Flashcard front"), choices=direction_labels())
    card_back = SelectField(_l("Flashcard back"), choices=direction_labels())
    desired_retention = DecimalField(_l("Desired retention"), places=2, validators=[
        InputRequired(), Between(Decimal("0.7"), Decimal("0.99"), _l("Choose a retention between 0.70 and 0.99."))])
    new_cards_per_day = IntegerField(_l("New cards per day"), validators=[
        InputRequired(), Between(0, 500, _l("Choose between 0 and 500 new cards a day."))])
    timezone = StringField(_l("Time zone"), validators=[InputRequired(), Length(max=64), valid_timezone])


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[InputRequired(), Length(max=200)])


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[InputRequired(), Length(max=200)])
    password = PasswordField(_l("New password"), validators=[
        InputRequired(), Length(min=8, max=200, message=_l("Use a password of at least 8 characters."))])
    confirm = PasswordField(_l("New password again"), validators=[
        InputRequired(), EqualTo("password", message=_l("The two passwords differ."))])


class ClaimHistoryForm(FlaskForm):
    """Sign-in's question about this browser's earlier answers: the button pressed is the answer."""
    choice = HiddenField()


class StudyDirectionForm(FlaskForm):
    direction = SelectField(_l("Direction"), choices=[
        SelectChoice("en-zh", _l("English → Chinese")), SelectChoice("zh-en", _l("Chinese → English")),
        SelectChoice("en-en", _l("English only")), SelectChoice("zh-zh", _l("Chinese only")),
        SelectChoice("both-both", _l("Both languages"))])
    bank = HiddenField()
