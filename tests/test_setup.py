"""Packaging and configuration: first start, the secret key, env vars, resources in a wheel, the CLI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from quizapp import create_app
from quizapp.core.paths import load_secret_key

from .helpers import DATA, QUIZAPP, ROOT


def test_first_start_creates_and_migrates_the_database_and_loads_banks(tmp_path):
    database = tmp_path / "sub" / "new.sqlite3"
    app = create_app(
        {"TESTING": True, "DATABASE": str(database), "QUESTIONS_DIR": str(ROOT / "questions"), "SECRET_KEY": "x"}
    )
    assert database.exists()
    body = app.test_client().get("/healthz").json
    assert body["banks"] >= 4
    mode = app.test_client().application  # a second start on the same file is a no-op
    assert (
        create_app(
            {"TESTING": True, "DATABASE": str(database), "QUESTIONS_DIR": str(ROOT / "questions"), "SECRET_KEY": "x"}
        )
        .test_client()
        .get("/healthz")
        .json["banks"]
        == body["banks"]
    )
    assert mode is app


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = load_secret_key(tmp_path)
    assert len(first) == 64 and load_secret_key(tmp_path) == first
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_environment_variables_configure_the_app(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZAPP_DATABASE", str(tmp_path / "env.sqlite3"))
    monkeypatch.setenv("QUIZAPP_QUESTIONS", str(DATA))
    monkeypatch.setenv("QUIZAPP_SECRET_KEY", "from-the-environment")
    app = create_app()
    assert app.config["DATABASE"] == str(tmp_path / "env.sqlite3")
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.test_client().get("/healthz").json["banks"] == 1


def test_readme_documents_every_setting_and_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in (
        "QUIZAPP_DATABASE",
        "QUIZAPP_QUESTIONS",
        "QUIZAPP_SECRET_KEY",
        "QUIZAPP_MAX_CONTENT_LENGTH",
        "QUIZAPP_SECURE_COOKIES",
        "quizapp run",
        "quizapp banks validate",
        "quizapp banks import",
        "quizapp users reset-password",
        "quizapp translations update",
        "quizapp translations compile",
        "gunicorn",
        "/healthz",
        "quizapp users create-teacher",
        "quizapp banks schema",
        "quizapp backup",
        "quizapp check",
    ):
        assert name in readme, name
    from quizapp.live.blueprint import SETTINGS

    variables = {
        m
        for path in (ROOT / "quizapp").rglob("*.py")
        for m in re.findall(r"QUIZAPP_[A-Z_]+", path.read_text(encoding="utf-8"))
    }
    variables |= {f"QUIZAPP_{name}" for name in SETTINGS}
    configuration = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    assert sorted(v for v in variables if f"`{v}`" not in configuration) == []
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = [line for line in quick.splitlines() if line.startswith(("pip ", "python"))]
    assert len(commands) == 2


def test_cli_validate_reports_and_exits(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "bank: bad\ntitle: {en: B, zh: 乙}\nquestions:\n  - {id: q, type: choice, prompt: p, "
        "explanation: e, source: s, choices: [a, b]}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [*QUIZAPP, "banks", "validate", str(bad), str(DATA)], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 1
    assert (
        f'{bad}:4:74: questions[0].choices: a "choice" question needs exactly one correct choice (found 0)'
        in result.stderr
    )
    assert "sample.yaml: ok (7 questions, 1 cards)" in result.stdout
    ok = subprocess.run(
        [*QUIZAPP, "banks", "validate", str(ROOT / "questions")], capture_output=True, text=True, cwd=ROOT
    )
    assert ok.returncode == 0, ok.stderr


def test_cli_import_is_atomic_and_reports(tmp_path):
    env = {
        **os.environ,
        "QUIZAPP_DATABASE": str(tmp_path / "cli.sqlite3"),
        "QUIZAPP_QUESTIONS": str(tmp_path),
        "QUIZAPP_SECRET_KEY": "x",
    }
    bad = tmp_path / "bad.yaml"
    bad.write_text("bank: bad\n", encoding="utf-8")
    failed = subprocess.run(
        [*QUIZAPP, "banks", "import", str(DATA), str(bad)], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert failed.returncode == 1 and "nothing imported" in failed.stderr
    bad.unlink()
    done = subprocess.run([*QUIZAPP, "banks", "import", str(DATA)], capture_output=True, text=True, cwd=ROOT, env=env)
    assert done.returncode == 0 and "sample: version 1: 8 added" in done.stdout
    again = subprocess.run([*QUIZAPP, "banks", "import", str(DATA)], capture_output=True, text=True, cwd=ROOT, env=env)
    assert "sample: unchanged (version 1)" in again.stdout


def test_each_bank_file_is_parsed_once_on_start_and_on_import(make_app, tmp_path, monkeypatch):
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from quizapp.banks import bankfile
    from quizapp.cli import cli

    parsed = []
    real_load = bankfile.load
    monkeypatch.setattr(bankfile, "load", lambda data: parsed.append(data) or real_load(data))
    app = make_app(QUESTIONS_DIR=str(ROOT / "questions"))
    files = len(list((ROOT / "questions").glob("*.yaml")))
    assert len(parsed) == files
    parsed.clear()
    result = CliRunner().invoke(cli, ["banks", "import", str(DATA)], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0 and "sample: version 1: 8 added" in result.output
    assert len(parsed) == 1


@pytest.mark.slow
def test_wheel_carries_banks_and_translations(tmp_path):
    """An installed wheel has no checkout beside it: questions/ and translations/ must ship inside."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("quizapp-*.whl")
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    assert (site / "quizapp" / "_data" / "translations" / "zh" / "LC_MESSAGES" / "messages.mo").exists()
    script = (
        "from quizapp.core.paths import resource_dir; q = resource_dir('questions'); "
        "print(q, len(list(q.glob('*.yaml'))), (resource_dir('translations') / 'zh').is_dir(), "
        "resource_dir('docs') / 'question-format.md')"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(site)},
        cwd=tmp_path,
    ).stdout.split()
    assert out[0].startswith(str(site)) and int(out[1]) >= 4 and out[2] == "True"
    assert out[3].startswith(str(site)) and Path(out[3]).is_file(), "the editor's format guide ships too"


def test_create_teacher_asks_for_the_password_twice_and_makes_a_teacher(app):
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from quizapp.cli import cli

    class Runner:
        def invoke(self, args, input):
            return CliRunner().invoke(cli, args, input=input, obj=ScriptInfo(create_app=lambda: app))

    runner = Runner()
    result = runner.invoke(args=["users", "create-teacher", "ms-chen"], input="a long password\na long password\n")
    assert result.exit_code == 0 and "teacher ms-chen created" in result.output
    assert "a long password" not in result.output  # not echoed
    from quizapp.core.store import connect

    row = (
        connect(app.config["DATABASE"])
        .execute("SELECT role, password_hash FROM learners WHERE username = 'ms-chen'")
        .fetchone()
    )
    assert row[0] == "teacher" and row[1].startswith(("scrypt:", "pbkdf2:"))
    again = runner.invoke(args=["users", "create-teacher", "MS-CHEN"], input="another password\nanother password\n")
    assert again.exit_code == 1 and "That username is taken." in again.output
    short = runner.invoke(args=["users", "create-teacher", "mr-li"], input="short\nshort\n")
    assert short.exit_code == 1 and "at least 8 characters" in short.output
    client = app.test_client()
    client.post("/signin", data={"username": "ms-chen", "password": "a long password"})
    assert client.get("/live/new").status_code == 200
