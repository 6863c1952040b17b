"""A number, right within a tolerance; typed as 43000, 43,000, 4.3万, forty-three thousand or 约4.3万人."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from quizapp.banks.types.base import MAX_NUMBER, AnswerError, Grade, QuestionType, first_node, one, register
from quizapp.core.messages import N_, UserError
from quizapp.core.numbers import parse_number

# How the right answer is shown: a count grouped (43,000), a year never (2015, not 2,015).
FORMATS = ("number", "year")


def _bounded(value, low) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and low <= value <= MAX_NUMBER


@register
class Numeric(QuestionType):
    name = "numeric"
    label = N_("A number")
    fields = {
        "answer": {"type": "number", "minimum": -MAX_NUMBER, "maximum": MAX_NUMBER},
        "tolerance": {"type": "number", "minimum": 0, "maximum": MAX_NUMBER},
        "format": {"enum": list(FORMATS)},
        # Further right values (a figure the article also gives), each within the same tolerance.
        "also": {"type": "array", "items": {"type": "number", "minimum": -MAX_NUMBER, "maximum": MAX_NUMBER}},
    }
    required = ("answer",)
    accepts_typed = True

    @classmethod
    def check(cls, check, fields, path, q):
        super().check(check, fields, path, q)
        answer, tolerance, shown = fields.get("answer"), fields.get("tolerance"), fields.get("format")
        if answer is None or isinstance(answer.value, bool) or not isinstance(answer.value, (int, float)):
            check.add(
                answer or first_node(fields, "prompt"),
                f"{path}.answer",
                N_("a numeric question needs a number as its answer (got %(value)s)"),
                value=repr(answer.value)[:40] if answer else "nothing",
            )
        elif not _bounded(answer.value, -MAX_NUMBER):
            check.add(
                answer,
                f"{path}.answer",
                N_("the answer must be a finite number from -%(limit)s to %(limit)s (got %(value)s)"),
                limit="10^15",
                value=repr(answer.value)[:40],
            )
        else:
            q["answer"] = answer.value
        q["tolerance"] = 0
        if tolerance is not None:
            value = tolerance.value
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                check.add(
                    tolerance,
                    f"{path}.tolerance",
                    N_("the tolerance is a number of 0 or more (got %(value)s)"),
                    value=repr(value)[:40],
                )
            elif not _bounded(value, 0):
                check.add(
                    tolerance,
                    f"{path}.tolerance",
                    N_("the tolerance must be a finite number up to %(limit)s (got %(value)s)"),
                    limit="10^15",
                    value=repr(value)[:40],
                )
            else:
                q["tolerance"] = value
        if shown is not None and shown.value not in FORMATS:
            check.add(
                shown,
                f"{path}.format",
                N_("format is number or year (got %(value)s)"),
                value=repr(shown.value)[:40],
            )
        elif shown is not None:
            q["format"] = shown.value
        cls._check_also(check, fields.get("also"), path, q)

    @classmethod
    def _check_also(cls, check, also, path, q):
        if also is None:
            return
        if not isinstance(also.value, list):
            check.add(
                also,
                f"{path}.also",
                N_("also lists further right numbers, e.g. [4300] (got %(value)s)"),
                value=repr(also.value)[:40],
            )
            return
        for index, item in enumerate(also.value):
            if isinstance(item.value, bool) or not _bounded(item.value, -MAX_NUMBER):
                check.add(
                    item,
                    f"{path}.also[{index}]",
                    N_("the answer must be a finite number from -%(limit)s to %(limit)s (got %(value)s)"),
                    limit="10^15",
                    value=repr(item.value)[:40],
                )
        if also.value:
            q["also"] = [item.value for item in also.value]

    @classmethod
    def key(cls, question):
        """Further right values decide the grading too."""
        return [*super().key(question), question["also"]] if question.get("also") else super().key(question)

    @classmethod
    def parse(cls, question, form):
        """The text as typed and its value; a number too large to be within tolerance of any bank
        answer keeps no value (it is simply wrong), so no float ever becomes inf."""
        raw = one(form, "answer")
        number = parse_number(raw)
        if number is None or not number.is_finite():
            raise AnswerError(N_("Please type a number, for example 43000, 43,000 or 4.3万."))
        return {"text": raw.strip(), "value": float(number) if abs(number) <= 2 * MAX_NUMBER else None}

    @classmethod
    def grade(cls, question, answer):
        """Right when within the tolerance; anything unreadable or not finite (a bank imported before
        the bounds existed) is simply not right, never an error page."""
        try:
            targets = [Decimal(str(v)) for v in (question["answer"], *question.get("also", ()))]
            tolerance = Decimal(str(question["tolerance"]))
            given = Decimal(str(answer["value"])) if answer.get("value") is not None else None
        except (InvalidOperation, KeyError, TypeError, AttributeError):
            return Grade(0.0)
        if given is None or not all(d.is_finite() for d in (tolerance, given)):
            return Grade(0.0)
        right = any(t.is_finite() and abs(given - t) <= tolerance for t in targets)
        return Grade(1.0 if right else 0.0)

    @classmethod
    def describe(cls, question, answer, lang, gettext):
        """The number as the student typed it."""
        return str(answer.get("text", "")) if isinstance(answer, dict) else str(answer)

    @classmethod
    def typed_key(cls, question, answer):
        """The value: 43,000 and 4.3万 are one answer to the grader (a stored answer, or the text
        a teacher accepts from the report)."""
        if isinstance(answer, str):
            try:
                answer = cls.parse(question, {"answer": answer})
            except AnswerError:
                return None
        return str(answer.get("value")) if isinstance(answer, dict) else None

    @classmethod
    def accepting(cls, question, answer, lang):
        """The typed number's value as one more right value in `also`: widening the tolerance
        instead would accept the wrong numbers in between."""
        number = parse_number(answer)
        if number is None or not number.is_finite() or abs(number) > MAX_NUMBER:
            raise UserError(N_("The bank could not be changed here; add the answer in the bank editor."))
        if cls.grade(question, {"value": float(number)}).correct:
            return None
        value = int(number) if number == number.to_integral_value() else float(number)
        return ("also",), [*question.get("also", ()), value]
