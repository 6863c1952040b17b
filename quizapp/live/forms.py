"""The forms of live games: a teacher's new game and a student's join. Labels are lazy so they
follow the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from quizapp.live.game import DEFAULT_TIMER_S, NICKNAME_MAX
from quizapp.web.forms import Between, text_mode_labels


class NewGameForm(FlaskForm):
    """The questions themselves come as `question` checkboxes with `order-<id>` numbers beside
    them (one row per question of the bank), read by the view."""

    bank = HiddenField(validators=[InputRequired()])
    topic = HiddenField()
    timer = IntegerField(
        _l("Seconds per question (0: no timer)"),
        default=DEFAULT_TIMER_S,
        validators=[InputRequired(), Between(0, 600, _l("Choose between 0 and 600 seconds."))],
    )
    reading = IntegerField(
        _l("Extra reading time in seconds (for second-language readers)"),
        default=0,
        validators=[InputRequired(), Between(0, 120, _l("Choose between 0 and 120 seconds."))],
    )
    scoring = SelectField(
        _l("Scoring"),
        choices=[
            SelectChoice("speed", _l("By speed: a right answer earns 500 to 1000 points, more when faster")),
            SelectChoice("correct", _l("By correctness only: 1000 points for a right answer")),
        ],
    )
    text_mode = SelectField(_l("Questions on the projector in"), choices=text_mode_labels())


class JoinForm(FlaskForm):
    code = StringField(_l("Game code"), validators=[InputRequired(), Length(max=20)])
    nickname = StringField(_l("Nickname"), validators=[InputRequired(), Length(max=NICKNAME_MAX * 2)])


class NicknameForm(FlaskForm):
    nickname = StringField(_l("New nickname"), validators=[InputRequired(), Length(max=NICKNAME_MAX * 2)])
