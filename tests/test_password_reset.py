"""Password reset without email: a teacher resets a student of their own class, an operator any
account from the command line. The temporary password works once; the student must choose a new
one before anything else, and every session they had ends. The attacks are tried too."""

from __future__ import annotations

import re

from .helpers import db_of, make_teacher, new_class, run_cli, sign_up, student_in

PASSWORD = "correct horse"


def reset(teacher, class_id: int, learner_id: int):
    return teacher.post(f"/teach/classes/{class_id}/members/{learner_id}/reset-password")


def learner_id(app, name: str) -> int:
    return db_of(app).execute("SELECT id FROM learners WHERE username = ?", [name]).fetchone()[0]


def temporary_from(page: str) -> str:
    return re.search(r'<code id="temporary-password">([^<]+)</code>', page).group(1)


def test_a_teacher_resets_a_student_of_their_class(app, teacher):
    class_id, code = new_class(teacher)
    phone = student_in(app, code, "mei")
    laptop = app.test_client()
    assert laptop.post("/signin", data={"username": "mei", "password": PASSWORD}).status_code == 302
    roster = teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    assert f"/teach/classes/{class_id}/members/{learner_id(app, 'mei')}/reset-password" in roster

    response = reset(teacher, class_id, learner_id(app, "mei"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    temporary = temporary_from(page)
    assert len(temporary) >= 12 and "shown only this once" in page
    assert f'name="next" value="/teach/classes/{class_id}#roster"' in page, "a language switch lands on GET"
    assert temporary not in teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True)

    # Every session of the student has ended; the old password no longer works.
    for device in (phone, laptop):
        assert "/signin" in device.get("/account/password").location
    refused = app.test_client().post("/signin", data={"username": "mei", "password": PASSWORD})
    assert refused.status_code == 200 and "Wrong username or password." in refused.get_data(as_text=True)

    # The temporary password signs in once, and leads only to choosing a new one.
    student = app.test_client()
    signed_in = student.post("/signin", data={"username": "mei", "password": temporary})
    assert signed_in.status_code == 302
    for path in ("/", "/progress", "/study/", "/account/settings"):
        assert student.get(path).location == "/account/password", path
    form = student.get("/account/password").get_data(as_text=True)
    assert "temporary password" in form
    changed = student.post(
        "/account/password", data={"current": temporary, "password": "my own secret", "confirm": "my own secret"}
    )
    assert changed.status_code == 302
    assert student.get("/").status_code == 200
    again = app.test_client()
    assert again.post("/signin", data={"username": "mei", "password": temporary}).status_code == 200
    assert again.post("/signin", data={"username": "mei", "password": "my own secret"}).status_code == 302


def test_a_teacher_cannot_reset_a_student_outside_their_classes(app, teacher):
    class_id, code = new_class(teacher)
    student_in(app, code, "mei")
    other = make_teacher(app, app.test_client(), "other-teacher")
    other_class, other_code = new_class(other, "8C")
    student_in(app, other_code, "tom")
    db = db_of(app)
    before = db.execute("SELECT username, password_hash FROM learners ORDER BY id").fetchall()
    # Another teacher's class: 403. A student of another class through one's own class: 404.
    assert reset(teacher, other_class, learner_id(app, "tom")).status_code == 403
    assert reset(teacher, class_id, learner_id(app, "tom")).status_code == 404
    # A student in no class at all.
    sign_up(app.test_client(), username="lone")
    assert reset(teacher, class_id, learner_id(app, "lone")).status_code == 404
    # A student may not reset anyone.
    mei = app.test_client()
    mei.post("/signin", data={"username": "mei", "password": PASSWORD})
    assert reset(mei, class_id, learner_id(app, "mei")).status_code == 403
    assert db.execute(
        "SELECT username, password_hash FROM learners WHERE username != 'lone' ORDER BY id"
    ).fetchall() == [row for row in before]


def test_a_teacher_cannot_reset_another_teacher_or_themselves(app, teacher):
    class_id, code = new_class(teacher)
    other = make_teacher(app, app.test_client(), "other-teacher")
    assert other.post("/classes/join", data={"code": code}).status_code == 302, "a teacher joined as a member"
    assert teacher.post("/classes/join", data={"code": code}).status_code == 302
    db = db_of(app)
    before = db.execute("SELECT password_hash FROM learners ORDER BY id").fetchall()
    assert reset(teacher, class_id, learner_id(app, "other-teacher")).status_code == 403
    assert reset(teacher, class_id, learner_id(app, "teacher")).status_code == 403
    assert db.execute("SELECT password_hash FROM learners ORDER BY id").fetchall() == before
    assert other.get("/teach/").status_code == 200, "the other teacher is still signed in"


def test_a_reset_without_the_csrf_token_is_refused(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    app.config["WTF_CSRF_ENABLED"] = False
    teacher = make_teacher(app, app.test_client())
    class_id, code = new_class(teacher)
    student_in(app, code, "mei")
    app.config["WTF_CSRF_ENABLED"] = True
    before = db_of(app).execute("SELECT password_hash FROM learners WHERE username = 'mei'").fetchone()
    forged = reset(teacher, class_id, learner_id(app, "mei"))
    assert forged.status_code == 400 and "security token" in forged.get_data(as_text=True)
    assert db_of(app).execute("SELECT password_hash FROM learners WHERE username = 'mei'").fetchone() == before


def test_an_operator_resets_any_account_from_the_command_line(app):
    sign_up(app.test_client(), username="mei")
    result = run_cli(app, "users", "reset-password", "mei")
    assert result.exit_code == 0, result.output
    temporary = re.search(r"temporary password for mei: (\S+)", result.output).group(1)
    client = app.test_client()
    assert client.post("/signin", data={"username": "mei", "password": temporary}).status_code == 302
    assert client.get("/").location == "/account/password"
    missing = run_cli(app, "users", "reset-password", "nobody")
    assert missing.exit_code == 1 and "no account is called 'nobody'" in missing.output
