"""What the types with choices share (choice, multi, order): reading the choices, picking one by index."""

from __future__ import annotations

import json

from quizapp.banks.media import audio_schema, image_schema
from quizapp.banks.types.base import SCALAR, AnswerError, Bar, QuestionType, choice_text, first_node
from quizapp.core.messages import N_

CHOICE = {
    "oneOf": [
        SCALAR,
        {
            "type": "object",
            "anyOf": [{"required": ["en"]}, {"required": ["zh"]}],  # both, or the bank's one language
            "additionalProperties": False,
            "properties": {
                "en": SCALAR,
                "zh": SCALAR,
                "correct": {"type": "boolean"},
                "image": image_schema(),
                "audio": audio_schema(),
            },
        },
    ]
}


class WithChoices(QuestionType):
    """A question whose answer is made of its choices, shown in a random order."""

    fields = {"choices": {"type": "array", "minItems": 2, "items": CHOICE}}
    required = ("choices",)
    shuffles = True

    @classmethod
    def check(cls, check, fields, path, q):
        super().check(check, fields, path, q)
        if "choices" not in fields:
            check.add(
                first_node(fields, "prompt"),
                path,
                N_("a %(type)s question needs choices"),
                type=repr(cls.name),
            )
            return
        items = check.list_of(fields["choices"], f"{path}.choices", 2)
        choices = []
        for i, item in enumerate(items):
            text = check.text(item, f"{path}.choices[{i}]", extra_keys={"correct", "image", "audio"})
            correct = False
            if isinstance(item.value, dict) and "correct" in item.value:
                flag = item.value["correct"]
                if not isinstance(flag.value, bool):
                    check.add(flag, f"{path}.choices[{i}].correct", N_("correct is true or false"))
                else:
                    cls.check_mark(check, flag, f"{path}.choices[{i}].correct")
                correct = flag.value is True
            choice = {"text": text, "correct": correct}
            if isinstance(item.value, dict):
                check.media.fields(check, item.value, f"{path}.choices[{i}]", choice)
            choices.append(choice)
        q["choices"] = choices
        if len(items) >= 2:
            cls.check_marks(check, fields["choices"], f"{path}.choices", sum(c["correct"] for c in choices))

    @classmethod
    def check_mark(cls, check, flag, path: str) -> None:
        """One choice's `correct` mark, already known to be true or false."""

    @classmethod
    def check_marks(cls, check, at, path: str, found: int) -> None:
        """How many choices are marked correct."""

    @classmethod
    def index(cls, question, raw: str) -> int:
        try:
            index = int(raw)
        except (TypeError, ValueError):
            raise AnswerError(N_("That is not one of the choices.")) from None
        if not 0 <= index < len(question["choices"]):
            raise AnswerError(N_("That is not one of the choices."))
        return index

    @classmethod
    def picked(cls, answer) -> list[int]:
        """The choices an answer picked."""
        return list(answer)

    @classmethod
    def key(cls, question):
        return sorted(
            json.dumps(c["text"], sort_keys=True, ensure_ascii=False) for c in question["choices"] if c["correct"]
        )

    @classmethod
    def describe(cls, question, answer, lang, gettext):
        return " + ".join(choice_text(question, i, lang) for i in cls.picked(answer))

    @classmethod
    def distribution(cls, question, order, answers):
        """One bar per choice, in the order the screens showed them, counting who picked it."""
        counts = [0] * len(question["choices"])
        for given, _score in answers:
            for index in cls.picked(given):
                counts[index] += 1
        return [Bar(counts[i], question["choices"][i]["correct"], text=question["choices"][i]["text"]) for i in order]
