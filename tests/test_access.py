"""Who may reach what: every route in app.url_map, tried as every kind of visitor.

A route missing from ACCESS fails test_every_route_has_an_access_rule, so a new page
cannot ship without someone deciding who may see it.
"""

from __future__ import annotations

import re

import pytest

from quizapp.core.store import connect

from .helpers import DATA, fill_rule, join, make_teacher, new_game, run_cli, sign_up, start
from .media_files import write_media_bank

PUBLIC, OWNER, ACCOUNT, TEACHER, HOST, PLAYER = "public", "owner", "account", "teacher", "host", "player"
CLASS_OWNER, BANK_OWNER = "class owner", "bank owner"  # the teacher whose class or browser-made bank it is
ACCESS = {
    "static": PUBLIC,
    "health.healthz": PUBLIC,
    "auth.sign_in": PUBLIC,
    "auth.sign_up": PUBLIC,
    "auth.sign_out": PUBLIC,
    "account.settings": PUBLIC,
    "account.export": ACCOUNT,
    "account.delete": ACCOUNT,
    "account.change_password": ACCOUNT,
    "account.sign_out_everywhere": ACCOUNT,
    "auth.claim_history": ACCOUNT,
    "student.home": PUBLIC,
    "student.bank": PUBLIC,
    "student.start_quiz": PUBLIC,
    "student.progress": PUBLIC,
    "student.set_language": PUBLIC,
    "student.set_text_mode": PUBLIC,
    "student.set_reading_aid": PUBLIC,
    "student.resume": OWNER,
    "student.question": OWNER,
    "student.answer": OWNER,
    "student.results": OWNER,
    "student.retry": OWNER,
    "study.start": PUBLIC,
    "study.card": PUBLIC,
    "study.rate": PUBLIC,
    "study.next_card": PUBLIC,
    "live.join": PUBLIC,
    "live.index": TEACHER,
    "live.new": TEACHER,
    "live.host": HOST,
    "live.panel": HOST,
    "live.host_events": HOST,
    "live.step": HOST,
    "live.projector_language": HOST,
    "live.manage_player": HOST,
    "live.export": HOST,
    "live.archive": HOST,
    "live.remove": HOST,
    "live.play": PLAYER,
    "live.player_state": PLAYER,
    "live.player_events": PLAYER,
    "live.answer": PLAYER,
    "live.player_text_mode": PLAYER,
    "auth.accept_invite": PUBLIC,
    "student.join_class": ACCOUNT,
    "teacher.dashboard": TEACHER,
    "teacher.invite": TEACHER,
    "teacher.new_bank": TEACHER,
    "teacher.check_bank": TEACHER,
    "teacher.publish_bank": TEACHER,
    "teacher.guide": TEACHER,
    "teacher.draft_preview": TEACHER,  # a draft is its teacher's own: 404 for anyone else
    "teacher.draft_edit": TEACHER,
    "teacher.draft_discard": TEACHER,
    "teacher.create_class": TEACHER,
    "teacher.edit_bank": BANK_OWNER,
    "teacher.bank_versions": BANK_OWNER,
    "teacher.download_version": BANK_OWNER,
    "teacher.export_bank": BANK_OWNER,
    "teacher.import_bank": TEACHER,
    "teacher.import_preview": TEACHER,
    "teacher.class_page": CLASS_OWNER,
    "teacher.assign": CLASS_OWNER,
    "teacher.unassign": CLASS_OWNER,
    "teacher.remove_member": CLASS_OWNER,
    "teacher.reset_password": CLASS_OWNER,
    "teacher.students_csv": CLASS_OWNER,
    "teacher.question_report": CLASS_OWNER,
    "teacher.questions_csv": CLASS_OWNER,
    "teacher.accept_answer": CLASS_OWNER,
    "teacher.upload_media": TEACHER,
    # Content-addressed pictures and clips: a live game's phone has no account (docs/security.md).
    "media.file": PUBLIC,
}
ROLES = ("anonymous", "student", "other_student", "teacher", "other_teacher")
ALLOWED = {
    PUBLIC: set(ROLES),
    OWNER: {"student"},
    ACCOUNT: set(ROLES) - {"anonymous"},
    TEACHER: {"teacher", "other_teacher"},
    HOST: {"teacher"},
    CLASS_OWNER: {"teacher"},
    BANK_OWNER: {"teacher"},
}
FORBIDDEN_NOT_HIDDEN = {TEACHER, HOST, CLASS_OWNER, BANK_OWNER}  # signed-in outsiders get 403, not a redirect


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from quizapp import create_app

    folder = tmp_path_factory.mktemp("access")
    app = create_app(
        {
            "TESTING": True,
            "DATABASE": str(folder / "db.sqlite3"),
            "QUESTIONS_DIR": str(DATA),
            "SECRET_KEY": "access",
            "WTF_CSRF_ENABLED": False,
            "RATE_LIMITS": False,
        }
    )
    cookies = {}
    student = app.test_client()
    sign_up(student, username="student")
    quiz_id = start(student)
    other = app.test_client()
    sign_up(other, username="other")
    start(other)
    teacher = make_teacher(app, app.test_client(), "teacher")
    session_id = new_game(teacher)
    other_teacher = make_teacher(app, app.test_client(), "teacher2")
    new_game(other_teacher)
    _c, token = join(app, session_id, "Mei")
    join(app, session_id, "Tom")
    db = connect(app.config["DATABASE"])
    tom = db.execute("SELECT id FROM live_players WHERE nickname = 'Tom'").fetchone()[0]
    own_bank = (DATA / "sample.yaml").read_text(encoding="utf-8").replace("bank: sample", "bank: mine", 1)
    assert teacher.post("/teach/banks/publish", data={"source": own_bank}).status_code == 302
    class_id = int(teacher.post("/teach/classes", data={"name": "7B"}).location.rsplit("/", 1)[1])
    code = db.execute("SELECT code FROM classes WHERE id = ?", [class_id]).fetchone()[0]
    assert student.post("/classes/join", data={"code": code}).status_code == 302
    teacher.post(f"/teach/classes/{class_id}/assignments", data={"bank": "mine"})
    assignment_id = db.execute("SELECT id FROM assignments").fetchone()[0]
    # A pupil of the class is the one the roster's routes act on: a reset ends their sessions, and a
    # removal takes them off the roster, so it is not the student whose cookie the checks use.
    pupil = app.test_client()
    sign_up(pupil, username="pupil")
    assert pupil.post("/classes/join", data={"code": code}).status_code == 302
    member = db.execute("SELECT id FROM learners WHERE username = 'pupil'").fetchone()[0]
    new_class = other_teacher.post("/teach/classes", data={"name": "8C"})
    assert new_class.status_code == 302
    assert run_cli(app, "banks", "import", str(write_media_bank(folder / "media-bank"))).exit_code == 0
    stored = db.execute("SELECT sha256 || '.' || ext FROM media ORDER BY sha256 LIMIT 1").fetchone()[0]
    invite = re.search(r'/invite/([^"]+)"', teacher.post("/teach/invites").get_data(as_text=True)).group(1)
    for role, client in (
        ("student", student),
        ("other_student", other),
        ("teacher", teacher),
        ("other_teacher", other_teacher),
    ):
        cookies[role] = client.get_cookie("session").value
    values = {
        "quiz_id": quiz_id,
        "position": 1,
        "session_id": session_id,
        "player_id": tom,
        "token": token,
        "bank_id": "mine",
        "card_id": "timeline",
        "filename": "app.css",
        "what": "rename",
        "class_id": class_id,
        "assignment_id": assignment_id,
        "learner_id": member,
        "version": 1,
        "invite_token": invite,
        "name": "question-format",
        "media.file": {"name": stored},  # values for one endpoint only (its `name` is a stored file's)
    }
    return app, cookies, values


