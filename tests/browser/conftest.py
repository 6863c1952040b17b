"""A live server on a free port and Debian's Chromium driven by Playwright, with the page checkers.

`playwright install` cannot download browsers here, so we launch /usr/bin/chromium.
In CI (CI=true) a missing browser is a failure, never a skip; elsewhere the
browser tests are skipped with the install line, so the README test line works anywhere.
Every page state the tests reach is checked with axe-core and the Nu Html Checker (checkers.py).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from quizapp import create_app

from ..helpers import DATA
from . import checkers
from .helpers import collect_errors, serving

CHROMIUM = os.environ.get("QUIZAPP_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def checker():
    """axe on each page state as the tests go; the Nu Html Checker on all of them at the end (one JVM).
    The states' HTML is kept in test-artifacts/page-states/ (a shared /tmp basetemp can be pruned by
    another pytest run on the same machine while this one still needs the files)."""
    checkers.install()
    report_only = os.environ.get("QUIZAPP_CHECKERS") == "report"
    states = ARTIFACTS / "page-states"
    shutil.rmtree(states, ignore_errors=True)
    states.mkdir(parents=True)
    checker = checkers.Checker(states, report_only)
    with pytest.MonkeyPatch.context() as monkeypatch:
        checkers.patch_playwright(monkeypatch)
        checkers.CHECKER = checker
        try:
            yield checker
        finally:
            checkers.CHECKER = None
    problems = checker.validate_html()
    ARTIFACTS.mkdir(exist_ok=True)
    checker.report(ARTIFACTS / "checkers.txt", problems)
    if problems and not report_only:
        pytest.fail(f"Nu Html Checker: {len(problems)} problems\n" + "\n".join(problems), pytrace=False)


@pytest.fixture(scope="session")
def browser(checker):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk (as .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must run the browser tests, never skip them
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-quic",
                "--no-first-run",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def live_server(tmp_path):
    """The real app (CSRF on) on 127.0.0.1, serving the sample bank."""
    app = create_app(
        {"DATABASE": str(tmp_path / "live.sqlite3"), "QUESTIONS_DIR": str(DATA), "SECRET_KEY": "browser-tests"}
    )
    with serving(app) as url:
        yield url


@pytest.fixture
def page(browser, live_server):
    """Depends on live_server so the page closes first: a server shut down under an open page
    would show up as a console error in the page's last moments."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")  # a phone
    page = context.new_page()
    errors = collect_errors(page, [])
    yield page
    context.close()
    assert errors == [], f"browser errors: {errors}"
