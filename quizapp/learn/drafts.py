"""An answer the learner has typed but not yet had marked, kept across one redirect.

Two things send a typed answer away from its page without marking it: an answer refused as malformed
("abc" for a number) and the question-language buttons. Either way the page comes back with what was
typed still there (and, when refused, why), instead of an empty form.
"""

from __future__ import annotations

from flask import session

ANSWER_FIELDS = ("answer",)  # plus every "position-<n>" of an order question and "c<n>" of a cloze
MAX_VALUES, MAX_LENGTH = 20, 200  # what a question form can hold; anything past it is not an answer


def _answer_fields(form) -> dict[str, list[str]]:
    fields = {}
    for name in form:
        numbered = (name.startswith("position-") and name[9:].isdigit()) or (name[:1] == "c" and name[1:].isdigit())
        if name in ANSWER_FIELDS or numbered:
            fields[name] = [value[:MAX_LENGTH] for value in form.getlist(name)[:MAX_VALUES]]
        if len(fields) >= MAX_VALUES:
            break
    return fields


def keep(path: str, form, error: str | None = None) -> None:
    """Remember a form's answer fields (and the reason it was refused) for the page at `path`."""
    fields = _answer_fields(form)
    if fields or error:
        session["answer_draft"] = {"path": path, "fields": fields, "error": error}


def take(path: str) -> tuple[dict[str, list[str]], str | None]:
    """The draft kept for this page, once: (fields, error). Empty when there is none."""
    draft = session.get("answer_draft")
    if not draft or draft.get("path") != path:
        return {}, None
    session.pop("answer_draft")
    return draft.get("fields") or {}, draft.get("error")
