"""The base of every question type, and the registry of types by name.

In the manner of CTFd's challenge types: a type is one class (one module in this package) and one
template folder, templates/types/<name>/. The class owns every behaviour of its type: the bank
fields it reads and their JSON Schema, reading and grading a submitted answer, its answer key, how
reports and the live chart count its answers, and the names of its templates (question, live,
projector, given, expected), which the web layer renders. Nothing outside the type modules
switches on a type name. Plain Python, no Flask: answers come in as a mapping of form field ->
list of values.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

from quizapp.core.messages import N_, UserError
from quizapp.core.textnorm import pick

# Bank answers and tolerances lie within ±10^15: beyond any count an article gives, exact as a float
# (2^53 ≈ 9·10^15) and within the 28 digits babel formats. NaN and ±inf never compare as within.
MAX_NUMBER = 10**15

TEMPLATE_PARTS = ("question", "live", "projector", "given", "expected")

# A text of the bank: one non-empty string or number (the JSON Schema's atom, used by the types' schemas).
SCALAR = {"type": ["string", "number"], "minLength": 1}

# What the learner is told when a typed answer (text, a cloze's blank) was accepted though not as written.
NOTES = {
    "spelling": N_("Accepted; the spelling is %(answer)s."),
    "pinyin": N_("Accepted; in Chinese characters it is %(answer)s."),
}


@dataclass(frozen=True)
class Grade:
    """How an answer scored; `correct` means full marks. `note` is what the learner is told about
    how the answer was read (an N_-marked message, e.g. the spelling it was accepted as) and
    `note_params` its parameters."""

    score: float
    max_score: float = 1.0
    note: str = ""
    note_params: tuple[tuple[str, str], ...] = ()

    @property
    def correct(self) -> bool:
        return self.score >= self.max_score


class AnswerError(UserError):
    """The submitted form cannot be read as an answer."""


@dataclass(frozen=True)
class Bar:
    """One bar of the live answer chart: a choice (its text) or a kind of answer (a message), how
    many, and whether it is the right one."""

    count: int
    correct: bool
    text: dict | None = None
    message: str | None = None


def values(form, name: str) -> list[str]:
    """Every value a form sent for a field, as a list (a plain dict may hold one value or a list)."""
    getlist = getattr(form, "getlist", None)
    found = getlist(name) if getlist else form.get(name, [])
    return [found] if isinstance(found, str) else list(found)


def one(form, name: str) -> str:
    """The one value of a field, refused when empty or too long."""
    found = values(form, name)
    if not found or not str(found[0]).strip():
        raise AnswerError(N_("Please give an answer."))
    if len(str(found[0])) > 500:
        raise AnswerError(N_("That answer is too long."))
    return str(found[0])


def first_node(fields: dict, *names: str):
    """Where to point a problem about a missing field: the first of `names` present, else any field."""
    for name in names:
        if fields.get(name) is not None:
            return fields[name]
    return next(iter(fields.values()))


class QuestionType:
    """Base: a subclass sets `name` and `fields` and overrides check, schema, parse and grade (and
    whatever else its answers need said differently)."""

    name = ""
    label = N_("Question")  # what teachers read for the type (an N_ message), e.g. when picking questions
    fields: dict[str, dict] = {}  # the type's own bank fields -> their JSON Schema
    required: tuple[str, ...] = ()  # which of them a question must have
    shuffles = False  # whether choices are shown in a random order

    # ------------------------------------------------------------------ the bank
    @classmethod
    def check(cls, check, fields: dict, path: str, q: dict) -> None:
        """Read this type's fields of one bank question into `q`, adding problems to `check`."""
        for key in all_fields():
            if key in fields and key not in cls.fields:
                check.add(
                    fields[key],
                    f"{path}.{key}",
                    N_("a %(type)s question has no %(key)s field"),
                    type=repr(cls.name),
                    key=repr(key),
                )

    @classmethod
    def schema(cls) -> dict:
        """This type's part of the bank's JSON Schema: its required fields, the schema of its own
        fields, and none of the fields only other types have."""
        others = [key for key in all_fields() if key not in cls.fields]
        then: dict = {"required": list(cls.required)}
        if others:
            then["not"] = {"anyOf": [{"required": [f]} for f in others]}
        if cls.fields:
            then["properties"] = dict(cls.fields)
        return {"if": {"properties": {"type": {"const": cls.name}}, "required": ["type"]}, "then": then}

    @classmethod
    def key(cls, question: dict):
        """What decides the grading, as JSON-able data (see answer_key)."""
        return [question.get("answer"), question.get("tolerance")]

    # ------------------------------------------------------------------ answering
    @classmethod
    def presentation(cls, question: dict, rng: random.Random) -> list[int]:
        """The order in which choices are shown (indices into question['choices'])."""
        order = list(range(len(question.get("choices", []))))
        if cls.shuffles:
            rng.shuffle(order)
        return order

    @classmethod
    def parse(cls, question: dict, form) -> object:
        """A submitted form as this type's answer (JSON-able); AnswerError when it cannot be read."""
        raise NotImplementedError

    @classmethod
    def grade(cls, question: dict, answer) -> Grade:
        raise NotImplementedError

    @classmethod
    def flashcards(cls, question: dict) -> list[dict]:
        """Flashcards the question makes besides being one itself (a cloze: one per blank), as rows
        like a bank card's (id, topics, front, back, source) plus `question` (its id) and `blank`;
        the bank's import keeps them with its cards, so reviews and retiring work as for cards."""
        return []

    @classmethod
    def reviews(cls, question: dict, answer, grade: Grade) -> list[tuple[str, float, float]]:
        """The flashcards a quiz answer reviews, each as (card id, score, max score): the question
        itself, unless its type makes cards of its parts (see flashcards), which are then reviewed
        each by its own mark, so one question never counts as a card beside its own parts."""
        return [(question["id"], grade.score, grade.max_score)]

    @classmethod
    def parts(cls, question: dict, answer) -> list[dict]:
        """An answer marked part by part for feedback (a cloze's blanks: n, given, right, note,
        note_params, expected); empty for types marked as a whole."""
        return []

    # ------------------------------------------------------------------ reports and charts
    accepts_typed = False  # whether a teacher can accept, from a report, a typed answer marked wrong

    @classmethod
    def typed_key(cls, question: dict, answer) -> str | None:
        """A typed answer as the grader sees it, so that spellings it treats alike group together
        in a report; None for answers that are not typed (choices, true or false)."""
        return None

    @classmethod
    def wrong_typed(cls, question: dict, answer, described: str) -> list[tuple[str, str]]:
        """The typed answers of an attempt not fully right that a teacher may accept from the report,
        as (typed_key, the text shown and posted back to accept): the whole answer as described by
        default; a cloze's wrong blanks one by one."""
        key = cls.typed_key(question, answer)
        return [] if key is None else [(key, described)]

    @classmethod
    def accepting(cls, question: dict, answer: str, lang: str) -> tuple[tuple[str, ...], object] | None:
        """What a teacher's accepting a typed answer changes in the question's bank fields: the path
        of the field and its new value, e.g. (("answer", "zh"), [...]). None when the question
        already accepts it, so a second click changes nothing."""
        return None

    @classmethod
    def describe(cls, question: dict, answer, lang: str, gettext) -> str:
        """A stored answer as a teacher reads it in one language; `gettext` translates messages."""
        return str(answer)

    @classmethod
    def distribution(cls, question: dict, order: list[int], answers: list[tuple[object, float]]) -> list[Bar]:
        """What the class answered, as the bars of the live chart. `answers` are (parsed answer,
        grade fraction) pairs; `order` is the order the screens showed the choices in. By default:
        right, partly right (only when someone was), wrong."""
        right = sum(1 for _g, score in answers if score >= 1)
        wrong = sum(1 for _g, score in answers if score <= 0)
        bars = [Bar(right, True, message=N_("Right")), Bar(wrong, False, message=N_("Wrong"))]
        partly = len(answers) - right - wrong
        return bars[:1] + [Bar(partly, False, message=N_("Partly right"))] + bars[1:] if partly else bars

    # ------------------------------------------------------------------ presentation
    @classmethod
    def template(cls, part: str) -> str:
        """The template of one part of this type's presentation (one of TEMPLATE_PARTS):
        question (a quiz's inputs, also the teacher's preview), live (a phone's inputs and send
        button), projector (what the projector shows while a question is open), given (what a learner
        answered), expected (the right answer)."""
        return f"types/{cls.name}/{part}.html"


