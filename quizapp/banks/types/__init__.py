"""Question types: the registry and the classes live in base.py for now (one module per type next)."""

from quizapp.banks.types.base import MAX_NUMBER, QUESTION_TYPES, AnswerError, Grade, Numeric, answer_key, grade

__all__ = ["MAX_NUMBER", "QUESTION_TYPES", "AnswerError", "Grade", "Numeric", "answer_key", "grade"]
