"""The learner's forms: starting a quiz and choosing a flashcard direction. Labels are lazy so
they follow the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from quizapp.web.forms import Between


class StartQuizForm(FlaskForm):
    topic = SelectField(_l("Topic"), choices=[], validate_choice=True)
    size = IntegerField(
        _l("Number of questions"),
        default=10,
        validators=[Optional(), Between(1, 50, _l("Choose between 1 and 50 questions."))],
    )


class StudyDirectionForm(FlaskForm):
    direction = SelectField(
        _l("Direction"),
        choices=[
            SelectChoice("en-zh", _l("English → Chinese")),
            SelectChoice("zh-en", _l("Chinese → English")),
            SelectChoice("en-en", _l("English only")),
            SelectChoice("zh-zh", _l("Chinese only")),
            SelectChoice("both-both", _l("Both languages")),
        ],
    )
    bank = HiddenField()
