"""What responses must not give away: downloads kept in shared caches, error text from /healthz."""

from __future__ import annotations

import logging

import pytest

from .helpers import mine, new_class, publish, student_in


def test_every_download_is_marked_no_store(app, teacher):
    """Before: no Cache-Control, so a shared lab browser or a proxy could keep a student's data."""
    class_id, code = new_class(teacher)
    student = student_in(app, code)
    assert publish(teacher, mine()).status_code == 302
    downloads = [
        student.get("/account/export.json"),
        teacher.get(f"/teach/classes/{class_id}/students.csv"),
        teacher.get(f"/teach/classes/{class_id}/banks/sample/questions.csv"),
        teacher.get("/teach/banks/mine/versions/1.yaml"),
    ]
    for response in downloads:
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.headers["Cache-Control"] == "no-store"


def test_ordinary_pages_keep_their_caching(client):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")


def test_healthz_says_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json()["status"] == "ok"


@pytest.mark.parametrize("broken", ["a-directory", "a-file/quizapp.sqlite3"])
def test_healthz_does_not_echo_why_the_database_failed(app, tmp_path, caplog, broken):
    """Before: {"database": "unable to open database file"} or the OS error with the server's paths."""
    (tmp_path / "a-directory").mkdir()
    (tmp_path / "a-file").write_text("not a folder")
    app.config["DATABASE"] = str(tmp_path / broken)
    with caplog.at_level(logging.ERROR, logger="quizapp.health"):
        response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json() == {"status": "error"}
    assert str(tmp_path) not in response.get_data(as_text=True)
    assert any(r.exc_info for r in caplog.records), "the reason is in the server's log"
