"""Anki .apkg export with genanki: our bilingual note type, both directions, GUIDs from bank/id; cloze
questions as notes of our bilingual cloze note type (one Anki card per blank number, as Anki's own Cloze)."""

from __future__ import annotations

import hashlib
import html
import json
import os
import tempfile

from quizapp.interchange.common import texts
from quizapp.interchange.flat import answer_text

MODEL_ID = 1607392319  # our note type's id: fixed, so every export updates the same note type in Anki
CLOZE_MODEL_ID = 1607392320  # our cloze note type's id, fixed likewise
CLOZE_FIELDS = ["ID", "English", "Chinese", "Explanation (en)", "Explanation (zh)", "Source", "quizapp"]
FIELDS = [
    "ID",
    "English",
    "Chinese",
    "Answer (en)",
    "Answer (zh)",
    "Explanation (en)",
    "Explanation (zh)",
    "Source",
    "quizapp",
]


def _html(text) -> str:
    return html.escape(str(text), quote=False).replace("\n", "<br>")


def write(bank: dict) -> bytes:
    """An .apkg of the bank: one note per question and card in a bilingual note type with both
    directions, GUID from bank/id (a second export updates the notes), tags = bank and topics."""
    import genanki

    model = genanki.Model(
        MODEL_ID,
        "quizapp (bilingual)",
        fields=[{"name": n} for n in FIELDS],
        templates=[
            {
                "name": "English → Chinese",
                "qfmt": "{{#English}}<div lang=en>{{English}}</div>{{/English}}",
                "afmt": "{{FrontSide}}<hr id=answer><div lang=zh>{{Chinese}}</div>"
                "<p>{{Answer (en)}}</p><p lang=zh>{{Answer (zh)}}</p><p>{{Explanation (en)}}</p>"
                "<p lang=zh>{{Explanation (zh)}}</p>{{#Source}}<blockquote>{{Source}}</blockquote>{{/Source}}",
            },
            {
                "name": "Chinese → English",
                "qfmt": "{{#Chinese}}<div lang=zh>{{Chinese}}</div>{{/Chinese}}",
                "afmt": "{{FrontSide}}<hr id=answer><div lang=en>{{English}}</div>"
                "<p lang=zh>{{Answer (zh)}}</p><p>{{Answer (en)}}</p><p lang=zh>{{Explanation (zh)}}</p>"
                "<p>{{Explanation (en)}}</p>{{#Source}}<blockquote>{{Source}}</blockquote>{{/Source}}",
            },
        ],
    )
    # Anki's cloze: a card per blank number over both languages' texts, the same number hidden in each.
    cloze_model = genanki.Model(
        CLOZE_MODEL_ID,
        "quizapp (bilingual cloze)",
        fields=[{"name": n} for n in CLOZE_FIELDS],
        templates=[
            {
                "name": "Cloze",
                "qfmt": "{{#English}}<div lang=en>{{cloze:English}}</div>{{/English}}"
                "{{#Chinese}}<div lang=zh>{{cloze:Chinese}}</div>{{/Chinese}}",
                "afmt": "{{#English}}<div lang=en>{{cloze:English}}</div>{{/English}}"
                "{{#Chinese}}<div lang=zh>{{cloze:Chinese}}</div>{{/Chinese}}"
                "<p>{{Explanation (en)}}</p><p lang=zh>{{Explanation (zh)}}</p>"
                "{{#Source}}<blockquote>{{Source}}</blockquote>{{/Source}}",
            }
        ],
        model_type=genanki.Model.CLOZE,
    )
    deck_id = int(hashlib.sha1(bank["bank"].encode()).hexdigest()[:8], 16)
    title = texts(bank["title"])
    deck = genanki.Deck(deck_id, " / ".join(dict.fromkeys(title.values())))
    for item in (bank.get("questions") or []) + (bank.get("cards") or []):
        front = texts(item.get("prompt") or item.get("front"))
        why = texts(item["explanation"]) if item.get("explanation") else {}
        topics = item.get("topic") or []
        topics = [topics] if isinstance(topics, str) else list(topics)
        if item.get("type") == "cloze":  # the prompt is already written as Anki writes a cloze
            fields = [item["id"], *(_html(t.get(lang, "")) for t in (front, why) for lang in ("en", "zh"))]
            fields += [_html(item.get("source", "")), _html(json.dumps(item, ensure_ascii=False))]
            guid = genanki.guid_for(bank["bank"], item["id"])
            deck.add_note(genanki.Note(model=cloze_model, fields=fields, guid=guid, tags=[bank["bank"], *topics]))
            continue
        if "type" in item:
            back = {lang: answer_text(item, lang) for lang in ("en", "zh") if lang in front}
        else:
            back = texts(item["back"])
        fields = [
            item["id"],
            _html(front.get("en", "")),
            _html(front.get("zh", "")),
            _html(back.get("en", "")),
            _html(back.get("zh", "")),
            _html(why.get("en", "")),
            _html(why.get("zh", "")),
            _html(item.get("source", "")),
            _html(json.dumps(item, ensure_ascii=False)),
        ]
        deck.add_note(
            genanki.Note(
                model=model,
                fields=fields,
                guid=genanki.guid_for(bank["bank"], item["id"]),
                tags=[bank["bank"], *topics],
            )
        )
    handle, path = tempfile.mkstemp(suffix=".apkg")
    os.close(handle)
    try:
        genanki.Package(deck).write_to_file(path)
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)
