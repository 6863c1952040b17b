"""A teacher in real Chromium reads the question report, sees a typed answer the grader marked wrong,
accepts it with a click, and finds the student's answer re-marked and a new version of the bank."""

from __future__ import annotations

import re

import pytest

from quizapp.accounts import users
from quizapp.core.store import connect

from .helpers import answer, collect_errors, find_question, sign_up

pytestmark = pytest.mark.browser
WAIT = 15_000
TYPED = "Ms Lv"  # what the student types for the feminist the article quotes (Lv Pin)


def test_a_teacher_accepts_a_typed_answer_and_the_students_mark_follows(browser, live_server, tmp_path):
    base = live_server
    db = connect(str(tmp_path / "live.sqlite3"))
    teacher = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US").new_page()
    student = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US").new_page()
    errors = []
    for page in (student, teacher):
        collect_errors(page, errors)
    try:
        sign_up(teacher, base, "ms-chen")
        users.promote_to_teacher(db, users.id_for(db, "ms-chen"))
        teacher.goto(base + "/teach/")
        teacher.fill("#name", "Class 7B")
        teacher.click("button:has-text('Create class')")
        teacher.wait_for_selector(".class-code", timeout=WAIT)
        code = teacher.inner_text(".class-code").strip()
        teacher.select_option("#bank", "sample")
        teacher.click("button:has-text('Assign')")
        teacher.wait_for_selector("text=Assigned, with no due date.", timeout=WAIT)

        # The student answers the whole bank, typing TYPED for the text question.
        sign_up(student, base, "mei")
        student.goto(f"{base}/classes/join?code={code}")
        student.click("main form button.primary")
        student.goto(base + "/banks/sample")
        student.fill("#size", "7")
        student.click("button:has-text('Start the quiz')")
        for _n in range(7):
            student.wait_for_url(re.compile(r".*/quizzes/\d+/\d+$"), timeout=WAIT)
            question = find_question(student, "en")
            if question["type"] == "text":
                student.fill("#answer", TYPED)
                student.click("button[type=submit].primary")
                assert "Not quite" in student.inner_text("#feedback")
            else:
                answer(student, question, "en", keyboard=False)
            student.click("#feedback a.button")
        assert db.execute("SELECT correct FROM attempts WHERE answer = json_quote(?)", [TYPED]).fetchone() == (0,)
        student.goto(base + "/progress")
        assert student.locator("td.correct").first.inner_text() == "6"

        # The teacher opens the class's question report and accepts the typed answer.
        teacher.click("a:has-text('Questions')")
        section = teacher.locator("section[data-question=activist-new-york]")
        typed = section.locator("ul.typed-wrong li")
        assert typed.count() == 1 and TYPED in typed.inner_text() and "× 1" in typed.inner_text()
        typed.get_by_role("button", name=f"Accept {TYPED}").click()
        teacher.wait_for_selector("p.flash", timeout=WAIT)
        flashes = teacher.inner_text("main")
        assert f"{TYPED} is now an accepted answer: bank version 2." in flashes
        assert "1 past answer is now marked right." in flashes
        assert teacher.locator("section[data-question=activist-new-york] ul.typed-wrong").count() == 0
        assert db.execute("SELECT correct, score FROM attempts WHERE answer = json_quote(?)", [TYPED]).fetchone() == (
            1,
            1.0,
        )

        # The bank's versions name the teacher and the changed question; the student's progress counts it right.
        teacher.goto(base + "/teach/banks/sample/versions")
        versions = teacher.inner_text("table.versions")
        assert "ms-chen" in versions and "activist-new-york" in versions
        student.reload()
        assert student.locator("td.correct").first.inner_text() == "7"
    finally:
        db.conn.close()
        student.context.close()
        teacher.context.close()
    assert errors == [], f"browser errors: {errors}"
