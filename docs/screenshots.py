"""Screenshots of the main screens, for docs/design.md (run by hand, not by the tests).

    python docs/screenshots.py before      # or: after

starts the app on a temporary database with the real banks in questions/, drives Debian's Chromium
through home, a quiz (question, feedback, results), a flashcard (front, back), progress, the teacher
dashboard and a live game (projector lobby and question, a phone in the game), and writes viewport
PNGs to docs/screenshots/<name>/. Each screen is shot only in the sizes and languages where it is
used (a projector at 1280x720, a phone in a live game at 390x844), which keeps the set under about
25 small images. A screen that cannot be reached is reported and skipped, so the same script still
runs after the pages change.
"""

from __future__ import annotations

import logging
import re
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from quizapp import create_app  # noqa: E402
from quizapp.accounts import users  # noqa: E402
from quizapp.core.store import connect  # noqa: E402

BANK = "civil-code"
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 720}
# screen -> the (size, language) pairs it is shot in
SHOTS = {
    "home": [("desktop", "en"), ("phone", "zh")],
    "question": [("desktop", "en"), ("phone", "zh")],
    "feedback": [("desktop", "en"), ("phone", "zh")],
    "results": [("desktop", "en"), ("phone", "zh")],
    "decks": [("phone", "zh")],
    "card-front": [("phone", "zh")],
    "card-back": [("desktop", "en"), ("phone", "zh")],
    "progress": [("desktop", "en"), ("phone", "zh")],
    "teacher": [("desktop", "en"), ("phone", "zh")],
    "projector-lobby": [("desktop", "en")],
    "projector-question": [("desktop", "en"), ("desktop", "zh")],
    "phone-live": [("phone", "en"), ("phone", "zh")],
}
LOCALES = {"en": "en-US", "zh": "zh-CN"}


