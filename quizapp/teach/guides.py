"""The teachers' guides served by the app (/teach/guide/...), rendered from docs/*.md, so the
editor links to a page and not to a path in the repository."""

from __future__ import annotations

import functools
from pathlib import Path

from flask import abort, render_template, url_for
from markdown_it import MarkdownIt
from markupsafe import Markup

from quizapp.core.paths import resource_dir
from quizapp.teach.blueprint import bp

GUIDES = ("question-format", "teachers")  # docs/<name>.md, and the wheel's quizapp/_data/docs/


def _path(name: str) -> Path:
    return resource_dir("docs") / f"{name}.md"


@functools.lru_cache(maxsize=len(GUIDES) * 4)
def _render(name: str, modified: float, link_prefix: str) -> tuple[str, str]:
    """(title, HTML) of a guide: raw HTML in the file is escaped (html=False), and links between the
    guides point to their pages here."""
    markdown = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = markdown.parse(_path(name).read_text(encoding="utf-8"))
    title = name
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1":
            title = tokens[index + 1].content
            break
    for token in tokens:
        for child in token.children or ():
            href = child.attrGet("href") if child.type == "link_open" else None
            if href and href.endswith(".md") and href[:-3] in GUIDES:
                child.attrSet("href", link_prefix + href[:-3])
    return title, markdown.renderer.render(tokens, markdown.options, {})


@bp.get("/guide/<name>")
def guide(name: str):
    if name not in GUIDES or not _path(name).is_file():
        abort(404)
    prefix = url_for("teacher.guide", name="x")[:-1]
    title, body = _render(name, _path(name).stat().st_mtime, prefix)
    return render_template("teacher/guide.html", title=title, body=Markup(body))
