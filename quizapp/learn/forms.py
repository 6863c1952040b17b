"""The learner's form for starting a quiz. Labels are lazy so they follow the reader's language.

Flashcards have no direction of their own: the front follows the question language, the back shows both."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField
from wtforms.validators import Optional

from quizapp.web.forms import Between


class StartQuizForm(FlaskForm):
    topic = SelectField(_l("Topic"), choices=[], validate_choice=True)
    size = IntegerField(
        _l("Number of questions"),
        default=10,
        validators=[Optional(), Between(1, 50, _l("Choose between 1 and 50 questions."))],
    )
