"""Faults: concurrent writers, and a server killed mid-import, lose nothing and corrupt nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

from quizapp.core.store import connect

from .helpers import DATA, QUIZAPP, ROOT, join, make_teacher, new_game, quiz_question, right_answer, start, step, take


def test_many_threads_answering_at_once_never_see_a_locked_database(app):
    clients = [app.test_client() for _ in range(16)]
    quizzes = [start(c) for c in clients]
    statuses, errors = [], []

    def play(client, quiz_id):
        try:
            for position in range(1, 8):
                client.get(f"/quizzes/{quiz_id}/{position}")
                form = right_answer(quiz_question(app, quiz_id, position))
                statuses.append(client.post(f"/quizzes/{quiz_id}/{position}", data=form).status_code)
        except Exception as exc:  # noqa: BLE001 - any error is the failure we look for
            errors.append(repr(exc))

    threads = [threading.Thread(target=play, args=pair) for pair in zip(clients, quizzes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and set(statuses) == {302} and len(statuses) == 16 * 7
    db = connect(app.config["DATABASE"])
    assert db.execute("SELECT count(*) FROM attempts").fetchone()[0] == 16 * 7
    assert db.execute("SELECT count(*) FROM review_logs").fetchone()[0] == 16 * 7


IMPORTER = """
import sys
from quizapp.core import migrations
from quizapp.banks.bankfile import validate_bytes
from quizapp.banks.store import import_banks
from quizapp.core.store import connect
db = connect(sys.argv[1])
migrations.apply(db)
text = open(sys.argv[2], encoding="utf-8").read()
banks = [(validate_bytes(text.replace("bank: sample", f"bank: copy-{n}").encode(), "x").bank, "x") for n in range(400)]
print("ready", flush=True)
while True:
    import_banks(db, banks)
    for bank, _ in banks:
        bank.content_hash += "!"   # force a full re-import next round
"""


def test_a_kill_during_an_import_leaves_it_whole_or_absent(tmp_path):
    database = tmp_path / "kill.sqlite3"
    process = subprocess.Popen(
        [sys.executable, "-c", IMPORTER, str(database), str(DATA / "sample.yaml")], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "ready"
    time.sleep(0.6)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    db = connect(database)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    banks = db.execute("SELECT count(*) FROM banks").fetchone()[0]
    assert banks in (0, 400)
    counts = {row[0] for row in db.execute("SELECT count(*) FROM questions GROUP BY bank_id")}
    assert counts <= {7}
    versions = {row[0] for row in db.execute("SELECT version FROM banks")}
    assert len(versions) <= 1  # every bank at the same version: no round landed half-way


def test_backup_copies_a_live_database_consistently_and_check_reports(tmp_path, make_app):
    app = make_app()
    client = app.test_client()
    take(app, client, start(client), [True, True])
    env = {
        **os.environ,
        "QUIZAPP_DATABASE": app.config["DATABASE"],
        "QUIZAPP_QUESTIONS": str(DATA),
        "QUIZAPP_SECRET_KEY": "x",
    }
    copy = tmp_path / "backups" / "copy.sqlite3"
    done = subprocess.run([*QUIZAPP, "backup", str(copy)], capture_output=True, text=True, cwd=ROOT, env=env)
    assert done.returncode == 0 and "integrity ok" in done.stdout
    assert connect(copy).execute("SELECT count(*) FROM attempts").fetchone()[0] == 2
    again = subprocess.run([*QUIZAPP, "backup", str(copy)], capture_output=True, text=True, cwd=ROOT, env=env)
    assert again.returncode != 0 and "--force" in again.stderr
    check = subprocess.run([*QUIZAPP, "check"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert check.returncode == 0 and "integrity ok" in check.stdout
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(copy.read_bytes()[:4096] + b"\x00" * 8192)
    bad = subprocess.run(
        [*QUIZAPP, "check"], capture_output=True, text=True, cwd=ROOT, env={**env, "QUIZAPP_DATABASE": str(broken)}
    )
    assert bad.returncode == 1 and "Traceback" not in bad.stderr and bad.stderr.strip()


SERVER = """
import sys
from werkzeug.serving import make_server
from quizapp import create_app
app = create_app({"DATABASE": sys.argv[1], "QUESTIONS_DIR": sys.argv[2], "SECRET_KEY": "kill-test",
                  "WTF_CSRF_ENABLED": False, "RATE_LIMITS": False})
server = make_server("127.0.0.1", 0, app, threaded=True)
print(server.server_port, flush=True)
server.serve_forever()
"""


def start_server(database):
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(database), str(DATA)], stdout=subprocess.PIPE, text=True
    )
    return process, f"http://127.0.0.1:{process.stdout.readline().strip()}"


def test_a_kill_during_a_live_game_keeps_every_acknowledged_answer(make_app):
    """SIGKILL the server while 40 phones answer; every answer it acknowledged is still there,
    the database is intact, and the restarted server carries on with the same game."""
    import requests

    app = make_app()
    teacher = make_teacher(app, app.test_client())
    session_id = new_game(teacher, timer="0")
    tokens = [join(app, session_id, f"player{n}")[1] for n in range(40)]
    step(teacher, session_id, "start")
    process, url = start_server(app.config["DATABASE"])
    acknowledged, lock = [], threading.Lock()

    def play(token):
        try:
            response = requests.post(
                f"{url}/live/p/{token}/answer",
                data={"position": "1", "answer": "2"},
                headers={"Accept": "application/json"},
                timeout=10,
            )
            if response.status_code == 200 and response.json().get("ok"):
                with lock:
                    acknowledged.append(token)
        except requests.RequestException:
            pass  # the server died before answering: this answer was never acknowledged

    threads = [threading.Thread(target=play, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    deadline = time.time() + 10
    while len(acknowledged) < 10 and time.time() < deadline:
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    for thread in threads:
        thread.join()
    assert len(acknowledged) >= 10
    db = connect(app.config["DATABASE"])
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {
        row[0]
        for row in db.execute(
            "SELECT p.token FROM live_answers a JOIN live_players p ON p.id = a.player_id WHERE a.session_id = ?",
            [session_id],
        )
    }
    assert set(acknowledged) <= stored
    process, url = start_server(app.config["DATABASE"])  # the restart
    try:
        for token in tokens:
            response = requests.post(
                f"{url}/live/p/{token}/answer",
                data={"position": "1", "answer": "2"},
                headers={"Accept": "application/json"},
                timeout=10,
            )
            assert response.status_code == 200 and response.json()["ok"]
            assert response.json()["created"] == (token not in stored)
    finally:
        process.kill()
        process.wait()
    assert db.execute("SELECT count(*), count(DISTINCT player_id) FROM live_answers").fetchone() == (40, 40)
