"""Operators' commands: a consistent backup of the live database, and an integrity check."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import click

from quizapp.core.paths import database_path as _database_path


def database_path() -> str:
    """The database the app would open, without starting the app (Flask's instance folder for this
    package, or QUIZAPP_DATABASE)."""
    from flask import Flask

    return _database_path(Path(Flask("quizapp").instance_path))


def backup_to(source: str, target: Path, progress=None) -> int:
    """Copy a live database with SQLite's online backup API: consistent even while others write.
    Returns the number of pages copied."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=10)
    dst = sqlite3.connect(str(partial))
    try:

        def step(status, remaining, total):
            if progress:
                progress(total - remaining, total)

        src.backup(dst, pages=256, progress=step)
        pages = dst.execute("PRAGMA page_count").fetchone()[0]
        problem = dst.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        dst.close()
        src.close()
    if problem != "ok":
        raise click.ClickException(f"the copy failed its integrity check: {problem}")
    partial.replace(target)  # only a finished, checked copy takes the target's name
    return pages


def integrity(path: str) -> list[str]:
    """PRAGMA integrity_check and foreign_key_check; an empty list means healthy."""
    db = sqlite3.connect(path, timeout=10)
    try:
        problems = [row[0] for row in db.execute("PRAGMA integrity_check") if row[0] != "ok"]
        problems += [
            f"foreign key: {row[0]} row {row[1]} -> {row[2]}" for row in db.execute("PRAGMA foreign_key_check")
        ]
    finally:
        db.close()
    return problems


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
def backup_command(path: Path, force: bool):
    """Copy the live database to PATH (SQLite online backup; safe while the app runs)."""
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists; use --force to replace it")
    source = database_path()
    if not Path(source).exists():
        raise click.ClickException(f"no database at {source}")
    with click.progressbar(length=100, label="backing up", file=sys.stderr) as bar:
        last = [0]

        def progress(done, total):
            share = int(100 * done / max(total, 1))
            bar.update(share - last[0])
            last[0] = share

        pages = backup_to(source, path, progress)
    click.echo(f"backed up {source} to {path} ({pages} pages, integrity ok)")


@click.command("check")
def check_command():
    """Run SQLite's integrity and foreign-key checks on the database; exit 1 on any problem."""
    source = database_path()
    if not Path(source).exists():
        raise click.ClickException(f"no database at {source}")
    try:
        problems = integrity(source)
    except sqlite3.DatabaseError as exc:
        problems = [f"cannot read the database: {exc}"]
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo(f"{source}: integrity ok")
