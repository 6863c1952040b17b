"""Bank text with HTML or script is shown as text everywhere a student or teacher sees it."""

from __future__ import annotations

from .helpers import SAMPLE, join, make_teacher, new_class, new_game, quiz_question, sign_up, start, step

RAW = "<script>alert('x')</script>"
SHOWN = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"


def assert_text_only(page: str):
    assert RAW not in page and "<b>bold</b>" not in page and "<b>粗体</b>" not in page
    assert SHOWN in page


def test_flashcard_of_a_question_with_html(client):
    client.post("/settings/text-mode", data={"mode": "both", "next": "/"})
    assert_text_only(client.get("/study/sample/html-prompt?side=back").get_data(as_text=True))


def test_projector_and_phone_show_html_as_text(app):
    teacher = make_teacher(app, app.test_client())
    session_id = new_game(teacher, questions=["html-prompt"])
    phone, token = join(app, session_id, "<i>Mei</i>")
    step(teacher, session_id, "start")
    projector = teacher.get(f"/live/{session_id}").get_data(as_text=True)
    assert_text_only(projector)
    assert "<i>Mei</i>" not in projector and "<i>Mei</i>" not in teacher.get(f"/live/{session_id}/panel").get_data(
        as_text=True
    )
    assert_text_only(phone.get(f"/live/p/{token}").get_data(as_text=True))


def test_teacher_preview_editor_and_reports_show_html_as_text(app):
    teacher = make_teacher(app, app.test_client())
    assert_text_only(teacher.post("/teach/banks/check", data={"source": SAMPLE}).get_data(as_text=True))
    broken = SAMPLE.replace("type: true_false\n    topic: safety", "type: nope\n    topic: safety")
    editor = teacher.post("/teach/banks/check", data={"source": broken}).get_data(as_text=True)
    assert_text_only(editor)
    class_id, code = new_class(teacher, name="<b>7B</b>")
    assert "<b>7B</b>" not in teacher.get("/teach/").get_data(as_text=True)
    student = app.test_client()
    sign_up(student)
    student.post("/classes/join", data={"code": code})
    quiz_id = start(student)
    for position in range(1, 8):
        question = quiz_question(app, quiz_id, position)
        form = (
            {"answer": RAW}
            if question["type"] == "text"
            else {"answer": "false"}
            if question["type"] == "true_false"
            else None
        )
        if form:
            student.post(f"/quizzes/{quiz_id}/{position}", data=form)
    report = teacher.get(f"/teach/classes/{class_id}/banks/sample").get_data(as_text=True)
    assert_text_only(report)
    assert "<b>7B</b>" not in report
    assert RAW not in teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True)
