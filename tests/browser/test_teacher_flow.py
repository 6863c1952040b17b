"""A teacher in real Chromium uploads a bank with errors, sees them at the right lines, fixes them in
the page, previews it in Chinese, publishes; a student who had already answered then finds the new
question, and their earlier answers are still there."""

from __future__ import annotations

import re

import pytest

from quizapp.accounts import users
from quizapp.core.store import connect

from ..helpers import DATA
from .conftest import ARTIFACTS
from .helpers import collect_errors, sign_up

pytestmark = pytest.mark.browser
WAIT = 15_000
NEW_QUESTION = """\
  - id: five-feminists
    type: {kind}
    topic: detentions
    prompt: {{en: "How many young feminists were detained in 2015 over their campaign for gender equality?", zh: "2015年，有多少名年轻女权主义者因争取性别平等的运动而被拘留？"}}
    answer: 5
    explanation: {{en: "The article says five young feminists were detained and were eventually released after international outcry.", zh: "文章说五名年轻女权主义者被拘留，在国际社会强烈抗议后最终获释。"}}
    source: "in 2015, five young feminists were detained over their campaign for gender equality"
"""


def bank_with_new_question(kind: str) -> str:
    sample = (DATA / "sample.yaml").read_text(encoding="utf-8")
    return sample.replace("cards:\n", NEW_QUESTION.format(kind=kind) + "cards:\n", 1)


def test_teacher_fixes_a_bank_in_the_page_and_a_student_gets_the_new_question(browser, live_server, tmp_path):
    base, database = live_server, str(tmp_path / "live.sqlite3")
    student = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US").new_page()
    teacher = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US").new_page()
    errors = []
    for page in (student, teacher):
        # The editor answers 422 on purpose when a bank has errors; Chromium logs that status.
        collect_errors(page, errors, ("(UNPROCESSABLE",))
    try:
        # The student answers a question of the bank before the teacher changes it.
        sign_up(student, base, "mei")
        student.goto(base + "/banks/sample")
        student.click("main form button.primary")
        student.wait_for_url(re.compile(r".*/quizzes/\d+/1$"))
        if student.locator("form.answer input[type=text]").count():
            student.fill("form.answer input[type=text]", "2020")
        elif student.locator("form.answer select").count():
            for i, select in enumerate(student.locator("form.answer select").all()):
                select.select_option(str(i + 1))
        else:
            student.locator("form.answer input[type=radio], form.answer input[type=checkbox]").first.check()
        student.click("form.answer button.primary")
        student.wait_for_selector("#feedback", timeout=WAIT)
        db = connect(database)
        before = db.execute("SELECT id, question_id, correct, score FROM attempts").fetchall()
        assert len(before) == 1

        sign_up(teacher, base, "ms-chen")
        users.promote_to_teacher(db, users.id_for(db, "ms-chen"))
        teacher.goto(base + "/teach/")
        teacher.click("text=New bank")
        broken = bank_with_new_question("numbr")
        upload = tmp_path / "sample.yaml"
        upload.write_text(broken, encoding="utf-8")
        teacher.set_input_files("#upload", str(upload))
        teacher.click("text=Check and preview")
        bad_line = broken.split("\n").index("    type: numbr") + 1
        teacher.wait_for_selector(".problems", timeout=WAIT)
        link = teacher.locator(".problems a[data-goto-line]")
        assert link.count() == 1 and link.inner_text() == f"Line {bad_line}, column 11"
        highlighted = teacher.locator(f"#line-{bad_line}")
        assert "bad" in highlighted.get_attribute("class") and "numbr" in highlighted.inner_text()
        assert teacher.locator("li.bad").count() == 1
        # Clicking the error puts the cursor on that line of the editor.
        link.click()
        selected = teacher.evaluate(
            "() => { const s = document.getElementById('source'); "
            "return s.value.slice(s.selectionStart, s.selectionEnd); }"
        )
        assert selected == "    type: numbr"
        assert teacher.evaluate("() => document.activeElement.id") == "source"
        teacher.keyboard.type("    type: numeric")  # typed over the selected line
        teacher.click("text=Check and preview")
        teacher.wait_for_selector(".preview-modes", timeout=WAIT)
        assert "five-feminists" in teacher.locator(".changes").inner_text()
        teacher.locator("details[data-mode=zh] > summary").click()
        chinese = teacher.locator("details[data-mode=zh] [data-question=five-feminists]")
        assert "2015年，有多少名年轻女权主义者" in chinese.inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        teacher.screenshot(path=str(ARTIFACTS / "teacher-preview-zh.png"))
        teacher.click("form.publish button.primary")
        teacher.wait_for_url(re.compile(r".*/teach/banks/sample/versions$"), timeout=WAIT)
        assert "Published version 2." in teacher.inner_text("main")
        assert "five-feminists" in teacher.inner_text("table.versions")

        # The student finds the new question in the bank and their earlier answer is kept.
        student.goto(base + "/banks/sample")
        student.select_option("#topic", "detentions")
        student.click("main form button.primary")
        student.wait_for_url(re.compile(r".*/quizzes/\d+/1$"))
        assert "How many young feminists were detained in 2015" in student.inner_text("h1.prompt")
        student.fill("form.answer input[type=text]", "5")
        student.click("form.answer button.primary")
        student.wait_for_selector("#feedback.right", timeout=WAIT)
        after = db.execute("SELECT id, question_id, correct, score FROM attempts ORDER BY id").fetchall()
        assert after[0] == before[0] and after[1][1:] == ("five-feminists", 1, 1.0)
        student.goto(base + "/progress")
        assert "2" in student.inner_text("main")
        db.conn.close()
    finally:
        student.context.close()
        teacher.context.close()
    assert errors == [], f"browser errors: {errors}"


