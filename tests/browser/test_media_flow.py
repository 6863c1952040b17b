"""A teacher on a phone uploads a picture in the bank editor, gets the line to paste (the bank's text
kept), is refused an HTML page named .png with a clear message, and publishes a bank that uses the
picture, which the server then serves as a PNG."""

from __future__ import annotations

import re

import pytest

from quizapp.accounts import users
from quizapp.core import mediacheck
from quizapp.core.store import connect

from ..media_files import png
from .checkers import checked
from .conftest import ARTIFACTS
from .helpers import collect_errors, sign_up

pytestmark = pytest.mark.browser
WAIT = 15_000
BANK = """\
bank: red-things
title: {en: Red things, zh: 红色的东西}
questions:
  - id: red-square
    type: true_false
    prompt: {en: "Is the square red?", zh: "这个正方形是红色的吗？"}
    answer: true
"""
IMAGE_LINE = '    image: {path: media/red-square.png, alt: {en: "A red square", zh: "一个红色的正方形"}}\n'


def test_teacher_uploads_a_picture_on_a_phone_and_publishes_a_bank_with_it(browser, live_server, tmp_path):
    base, database = live_server, str(tmp_path / "live.sqlite3")
    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US").new_page()
    errors = collect_errors(page, [], ("(UNPROCESSABLE",))  # the refused upload answers 422 on purpose
    (tmp_path / "Red Square.png").write_bytes(png())
    (tmp_path / "evil.png").write_text("<html><script>alert(1)</script></html>", encoding="utf-8")
    sign_up(page, base, "ms-chen")
    db = connect(database)
    users.promote_to_teacher(db, users.id_for(db, "ms-chen"))

    page.goto(base + "/teach/banks/new")
    page.fill("#source", BANK)
    page.set_input_files("#media", str(tmp_path / "Red Square.png"))
    page.click("#media-upload button")
    page.wait_for_selector("#uploaded", timeout=WAIT)
    snippet = page.inner_text("#uploaded pre")
    assert snippet.startswith("image: {path: media/red-square.png, alt: {en:")
    assert page.input_value("#source").startswith("bank: red-things")  # the text came back with the answer
    assert "media/red-square.png" in page.inner_text("#your-media")
    checked(page, "bank editor after an upload, with the line to paste")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # nothing scrolls sideways
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "media-upload-phone.png"), full_page=True)

    # An HTML page under a picture's name: refused by its content, said at the field, nothing kept.
    page.set_input_files("#media", str(tmp_path / "evil.png"))
    with page.expect_response(lambda r: r.url.endswith("/teach/banks/media")) as refused:
        page.click("#media-upload button")
    assert refused.value.status == 422
    assert "evil.png is neither a picture" in page.inner_text("#media-error")
    checked(page, "bank editor with a refused upload")
    assert db.execute("SELECT count(*) FROM media").fetchone()[0] == 1

    # The pasted line makes a bank with the picture; it is published and the picture served.
    page.fill("#source", BANK.replace("    answer: true\n", IMAGE_LINE + "    answer: true\n"))
    page.click("form.bank-editor button.primary")
    page.wait_for_selector(".preview-modes", timeout=WAIT)
    page.click("form.publish button.primary")
    page.wait_for_url(re.compile(r".*/teach/banks/red-things/versions$"), timeout=WAIT)
    stored = mediacheck.check_image(png(), "x").file
    data = db.execute("SELECT data FROM questions WHERE bank_id = 'red-things'").fetchone()[0]
    assert stored in data
    response = page.request.get(f"{base}/media/{stored}")
    assert response.status == 200 and response.headers["content-type"] == "image/png"
    assert errors == []
    db.conn.close()
    page.context.close()
