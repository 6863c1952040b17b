"""The article banks' cloze questions as a learner meets them: a whole quiz of one bank's cloze questions,
typed in Chinese on a 390 px phone, each page checked by axe and the Nu Html Checker."""

from __future__ import annotations

import pytest
import yaml

from quizapp import create_app

from ..helpers import ROOT
from ..test_question_banks import BANKS
from .conftest import ARTIFACTS
from .helpers import serving

pytestmark = pytest.mark.browser

BANK = "prosecution-figures"  # the figures: 2013, 2017, 4.3万, 14亿
CLOZES = [q for q in BANKS[BANK].questions if q["type"] == "cloze"]


@pytest.fixture
def cloze_server(tmp_path):
    """The app on the real bank file with only its cloze questions (so a quiz is all of them). Ask for it before
    `page`, so the page closes before this server does."""
    data = yaml.safe_load((ROOT / "questions" / f"{BANK}.yaml").read_text(encoding="utf-8"))
    data["questions"] = [q for q in data["questions"] if q["type"] == "cloze"]
    data["cards"] = []
    folder = tmp_path / "questions"
    folder.mkdir()
    (folder / f"{BANK}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    app = create_app(
        {"DATABASE": str(tmp_path / "cloze.sqlite3"), "QUESTIONS_DIR": str(folder), "SECRET_KEY": "browser-tests"}
    )
    with serving(app) as url:
        yield url


def test_the_article_cloze_questions_answered_in_chinese_on_a_phone(cloze_server, page):
    page.goto(cloze_server + "/")
    page.select_option("#switch-locale", "zh")
    page.click("header form.switch-locale button")
    page.wait_for_selector("html[lang='zh-Hans']")
    page.goto(f"{cloze_server}/banks/{BANK}")
    page.fill("#size", str(len(CLOZES)))
    page.click("form.stack button.primary")
    by_prompt = {q["prompt"]["zh"]: q for q in CLOZES}
    seen = []
    for n in range(1, len(CLOZES) + 1):
        assert f"第 {n} 题，共 {len(CLOZES)} 题" in page.inner_text(".progress")
        shown = page.locator("h1.prompt [lang='zh-Hans']").inner_text().strip()
        q = by_prompt[shown]  # the heading shows numbered gaps ([1]), never the answers
        assert all(b["text"]["zh"] not in shown for b in q["blanks"]), shown
        seen.append(q["id"])
        inputs = page.locator("fieldset.cloze input.cloze-input")
        assert inputs.count() == len(q["blanks"])
        for blank in q["blanks"]:
            page.fill(f"#c{blank['n']}", blank["text"]["zh"])
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing scrolls sideways
        if q["id"] == "pf-cloze-43000":
            page.screenshot(path=str(ARTIFACTS / "zh-article-cloze-question.png"), full_page=True)
        page.click("button[type=submit].primary")
        feedback = page.locator("#feedback")
        feedback.wait_for()
        assert "答对了" in feedback.inner_text(), (q["id"], feedback.inner_text())
        assert feedback.locator("blockquote.source").inner_text().strip() == q["source"]
        if q["id"] == "pf-cloze-43000":
            page.screenshot(path=str(ARTIFACTS / "zh-article-cloze-feedback.png"), full_page=True)
        page.click("#feedback a.button")
    assert sorted(seen) == sorted(q["id"] for q in CLOZES)
    assert page.locator(".score").get_attribute("data-score") == f"{len(CLOZES)}.0"
