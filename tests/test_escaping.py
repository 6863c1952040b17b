"""Bank text with HTML or script is shown as text everywhere a student or teacher sees it."""
from __future__ import annotations

from .test_live import join, make_teacher, new_game, step

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
        as_text=True)
    assert_text_only(phone.get(f"/live/p/{token}").get_data(as_text=True))
