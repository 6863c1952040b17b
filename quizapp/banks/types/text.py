"""A typed answer, right when it matches an accepted answer in either language."""

from __future__ import annotations

from quizapp.banks.types.base import SCALAR, Grade, QuestionType, first_node, one, register
from quizapp.core.messages import N_
from quizapp.core.textnorm import normalize_text


@register
class Text(QuestionType):
    name = "text"
    fields = {
        "answer": {
            "type": "object",
            "required": ["en", "zh"],
            "additionalProperties": False,
            "properties": {
                lang: {"oneOf": [SCALAR, {"type": "array", "minItems": 1, "items": SCALAR}]} for lang in ("en", "zh")
            },
        }
    }
    required = ("answer",)

    @classmethod
    def check(cls, check, fields, path, q):
        super().check(check, fields, path, q)
        answer = fields.get("answer")
        if answer is None or not isinstance(answer.value, dict):
            check.add(
                answer or first_node(fields, "prompt"),
                f"{path}.answer",
                N_("a text question needs accepted answers per language: {en: [...], zh: [...]}"),
            )
            return
        accepted = {}
        for key, item in answer.value.items():
            if key not in ("en", "zh"):
                check.add(item, f"{path}.answer.{key}", N_("unknown language %(key)s (use en and zh)"), key=repr(key))
        for lang in ("en", "zh"):
            item = answer.value.get(lang)
            values = item.value if item is not None and isinstance(item.value, list) else [item] if item else []
            texts = [
                str(v.value).strip()
                for v in values
                if v is not None and not isinstance(v.value, (dict, list, bool)) and v.value is not None
            ]
            if item is None or not texts or len(texts) != len(values) or not all(texts):
                check.add(
                    item or answer,
                    f"{path}.answer.{lang}",
                    N_("list the accepted %(lang)s answers as non-empty text"),
                    lang=lang,
                )
            accepted[lang] = texts
        q["answer"] = accepted

    @classmethod
    def parse(cls, question, form):
        return one(form, "answer").strip()

    @classmethod
    def grade(cls, question, answer):
        """Any accepted answer in any language counts: a student may answer in either."""
        given = normalize_text(answer)
        accepted = {normalize_text(a) for texts in question["answer"].values() for a in texts}
        return Grade(1.0 if given and given in accepted else 0.0)
