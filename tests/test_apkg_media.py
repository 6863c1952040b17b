"""Anki packages carry their pictures and sound both ways: an .apkg's media become the bank's image
and audio (checked as every upload is, stored by hash), and our export puts them back in the package."""

from __future__ import annotations

import hashlib
import html as html_module
import io
import json
import re
import sqlite3
import zipfile

import pytest
import yaml

from quizapp import interchange
from quizapp.core import mediacheck
from quizapp.interchange import apkg
from quizapp.interchange.files import convert, load

from .interchange_files import BASIC, legacy_collection, modern_collection, package
from .media_files import mp3, png

PICTURE, CLIP = png(40, 30), mp3(0.5)
FAKE = b"<!doctype html><html><script>alert(1)</script></html>"
MEDIA_NOTES = [
    ("apple-guid", BASIC, "fruit", ["苹果 [sound:apple.mp3]", "píngguǒ", 'apple <img src="apple.png">']),
    ("book-guid", BASIC, "", ["书", "shū", 'book <img src="fake.png">']),
]
FILES = {"apple.png": PICTURE, "apple.mp3": CLIP, "fake.png": FAKE}


def deck(modern: bool) -> bytes:
    collection = (modern_collection if modern else legacy_collection)(MEDIA_NOTES)
    return package(collection, modern, media=tuple(FILES), contents=FILES)


def imported(data: bytes, name: str = "fruit.apkg"):
    draft = interchange.read(data, name)
    report = interchange.checked(draft, name)
    assert report.ok, report.lines()
    return draft, report.bank


@pytest.mark.parametrize("modern", [False, True], ids=["legacy-anki2", "anki21b"])
def test_an_apkgs_picture_and_clip_become_the_cards_and_a_false_picture_is_skipped(modern):
    draft, bank = imported(deck(modern))
    apple, book = bank.cards
    picture = mediacheck.check_image(PICTURE, "apple.png")
    clip = mediacheck.check_audio(CLIP, "apple.mp3")
    # The picture's alt is the card's front, the word it illustrates, in each language.
    assert apple["front"]["image"] == {
        "file": f"{picture.sha256}.png",
        "alt": {"en": "apple", "zh": "苹果"},
        "width": 40,
        "height": 30,
    }
    # The clip sits in the Chinese (Hanzi) field: a Chinese clip, its transcript that field's text.
    assert apple["front"]["audio"] == {"zh": {"file": f"{clip.sha256}.mp3", "transcript": "苹果"}}
    assert apple["front"]["zh"] == "苹果"  # [sound:apple.mp3] is not text
    assert set(bank.media) == {"media/apple.png", "media/apple.mp3"}
    assert "image" not in book["front"] and "image" not in book["back"]
    # The HTML named .png is refused by its content, as an upload would be, and listed by name.
    assert [n.text() for n in draft.skipped] == [
        "fake.png is neither a picture (PNG, JPEG, WebP, GIF) nor a sound clip (MP3, OGG, M4A, WAV)"
    ]
    assert "path: media/apple.png" in draft.yaml() and "fake" not in draft.yaml()


def test_more_media_files_than_the_cap_are_not_read(monkeypatch):
    monkeypatch.setattr(apkg, "MAX_MEDIA", 1)
    draft = interchange.read(deck(False), "fruit.apkg")
    notes = [n.text() for n in draft.skipped]
    assert "the package holds 3 media files; only the first 1 are read" in notes
    assert list(draft.media) == ["media/apple.png"]  # apple.mp3, past the cap, is not read
    assert any(n.startswith("apple.mp3 is named by a note but is not in the package") for n in notes)


