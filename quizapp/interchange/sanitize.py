"""HTML from Anki fields, Moodle and GIFT to plain text: no markup ever reaches a bank.

Tags are dropped (their text kept), script and style with their content, entities decoded, and
<br>, </p>, </div>, </li> become line breaks. What comes out is text, escaped when shown like
every bank text; so nothing of the HTML can run. Moodle's multilang spans are read by
`multilang` first so that each language is kept apart.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

_BREAKS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}
_DROP = {"script", "style", "head", "title", "template", "object", "iframe", "svg", "math"}
_TAGLIKE = re.compile(r"<(?=[A-Za-z/!?])")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_MULTILANG = re.compile(
    r"<span\b(?=[^>]*\bclass\s*=\s*[\"']?multilang)[^>]*\blang\s*=\s*[\"']?([A-Za-z_-]+)[^>]*>(.*?)</span>",
    re.I | re.S,
)
_MULTILANG_NEW = re.compile(r"\{mlang\s+([A-Za-z_-]+)\}(.*?)\{mlang\}", re.I | re.S)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _DROP:
            self.dropping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "img":  # an image cannot come along; its alt text says what it showed
            alt = dict(attrs).get("alt")
            if alt and not self.dropping:
                self.parts.append(alt)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in _DROP:
            self.dropping -= 1

    def handle_endtag(self, tag):
        if tag in _DROP:
            self.dropping = max(0, self.dropping - 1)
        elif tag in _BREAKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.dropping:
            self.parts.append(data)


def defuse(text: str) -> str:
    """A plain-text cell (a Quizlet row, a spreadsheet cell) keeps its words, never a tag: `<b>` is
    shown as `‹b>`, so no imported text is markup even where the file said it had none."""
    return _TAGLIKE.sub("‹", text)


def to_text(html: str | None) -> str:
    """Plain text of an HTML fragment, spaces collapsed, at most one blank line kept."""
    if not html:
        return ""
    if "<" not in html and "&" not in html:
        return _SPACES.sub(" ", html).strip()
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = unescape("".join(parser.parts))  # what convert_charrefs left (an entity split by a tag)
    # Text that still reads as a tag once decoded (`&lt;script&gt;`) keeps its words, not its
    # brackets: a bank never holds anything an HTML reader could take for markup. `3 < 5` stays.
    text = _TAGLIKE.sub("‹", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def multilang(html: str | None) -> dict[str, str]:
    """Moodle's multilang spans (`<span lang="zh_cn" class="multilang">`, and the newer
    `{mlang zh_cn}...{mlang}`) as our languages; text outside them counts for every language."""
    if not html:
        return {}
    found: dict[str, list[str]] = {}
    for pattern in (_MULTILANG, _MULTILANG_NEW):
        for lang, inner in pattern.findall(html):
            code = lang.lower().replace("-", "_")
            ours = "zh" if code.startswith("zh") else "en" if code.startswith("en") else None
            if ours:
                found.setdefault(ours, []).append(inner)
    if not found:
        text = to_text(html)
        return {"en": text, "zh": text} if text else {}
    rest = to_text(_MULTILANG_NEW.sub("", _MULTILANG.sub("", html)))
    result = {lang: to_text(" ".join(parts)) for lang, parts in found.items()}
    if rest:
        result = {lang: f"{rest} {text}".strip() for lang, text in result.items()}
    return {lang: text for lang, text in result.items() if text}


def multilang_html(text: dict) -> str:
    """Our text as Moodle multilang spans (en, zh_cn), escaped; one language needs no span."""
    from html import escape

    langs = [lang for lang in ("en", "zh") if text.get(lang)]
    if len(langs) == 1 or (len(langs) == 2 and text["en"] == text["zh"]):
        return escape(text[langs[0]], quote=False)
    code = {"en": "en", "zh": "zh_cn"}
    return "".join(
        f'<span lang="{code[lang]}" class="multilang">{escape(text[lang], quote=False)}</span>' for lang in langs
    )
