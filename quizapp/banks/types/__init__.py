"""Question types: the registry (base.py) and one module per type, each owning all of its type.

Importing this package registers the built-in types, in the order banks' messages list them.
"""

from quizapp.banks.types import choice, cloze, multi, numeric, order, text, true_false  # noqa: F401 - registers them
from quizapp.banks.types.base import (
    MAX_NUMBER,
    QUESTION_TYPES,
    TEMPLATE_PARTS,
    AnswerError,
    Bar,
    Grade,
    QuestionType,
    all_fields,
    answer_key,
    derived_cards,
    grade,
    kind_of,
    register,
)
from quizapp.banks.types.numeric import Numeric

__all__ = [
    "MAX_NUMBER",
    "QUESTION_TYPES",
    "TEMPLATE_PARTS",
    "AnswerError",
    "Bar",
    "Grade",
    "Numeric",
    "QuestionType",
    "all_fields",
    "answer_key",
    "derived_cards",
    "grade",
    "kind_of",
    "register",
]
