"""A teacher accepts a typed answer the grader marked wrong: the bank gets it as an accepted answer
in a new version, published as a browser publish is, and past attempts with it are re-marked for
every learner (as Moodle's regrade does), all in one transaction. No Flask."""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizapp.banks import store as bankstore
from quizapp.banks.bankfile import validate_bytes
from quizapp.banks.bankpatch import PatchError, set_field
from quizapp.banks.types import kind_of
from quizapp.core.messages import N_, UserError
from quizapp.core.store import write
from quizapp.learn import answers

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Accepted:
    """What accepting changed: the bank's new version (None when it already accepted the answer)
    and how many past attempts became right."""

    version: int | None
    remarked: int


def typed_language(text: str, shown: str) -> str:
    """The bank language an answer was typed in: Chinese characters are Chinese; anything else is
    the language the question was shown in (pinyin typed in a Chinese quiz belongs with Chinese)."""
    if _HAN.search(text):
        return "zh"
    return "zh" if shown in ("zh", "zh-Hant") else "en"


def accept(db, bank_id: str, question_id: str, typed: str, shown: str, teacher_id: int) -> Accepted:
    """Add `typed` to the question's accepted answers and re-mark the attempts the grader treats
    alike. Raises UserError when the question cannot take it (the caller checks who may edit)."""
    with write(db):
        bank = bankstore.get_bank(db, bank_id)
        question = bankstore.get_question(db, bank_id, question_id)
        if bank is None or question is None or question["retired"]:
            raise UserError(N_("This question is no longer in the bank."))
        kind = kind_of(question)
        if not kind.accepts_typed:
            raise UserError(N_("Answers to this kind of question cannot be accepted here; edit the bank instead."))
        before = question  # which past answers it picks is read as the report read them
        change = kind.accepting(question, typed, typed_language(typed, shown))
        version = None
        if change is not None:
            version = _publish(db, bank, question_id, change, teacher_id)
            question = bankstore.get_question(db, bank_id, question_id)
        key = kind.typed_key(question, typed)
        remarked = answers.remark(
            db,
            bank_id,
            question_id,
            question,
            lambda given: key is not None and key in [k for k, _text in kind.wrong_typed(before, given, "")],
        )
    return Accepted(version, remarked)


def _publish(db, bank: dict, question_id: str, change, teacher_id: int) -> int:
    source = bankstore.editable_source(db, bank)
    path, value = change
    try:
        if source is None:
            raise PatchError(bank["id"])
        report = validate_bytes(set_field(source, question_id, path, value).encode("utf-8"), "bank.yaml")
    except PatchError:
        report = None
    if report is None or not report.ok or report.bank.id != bank["id"]:
        raise UserError(N_("The bank could not be changed here; add the answer in the bank editor."))
    [result] = bankstore.import_banks(db, [(report.bank, None)], origin="browser", author_id=teacher_id)
    return result.version
