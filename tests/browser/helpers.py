"""Helpers the browser tests share: find the question a page shows, and answer it as a student would."""

from __future__ import annotations

import threading
from contextlib import contextmanager

import yaml
from werkzeug.serving import make_server

from ..helpers import DATA

BANK = yaml.safe_load((DATA / "sample.yaml").read_text(encoding="utf-8"))
BY_PROMPT = {q["prompt"]["zh"] if isinstance(q["prompt"], dict) else q["prompt"]: q for q in BANK["questions"]}
BY_PROMPT.update({q["prompt"]["en"]: q for q in BANK["questions"]})


def text_of(value, lang):
    return str(value["zh" if lang.startswith("zh") else "en"]) if isinstance(value, dict) else str(value)


def find_question(page, lang):
    prompt = page.locator(f"h1.prompt [lang^='{lang}']").first.inner_text().strip()
    return BY_PROMPT[prompt]


def answer(page, question, lang, keyboard: bool):
    """Answer right with the keyboard or by clicking, the way a student would."""
    kind = question["type"]
    if kind in ("choice", "multi"):
        labels = page.locator("label.option")
        for i in range(labels.count()):
            label = labels.nth(i)
            shown = label.locator(f"[lang^='{lang}']").inner_text().strip()
            choice = next(c for c in question["choices"] if text_of(c, lang) == shown)
            if choice.get("correct"):
                if keyboard:
                    page.keyboard.press(str(i + 1))
                else:
                    label.click()
    elif kind == "true_false":
        page.keyboard.press("1" if question["answer"] else "2") if keyboard else page.locator("input[name=answer]").nth(
            0 if question["answer"] else 1
        ).check()
    elif kind == "numeric":
        page.fill("#answer", "4.3万" if lang.startswith("zh") else "43,000")
    elif kind == "text":
        page.fill("#answer", question["answer"]["zh" if lang.startswith("zh") else "en"][0])
    else:  # order: give each shown item its true place
        items = page.locator("li.order-item")
        for i in range(items.count()):
            item = items.nth(i)
            shown = item.locator(f"label [lang^='{lang}']").inner_text().strip()
            place = next(n for n, c in enumerate(question["choices"], 1) if text_of(c, lang) == shown)
            item.locator("select").select_option(str(place))
    if keyboard:
        page.keyboard.press("Enter") if kind in ("numeric", "text") else page.locator(
            "button[type=submit].primary"
        ).focus() or page.keyboard.press("Enter")
    else:
        page.click("button[type=submit].primary")


def sign_up(page, base: str, username: str) -> None:
    """Make an account through the sign-up form, as a newcomer would."""
    page.goto(base + "/signup")
    page.fill("#username", username)
    page.fill("#password", "a long password")
    page.fill("#confirm", "a long password")
    page.click("main button[type=submit].primary")
    page.wait_for_url(base + "/")


def collect_errors(page, errors: list[str], expected: tuple[str, ...] = ()) -> list[str]:
    """Gather the page's script errors and console errors into `errors`, except console lines naming a
    status the app answers on purpose (`expected`, e.g. "status of 422": Chromium logs those as errors)."""
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text) if msg.type == "error" and not any(s in msg.text for s in expected) else None
        ),
    )
    return errors


@contextmanager
def serving(app):
    """Serve the app on a free port of 127.0.0.1 from a thread for as long as the block runs; yields its address."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
