"""The forms of accounts: sign-up and sign-in, settings, password, invitations, joining a class.
Labels are lazy so they follow the reader's language."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from quizapp.core.textsafety import USERNAME_RULE
from quizapp.web.forms import Between, reading_aid_labels, text_mode_labels
from quizapp.web.i18n import LOCALES


def username_field() -> StringField:
    """Only a bound here, in our words: accounts.sign_up says what a username may be (2 characters
    are enough in Chinese); WTForms' own "Field cannot be longer than…" is not ours to show."""
    return StringField(
        _l("Username"),
        validators=[
            InputRequired(message=_l("Choose a username.")),
            Length(max=100, message=_l(USERNAME_RULE)),
        ],
        description=_l(USERNAME_RULE),
    )


class SignUpForm(FlaskForm):
    username = username_field()
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(), Length(min=8, max=200, message=_l("Use a password of at least 8 characters."))],
    )
    confirm = PasswordField(
        _l("Password again"), validators=[InputRequired(), EqualTo("password", message=_l("The two passwords differ."))]
    )
    timezone = HiddenField()  # filled in by the browser (Intl) so streaks follow the learner's own day


class SignInForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[
            InputRequired(message=_l("Type your username.")),
            Length(max=100, message=_l("Wrong username or password.")),
        ],
    )
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=200)])


def valid_timezone(form, field):
    from zoneinfo import available_timezones

    if field.data not in available_timezones() and field.data != "UTC":
        raise ValidationError(_l("Choose a time zone such as Asia/Shanghai or Europe/London."))


class SettingsForm(FlaskForm):
    """Two language choices (the interface's, and the one questions and flashcards are shown in) and
    the study settings. A flashcard's front follows the question language; its back shows both."""

    locale = SelectField(_l("Interface language"), choices=[SelectChoice(c, n) for c, n in LOCALES.items()])
    text_mode = SelectField(_l("Questions in"), choices=text_mode_labels())
    reading_aid = RadioField(_l("Pronunciation over Chinese text"), choices=reading_aid_labels())
    desired_retention = DecimalField(
        _l("Desired retention"),
        places=2,
        validators=[
            InputRequired(),
            Between(Decimal("0.7"), Decimal("0.99"), _l("Choose a retention between 0.70 and 0.99.")),
        ],
    )
    new_cards_per_day = IntegerField(
        _l("New cards per day"),
        validators=[InputRequired(), Between(0, 500, _l("Choose between 0 and 500 new cards a day."))],
    )
    timezone = StringField(_l("Time zone"), validators=[InputRequired(), Length(max=64), valid_timezone])
    autoplay_front = BooleanField(_l("Read the front of each flashcard aloud when it opens"))


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[InputRequired(), Length(max=200)])


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[InputRequired(), Length(max=200)])
    password = PasswordField(
        _l("New password"),
        validators=[InputRequired(), Length(min=8, max=200, message=_l("Use a password of at least 8 characters."))],
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[InputRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )


class ClaimHistoryForm(FlaskForm):
    """Sign-in's question about this browser's earlier answers: the button pressed is the answer."""

    choice = HiddenField()


class JoinClassForm(FlaskForm):
    code = StringField(_l("Class code"), validators=[InputRequired(), Length(min=4, max=12)])


class InviteAcceptForm(SignUpForm):
    """An invitation makes an account with the same fields and rules as signing up."""
