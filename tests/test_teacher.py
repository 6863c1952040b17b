"""Teachers' pages driven through the test client: invitations, banks in the browser, versions,
answer changes, the disk/browser rule, classes, assignments, the roster, reports and CSV."""

from __future__ import annotations

import io
import re

from .helpers import (
    SAMPLE,
    db_of,
    invitation_path,
    make_teacher,
    mine,
    new_class,
    publish,
    quiz_question,
    right_answer,
    sign_up,
    start,
    student_in,
    wrong_answer,
)

# Invitations ---------------------------------------------------------------------------------


def test_an_invitation_makes_one_teacher_and_only_once(app, teacher):
    path = invitation_path(teacher)
    colleague = app.test_client()
    assert "Join as a teacher" in colleague.get(path).get_data(as_text=True)
    response = colleague.post(path, data={"username": "wang", "password": "long enough", "confirm": "long enough"})
    assert response.status_code == 302 and response.location.endswith("/teach/")
    assert colleague.get("/teach/").status_code == 200
    assert db_of(app).execute("SELECT role FROM learners WHERE username = 'wang'").fetchone()[0] == "teacher"
    again = app.test_client()
    used = again.get(path)
    assert used.status_code == 410 and "This invitation has been used or has expired." in used.get_data(as_text=True)
    assert "Page not found" not in used.get_data(as_text=True)
    zh = again.get(path, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "这个邀请已被使用或已过期" in zh
    assert (
        again.post(path, data={"username": "li", "password": "long enough", "confirm": "long enough"}).status_code
        == 410
    )
    assert db_of(app).execute("SELECT count(*) FROM learners WHERE username = 'li'").fetchone()[0] == 0


def test_an_expired_or_forged_invitation_is_refused(app, teacher):
    path = invitation_path(teacher)
    db = db_of(app)
    db.execute("UPDATE teacher_invites SET expires_at = '2000-01-01T00:00:00+00:00'")
    assert app.test_client().get(path).status_code == 410
    assert app.test_client().get("/invite/" + "x" * 32).status_code == 410
    assert (
        db.execute(
            "SELECT count(*) FROM teacher_invites WHERE token_hash LIKE '%' || ? || '%'", [path.rsplit("/", 1)[1]]
        ).fetchone()[0]
        == 0
    ), "only a hash of the token is stored"


def test_a_taken_username_on_an_invitation_keeps_the_link_usable(app, teacher):
    path = invitation_path(teacher)
    page = (
        app.test_client()
        .post(path, data={"username": "teacher", "password": "long enough", "confirm": "long enough"})
        .get_data(as_text=True)
    )
    assert "That username is taken." in page
    assert app.test_client().get(path).status_code == 200


# Banks in the browser --------------------------------------------------------------------------


def test_errors_are_listed_at_their_lines_and_shown_in_place(teacher):
    broken = mine().replace("type: choice", "type: chioce", 1).replace("answer: 43000", "answer: many", 1)
    response = teacher.post("/teach/banks/check", data={"source": broken})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    lines = broken.split("\n")
    wrong_type = lines.index("    type: chioce") + 1
    wrong_number = lines.index("    answer: many") + 1
    assert re.findall(r'data-goto-line="(\d+)"', page) == [str(wrong_type), str(wrong_number)]
    assert f'<li id="line-{wrong_type}" value="{wrong_type}" class="bad">' in page
    assert "unknown question type" in page and "chioce" in page
    assert "type: chioce" in page.split("<textarea")[1], "the text stays in the editor to be fixed"
    leading = teacher.post("/teach/banks/check", data={"source": "\n" + broken}).get_data(as_text=True)
    assert '">\n\nbank: mine' in leading, "HTML drops one newline after <textarea>: the bank's own is kept"
    assert db_of(teacher.application).execute("SELECT count(*) FROM banks WHERE id = 'mine'").fetchone()[0] == 0


def test_errors_come_in_the_teachers_language(app, teacher):
    from flask_babel import force_locale, gettext

    teacher.post("/settings/language", data={"locale": "zh", "next": "/"})
    page = teacher.post("/teach/banks/check", data={"source": "bank: x\n"}).get_data(as_text=True)
    with app.test_request_context(), force_locale("zh"):
        missing = gettext("the field %(key)s is missing") % {"key": "&#39;title&#39;"}
        where = gettext("Line %(line)s, column %(column)s", line=1, column=1)
    assert missing in page and where in page and "is missing" not in page


def test_an_uploaded_file_is_checked_and_put_in_the_editor(teacher):
    data = {"source": "", "upload": (io.BytesIO(mine().encode()), "mine.yaml")}
    page = teacher.post("/teach/banks/check", data=data, content_type="multipart/form-data").get_data(as_text=True)
    assert "Preview: Sample bank" in page
    bad = {"source": "", "upload": (io.BytesIO(b"\xff\xfe not text"), "bad.yaml")}
    response = teacher.post("/teach/banks/check", data=bad, content_type="multipart/form-data")
    assert response.status_code == 422 and "not UTF-8" in response.get_data(as_text=True)


def test_preview_shows_every_question_and_card_in_each_language(teacher):
    page = teacher.post("/teach/banks/check", data={"source": mine()}).get_data(as_text=True)
    modes = dict(
        re.findall(r'data-mode="(\w+)"[^>]*>(.*?)</details>\s*(?=<details class="preview-mode"|</div>)', page, re.S)
    )
    assert set(modes) == {"en", "zh", "both"}
    assert "In which year did China pass" in modes["en"] and "中国在哪一年" not in modes["en"]
    assert "中国在哪一年" in modes["zh"] and "In which year did China pass" not in modes["zh"]
    assert "中国在哪一年" in modes["both"] and "In which year did China pass" in modes["both"]
    questions = re.findall(r"^  - id: ([\w-]+)", SAMPLE.split("cards:")[0], re.M)
    assert re.findall(r'data-question="([\w-]+)"', modes["en"]) == questions
    assert 'type="radio"' in modes["en"], "the answer widgets students use"
    assert "Publishing creates the new bank mine." in page


def test_publishing_records_a_version_with_author_changes_and_yaml(app, teacher):
    assert publish(teacher, mine()).location.endswith("/teach/banks/mine/versions")
    edited = mine().replace("In which year did China pass", "In what year did China pass")
    edited = edited.replace("  - id: html-prompt", "  - id: html-prompt-gone", 1)
    page = teacher.post("/teach/banks/check", data={"source": edited}).get_data(as_text=True)
    assert "version 2 of the bank mine" in page and "civil-code-year" in page.split("What changes")[1]
    publish(teacher, edited)
    versions = teacher.get("/teach/banks/mine/versions").get_data(as_text=True)
    assert versions.count("<td>teacher</td>") == 2
    assert "html-prompt-gone" in versions and "html-prompt" in versions
    download = teacher.get("/teach/banks/mine/versions/1.yaml")
    assert download.get_data(as_text=True) == mine() and "attachment" in download.headers["Content-Disposition"]
    assert teacher.get("/teach/banks/mine/versions/2.yaml").get_data(as_text=True) == edited
    assert teacher.get("/teach/banks/mine/versions/3.yaml").status_code == 404
    db = db_of(app)
    assert (
        db.execute(
            "SELECT retired_at IS NOT NULL FROM questions WHERE bank_id = 'mine' AND id = 'html-prompt'"
        ).fetchone()[0]
        == 1
    )
    assert db.execute("SELECT owner_id FROM banks WHERE id = 'mine'").fetchone()[0] is not None
    assert "Nothing changed" in teacher.post(
        "/teach/banks/publish", data={"source": edited}, follow_redirects=True
    ).get_data(as_text=True)


def test_edit_opens_the_latest_published_text(teacher):
    publish(teacher, mine())
    publish(teacher, mine().replace("Sample bank", "My bank"))
    page = teacher.get("/teach/banks/mine/edit").get_data(as_text=True)
    assert "title: {en: My bank" in page
    assert "bank: sample" in teacher.get("/teach/banks/sample/edit").get_data(as_text=True), "disk banks open from disk"


def test_a_changed_answer_is_announced_confirmed_and_past_attempts_keep_their_marks(app, teacher):
    student = app.test_client()
    sign_up(student)
    quiz_id = start(student)
    answered = {}
    for position in range(1, 8):
        question = quiz_question(app, quiz_id, position)
        if question["id"] == "civil-code-year":
            student.post(f"/quizzes/{quiz_id}/{position}", data=right_answer(question))
            answered = {"position": position, "question": question}
    assert answered, "the sample quiz has civil-code-year"
    changed = SAMPLE.replace('- {en: "2018", zh: "2018年"}', '- {en: "2018", zh: "2018年", correct: true}').replace(
        '- {en: "2020", zh: "2020年", correct: true}', '- {en: "2020", zh: "2020年"}'
    )
    preview = teacher.post("/teach/banks/check", data={"source": changed}).get_data(as_text=True)
    assert "The correct answer of 1 question changes:" in preview and "civil-code-year" in preview
    refused = publish(teacher, changed)
    assert refused.status_code == 422 and "Tick the box" in refused.get_data(as_text=True)
    db = db_of(app)
    assert db.execute("SELECT version FROM banks WHERE id = 'sample'").fetchone()[0] == 1
    assert publish(teacher, changed, confirm_answers="y").status_code == 302
    assert db.execute("SELECT version FROM banks WHERE id = 'sample'").fetchone()[0] == 2
    assert db.execute("SELECT correct, score FROM attempts WHERE question_id = 'civil-code-year'").fetchone() == (
        1,
        1.0,
    )
    results = student.get(f"/quizzes/{quiz_id}/results").get_data(as_text=True)
    assert 'data-score="1.0" data-max="1.0"' in results
    feedback = student.get(f"/quizzes/{quiz_id}/{answered['position']}").get_data(as_text=True)
    assert "edited after you answered" in feedback
    # A new answer is graded by the new key.
    quiz2 = start(student)
    for position in range(1, 8):
        question = quiz_question(app, quiz2, position)
        if question["id"] == "civil-code-year":
            student.post(f"/quizzes/{quiz2}/{position}", data=right_answer(question))
    marks = db.execute(
        "SELECT question_version, correct FROM attempts WHERE question_id = 'civil-code-year' ORDER BY id"
    ).fetchall()
    assert marks == [(1, 1), (2, 1)]
    new_choice = db.execute(
        "SELECT answer FROM attempts WHERE question_id = 'civil-code-year' ORDER BY id DESC"
    ).fetchone()[0]
    assert new_choice == "1", "the right answer is now 2018 (index 1)"


def test_another_teacher_cannot_edit_or_take_over_a_browser_bank(app, teacher):
    publish(teacher, mine())
    other = make_teacher(app, app.test_client(), "other")
    for url in ("/teach/banks/mine/edit", "/teach/banks/mine/versions", "/teach/banks/mine/versions/1.yaml"):
        assert other.get(url).status_code == 403, url
    response = other.post("/teach/banks/check", data={"source": mine().replace("Sample bank", "Stolen")})
    assert response.status_code == 422 and "belongs to another teacher" in response.get_data(as_text=True)
    response = publish(other, mine().replace("Sample bank", "Stolen"))
    assert response.status_code == 422
    assert db_of(app).execute("SELECT version FROM banks WHERE id = 'mine'").fetchone()[0] == 1
    dashboard = other.get("/teach/").get_data(as_text=True)
    assert "/teach/banks/sample/edit" in dashboard and "/teach/banks/mine/edit" not in dashboard


def test_a_restart_keeps_a_browser_edit_until_the_file_on_disk_changes(make_app, tmp_path):
    folder = tmp_path / "questions"
    folder.mkdir()
    (folder / "sample.yaml").write_text(SAMPLE, encoding="utf-8")
    app = make_app(QUESTIONS_DIR=str(folder))
    teacher = make_teacher(app, app.test_client())
    publish(teacher, SAMPLE.replace("Sample bank", "Edited in the browser"))
    make_app(QUESTIONS_DIR=str(folder))  # a restart: the file is as it was
    db = db_of(app)
    assert db.execute("SELECT version, title FROM banks").fetchone() == (
        2,
        '{"en": "Edited in the browser", "zh": "示例题库"}',
    )
    (folder / "sample.yaml").write_text(SAMPLE.replace("Sample bank", "Edited on disk"), encoding="utf-8")
    make_app(QUESTIONS_DIR=str(folder))
    assert db.execute("SELECT version, title FROM banks").fetchone() == (
        3,
        '{"en": "Edited on disk", "zh": "示例题库"}',
    )
    origins = db.execute("SELECT version, origin FROM bank_versions ORDER BY version").fetchall()
    assert origins == [(1, "disk"), (2, "browser"), (3, "disk")]


def test_a_huge_paste_is_refused_with_a_clear_error(teacher):
    response = teacher.post("/teach/banks/check", data={"source": "a" * (1024 * 1024 + 10)})
    assert response.status_code in (400, 413)
    assert (
        db_of(teacher.application).execute("SELECT count(*) FROM bank_versions WHERE origin = 'browser'").fetchone()[0]
        == 0
    )


# Classes ---------------------------------------------------------------------------------------


def test_students_join_with_the_code_and_see_assignments_first(app, teacher):
    class_id, code = new_class(teacher)
    assert re.fullmatch(r"[A-Z2-9]{6}", code) and not set(code) & set("01OIL")
    teacher.post(f"/teach/classes/{class_id}/assignments", data={"bank": "sample", "due_on": "2030-01-15"})
    student = student_in(app, code.lower())
    home = student.get("/").get_data(as_text=True)
    assert home.index("Your assignments") < home.index("All question banks")
    assignment = home.split("Your assignments")[1].split("All question banks")[0]
    assert "Sample bank" in assignment and "Class 7B" in assignment and "2030" in assignment
    assert "0 of 7 questions answered" in assignment
    quiz_id = start(student)
    question = quiz_question(app, quiz_id, 1)
    student.post(f"/quizzes/{quiz_id}/1", data=wrong_answer(question))
    assert "1 of 7 questions answered" in student.get("/").get_data(as_text=True)
    again = student.post("/classes/join", data={"code": code}, follow_redirects=True).get_data(as_text=True)
    assert "already in the class" in again
    assert db_of(app).execute("SELECT count(*) FROM class_members").fetchone()[0] == 1


def test_a_wrong_class_code_says_so_and_joins_nothing(app, teacher):
    new_class(teacher)
    student = app.test_client()
    sign_up(student)
    page = student.post("/classes/join", data={"code": "ZZZZZZ"}).get_data(as_text=True)
    assert "No class has that code" in page
    assert db_of(app).execute("SELECT count(*) FROM class_members").fetchone()[0] == 0


def test_joining_needs_an_account(app, teacher):
    _class_id, code = new_class(teacher)
    response = app.test_client().post("/classes/join", data={"code": code})
    assert response.status_code == 302 and "/signin" in response.location


def test_roster_shows_members_and_removing_keeps_their_progress(app, teacher):
    class_id, code = new_class(teacher)
    student = student_in(app, code)
    quiz_id = start(student)
    student.post(f"/quizzes/{quiz_id}/1", data=right_answer(quiz_question(app, quiz_id, 1)))
    roster = teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True).split('id="roster"')[1]
    assert "<td>mei</td>" in roster
    learner = db_of(app).execute("SELECT id FROM learners WHERE username = 'mei'").fetchone()[0]
    assert teacher.post(f"/teach/classes/{class_id}/members/{learner}/remove").status_code == 302
    assert "<td>mei</td>" not in teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    assert db_of(app).execute("SELECT count(*) FROM attempts WHERE learner_id = ?", [learner]).fetchone()[0] == 1
    assert teacher.post(f"/teach/classes/{class_id}/members/{learner}/remove").status_code == 404


