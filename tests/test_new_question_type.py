"""A question type is one class and one template folder: a toy type, defined here and nowhere else,
goes through a teacher's preview, a quiz, a live question and a teacher's question report."""

from __future__ import annotations

import pytest

from .helpers import (
    TOY_BANK,
    answer,
    install_toy_type,
    join,
    make_teacher,
    new_class,
    new_game,
    publish,
    start,
    state,
    step,
    student_in,
)


@pytest.fixture
def app(make_app, tmp_path, monkeypatch):
    """The app with the toy type registered and its template folder on the loader, for this test only."""
    return install_toy_type(make_app(), monkeypatch, tmp_path / "templates")


def test_a_new_type_is_one_class_and_one_template_folder(app):
    teacher = make_teacher(app, app.test_client())

    # The teacher's preview shows the type's question and its right answer; then the bank is published.
    preview = teacher.post("/teach/banks/check", data={"source": TOY_BANK}).get_data(as_text=True)
    assert 'class="toy-question"' in preview and '<span class="toy-expected">maybe</span>' in preview
    assert publish(teacher, TOY_BANK).status_code == 302
    bad = teacher.post("/teach/banks/check", data={"source": TOY_BANK.replace('"maybe"', '"perhaps"')})
    assert "a yes-no-maybe question needs yes, no or maybe" in bad.get_data(as_text=True)

    # A quiz: the type's inputs, its grading, and its feedback (what was given, what was expected).
    class_id, code = new_class(teacher)
    mei = student_in(app, code, "mei")
    quiz_id = start(mei, bank="toy")
    for position in (1, 2):
        page = mei.get(f"/quizzes/{quiz_id}/{position}").get_data(as_text=True)
        assert 'data-question-type="yes-no-maybe"' in page and 'class="toy-question"' in page
        mei.post(f"/quizzes/{quiz_id}/{position}", data={"answer": "perhaps"})  # unreadable: asked again
        assert 'class="toy-question"' in mei.get(f"/quizzes/{quiz_id}/{position}").get_data(as_text=True)
        assert mei.post(f"/quizzes/{quiz_id}/{position}", data={"answer": "no"}).status_code == 302
        feedback = mei.get(f"/quizzes/{quiz_id}/{position}").get_data(as_text=True)
        assert '<span class="toy-given">no</span>' in feedback and 'class="toy-expected"' in feedback
    results = mei.get(f"/quizzes/{quiz_id}/results").get_data(as_text=True)
    assert results.count('<span class="toy-given">no</span>') == 2
    assert '<span class="toy-expected">yes</span>' in results and '<span class="toy-expected">maybe</span>' in results

    # The teacher's question report describes the wrong answers the type's way.
    report = teacher.get(f"/teach/classes/{class_id}/banks/toy").get_data(as_text=True)
    # Two questions, each with a row for all languages and one for English.
    assert report.count('<li>«no» <span class="meta">× 1</span></li>') == 4

    # A live question: the phone's buttons (page and state), the projector, the answer, the chart, the reveal.
    session_id = new_game(teacher, ["sky-blue"], bank="toy")
    phone, token = join(app, session_id, "Mei")
    step(teacher, session_id, "start")
    assert 'class="big-choice toy-live"' in phone.get(f"/live/p/{token}").get_data(as_text=True)
    assert state(phone, token)["s"]["question"]["form"].count('class="big-choice toy-live"') == 3
    assert 'class="toy-projector"' in teacher.get(f"/live/{session_id}").get_data(as_text=True)
    assert answer(phone, token, 1, answer="yes").get_json()["ok"]
    projector = teacher.get(f"/live/{session_id}").get_data(as_text=True)  # the only player answered: results
    assert "<title>yes: 1 — right answer</title>" in projector and "<title>maybe: 0</title>" in projector
    assert '<span class="toy-expected">yes</span>' in projector
    after = state(phone, token)
    assert after["me"]["result"]["correct"] and after["s"]["expected"] == '<span class="toy-expected">yes</span>'
