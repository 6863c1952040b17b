"""Put the items in order: the bank lists them in the right order, students see them shuffled."""

from __future__ import annotations

from quizapp.banks.types.base import AnswerError, Grade, QuestionType, choice_text, register, values
from quizapp.banks.types.choices import WithChoices
from quizapp.core.messages import N_


@register
class Order(WithChoices):
    name = "order"
    label = N_("Put in order")

    @classmethod
    def check_mark(cls, check, flag, path):
        check.add(flag, path, N_("an order question lists its items in the right order; it has no correct marks"))

    @classmethod
    def parse(cls, question, form):
        """The form sends, for each item, its position (1..n); we return item indices in that order."""
        n = len(question["choices"])
        positions = {}
        for index in range(n):
            raw = values(form, f"position-{index}")
            try:
                position = int(raw[0]) if raw else 0
            except ValueError:
                position = 0
            if not 1 <= position <= n:
                raise AnswerError(N_("Give every item a place from 1 to %(count)s."), count=n)
            positions[index] = position
        if len(set(positions.values())) != n:
            raise AnswerError(N_("Each place can be used only once."))
        return sorted(positions, key=positions.get)

    @classmethod
    def grade(cls, question, answer):
        return Grade(1.0 if list(answer) == list(range(len(question["choices"]))) else 0.0)

    @classmethod
    def key(cls, question):
        return [c["text"] for c in question["choices"]]

    @classmethod
    def describe(cls, question, answer, lang, gettext):
        return " → ".join(choice_text(question, i, lang) for i in answer)

    distribution = QuestionType.distribution  # right, partly, wrong: an order is not one choice
