"""The page checkers themselves: each kind of problem fails with what a developer needs to fix it."""

from __future__ import annotations

import pytest

from . import checkers

pytestmark = pytest.mark.browser


def show(checker, page, html: str) -> None:
    """A made-up page, checked only where the test says (not as an ordinary page load)."""
    checker.busy = True  # as while checking: the wrapped Playwright calls leave the pages alone
    try:
        page.set_content(html)
    finally:
        checker.busy = False
    checker.pending.pop(page, None)


def test_axe_names_the_rule_and_the_element(checker, page):
    show(checker, page, '<!doctype html><html lang="en"><title>t</title><main><h1>Hi</h1><img src="x"></main></html>')
    with pytest.raises(AssertionError) as failure:
        checker.check(page, "an image without alt", keep=False)
    message = str(failure.value)
    assert "an image without alt" in message and "axe image-alt" in message and "at img" in message


def test_a_page_wider_than_the_phone_fails(checker, page):
    show(
        checker,
        page,
        '<!doctype html><html lang="en"><title>t</title><main><h1>Wide</h1>'
        '<div style="width: 600px">a table that does not fit</div></main></html>',
    )
    with pytest.raises(AssertionError, match="scrolls sideways: the document is 6\\d\\dpx wide in a 390px viewport"):
        checker.check(page, "too wide", keep=False)


def test_a_clean_page_passes_and_the_checkpoint_helper_keeps_its_html(checker, page, live_server):
    page.goto(live_server + "/")
    before = len(checker.states)
    checkers.checked(page, "home, checked by name")
    assert checker.states[-1][1].endswith("home, checked by name") and len(checker.states) == before + 1


def test_the_nu_checker_reports_the_state_line_and_message(checker, tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!doctype html>\n<html lang="en">\n<title>t</title>\n<p id="a">one</p>\n<p id="a"><div>two</div></p>\n',
        encoding="utf-8",
    )
    problems = checker.validate_html([(bad, "a page with mistakes")])
    assert any(p.startswith("a page with mistakes: line 5: error: Duplicate ID “a”") for p in problems), problems
    assert any("No “p” element in scope" in p for p in problems), problems
