"""One right answer among the choices."""

from __future__ import annotations

from quizapp.banks.types.base import Grade, choice_text, one, register
from quizapp.banks.types.choices import WithChoices
from quizapp.core.messages import N_


@register
class Choice(WithChoices):
    name = "choice"
    label = N_("One answer")

    @classmethod
    def check_marks(cls, check, at, path, found):
        if found != 1:
            check.add(
                at, path, N_('a "choice" question needs exactly one correct choice (found %(found)s)'), found=found
            )

    @classmethod
    def parse(cls, question, form):
        return cls.index(question, one(form, "answer"))

    @classmethod
    def grade(cls, question, answer):
        return Grade(1.0 if question["choices"][answer]["correct"] else 0.0)

    @classmethod
    def picked(cls, answer):
        return [answer]

    @classmethod
    def describe(cls, question, answer, lang, gettext):
        return choice_text(question, answer, lang)