# Issue 14: teachers' pages never lose work or say the wrong thing -------------------------------

EXPECTED_STATUSES = ("(UNPROCESSABLE", "status of 422", "status of 410", "status of 429")


def teacher_page(browser, base: str, database: str, width: int, username: str = "ms-chen", locale: str = "en-US"):
    """A signed-in teacher in a fresh context of this width; its errors list ignores the statuses
    these pages answer on purpose (422 for a bank with errors, 410 for a spent invitation)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale)
    page = context.new_page()
    errors = collect_errors(page, [], EXPECTED_STATUSES)
    sign_up(page, base, username)
    db = connect(database)
    users.promote_to_teacher(db, users.id_for(db, username))
    db.conn.close()
    return page, errors


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_switching_language_on_the_preview_keeps_the_unpublished_bank(browser, live_server, tmp_path, width):
    """Before: the header's language select on the preview gave "Not allowed" (405) and the text was lost."""
    base = live_server
    teacher, errors = teacher_page(browser, base, str(tmp_path / "live.sqlite3"), width)
    try:
        text = (DATA / "sample.yaml").read_text(encoding="utf-8").replace("bank: sample", "bank: mine", 1)
        text = text.replace("In which year did China pass", "In what year did China pass")
        teacher.goto(base + "/teach/banks/new")
        assert no_sideways_scroll(teacher), "the new-bank page fits the screen"
        shot(teacher, f"teacher-new-bank-{width}.png")
        teacher.fill("#source", text)
        teacher.click("text=Check and preview")
        teacher.wait_for_selector(".preview-modes", timeout=WAIT)
        teacher.select_option("#switch-locale", "zh")
        teacher.click("header form.switch-locale button")  # a choice applies on its button (WCAG 3.2.2)
        teacher.wait_for_url(re.compile(r".*/teach/banks/draft\?bank=mine$"), timeout=WAIT)
        assert teacher.get_attribute("html", "lang") == "zh-Hans"
        assert "In what year did China pass" in teacher.input_value("form.publish input[name=source]")
        assert "发布" in teacher.inner_text("form.publish")
        shot(teacher, f"teacher-preview-after-language-switch-{width}.png")

        # The draft is on the server: the dashboard leads back to it, and so does a sign-in.
        teacher.goto(base + "/teach/")
        teacher.click("#drafts + ul a")
        assert "In what year did China pass" in teacher.input_value("#source")
        teacher.click("header form[action='/signout'] button")
        teacher.goto(base + "/teach/banks/draft?bank=mine")
        teacher.fill("#username", "ms-chen")
        teacher.fill("#password", "a long password")
        teacher.click("main button[type=submit].primary")
        teacher.wait_for_url(re.compile(r".*/teach/banks/draft\?bank=mine$"), timeout=WAIT)
        assert "In what year did China pass" in teacher.input_value("form.publish input[name=source]")
        teacher.click("form.publish button.primary")
        teacher.wait_for_url(re.compile(r".*/teach/banks/mine/versions$"), timeout=WAIT)
        teacher.goto(base + "/teach/")
        assert teacher.locator("#drafts").count() == 0, "publishing used the draft up"
    finally:
        teacher.context.close()
    assert errors == [], f"browser errors: {errors}"


