"""A typed answer, right when it matches an accepted answer in either language (see core.textmatch)."""

from __future__ import annotations

from quizapp.banks.types.base import NOTES, SCALAR, Grade, QuestionType, first_node, one, register
from quizapp.core import textmatch
from quizapp.core.messages import N_


@register
class Text(QuestionType):
    name = "text"
    label = N_("Typed answer")
    fields = {
        "answer": {
            "type": "object",
            "anyOf": [{"required": ["en"]}, {"required": ["zh"]}],  # both, or the one language the bank declares
            "additionalProperties": False,
            "properties": {
                lang: {"oneOf": [SCALAR, {"type": "array", "minItems": 1, "items": SCALAR}]} for lang in ("en", "zh")
            },
        },
        "pinyin": {"type": "boolean"},  # whether pinyin typed for a Chinese answer counts
    }
    required = ("answer",)
    accepts_typed = True

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
            if key not in check.languages:
                check.add(
                    item,
                    f"{path}.answer.{key}",
                    N_("unknown language %(key)s (use %(languages)s)"),
                    key=repr(key),
                    languages=" and ".join(check.languages),
                )
        for lang in check.languages:  # the bank's declared languages (both unless it says otherwise)
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
        pinyin = fields.get("pinyin")
        if pinyin is not None and not isinstance(pinyin.value, bool):
            check.add(
                pinyin, f"{path}.pinyin", N_("pinyin is true or false (got %(value)s)"), value=repr(pinyin.value)[:40]
            )
        if pinyin is not None and pinyin.value is True:
            q["pinyin"] = True

    @classmethod
    def key(cls, question):
        """Whether pinyin counts decides the grading too."""
        return [*super().key(question), "pinyin"] if question.get("pinyin") else super().key(question)

    @classmethod
    def parse(cls, question, form):
        return one(form, "answer").strip()

    @classmethod
    def grade(cls, question, answer):
        """Any accepted answer in any language counts: a student may answer in either. One read
        otherwise than as written (a slip of the keys, pinyin) carries a note saying how."""
        found = textmatch.match(answer, question["answer"], pinyin=question.get("pinyin", False))
        if not found.accepted:
            return Grade(0.0)
        if found.how:
            return Grade(1.0, note=NOTES[found.how], note_params=(("answer", found.answer),))
        return Grade(1.0)

    @classmethod
    def typed_key(cls, question, answer):
        """The form the grader compares (textmatch.key): `LvPin` and `Lv Pin` group together."""
        return textmatch.key(answer) if isinstance(answer, str) else None

    @classmethod
    def accepting(cls, question, answer, lang):
        """One more accepted answer in the language it was typed."""
        if cls.grade(question, answer).correct:
            return None
        if lang not in question["answer"]:  # a one-language bank: its accepted answers are in that language
            lang = next(iter(question["answer"]))
        return ("answer", lang), [*question["answer"][lang], answer.strip()]