def client_as(app, cookies, role):
    client = app.test_client()
    if role != "anonymous":
        client.set_cookie("session", cookies[role])
    return client


def denied(response) -> bool:
    return response.status_code in (403, 404) or (
        response.status_code == 302 and "/signin" in response.headers.get("Location", "")
    )


ENDS_THE_SESSION = {"auth.sign_out", "account.sign_out_everywhere"}  # tried last: the cookie is dead after


def rules(app):
    # Removing the pupil from the class is tried after the other roster routes, which need them in it.
    return sorted(
        app.url_map.iter_rules(),
        key=lambda r: (r.endpoint in ENDS_THE_SESSION, r.endpoint == "teacher.remove_member", r.endpoint),
    )


def test_every_route_has_an_access_rule(world):
    app, _cookies, _values = world
    missing = sorted({r.endpoint for r in rules(app)} - set(ACCESS))
    assert missing == [], f"add these endpoints to ACCESS in {__file__}: {missing}"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_what_it_may(world, role):
    app, cookies, values = world
    for rule in rules(app):
        kind = ACCESS[rule.endpoint]
        if kind == PLAYER:
            continue
        url = fill_rule(rule, {**values, **values.get(rule.endpoint, {})})
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client_as(app, cookies, role).open(url, method=method, data={})
            status = response.status_code
            response.close()  # event streams: the status is enough
            assert status < 500, (role, method, url, status)
            if role in ALLOWED[kind]:
                assert not denied(response), (role, method, url, status)
            else:
                assert denied(response), (role, method, url, status)
                if role in ("student", "other_student") and kind in FORBIDDEN_NOT_HIDDEN:
                    assert status == 403, (role, method, url, status)
                if role == "other_teacher" and kind in (CLASS_OWNER, BANK_OWNER):
                    assert status == 403, (role, method, url, status)


@pytest.mark.parametrize("role", ROLES)
def test_player_links_work_for_their_holder_and_nothing_else(world, role):
    app, cookies, values = world
    for rule in rules(app):
        if ACCESS[rule.endpoint] != PLAYER:
            continue
        for method in sorted(rule.methods & {"GET", "POST"}):
            good = client_as(app, cookies, role).open(
                fill_rule(rule, values), method=method, data={"mode": "en"}, headers={"Accept": "application/json"}
            )
            bad = client_as(app, cookies, role).open(
                fill_rule(rule, {**values, "token": "x" * 32}), method=method, data={"mode": "en"}
            )
            good.close()
            assert good.status_code not in (403, 404) and good.status_code < 500, (role, rule.rule, good.status_code)
            assert bad.status_code == 404, (role, rule.rule, bad.status_code)


RIGHTFUL = {PUBLIC: "student", OWNER: "student", ACCOUNT: "student", PLAYER: "anonymous"}  # teachers' kinds: "teacher"


def test_every_post_without_a_token_is_refused_to_the_user_it_is_for(world):
    """No view checks the CSRF token itself: the app-wide CSRFProtect refuses a POST without one,
    even from the signed-in owner of the quiz, class, game or player link the URL names."""
    app, cookies, values = world
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        for rule in rules(app):
            if "POST" not in rule.methods:
                continue
            role = RIGHTFUL.get(ACCESS[rule.endpoint], "teacher")
            url = fill_rule(rule, {**values, **values.get(rule.endpoint, {})})
            response = client_as(app, cookies, role).post(url, data={"action": "start", "mode": "en", "answer": "0"})
            assert response.status_code == 400, (role, url, response.status_code)
            assert "security token" in response.get_data(as_text=True), (role, url)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
