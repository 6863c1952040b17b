"""Anki .apkg export with genanki: our bilingual note type, both directions, GUIDs from bank/id; cloze
questions as notes of our bilingual cloze note type (one Anki card per blank number, as Anki's own Cloze).
A question's or card side's picture and clips go into its fields as Anki writes them (`<img src>`,
`[sound:]`) and their files into the package under their own names."""

from __future__ import annotations

import hashlib
import html
import json
import os
import tempfile
from pathlib import Path, PurePosixPath

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


def _anki_names(media: dict[str, bytes]) -> dict[str, str]:
    """The name each of the bank's files has in the package: Anki keeps media in one flat folder,
    so media/x.png is x.png (and a second x.png from another folder is named after its path)."""
    names: dict[str, str] = {}
    for path in sorted(media):
        name = PurePosixPath(path).name
        if name in names.values():
            name = path.replace("/", "-")
        names[path] = name
    return names


def _media_html(value: dict | None, names: dict[str, str]) -> dict[str, str]:
    """The `<img>` and `[sound:]` of one question or card side, per language field."""
    if not isinstance(value, dict):
        return {}
    out = {"en": "", "zh": ""}
    image = value.get("image")
    if isinstance(image, dict) and image.get("path") in names:
        alt = texts(image.get("alt"))
        for lang in out:
            tag = f'<img src="{html.escape(names[image["path"]])}" alt="{html.escape(alt.get(lang, ""))}">'
            out[lang] += "<br>" + tag
    for lang, clip in (value.get("audio") or {}).items():
        if lang in out and isinstance(clip, dict) and clip.get("path") in names:
            out[lang] += f" [sound:{names[clip['path']]}]"
    return out


def write(bank: dict, media: dict[str, bytes] | None = None) -> bytes:
    """An .apkg of the bank: one note per question and card in a bilingual note type with both
    directions, GUID from bank/id (a second export updates the notes), tags = bank and topics.
    `media` (the path the YAML names -> the file's bytes) go into the package and its fields."""
    import genanki

    media = media or {}
    names = _anki_names(media)

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
        shown = _media_html(item if "type" in item else item.get("front"), names)
        behind = _media_html(item.get("back"), names)
        why = texts(item["explanation"]) if item.get("explanation") else {}
        topics = item.get("topic") or []
        topics = [topics] if isinstance(topics, str) else list(topics)
        if item.get("type") == "cloze":  # the prompt is already written as Anki writes a cloze
            fields = [item["id"], *(_html(t.get(lang, "")) for t in (front, why) for lang in ("en", "zh"))]
            fields[1] += shown.get("en", "") if front.get("en") else ""
            fields[2] += shown.get("zh", "") if front.get("zh") else ""
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
            _html(front.get("en", "")) + (shown.get("en", "") if front.get("en") else ""),
            _html(front.get("zh", "")) + (shown.get("zh", "") if front.get("zh") else ""),
            _html(back.get("en", "")) + (behind.get("en", "") if back.get("en") else ""),
            _html(back.get("zh", "")) + (behind.get("zh", "") if back.get("zh") else ""),
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
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for path, name in names.items():  # genanki names each file in the package by its base name
            (Path(folder) / name).write_bytes(media[path])
            files.append(str(Path(folder) / name))
        handle, path = tempfile.mkstemp(suffix=".apkg")
        os.close(handle)
        try:
            genanki.Package(deck, media_files=files).write_to_file(path)
            with open(path, "rb") as f:
                return f.read()
        finally:
            os.unlink(path)