def serve(database: str) -> str:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no request log in the output
    app = create_app({"DATABASE": database, "QUESTIONS_DIR": str(ROOT / "questions"), "SECRET_KEY": "screenshots"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def sign_up(page, base: str, username: str) -> None:
    page.goto(base + "/signup")
    page.fill("#username", username)
    page.fill("#password", "a long password")
    page.fill("#confirm", "a long password")
    page.click("main button[type=submit].primary")
    page.wait_for_load_state()


def answer_anything(page) -> None:
    """Any answer will do: the first choice, the first box, 1..n for an order, a word in a text box."""
    form = page.locator("form.answer")
    if form.locator("select").count():
        for i, select in enumerate(form.locator("select").all()):
            select.select_option(str(i + 1))
    elif form.locator("input[type=text], input:not([type])").count():
        form.locator("input[type=text], input:not([type])").first.fill("2020")
    else:
        form.locator("input[type=radio], input[type=checkbox]").first.check()
    form.locator("button[type=submit]").first.click()
    page.wait_for_selector("#feedback")


class Shooter:
    def __init__(self, browser, base: str, out: Path, size: str, lang: str, database: str):
        self.browser, self.base, self.out, self.size, self.lang, self.database = (
            browser,
            base,
            out,
            size,
            lang,
            database,
        )
        self.viewport = PHONE if size == "phone" else DESKTOP

    def wants(self, screen: str) -> bool:
        return (self.size, self.lang) in SHOTS[screen]

    def context(self, viewport=None):
        return self.browser.new_context(viewport=viewport or self.viewport, locale=LOCALES[self.lang])

    def shot(self, page, screen: str) -> None:
        if self.wants(screen):
            page.wait_for_timeout(150)  # let transitions and fonts settle
            path = self.out / f"{screen}-{self.size}-{self.lang}.png"
            page.screenshot(path=str(path))
            print("  wrote", path.relative_to(ROOT))

    def step(self, name: str, run) -> None:
        try:
            run()
        except Exception as error:  # a changed page: say so and go on with the other screens
            print(f"  skipped {name} ({self.size}, {self.lang}): {str(error).splitlines()[0]}")

    def run(self) -> None:
        tag = f"{self.size}{self.lang}"
        learner = self.context().new_page()
        self.step("home", lambda: (learner.goto(self.base + "/"), self.shot(learner, "home")))
        self.step("sign up", lambda: sign_up(learner, self.base, f"mei-{tag}"))
        self.step("quiz", lambda: self.quiz(learner))
        self.step("flashcards", lambda: self.flashcards(learner))
        self.step("progress", lambda: (learner.goto(self.base + "/progress"), self.shot(learner, "progress")))
        teacher = self.context(DESKTOP if self.size == "desktop" else None).new_page()
        self.step("teacher", lambda: self.teacher(teacher, f"chen-{tag}"))
        if any(self.wants(s) for s in ("projector-lobby", "projector-question", "phone-live")):
            self.step("live game", lambda: self.live(teacher))
        for page in (learner, teacher):
            page.context.close()

    def quiz(self, page) -> None:
        page.goto(f"{self.base}/banks/{BANK}")
        if page.locator("#size").count():
            page.fill("#size", "3")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(re.compile(r".*/quizzes/\d+/1$"))
        self.shot(page, "question")
        answer_anything(page)
        self.shot(page, "feedback")
        for _ in range(10):
            if not page.locator("#feedback a.button").count():
                break
            page.locator("#feedback a.button").first.click()
            page.wait_for_load_state()
            if page.locator("form.answer").count():
                answer_anything(page)
        page.evaluate("window.scrollTo(0, 0)")
        self.shot(page, "results")

    def flashcards(self, page) -> None:
        page.goto(self.base + "/study/")
        page.wait_for_selector("table.decks, tr[data-deck]")
        self.shot(page, "decks")
        page.goto(self.base + "/study/next")
        page.wait_for_selector("[data-flashcard]")
        self.shot(page, "card-front")
        page.locator("body").focus()
        page.keyboard.press("Space")
        page.wait_for_selector("#card-back:not([hidden])")
        self.shot(page, "card-back")

    def teacher(self, page, username: str) -> None:
        sign_up(page, self.base, username)
        db = connect(self.database)
        users.promote_to_teacher(db, users.id_for(db, username))
        db.conn.close()
        page.goto(self.base + "/teach/")
        page.fill("#name", "Class 7B")
        page.click("button:has-text('Create class')" if self.lang == "en" else "main form button[type=submit]")
        page.wait_for_load_state()
        page.goto(self.base + "/teach/")
        self.shot(page, "teacher")

    def live(self, host) -> None:
        if self.size == "phone":  # the projector is a big screen even when the phone is the point
            host.set_viewport_size(DESKTOP)
        host.goto(f"{self.base}/live/new?bank={BANK}")
        host.fill("#reading", "0")
        host.locator("button[type=submit].primary").last.click()
        code = host.locator(".join-code").inner_text().strip()
        phone = self.context(PHONE).new_page()
        phone.goto(f"{self.base}/join?code={code}")
        phone.fill("#nickname", "美美" if self.lang == "zh" else "Tom")
        phone.click("button[type=submit].big")
        host.locator(".names li").first.wait_for()
        if self.size == "desktop":
            self.shot(host, "projector-lobby")
        host.wait_for_load_state("load")
        host.locator("#screen").click()
        host.keyboard.press("Space")  # the teacher drives the projector from its keyboard
        host.locator("h1.prompt").wait_for()
        if self.size == "desktop":
            self.shot(host, "projector-question")
        phone.locator("#stage h1.prompt, #stage form.live-answer").first.wait_for()
        self.shot(phone, "phone-live")
        phone.context.close()


def main() -> None:
    name = sys.argv[1] if len(sys.argv) > 1 else "after"
    out = ROOT / "docs" / "screenshots" / name
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        database = str(Path(tmp) / "screens.sqlite3")
        base = serve(database)
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        combos = sorted({pair for pairs in SHOTS.values() for pair in pairs})
        for size, lang in combos:
            print(f"{size} {lang}:")
            Shooter(browser, base, out, size, lang, database).run()
        browser.close()
    total = sum(p.stat().st_size for p in out.glob("*.png"))
    print(f"{len(list(out.glob('*.png')))} images, {total / 1e6:.1f} MB in {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
