"""Rows of fields (a Quizlet or Anki text file, a spreadsheet, Anki notes) to flashcards, by the
role the teacher gave each column: en, zh, pinyin, back (a definition in the bank's one
language), topics, guid or skip. Guessed from the content first; the preview corrects it."""

from __future__ import annotations

import hashlib

from quizapp.core.messages import N_
from quizapp.interchange.common import Draft, Note, is_chinese, is_pinyin, slug, unique_id
from quizapp.interchange.sanitize import defuse

ROLES = ("en", "zh", "pinyin", "back", "topics", "guid", "skip")


def guess_roles(rows: list[list[str]], names: list[str] | None = None) -> list[str]:
    """Which column is which, from names (`#columns:`) when they say, else from the text: the column
    mostly in Chinese characters is zh, Latin with tone marks is pinyin, the first other one en."""
    width = max((len(r) for r in rows), default=0)
    roles: list[str] = []
    for i in range(width):
        name = (names[i] if names and i < len(names) else "").strip().lower()
        cells = [r[i] for r in rows[:200] if i < len(r) and r[i].strip()]
        if name in ("tags", "tag", "topics"):
            roles.append("topics")
        elif name in ("guid", "id"):
            roles.append("guid")
        elif name == "pinyin" or (cells and sum(map(is_pinyin, cells)) > len(cells) / 2):
            roles.append("pinyin")
        elif cells and sum(map(is_chinese, cells)) > len(cells) / 2:
            roles.append("zh" if "zh" not in roles else "back")
        elif cells:
            roles.append("en" if "en" not in roles else "back")
        else:
            roles.append("skip")
    if "en" in roles and "zh" in roles:  # a bilingual pair: a third text column has no place
        roles = ["skip" if r == "back" else r for r in roles]
    return roles


def _card_id(text: str, used: set[str]) -> str:
    wanted = slug(text, "")
    if len(wanted) < 3:  # Chinese or symbols: a short stable digest of the text, so a re-import matches
        wanted = "c-" + hashlib.sha1(text.encode()).hexdigest()[:8]
    return unique_id(wanted, used)


def guid_id(guid: str, used: set[str]) -> str:
    """Our id for an Anki note's GUID: stable, so a second import of the deck updates its cards."""
    return unique_id("anki-" + hashlib.sha1(guid.encode()).hexdigest()[:12], used)


def build(rows: list[tuple[int, list[str]]], roles: list[str], bank_id: str, title: str, draft: Draft) -> None:
    """Fill draft.bank with one card per row; a row without the text its card needs is skipped
    with its line number."""
    has = set(roles)
    if "en" in has and "zh" in has:
        languages = ["en", "zh"]
    elif ("en" in has or "zh" in has) and "back" in has:
        languages = ["en" if "en" in has else "zh"]
    else:
        raise_roles(roles)
    cards, used = [], set()
    for line, row in rows:
        cell = {role: defuse(row[i].strip() if i < len(row) else "") for i, role in enumerate(roles) if role != "skip"}
        wanted = [r for r in ("en", "zh", "back") if r in has]
        missing = [r for r in wanted if not cell.get(r)]
        if missing:
            draft.skipped.append(
                Note(line, N_("no %(column)s text in this row, so it was left out"), {"column": missing[0]})
            )
            continue
        if len(languages) == 2:
            zh_back = cell["zh"] + (f" ({cell['pinyin']})" if cell.get("pinyin") else "")
            front, back = {"en": cell["en"], "zh": cell["zh"]}, {"en": zh_back, "zh": cell["en"]}
        else:
            lang = languages[0]
            back_text = cell["back"] + (f" ({cell['pinyin']})" if cell.get("pinyin") else "")
            front, back = {lang: cell[lang]}, {lang: back_text}
        card_id = guid_id(cell["guid"], used) if cell.get("guid") else _card_id(front[languages[0]], used)
        card = {"id": card_id, "front": front, "back": back}
        topics = [slug(t, "") for t in cell.get("topics", "").replace(",", " ").split()]
        if [t for t in topics if t]:
            card["topic"] = list(dict.fromkeys(t for t in topics if t))
        cards.append(card)
        draft.lines[card_id] = line
    if not cards:
        from quizapp.interchange.common import FormatError

        raise FormatError(N_("no row has the texts a card needs; check the separators and the columns"))
    draft.bank.update(bank=bank_id, languages=languages, title={lang: title for lang in languages}, cards=cards)


def raise_roles(roles) -> None:
    from quizapp.interchange.common import FormatError

    raise FormatError(
        N_(
            "choose which column is English and which Chinese (or one language and its back): "
            "the columns are now %(roles)s"
        ),
        roles=", ".join(roles) or "-",
    )
