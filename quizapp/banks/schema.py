"""A JSON Schema (draft 2020-12) of the bank format v1, for editors' completion and checking.

It mirrors banks.py's rules that a schema can say (fields, types, ids, languages);
the rest (exactly one correct choice, duplicate ids, verbatim sources) stays with
`quizapp banks validate`, which is the authority.
"""

from __future__ import annotations

from quizapp.banks.types import MAX_NUMBER as LIMIT

# `(?!\n)$`: in Python's re (as jsonschema uses it) `$` also matches before a final newline.
ID = {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*(?!\n)$"}
SCALAR = {"type": ["string", "number"], "minLength": 1}
TEXT = {
    "description": "{en: ..., zh: ...} or one value meaning the same in every language",
    "oneOf": [
        SCALAR,
        {
            "type": "object",
            "required": ["en", "zh"],
            "additionalProperties": False,
            "properties": {"en": SCALAR, "zh": SCALAR},
        },
    ],
}
CHOICE = {
    "oneOf": [
        SCALAR,
        {
            "type": "object",
            "required": ["en", "zh"],
            "additionalProperties": False,
            "properties": {"en": SCALAR, "zh": SCALAR, "correct": {"type": "boolean"}},
        },
    ]
}
TOPICS = {"oneOf": [ID, {"type": "array", "items": ID}]}


def _when(kind: str, required: list[str], forbidden: list[str]) -> dict:
    return {
        "if": {"properties": {"type": {"const": kind}}, "required": ["type"]},
        "then": {"required": required, "not": {"anyOf": [{"required": [f]} for f in forbidden]}},
    }


def bank_schema() -> dict:
    question = {
        "type": "object",
        "required": ["id", "type", "prompt", "explanation", "source"],
        "additionalProperties": False,
        "properties": {
            "id": ID,
            "type": {"enum": ["choice", "multi", "true_false", "numeric", "text", "order"]},
            "topic": TOPICS,
            "difficulty": {"enum": [1, 2, 3]},
            "prompt": TEXT,
            "choices": {"type": "array", "minItems": 2, "items": CHOICE},
            "answer": {},
            "tolerance": {"type": "number", "minimum": 0, "maximum": LIMIT},
            "explanation": TEXT,
            "source": {"type": "string", "minLength": 1, "description": "a verbatim sentence or phrase of the article"},
        },
        "allOf": [
            _when("choice", ["choices"], ["answer", "tolerance"]),
            _when("multi", ["choices"], ["answer", "tolerance"]),
            _when("order", ["choices"], ["answer", "tolerance"]),
            _when("true_false", ["answer"], ["choices", "tolerance"]),
            _when("numeric", ["answer"], ["choices"]),
            _when("text", ["answer"], ["choices", "tolerance"]),
            {
                "if": {"properties": {"type": {"const": "true_false"}}, "required": ["type"]},
                "then": {"properties": {"answer": {"type": "boolean"}}},
            },
            {
                "if": {"properties": {"type": {"const": "numeric"}}, "required": ["type"]},
                "then": {"properties": {"answer": {"type": "number", "minimum": -LIMIT, "maximum": LIMIT}}},
            },
            {
                "if": {"properties": {"type": {"const": "text"}}, "required": ["type"]},
                "then": {
                    "properties": {
                        "answer": {
                            "type": "object",
                            "required": ["en", "zh"],
                            "additionalProperties": False,
                            "properties": {
                                lang: {"oneOf": [SCALAR, {"type": "array", "minItems": 1, "items": SCALAR}]}
                                for lang in ("en", "zh")
                            },
                        }
                    }
                },
            },
        ],
    }
    card = {
        "type": "object",
        "required": ["id", "front", "back"],
        "additionalProperties": False,
        "properties": {
            "id": ID,
            "front": TEXT,
            "back": TEXT,
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
        "required": ["bank", "title", "questions"],
        "additionalProperties": False,
        "properties": {
            "bank": ID,
            "title": TEXT,
            "description": TEXT,
            "content_note": TEXT,
            "topics": {"type": "object", "propertyNames": ID, "additionalProperties": TEXT},
            "questions": {"type": "array", "minItems": 1, "items": question},
            "cards": {"type": "array", "items": card},
        },
    }