def test_leaving_the_editor_with_unchecked_text_asks_first(browser, live_server, tmp_path):
    base = live_server
    teacher, errors = teacher_page(browser, base, str(tmp_path / "live.sqlite3"), 390)
    asked = []
    try:
        teacher.goto(base + "/teach/banks/new")
        teacher.click("#source")
        teacher.keyboard.type("# my unsaved words\n")
        teacher.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
        teacher.select_option("#switch-locale", "zh")
        teacher.click("header form.switch-locale button", no_wait_after=True)
        teacher.wait_for_timeout(500)
        assert asked == ["beforeunload"]
        assert "# my unsaved words" in teacher.input_value("#source"), "dismissing keeps the page and its text"
    finally:
        teacher.context.close()
    assert errors == [], f"browser errors: {errors}"


@pytest.mark.parametrize("width", [390, 1280])
def test_a_yaml_mistake_is_explained_and_the_format_guide_is_a_page(browser, live_server, tmp_path, width):
    base = live_server
    teacher, errors = teacher_page(browser, base, str(tmp_path / "live.sqlite3"), width, locale="zh-CN")
    try:
        teacher.goto(base + "/teach/banks/new")
        teacher.fill("#source", "bank: x\ntitle: {en: X, zh: 甲}\nquestions:\n  - id: a\n    prompt: Note: this\n")
        teacher.click("form.bank-editor button.primary")
        teacher.wait_for_selector(".problems", timeout=WAIT)
        problem = teacher.inner_text(".problems li")
        assert teacher.get_attribute(".problems a[data-goto-line]", "data-goto-line") == "5"
        assert "冒号" in problem and "mapping values" not in problem
        assert no_sideways_scroll(teacher)
        shot(teacher, f"teacher-yaml-error-zh-{width}.png")
        teacher.click("a[href='/teach/guide/question-format']", modifiers=[])
        teacher.wait_for_url(re.compile(r".*/teach/guide/question-format$"), timeout=WAIT)
        assert teacher.inner_text("h1") == "The question-bank format, version 1"
        assert no_sideways_scroll(teacher)
        shot(teacher, f"teacher-format-guide-{width}.png")
    finally:
        teacher.context.close()
    assert errors == [], f"browser errors: {errors}"


@pytest.mark.parametrize("width", [390, 1280])
def test_class_page_assignments_and_a_password_reset(browser, live_server, tmp_path, width):
    base, database = live_server, str(tmp_path / "live.sqlite3")
    teacher, errors = teacher_page(browser, base, database, width)
    student = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US").new_page()
    student.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        teacher.goto(base + "/teach/")
        teacher.fill("#name", "Year7B-Chinese-reading-and-writing-with-a-long-unbroken-name")
        teacher.click("text=Create class")
        teacher.wait_for_url(re.compile(r".*/teach/classes/\d+$"))
        class_url = teacher.url
        code = teacher.inner_text("code.class-code.big")
        sign_up(student, base, "李雷")
        student.goto(base + "/classes/join")
        student.fill("#code", code)
        student.click("main button[type=submit].primary")

        # Assign with a date; assigning again without one keeps it; a past date is refused.
        teacher.goto(class_url)
        teacher.select_option("#bank", "sample")
        teacher.fill("#due_on", "2030-01-15")
        teacher.click("form[action$='/assignments'] button.primary")
        teacher.select_option("#bank", "sample")
        teacher.click("form[action$='/assignments'] button.primary")
        assert "Assigned, due January 15, 2030." in teacher.inner_text("main")
        assert "Jan 15, 2030" in teacher.inner_text("#assignments + .table-wrap")
        teacher.select_option("#bank", "sample")
        teacher.fill("#due_on", "2020-03-01")
        teacher.click("form[action$='/assignments'] button.primary")
        assert "The due date March 1, 2020 has already passed" in teacher.inner_text("main")
        assert "Jan 15, 2030" in teacher.inner_text("#assignments + .table-wrap")
        assert no_sideways_scroll(teacher), "the class page fits the screen"
        shot(teacher, f"teacher-class-page-{width}.png")

        # Reset the student's password: shown once; the student must choose a new one.
        teacher.on("dialog", lambda dialog: dialog.accept())
        teacher.click("#roster + .table-wrap button:has-text('Reset password')")
        teacher.wait_for_selector("#temporary-password", timeout=WAIT)
        temporary = teacher.inner_text("#temporary-password")
        assert no_sideways_scroll(teacher)
        shot(teacher, f"teacher-password-reset-{width}.png")
        student.goto(base + "/progress")
        assert "Sign out (李雷)" not in student.inner_text("body"), "the student's sessions ended"
        student.goto(base + "/signin")
        student.fill("#username", "李雷")
        student.fill("#password", temporary)
        student.click("main button[type=submit].primary")
        student.wait_for_url(re.compile(r".*/account/password$"), timeout=WAIT)
        student.fill("#current", temporary)
        student.fill("#password", "my very own")
        student.fill("#confirm", "my very own")
        student.click("main button[type=submit].primary")
        student.wait_for_url(re.compile(r".*/account/settings$"), timeout=WAIT)
        student.goto(base + "/")
        assert student.url == base + "/"
    finally:
        teacher.context.close()
        student.context.close()
    assert errors == [], f"browser errors: {errors}"


