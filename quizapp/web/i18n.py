"""Interface language (Flask-Babel) and the language questions are shown in, chosen apart.

Interface locales: en, zh (Simplified) and zh_Hant (Traditional, converted from
Simplified by OpenCC). Question text modes: en, zh or both side by side.
"""

from __future__ import annotations

from flask import g, request, session
from flask_babel import (
    Babel,
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    get_locale,
    get_translations,
)
from markupsafe import Markup, escape

from quizapp.core.clock import parse as parse_stamp
from quizapp.core.textnorm import languages_of, pick

LOCALES = {"en": "English", "zh": "简体中文", "zh_Hant": "繁體中文"}
HTML_LANG = {"en": "en", "zh": "zh-Hans", "zh_Hant": "zh-Hant"}
TEXT_MODES = ("en", "zh", "both")
_TRADITIONAL_REGIONS = {"tw", "hk", "mo", "hant"}


def locale_from_header(header_values) -> str:
    """Pick en, zh or zh_Hant from Accept-Language: zh, zh-CN, zh-TW, zh-HK all mean Chinese."""
    for value, _quality in header_values:
        parts = value.replace("_", "-").lower().split("-")
        if parts[0] == "zh":
            return "zh_Hant" if _TRADITIONAL_REGIONS.intersection(parts[1:]) else "zh"
        if parts[0] == "en":
            return "en"
    return "en"


def select_locale() -> str:
    chosen = session.get("locale")
    if chosen in LOCALES:
        return chosen
    return locale_from_header(request.accept_languages)


def current_locale() -> str:
    return str(get_locale() or "en")


def text_mode() -> str:
    """The question language: as chosen, else the interface's own language (a preview may override it)."""
    mode = g.get("text_mode_override") or session.get("text_mode")
    if mode in TEXT_MODES:
        return mode
    return "en" if current_locale() == "en" else "zh"


def chinese_variant() -> str:
    return "zh-Hant" if current_locale() == "zh_Hant" else "zh-Hans"


def interface_language() -> str:
    """The interface language as a text language ('en', 'zh-Hans' or 'zh-Hant'), for `pick`."""
    return "en" if current_locale() == "en" else chinese_variant()


def ui_text(text: dict | None, fallback: str = "") -> str:
    """A bilingual text in the interface language (for labels, menus, charts), else the fallback."""
    if not text:
        return fallback
    return pick(text, interface_language())


def bilingual(text: dict | None, mode: str | None = None, tag: str = "span") -> Markup:
    """Render text in the reader's question mode with the right lang attributes, escaped.

    A text of a one-language bank is shown once, in its own language and marked as such, whatever
    the mode: this is the one place that decides it, so no page shows an empty Chinese line."""
    if not text:
        return Markup("")
    mode = mode or text_mode()
    zh = chinese_variant()
    parts = [("en", "en")] if mode == "en" else [(zh, zh)] if mode == "zh" else [("en", "en"), (zh, zh)]
    has = languages_of(text)
    if len(has) == 1:
        parts = [("en", "en")] if has == ("en",) else [(zh, zh)]
    blocks = [
        Markup('<{t} lang="{l}" class="t t-{c}">{v}</{t}>').format(
            t=Markup(tag), l=lang, c=lang[:2], v=pick(text, lang)
        )
        for lang, _ in parts
    ]
    if len(blocks) == 1:
        return blocks[0]
    return Markup('<{t} class="both">{a}{b}</{t}>').format(t=Markup(tag), a=blocks[0], b=blocks[1])


def one_language_note(text: dict | None) -> Markup:
    """ "In English only" (or Chinese) beside a one-language bank's title, so a reader who chose the
    other question language knows why they see this one; nothing for a bilingual bank."""
    from flask_babel import gettext

    has = languages_of(text)
    if len(has) != 1:
        return Markup("")
    note = gettext("In English only") if has == ("en",) else gettext("In Chinese only")
    return Markup('<span class="only-language">{}</span>').format(note)


def language_code_for_attempt() -> str:
    """What is stored as the language an answer was given in."""
    mode = text_mode()
    return "zh-Hant" if mode == "zh" and chinese_variant() == "zh-Hant" else mode


def _translations():
    """The request's catalog, looked up once: Flask-Babel's own lookup runs for every
    {{ _() }} in a template, and a page has dozens."""
    translations = g.get("_translations")
    if translations is None:
        translations = g._translations = get_translations()
    return translations


def init_app(app) -> None:
    Babel(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(
        lambda string: _translations().ugettext(string),
        lambda singular, plural, n: _translations().ungettext(singular, plural, n),
        newstyle=True,
    )
    app.jinja_env.globals.update(
        bilingual=bilingual,
        pick=pick,
        LOCALES=LOCALES,
        TEXT_MODES=TEXT_MODES,
        HTML_LANG=HTML_LANG,
        html_lang=lambda: HTML_LANG.get(current_locale(), "en"),
        current_locale=current_locale,
        text_mode=text_mode,
        chinese_variant=chinese_variant,
        format_decimal=format_decimal,
        format_percent=format_percent,
        format_datetime=format_datetime,
        format_date=format_date,
        parse_stamp=parse_stamp,
    )
    app.jinja_env.filters["plain"] = lambda text: escape(ui_text(text))
    app.jinja_env.globals["ui_text"] = ui_text
    app.jinja_env.globals["languages_of"] = languages_of
    app.jinja_env.globals["one_language_note"] = one_language_note
