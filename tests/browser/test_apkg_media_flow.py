"""A teacher on a phone imports an Anki deck with a picture, a clip and a false picture: the preview
shows the picture (served from /media/), says what was skipped, publishes, and the Anki download
carries the files again."""

from __future__ import annotations

import json
import re
import zipfile

import pytest

from quizapp.accounts import users
from quizapp.core.store import connect

from ..test_apkg_media import deck
from .checkers import checked
from .conftest import ARTIFACTS
from .helpers import collect_errors, sign_up

pytestmark = pytest.mark.browser
WAIT = 15_000


def test_teacher_imports_an_anki_deck_with_its_picture_and_clip(browser, live_server, tmp_path):
    base, database = live_server, str(tmp_path / "live.sqlite3")
    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US").new_page()
    errors = collect_errors(page, [])
    upload = tmp_path / "fruit.apkg"
    upload.write_bytes(deck(True))
    sign_up(page, base, "ms-lin")
    db = connect(database)
    users.promote_to_teacher(db, users.id_for(db, "ms-lin"))
    page.goto(base + "/teach/banks/import")
    page.set_input_files("#upload", str(upload))
    page.click("main form.import-form button.primary")
    page.wait_for_selector(".preview-modes", timeout=WAIT)
    assert "fake.png is neither a picture" in page.inner_text("main")  # the HTML named .png, skipped
    page.locator("details[data-mode=both] > summary").click()
    picture = page.locator("details[data-mode=both] img[src^='/media/']").first
    picture.wait_for(timeout=WAIT)
    assert picture.get_attribute("alt") == "apple / 苹果"  # the card's front, in both languages
    # A lazy picture loads once it is near the screen, and then in its own time: wait for it, then measure it.
    picture.scroll_into_view_if_needed()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=picture.element_handle(), timeout=WAIT)
    assert page.evaluate("(img) => img.naturalWidth", picture.element_handle()) == 40  # it loaded, the deck's own
    checked(page, "Anki import preview with the deck's picture")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "import-apkg-media.png"), full_page=True)

    page.click("form.publish button.primary")
    page.wait_for_url(re.compile(r".*/teach/banks/hsk-1/versions$"), timeout=WAIT)
    with page.expect_download() as download:
        page.click("text=Anki deck (.apkg)")
    names = json.loads(zipfile.ZipFile(download.value.path()).read("media"))
    assert sorted(names.values()) == ["apple.mp3", "apple.png"]
    assert errors == []
    db.conn.close()
    page.context.close()