@pytest.mark.parametrize("width", [390, 1280])
def test_renaming_a_question_keeps_its_history_in_the_browser(browser, live_server, tmp_path, width):
    base, database = live_server, str(tmp_path / "live.sqlite3")
    teacher, errors = teacher_page(browser, base, database, width)
    try:
        db = connect(database)
        learner = users.id_for(db, "ms-chen")
        with db.conn:
            db.execute(
                "INSERT INTO attempts (learner_id, bank_id, question_id, question_version, answer, correct, score,"
                " max_score, language, answered_at) VALUES (?, 'sample', 'html-prompt', 1, '\"x\"', 1, 1, 1, 'en',"
                " '2026-01-01T00:00:00+00:00')",
                [learner],
            )
        text = (DATA / "sample.yaml").read_text(encoding="utf-8").replace("  - id: html-prompt\n", "  - id: html-q\n")
        teacher.goto(base + "/teach/banks/sample/edit")
        teacher.fill("#source", text)
        teacher.click("text=Check and preview")
        teacher.wait_for_selector(".preview-modes", timeout=WAIT)
        assert "keeps its learners’ answers and reviews" in teacher.inner_text("#retired-note")
        teacher.check("input[name='rename-html-prompt'][value='html-q']")
        shot(teacher, f"teacher-rename-{width}.png")
        teacher.click("form.publish button.primary")
        teacher.wait_for_url(re.compile(r".*/teach/banks/sample/versions$"), timeout=WAIT)
        assert "html-prompt → html-q" in teacher.inner_text("table.versions")
        moved = db.execute("SELECT question_id FROM attempts WHERE learner_id = ?", [learner]).fetchall()
        assert moved == [("html-q",)]
        db.conn.close()
    finally:
        teacher.context.close()
    assert errors == [], f"browser errors: {errors}"


@pytest.mark.parametrize("width", [390, 1280])
def test_text_typed_when_the_sign_in_ended_can_be_put_back(browser, live_server, tmp_path, width):
    """A check refused because the session ended ("The form expired", then the sign-in page) used to
    lose the text: this tab keeps it, and the editor offers it back after signing in again."""
    base = live_server
    teacher, errors = teacher_page(browser, base, str(tmp_path / "live.sqlite3"), width)
    errors_before = len(errors)
    try:
        typed = "bank: an-hour-of-work\n# every word of it\n"
        teacher.goto(base + "/teach/banks/new")
        assert teacher.locator("#unsaved-text").is_hidden()
        teacher.fill("#source", typed)
        teacher.context.clear_cookies()  # signed out everywhere meanwhile, or the session expired
        teacher.click("form.bank-editor button.primary")
        teacher.wait_for_load_state()
        assert "The form expired" in teacher.inner_text("h1")
        del errors[errors_before:]  # the refused check's 400 is the point of this test
        teacher.goto(base + "/signin?next=/teach/banks/new")
        teacher.fill("#username", "ms-chen")
        teacher.fill("#password", "a long password")
        teacher.click("main button[type=submit].primary")
        teacher.wait_for_url(base + "/teach/banks/new", timeout=WAIT)
        assert teacher.locator("#unsaved-text").is_visible()
        assert typed not in teacher.input_value("#source")
        shot(teacher, f"teacher-unsaved-text-offered-{width}.png")
        teacher.click("#restore-text")
        assert teacher.input_value("#source").replace("\r\n", "\n") == typed
        teacher.click("form.bank-editor button.primary")
        teacher.wait_for_selector(".problems", timeout=WAIT)
        teacher.goto(base + "/teach/banks/new")
        assert teacher.locator("#unsaved-text").is_hidden(), "checked text is a server draft, not offered again"
    finally:
        teacher.context.close()
    assert errors == [], f"browser errors: {errors}"
