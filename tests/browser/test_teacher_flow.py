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


def sign_up(page, base: str, username: str) -> None:
    page.goto(base + "/signup")
    page.fill("#username", username)
    page.fill("#password", "a long password")
    page.fill("#confirm", "a long password")
    page.click("main button[type=submit].primary")
    page.wait_for_url(base + "/")


def test_teacher_fixes_a_bank_in_the_page_and_a_student_gets_the_new_question(browser, live_server, tmp_path):
    base, database = live_server, str(tmp_path / "live.sqlite3")
    student = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US").new_page()
    teacher = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US").new_page()
    errors = []
    for page in (student, teacher):
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        # The editor answers 422 on purpose when a bank has errors; Chromium logs that status.
        page.on(
            "console",
            lambda msg: errors.append(msg.text) if msg.type == "error" and "(UNPROCESSABLE" not in msg.text else None,
        )
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