def test_assignment_due_date_can_change_and_assignment_be_removed(app, teacher):
    class_id, _code = new_class(teacher)
    teacher.post(f"/teach/classes/{class_id}/assignments", data={"bank": "sample", "due_on": "2030-01-15"})
    teacher.post(f"/teach/classes/{class_id}/assignments", data={"bank": "sample", "due_on": "2030-02-01"})
    db = db_of(app)
    assert db.execute("SELECT bank_id, due_on FROM assignments").fetchall() == [("sample", "2030-02-01")]
    bad = teacher.post(f"/teach/classes/{class_id}/assignments", data={"bank": "nope"}, follow_redirects=True)
    assert "Not a valid choice" in bad.get_data(as_text=True)
    assignment_id = db.execute("SELECT id FROM assignments").fetchone()[0]
    teacher.post(f"/teach/classes/{class_id}/assignments/{assignment_id}/delete")
    assert db.execute("SELECT count(*) FROM assignments").fetchone()[0] == 0


def test_assigning_again_without_a_date_keeps_it_and_only_clearing_removes_it(app, teacher):
    """Before: assigning a bank again with the date field left empty silently erased its due date."""
    class_id, _code = new_class(teacher)
    url = f"/teach/classes/{class_id}/assignments"
    teacher.post(url, data={"bank": "sample", "due_on": "2030-01-15"})
    again = teacher.post(url, data={"bank": "sample"}, follow_redirects=True).get_data(as_text=True)
    db = db_of(app)
    assert db.execute("SELECT due_on FROM assignments").fetchall() == [("2030-01-15",)]
    assert "Assigned, due January 15, 2030." in again
    both = teacher.post(url, data={"bank": "sample", "due_on": "2030-02-01", "clear_due": "y"}, follow_redirects=True)
    assert "not both" in both.get_data(as_text=True)
    assert db.execute("SELECT due_on FROM assignments").fetchall() == [("2030-01-15",)]
    cleared = teacher.post(url, data={"bank": "sample", "clear_due": "y"}, follow_redirects=True)
    assert "Assigned, with no due date." in cleared.get_data(as_text=True)
    assert db.execute("SELECT due_on FROM assignments").fetchall() == [(None,)]


