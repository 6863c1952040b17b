"""The teachers' import pages (upload or paste -> what was read -> preview -> publish) and exports."""

from __future__ import annotations

import html as html_module
import io
import re
import zipfile
from pathlib import Path

import openpyxl

from quizapp.core.store import connect

from .helpers import mine, publish
from .interchange_files import NOTES, legacy_collection, package

FILES = Path(__file__).resolve().parent / "data" / "interchange"


def upload(client, data: bytes, name: str, **form):
    return client.post(
        "/teach/banks/import", data={"upload": (io.BytesIO(data), name), **form}, content_type="multipart/form-data"
    )


def banks(app) -> list[str]:
    db = connect(app.config["DATABASE"])
    try:
        return [r[0] for r in db.execute("SELECT id FROM banks ORDER BY id")]
    finally:
        db.conn.close()


def test_an_anki_deck_is_read_previewed_and_published(app, teacher):
    page = upload(teacher, package(legacy_collection(NOTES), False), "hsk.apkg")
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html[:2000]
    assert "Anki note type Basic (Chinese): which field is which" in html
    assert re.search(r'<select id="role-0-1" name="role-0-1">.*?<option value="pinyin" selected>', html, re.S)
    assert "1 media files no note names were left out: dog.jpg" in html  # and x.png, named, is not there
    assert "x.png is named by a note but is not in the package, so it was left out" in html
    assert "Publishing creates the new bank hsk-1." in html
    assert "<script>alert" not in html
    source = re.search(r'<input id="source" name="source" type="hidden" value="([^"]*)"', html).group(1)
    assert "hsk-1" not in banks(app)
    editor = teacher.get("/teach/banks/draft/edit?bank=hsk-1").get_data(as_text=True)  # "Edit the YAML first"
    assert "/teach/banks/draft/edit?bank=hsk-1" in html and "bank: hsk-1" in editor
    response = teacher.post(
        "/teach/banks/publish",
        data={"source": html_module.unescape(source)},
    )
    assert response.status_code == 302 and "hsk-1" in banks(app)


def test_a_wrong_separator_is_corrected_without_uploading_again(app, teacher):
    text = "hello = 你好\ngoodbye = 再见\n".encode()
    first = upload(teacher, text, "set.txt")
    html = first.get_data(as_text=True)
    assert first.status_code == 422 and "choose which column is English" in html
    kept = re.search(r'name="kept" type="hidden" value="([0-9a-f]{64})"', html).group(1)
    second = teacher.post("/teach/banks/import", data={"kept": kept, "name": "set.txt", "separator": " = "})
    html = second.get_data(as_text=True)
    assert second.status_code == 200, html[:3000]
    assert "hello" in html and "你好" in html and "Publishing creates the new bank set." in html
    # the choices are buttons' work: a column's role changes when the form is sent again
    third = teacher.post(
        "/teach/banks/import",
        data={"kept": kept, "name": "set.txt", "separator": " = ", "role-0": "zh", "role-1": "en"},
    )
    assert '<option value="zh" selected>' in third.get_data(as_text=True)


def test_another_teacher_cannot_use_a_kept_upload(app, teacher):
    from .helpers import make_teacher

    html = upload(teacher, (FILES / "quizlet-tab.txt").read_bytes(), "quizlet-tab.txt").get_data(as_text=True)
    kept = re.search(r'name="kept" type="hidden" value="([0-9a-f]{64})"', html).group(1)
    other = make_teacher(app, app.test_client(), "teacher2")
    response = other.post("/teach/banks/import", data={"kept": kept, "name": "quizlet-tab.txt"})
    assert response.status_code == 422 and "Choose a file or paste the text" in response.get_data(as_text=True)


def test_pasted_gift_is_read(app, teacher):
    response = teacher.post(
        "/teach/banks/import", data={"paste": "::q1::Is water wet?{T}\n\n::q2::2+2?{#4}\n", "bank": "pasted-gift"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Publishing creates the new bank pasted-gift." in html


def test_bad_files_get_a_clear_message_and_change_nothing(app, teacher):
    before = banks(app)
    broken = upload(teacher, b"::a::First?{=yes ~no}\n\n::b::Second?{=yes ~no\n", "quiz.gift")
    assert broken.status_code == 422
    assert "quiz.gift, line 3: a { opens the answers here and is never closed with }" in broken.get_data(as_text=True)
    evil = b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz>&x;</quiz>'
    assert "declares a document type or entities" in upload(teacher, evil, "evil.xml").get_data(as_text=True)
    fake = io.BytesIO()
    with zipfile.ZipFile(fake, "w") as z:
        z.writestr("collection.anki2", b"not a database")
    assert "is not an SQLite database" in upload(teacher, fake.getvalue(), "deck.apkg").get_data(as_text=True)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("collection.anki2", b"\0" * (120 * 1024 * 1024))
    assert "zip bomb" in upload(teacher, bomb.getvalue(), "bomb.apkg").get_data(as_text=True)
    huge = upload(teacher, b"a\tb\n" * (50 * 1024 * 1024 // 4), "huge.txt")
    assert huge.status_code == 413  # the app's body limit answers before anything is read
    assert banks(app) == before


def test_a_bank_exports_to_every_format(app, teacher):
    assert publish(teacher, mine()).status_code == 302
    page = teacher.get("/teach/banks/mine/versions").get_data(as_text=True)
    for kind in ("apkg", "moodle", "gift", "kahoot", "csv", "tsv", "quizlet"):
        assert f"/teach/banks/mine/export/{kind}" in page
        response = teacher.get(f"/teach/banks/mine/export/{kind}")
        assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
        assert len(response.data) > 50
    assert zipfile.ZipFile(io.BytesIO(teacher.get("/teach/banks/mine/export/apkg").data)).testzip() is None
    book = openpyxl.load_workbook(io.BytesIO(teacher.get("/teach/banks/mine/export/kahoot?language=zh").data))
    assert any("年" in str(c) for row in book.active.iter_rows(values_only=True) for c in row if c)
    assert "Kahoot has no" in page  # what a format leaves out is said before the download