def test_the_export_carries_the_files_and_a_round_trip_keeps_them(tmp_path):
    source = tmp_path / "fruit.apkg"
    source.write_bytes(deck(True))
    first, notes = load(source)
    assert first.ok, first.lines()
    media = {path: found.data for path, found in first.bank.media.items()}
    data, left = interchange.write(yaml.safe_load(first.bank.source), "apkg", "en", media)
    assert left == []  # an Anki package leaves no picture or clip out
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = json.loads(archive.read("media"))
    assert sorted(names.values()) == ["apple.mp3", "apple.png"]
    by_name = {name: archive.read(member) for member, name in names.items()}
    assert hashlib.sha256(by_name["apple.png"]).hexdigest() == first.bank.media["media/apple.png"].sha256
    collection = tmp_path / "c.anki2"
    collection.write_bytes(archive.read("collection.anki2"))
    fields = [r[0] for r in sqlite3.connect(collection).execute("SELECT flds FROM notes")]
    apple = next(f for f in fields if "apple" in f)
    assert '<img src="apple.png"' in apple and "[sound:apple.mp3]" in apple
    # .apkg -> bank -> .apkg -> bank: the same cards, pictures and clips.
    again_path = tmp_path / "again.apkg"
    again_path.write_bytes(data)
    again, _notes = load(again_path)
    assert again.ok, again.lines()
    assert again.bank.cards == first.bank.cards
    assert {p: f.sha256 for p, f in again.bank.media.items()} == {p: f.sha256 for p, f in first.bank.media.items()}


def test_convert_writes_an_apkgs_media_into_a_bank_zip(tmp_path):
    source = tmp_path / "fruit.apkg"
    source.write_bytes(deck(False))
    report, notes = convert(source, tmp_path / "fruit.zip")
    assert report.ok and any("fake.png" in n for n in notes)
    names = zipfile.ZipFile(tmp_path / "fruit.zip").namelist()
    assert sorted(names) == ["hsk-1.yaml", "media/apple.mp3", "media/apple.png"]
    back, _ = load(tmp_path / "fruit.zip")
    assert back.ok and back.bank.cards == report.bank.cards


def test_the_import_page_previews_the_picture_and_serves_it(app, teacher):
    response = teacher.post(
        "/teach/banks/import",
        data={"upload": (io.BytesIO(deck(False)), "fruit.apkg")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:2000]
    picture = mediacheck.check_image(PICTURE, "apple.png")
    assert re.search(rf'<img[^>]+src="/media/{picture.sha256}\.png"', page)
    assert "fake.png" in page  # listed in what was skipped
    served = teacher.get(f"/media/{picture.sha256}.png")
    assert served.status_code == 200 and served.mimetype == "image/png"
    source = re.search(r'<input id="source" name="source" type="hidden" value="([^"]*)"', page).group(1)
    published = teacher.post("/teach/banks/publish", data={"source": html_module.unescape(source)})
    assert published.status_code == 302
    export = teacher.get("/teach/banks/hsk-1/export/apkg")
    assert export.status_code == 200
    names = json.loads(zipfile.ZipFile(io.BytesIO(export.data)).read("media"))
    assert sorted(names.values()) == ["apple.mp3", "apple.png"]


def test_a_quizapp_note_naming_a_path_out_of_the_bank_loses_that_picture_only():
    draft = interchange.Draft({})
    media = apkg._Media(zipfile.ZipFile(io.BytesIO(deck(False))), False, draft)
    item = {
        "id": "q",
        "front": {"en": "apple", "image": {"path": "../apple.png", "alt": "a"}},
        "back": {"en": "苹果", "image": {"path": "pictures/apple.png", "alt": "a"}},
    }
    apkg._own_media(item, media)
    assert "image" not in item["front"]  # a path that climbs out is refused, listed, and dropped
    assert item["back"]["image"]["path"] == "pictures/apple.png" and list(draft.media) == ["pictures/apple.png"]
    assert [n.text() for n in draft.skipped] == [
        "../apple.png climbs out of the bank's folder: keep media beside the bank"
    ]


def test_banks_import_stores_an_apkgs_picture_and_clip(app, tmp_path):
    from quizapp.banks import mediastore
    from quizapp.core.store import connect

    from .test_interchange import _cli

    source = tmp_path / "fruit.apkg"
    source.write_bytes(deck(True))
    result = _cli(app).invoke(args=["banks", "import", str(source)])
    assert result.exit_code == 0, result.output
    assert "fake.png is neither a picture" in result.output and "hsk-1: version 1: 2 added" in result.output
    db = connect(app.config["DATABASE"])
    try:
        files = mediastore.version_files(db, "hsk-1")
        assert sorted(files) == ["media/apple.mp3", "media/apple.png"]
        assert files["media/apple.png"] == f"{mediacheck.check_image(PICTURE, 'apple.png').sha256}.png"
        assert mediastore.read(db, files["media/apple.mp3"]) is not None
    finally:
        db.conn.close()
