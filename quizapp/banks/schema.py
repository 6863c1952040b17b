"""A JSON Schema (draft 2020-12) of the bank format v1, for editors' completion and checking.

It mirrors bankfile.py's rules that a schema can say (fields, types, ids, languages); each
question type (banks/types/) gives the part about its own fields;
the rest (exactly one correct choice, duplicate ids, verbatim sources) stays with
`quizapp banks validate`, which is the authority.
"""

from __future__ import annotations

from quizapp.banks.media import audio_schema, image_schema
from quizapp.banks.types import QUESTION_TYPES, all_fields
from quizapp.banks.types.base import SCALAR
from quizapp.banks.types.choices import CHOICE

# `(?!\n)$`: in Python's re (as jsonschema uses it) `$` also matches before a final newline.
ID = {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*(?!\n)$"}
TEXT = {
    "description": "{en: ..., zh: ...} (or the one language the bank declares) or one value meaning the same in every language",
    "oneOf": [
        SCALAR,
        {
            "type": "object",
            "anyOf": [{"required": ["en"]}, {"required": ["zh"]}],  # both, or the bank's one language
            "additionalProperties": False,
            "properties": {"en": SCALAR, "zh": SCALAR},
        },
    ],
}
# A card side: its text, and (in the same mapping) a picture and a clip.
SIDE = {
    "description": "like a text, and a mapping may also hold image and audio",
    "oneOf": [
        SCALAR,
        {
            "type": "object",
            "anyOf": [{"required": ["en"]}, {"required": ["zh"]}],
            "additionalProperties": False,
            "properties": {"en": SCALAR, "zh": SCALAR, "image": image_schema(), "audio": audio_schema()},
        },
    ],
}
TOPICS = {"oneOf": [ID, {"type": "array", "items": ID}]}
__all__ = ["CHOICE", "ID", "SCALAR", "TEXT", "TOPICS", "bank_schema"]


def bank_schema() -> dict:
    """The schema of the format; each question type gives the part about its own fields."""
    question = {
        "type": "object",
        "required": ["id", "type", "prompt"],
        "additionalProperties": False,
        "properties": {
            "id": ID,
            "type": {"enum": list(QUESTION_TYPES)},
            "topic": TOPICS,
            "difficulty": {"enum": [1, 2, 3]},
            "prompt": TEXT,
            "image": image_schema(),
            "audio": audio_schema(),
            **{key: {} for key in all_fields()},  # what each field holds depends on the type: see allOf
            "explanation": TEXT,
            "source": {"type": "string", "minLength": 1, "description": "a verbatim sentence or phrase of the article"},
        },
        "allOf": [kind.schema() for kind in QUESTION_TYPES.values()],
    }
    card = {
        "type": "object",
        "required": ["id", "front", "back"],
        "additionalProperties": False,
        "properties": {
            "id": ID,
            "front": SIDE,
            "back": SIDE,
            "topic": TOPICS,
            "source": {"type": "string", "minLength": 1},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://quizapp.invalid/schemas/bank-v1.json",
        "title": "quizapp question bank, format v1",
        "description": "See docs/question-format.md. `quizapp banks validate` checks what a schema cannot.",
        "type": "object",
        "required": ["bank", "title"],
        "anyOf": [{"required": ["questions"]}, {"required": ["cards"]}],  # a deck may be cards only
        "additionalProperties": False,
        "properties": {
            "bank": ID,
            "languages": {
                "description": "the languages of every text in the bank; both unless it says otherwise",
                "type": "array",
                "minItems": 1,
                "uniqueItems": True,
                "items": {"enum": ["en", "zh"]},
            },
            "title": TEXT,
            "description": TEXT,
            "content_note": TEXT,
            "topics": {"type": "object", "propertyNames": ID, "additionalProperties": TEXT},
            "readings": {
                "description": "corrections of the pinyin shown over Chinese text: phrase -> pinyin with tone marks, "
                "one syllable per character, separated by spaces, e.g. 吕频: Lǚ Pín",
                "type": "object",
                "propertyNames": {"pattern": "^[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$"},
                "additionalProperties": {"type": "string", "minLength": 1},
            },
            "questions": {"type": "array", "minItems": 1, "items": question},
            "cards": {"type": "array", "items": card},
        },
    }
