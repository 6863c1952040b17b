"""A teacher on a phone imports a Quizlet export whose separator was guessed wrong, corrects it and
the columns in the page, previews the cards in Chinese, publishes, and downloads the bank as Anki."""

from __future__ import annotations

import re
import zipfile

import pytest

from quizapp.accounts import users
from quizapp.core.store import connect

from .checkers import checked
from .conftest import ARTIFACTS
from .helpers import collect_errors, sign_up

pytestmark = pytest.mark.browser
WAIT = 15_000


def test_teacher_imports_a_quizlet_set_corrects_the_guess_and_publishes(browser, live_server, tmp_path):
    base, database = live_server, str(tmp_path / "live.sqlite3")
    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US").new_page()  # a phone
    # The import page answers 422 on purpose when a file cannot be read as it is; Chromium logs that status.
    errors = collect_errors(page, [], ("(UNPROCESSABLE",))
    # Quizlet's export with a custom separator ' = ' between term and definition, which is not guessed.
    upload = tmp_path / "hsk-food.txt"
    upload.write_text("rice = 米饭 = mǐfàn\nnoodles = 面条 = miàntiáo\ntea = 茶 = chá\n", encoding="utf-8")
    sign_up(page, base, "ms-chen")
    db = connect(database)
    users.promote_to_teacher(db, users.id_for(db, "ms-chen"))
    page.goto(base + "/teach/")
    page.click("text=Import from Anki, Quizlet, Moodle or Kahoot")
    page.set_input_files("#upload", str(upload))
    with page.expect_response(lambda r: r.url.endswith("/teach/banks/import")) as first:
        page.click("main form.import-form button.primary")
    assert first.value.status == 422
    assert "choose which column is English and which Chinese" in page.inner_text("#import-failure")

    # Correct the separator: the kept upload is read again, no second upload needed.
    assert page.locator("#separator").input_value() == "tab"  # the guess, shown to be corrected
    page.fill("#separator", " = ")
    page.click("text=Apply these choices and check again")
    page.wait_for_selector("table.columns", timeout=WAIT)
    assert page.locator("#role-0").input_value() == "en"
    assert page.locator("#role-1").input_value() == "zh"
    assert page.locator("#role-2").input_value() == "pinyin"
    # Nothing happens on choosing: only the button applies a choice (WCAG 3.2.2).
    page.select_option("#role-2", "skip")
    assert page.locator("#role-2").input_value() == "skip" and page.locator("table.columns").count() == 1
    page.select_option("#role-2", "pinyin")
    page.fill("#bank", "hsk-food")
    page.fill("#title", "HSK food")
    page.click("text=Apply these choices and check again")
    page.wait_for_selector(".preview-modes", timeout=WAIT)
    assert "Publishing creates the new bank hsk-food." in page.inner_text("main")
    page.locator("details[data-mode=zh] > summary").click()
    card = page.locator("details[data-mode=zh] [data-card]").first
    assert card.locator(".front").inner_text().split("\n")[-1] == "米饭"
    page.locator("details[data-mode=both] > summary").click()
    assert "米饭 (mǐfàn)" in page.locator("details[data-mode=both] [data-card]").first.inner_text()
    checked(page, "import preview with the Chinese and both-languages previews open")
    wide = page.evaluate(
        "() => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > 391 && !e.closest('.table-wrap')).map(e => e.tagName + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().left) + '-' + Math.round(e.getBoundingClientRect().right)).slice(0, 12)"
    )
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390, wide  # nothing scrolls sideways
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "import-preview-zh.png"), full_page=True)

    page.click("form.publish button.primary")
    page.wait_for_url(re.compile(r".*/teach/banks/hsk-food/versions$"), timeout=WAIT)
    assert "Published version 1." in page.inner_text("main")
    assert db.execute("SELECT count(*) FROM cards WHERE bank_id = 'hsk-food'").fetchone()[0] == 3
    with page.expect_download() as download:
        page.click("text=Anki deck (.apkg)")
    path = download.value.path()
    assert "collection.anki2" in zipfile.ZipFile(path).namelist()
    db.conn.close()
    page.context.close()
    assert errors == [], f"browser errors: {errors}"
