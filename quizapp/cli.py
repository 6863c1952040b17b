"""The `quizapp` command: run the app, validate and import banks, manage translations."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, FlaskGroup

from quizapp import create_app
from quizapp.banks.bankfile import validate_all
from quizapp.core import migrations
from quizapp.core.messages import UserError
from quizapp.core.paths import resource_dir
from quizapp.core.store import connect, write
from quizapp.ops import backup_command, check_command
from quizapp.startup import import_valid

banks_cli = AppGroup("banks", help="Validate and import YAML question banks.")
translations_cli = AppGroup("translations", help="Extract, update and compile the interface translations.")
users_cli = AppGroup("users", help="Manage users.")


@users_cli.command("create-teacher")
@click.argument("username")
@click.password_option(
    "--password", prompt="Password", confirmation_prompt=True, help="Asked for without echo when not given."
)
def create_teacher(username, password):
    """Create a teacher account (the first teacher is made here; teachers can host live games)."""
    from quizapp.accounts import users

    db = connect(current_app.config["DATABASE"])
    try:
        with write(db):  # the account and its role together: no teacher without the role
            users.promote_to_teacher(db, users.sign_up(db, username, password, None))
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.conn.close()
    click.echo(f"teacher {username} created")


@users_cli.command("reset-password")
@click.argument("username")
def reset_password(username):
    """Give an account a temporary password (printed once) and end its sessions; its owner must
    choose a new password at the next sign-in. For when a password is forgotten: there is no email."""
    from quizapp.accounts import users

    db = connect(current_app.config["DATABASE"])
    try:
        learner_id = users.id_for(db, username)
        if learner_id is None:
            raise click.ClickException(f"no account is called {username!r}")
        temporary = users.reset_password(db, learner_id)
    finally:
        db.conn.close()
    click.echo(f"temporary password for {username}: {temporary}")
    click.echo("it works once: at the next sign-in they must choose a new password; every session has ended")


def _print_problems(reports) -> int:
    bad = 0
    for report in reports:
        if report.problems:
            bad += 1
            for line in report.lines():
                click.echo(line, err=True)
    return bad


@banks_cli.command("validate", with_appcontext=False)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def banks_validate(paths):
    """Check bank files (or folders of them); print every problem as file:line:col: field: message."""
    reports = validate_all(paths)
    if not reports:
        raise click.ClickException("no .yaml files found")
    bad = _print_problems(reports)
    for report in reports:
        if report.ok:
            click.echo(f"{report.path}: ok ({len(report.bank.questions)} questions, {len(report.bank.cards)} cards)")
    sys.exit(1 if bad else 0)


def _import_options(separator, row_separator, roles, bank, title, language) -> dict:
    """What `convert` and `import` may correct of what a reader detected (see docs/import-export.md)."""
    unescape = lambda v: v.replace("\\t", "\t").replace("\\n", "\n") if v else v  # noqa: E731
    options = {
        "separator": unescape(separator),
        "row_separator": unescape(row_separator),
        "roles": roles.split(",") if roles else None,
        "bank": bank,
        "title": title,
        "language": language,
    }
    return {k: v for k, v in options.items() if v}


IMPORT_OPTIONS = [
    click.option("--separator", help="Field separator of a text file: a character, or \\t for a tab."),
    click.option("--row-separator", help="Row separator of a text file (default: newline), e.g. ';'."),
    click.option(
        "--roles", help="What each column or Anki field is: en, zh, pinyin, back, topics, guid, skip (comma-separated)."
    ),
    click.option("--bank", "bank_id", help="The bank id to give an imported file (default: from its name)."),
    click.option("--title", help="The title to give an imported file (default: its name or deck)."),
    click.option(
        "--language",
        type=click.Choice(["en", "zh"]),
        help="One-language files and Kahoot/Quizlet exports: which language.",
    ),
]


def _with_import_options(command):
    for option in reversed(IMPORT_OPTIONS):
        command = option(command)
    return command


@banks_cli.command("convert", with_appcontext=False)
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.argument("target", type=click.Path(dir_okay=False))
@_with_import_options
def banks_convert(source, target, separator, row_separator, roles, bank_id, title, language):
    """Convert a bank between our YAML and Anki (.apkg), Quizlet/Anki text (.txt), Moodle XML (.xml),
    GIFT (.gift), Kahoot (.xlsx) and CSV/TSV, by the files' endings; a .zip target is the bank with its
    pictures and clips (an .apkg's included). Nothing is written on an error."""
    from quizapp.interchange.common import FormatError
    from quizapp.interchange.files import convert

    options = _import_options(separator, row_separator, roles, bank_id, title, language)
    try:
        report, notes = convert(source, target, options)
    except FormatError as exc:
        raise click.ClickException(str(exc)) from None
    for note in notes:
        click.echo(note, err=True)
    if _print_problems([report]):
        click.echo("nothing written: fix the problems above first", err=True)
        sys.exit(1)
    bank = report.bank
    left = sum(1 for note in notes if note.startswith(f"{target}:"))
    click.echo(
        f"{target}: written from {len(bank.questions)} questions and {len(bank.cards)} cards"
        + (f" ({left} notes above on what the format could not hold)" if left else "")
    )


@banks_cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@_with_import_options
def banks_import(paths, separator, row_separator, roles, bank_id, title, language):
    """Validate, then import every bank in one transaction: all land, or nothing changes. Besides
    YAML, a file may be any format `banks convert` reads (an .apkg, a Quizlet export, ...)."""
    from quizapp.banks.mediastore import Known
    from quizapp.interchange.files import YAML, load

    options = _import_options(separator, row_separator, roles, bank_id, title, language)
    others = [p for p in paths if Path(p).is_file() and Path(p).suffix.lower() not in YAML]
    db = connect(current_app.config["DATABASE"])
    try:
        migrations.apply(db)
        reports = validate_all([p for p in paths if p not in others])
        for path in others:
            # A zip's pictures already stored here (a re-import) are taken as stored, not re-encoded.
            report, notes = load(path, options, wrap=lambda source: Known(db, source))
            for note in notes:
                click.echo(note, err=True)
            reports.append(report)
        if not reports:
            raise click.ClickException("no .yaml files found")
        if _print_problems(reports):
            click.echo("nothing imported: fix the problems above first", err=True)
            sys.exit(1)
        results, _bad = import_valid(db, reports)
    finally:
        db.conn.close()
    for r in results:
        if r.unchanged:
            click.echo(f"{r.bank_id}: unchanged (version {r.version})")
        else:
            click.echo(
                f"{r.bank_id}: version {r.version}: {len(r.added)} added, {len(r.changed)} changed, "
                f"{len(r.retired)} retired, {len(r.restored)} restored"
            )


@banks_cli.command("schema", with_appcontext=False)
def banks_schema():
    """Print the JSON Schema of the bank format (docs/bank.schema.json is this output)."""
    import json

    from quizapp.banks.schema import bank_schema

    click.echo(json.dumps(bank_schema(), indent=2, ensure_ascii=False))


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True)


@translations_cli.command("update", with_appcontext=False)
def translations_update():
    """Extract every marked message and merge it into each catalog."""
    root = resource_dir("translations")
    pot = root / "messages.pot"
    package = Path(__file__).resolve().parent
    _pybabel(
        "extract",
        "-F",
        str(root / "babel.cfg"),
        "-k",
        "_l",
        "-k",
        "N_",
        "--no-location",
        "--sort-output",
        "-o",
        str(pot),
        str(package),
    )
    _pybabel("update", "-i", str(pot), "-d", str(root), "-l", "zh", "--no-fuzzy-matching")


@translations_cli.command("compile", with_appcontext=False)
def translations_compile():
    """Compile the catalogs; Traditional Chinese (zh_Hant) is made from zh with OpenCC."""
    from quizapp.core.catalogs import compile_all

    compile_all(resource_dir("translations"))
    click.echo("compiled")


cli = FlaskGroup(create_app=create_app, help="quizapp: a bilingual quiz and flashcard app.")
cli.add_command(banks_cli)
cli.add_command(translations_cli)
cli.add_command(users_cli)
cli.add_command(backup_command)
cli.add_command(check_command)


def main() -> None:
    cli(prog_name="quizapp")