def choice_text(question: dict, index, lang: str) -> str:
    """One choice's text in a language, for reports; an index the question does not have shows as #n."""
    choices = question.get("choices") or []
    if isinstance(index, int) and 0 <= index < len(choices):
        return pick(choices[index]["text"], lang)
    return f"#{index}"


QUESTION_TYPES: dict[str, type[QuestionType]] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    """Add a type to the registry (as a class decorator); its name is what banks write as `type`."""
    QUESTION_TYPES[cls.name] = cls
    return cls


def all_fields() -> list[str]:
    """Every field that some type owns, in the order the types were registered."""
    return list(dict.fromkeys(key for kind in QUESTION_TYPES.values() for key in kind.fields))


def kind_of(question: dict) -> type[QuestionType]:
    return QUESTION_TYPES[question["type"]]


def grade(question: dict, form) -> tuple[object, Grade]:
    """Read and grade one submitted form for a question; raises AnswerError on unreadable input."""
    kind = kind_of(question)
    answer = kind.parse(question, form)
    return answer, kind.grade(question, answer)


def derived_cards(questions: list[dict]) -> list[dict]:
    """The flashcards a bank's questions make (see QuestionType.flashcards), in question order."""
    return [card for question in questions for card in kind_of(question).flashcards(question)]


def answer_key(question: dict) -> str:
    """What decides a question's grading, as text: two versions with different keys grade the
    same answer differently, so a teacher is warned before publishing such a change."""
    key = kind_of(question).key(question)
    return json.dumps([question["type"], key], sort_keys=True, ensure_ascii=False, default=str)
