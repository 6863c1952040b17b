"""True or false."""

from __future__ import annotations

from quizapp.banks.types.base import AnswerError, Bar, Grade, QuestionType, first_node, one, register
from quizapp.core.messages import N_


@register
class TrueFalse(QuestionType):
    name = "true_false"
    label = N_("True or false")
    fields = {"answer": {"type": "boolean"}}
    required = ("answer",)

    @classmethod
    def check(cls, check, fields, path, q):
        super().check(check, fields, path, q)
        answer = fields.get("answer")
        if answer is None or not isinstance(answer.value, bool):
            check.add(
                answer or first_node(fields, "prompt"),
                f"{path}.answer",
                N_("a true_false question needs answer: true or answer: false"),
            )
        else:
            q["answer"] = answer.value

    @classmethod
    def parse(cls, question, form):
        raw = one(form, "answer")
        if raw not in ("true", "false"):
            raise AnswerError(N_("Answer true or false."))
        return raw == "true"

    @classmethod
    def grade(cls, question, answer):
        return Grade(1.0 if answer == question["answer"] else 0.0)

    @classmethod
    def describe(cls, question, answer, lang, gettext):
        return gettext("True") if answer else gettext("False")

    @classmethod
    def distribution(cls, question, order, answers):
        yes = sum(1 for given, _s in answers if given is True)
        return [
            Bar(yes, question["answer"] is True, message=N_("True")),
            Bar(len(answers) - yes, question["answer"] is False, message=N_("False")),
        ]
