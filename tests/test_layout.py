"""The package's shape: which feature may import which, walked with ast; and ruff's lint and format."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "quizapp"
FLASK = ("flask", "flask_babel", "flask_wtf", "werkzeug", "wtforms", "jinja2")
# package -> the packages of ours it must never import (the layering core -> {banks, web} ->
# accounts -> learn -> {teach, live} -> the app and its commands; interchange, other tools' files,
# stands on banks and is used by teach and the commands).
FORBIDDEN = {
    "core": {"web", "banks", "interchange", "accounts", "learn", "teach", "live", "cli", "startup", "ops"},
    "banks": {"web", "interchange", "accounts", "learn", "teach", "live", "cli", "startup", "ops"},
    "interchange": {"web", "accounts", "learn", "teach", "live", "cli", "startup", "ops"},
    "web": {"interchange", "accounts", "learn", "teach", "live", "cli", "startup", "ops"},
    "accounts": {"learn", "teach", "live", "cli", "startup", "ops"},
    "learn": {"teach", "live", "cli", "startup", "ops"},
    "teach": {"live", "cli", "startup", "ops"},
    "live": {"teach", "cli", "startup", "ops"},
}
NO_FLASK = {"core", "banks", "interchange"}


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, anywhere in it (lazy imports inside functions count too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: use absolute imports (from quizapp.x.y import ...)"
            names.add(node.module)
            if node.module == "quizapp":
                names.update(f"quizapp.{alias.name}" for alias in node.names)
    return names


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) > 1:
            yield parts[0], path


def test_every_module_lives_in_a_feature_package():
    top = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert top == ["__init__", "cli", "ops", "startup"]
    assert {folder for folder, _path in modules()} == set(FORBIDDEN)


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_package_reaches_across_a_boundary(package):
    crossings = []
    for folder, path in modules():
        if folder != package:
            continue
        for name in imports_of(path):
            parts = name.split(".")
            if parts[0] == "quizapp" and len(parts) > 1 and parts[1] in FORBIDDEN[package]:
                crossings.append(f"{path.relative_to(ROOT)} imports {name}")
            if package in NO_FLASK and parts[0] in FLASK:
                crossings.append(f"{path.relative_to(ROOT)} imports {name} (no Flask in {package}/)")
    assert crossings == []


def test_a_crossing_is_caught(tmp_path):
    """The walker itself: a lazy import inside a function is found."""
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from quizapp.live import store\n", encoding="utf-8")
    assert "quizapp.live" in imports_of(sample)


def test_a_refusal_is_a_user_error_translated_in_one_place():
    """Input is refused by raising core.messages.UserError or a subclass (a message id and its
    parameters), and web.errors.user_message alone translates one: no view reads an exception's args."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for _folder, path in modules()}
    refusals = {"UserError"}
    for tree in trees.values():  # subclasses of subclasses, in any order of files
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and {getattr(b, "id", None) for b in node.bases} & refusals:
                refusals.add(node.name)
    others, args = [], []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
                message = node.exc.args[0]
                if isinstance(message, ast.Call) and getattr(message.func, "id", None) == "N_":
                    name = getattr(node.exc.func, "id", None) or getattr(node.exc.func, "attr", None)
                    if name not in refusals:
                        others.append(f"{path.relative_to(ROOT)}:{node.lineno} raises {name}")
            if isinstance(node, ast.ExceptHandler) and node.name:
                args.extend(
                    f"{path.relative_to(ROOT)}:{inner.lineno} reads {node.name}.args"
                    for inner in ast.walk(node)
                    if isinstance(inner, ast.Attribute)
                    and inner.attr == "args"
                    and getattr(inner.value, "id", None) == node.name
                )
    assert refusals >= {"AnswerError", "GameError"}
    assert others == [] and args == []


def test_ruff_lint_and_format_pass():
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    lint = subprocess.run([ruff, "check", str(ROOT)], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = subprocess.run([ruff, "format", "--check", str(ROOT)], capture_output=True, text=True)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


@pytest.mark.parametrize("script", sorted(p.name for p in (ROOT / "bench").glob("*.py")))
def test_every_benchmark_names_modules_that_exist(script):
    """Benchmarks run by hand, not in CI (their own dependencies are an extra): a moved module must
    not leave one broken until someone tries. Every `quizapp` name they import must exist."""
    import importlib

    missing = []
    for node in ast.walk(ast.parse((ROOT / "bench" / script).read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "quizapp":
            module = importlib.import_module(node.module)
            for alias in node.names:
                if not hasattr(module, alias.name):
                    try:
                        importlib.import_module(f"{node.module}.{alias.name}")
                    except ImportError:
                        missing.append(f"{node.module}.{alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "quizapp":
                    importlib.import_module(alias.name)
    assert missing == []
