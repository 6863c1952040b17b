"""Where the app's files are and the secret key it signs cookies with."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # quizapp/, this file being quizapp/core/paths.py


def resource_dir(name: str) -> Path:
    """`questions/` or `translations/`: beside the package in a source checkout,
    inside it (quizapp/_data/) when installed from a wheel."""
    checkout = _PACKAGE.parent / name
    if checkout.is_dir():
        return checkout
    return _PACKAGE / "_data" / name


def load_secret_key(instance: Path) -> str:
    """Read the instance's secret key, making one on first start (never a hard-coded key).

    O_EXCL makes the first of several workers starting at once the only writer.
    """
    path = instance / "secret_key"
    instance.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):
            key = path.read_text().strip()
            if key:
                return key
            time.sleep(0.01)
        raise RuntimeError(f"{path} is empty; delete it to make a new key")
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key


def database_path(instance: Path) -> str:
    """QUIZAPP_DATABASE, else quizapp.sqlite3 in the instance folder.

    One answer for the app (which passes its own instance folder) and for operator
    commands that must not start the app (a check of a damaged file should report, not migrate)."""
    if os.environ.get("QUIZAPP_DATABASE"):
        return os.environ["QUIZAPP_DATABASE"]
    return str(instance / "quizapp.sqlite3")