def test_a_past_due_date_is_refused_with_a_clear_message_and_changes_nothing(app, teacher):
    class_id, _code = new_class(teacher)
    url = f"/teach/classes/{class_id}/assignments"
    teacher.post(url, data={"bank": "sample", "due_on": "2030-01-15"})
    refused = teacher.post(url, data={"bank": "sample", "due_on": "2020-03-01"}, follow_redirects=True)
    assert "The due date March 1, 2020 has already passed" in refused.get_data(as_text=True)
    assert db_of(app).execute("SELECT due_on FROM assignments").fetchall() == [("2030-01-15",)]
    zh = teacher.post(url, data={"bank": "sample", "due_on": "2020-03-01"}, headers={"Accept-Language": "zh"})
    assert "2020年3月1日" in teacher.get(zh.location, headers={"Accept-Language": "zh"}).get_data(as_text=True)


# Reports ---------------------------------------------------------------------------------------


def answer_all(app, client, right: set[str]) -> None:
    quiz_id = start(client)
    for position in range(1, 8):
        question = quiz_question(app, quiz_id, position)
        client.post(
            f"/quizzes/{quiz_id}/{position}",
            data=right_answer(question) if question["id"] in right else wrong_answer(question),
        )


def test_class_and_question_reports_and_their_csv(app, teacher):
    class_id, code = new_class(teacher)
    teacher.post(f"/teach/classes/{class_id}/assignments", data={"bank": "sample"})
    mei = student_in(app, code, "mei")
    mei.post("/settings/text-mode", data={"mode": "zh", "next": "/"})
    answer_all(app, mei, {"civil-code-year", "prosecuted-number"})
    tom = student_in(app, code, "tom")
    answer_all(app, tom, {"prosecuted-number", "civil-code-first-time"})
    outsider = app.test_client()
    sign_up(outsider, username="outsider")
    answer_all(app, outsider, set())
    page = teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    report = page.split('id="report"')[1].split('id="roster"')[0]
    assert "outsider" not in report and "mei" in report and "29%" in report  # 2 of 7 right
    students = teacher.get(f"/teach/classes/{class_id}/students.csv")
    body = students.get_data()
    assert body.startswith(b"\xef\xbb\xbf") and students.mimetype == "text/csv"
    rows = body.decode("utf-8-sig").splitlines()
    assert rows[0] == "Student,Bank,Questions answered,Accuracy,Cards learned,Mastery,Last active"
    assert rows[1].startswith("mei,Sample bank,7,0.286,")
    questions = teacher.get(f"/teach/classes/{class_id}/banks/sample").get_data(as_text=True)
    order = re.findall(r'<section class="question-stats" data-question="([\w-]+)"', questions)
    assert order[-1] == "prosecuted-number", "most missed first; everyone got this one"
    assert 'id="facility-title"' in questions and 'id="facility-by-language-title"' in questions
    assert "civil-code-year · Chinese" in questions.split('id="facility-by-language-desc"')[1].split("</desc>")[0]
    civil = questions.split('data-question="civil-code-year"')[1].split("</section>")[0]
    assert "Chinese" in civil and "English" in civil and "50%" in civil and "100%" in civil and "0%" in civil
    csv_rows = (
        teacher.get(f"/teach/classes/{class_id}/banks/sample/questions.csv").get_data().decode("utf-8-sig").splitlines()
    )
    assert csv_rows[0] == ("Question,Prompt,Language shown,Answered,Facility,Discrimination,Most common wrong answers")
    civil_rows = [r for r in csv_rows if r.startswith("civil-code-year,")]
    assert [r.split(",")[-5:-3] for r in civil_rows] == [["All languages", "2"], ["English", "1"], ["Chinese", "1"]]


def test_csv_headers_follow_the_teachers_language(app, teacher):
    class_id, _code = new_class(teacher)
    teacher.post("/settings/language", data={"locale": "zh", "next": "/"})
    header = teacher.get(f"/teach/classes/{class_id}/students.csv").get_data().decode("utf-8-sig").splitlines()[0]
    assert header.startswith("学生,")


def test_csv_neutralises_formulas_from_bank_text_and_usernames(app, teacher):
    evil = mine().replace("title: {en: Sample bank, zh: 示例题库}", 'title: {en: "=HYPERLINK(1)", zh: "+SUM(1)"}')
    publish(teacher, evil)
    class_id, code = new_class(teacher)
    teacher.post(f"/teach/classes/{class_id}/assignments", data={"bank": "mine"})
    student_in(app, code, "-mei")
    rows = teacher.get(f"/teach/classes/{class_id}/students.csv").get_data().decode("utf-8-sig").splitlines()
    assert rows[1].startswith("'-mei,'=HYPERLINK(1),")
