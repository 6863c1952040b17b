"""Every right answer among the choices, with partial credit."""

from __future__ import annotations

from quizapp.banks.types.base import AnswerError, Grade, register, values
from quizapp.banks.types.choices import WithChoices
from quizapp.core.messages import N_


@register
class Multi(WithChoices):
    name = "multi"
    label = N_("Several answers")

    @classmethod
    def check_marks(cls, check, at, path, found):
        if found < 1:
            check.add(at, path, N_('a "multi" question needs at least one correct choice (found 0)'))

    @classmethod
    def parse(cls, question, form):
        picked = sorted({cls.index(question, raw) for raw in values(form, "answer")})
        if not picked:
            raise AnswerError(N_("Please pick at least one choice."))
        return picked

    @classmethod
    def grade(cls, question, answer):
        """Moodle-style partial credit: right picks minus wrong picks over the number right, floored at 0."""
        right = {i for i, c in enumerate(question["choices"]) if c["correct"]}
        picked = set(answer)
        score = (len(picked & right) - len(picked - right)) / len(right)
        return Grade(round(max(0.0, score), 4))
