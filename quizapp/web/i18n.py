"""Interface language (Flask-Babel) and the language questions are shown in, chosen apart.

Interface locales: en, zh (Simplified) and zh_Hant (Traditional, converted from
Simplified by OpenCC). Question text modes: en, zh or both side by side.
"""

from __future__ import annotations

from babel.dates import format_skeleton
from flask import g, has_request_context, request, session
from flask_babel import (
    Babel,
    force_locale,
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    get_locale,
    get_translations,
    gettext,
)
from markupsafe import Markup, escape

from quizapp.core import readings
from quizapp.core.clock import parse as parse_stamp
from quizapp.core.textnorm import languages_of, pick

LOCALES = {"en": "English", "zh": "简体中文", "zh_Hant": "繁體中文"}
HTML_LANG = {"en": "en", "zh": "zh-Hans", "zh_Hant": "zh-Hant"}
TEXT_MODES = ("en", "zh", "both")
READING_AIDS = ("off", "pinyin", "zhuyin")
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


def reading_aid() -> str:
    """Pinyin or zhuyin over Chinese question text, or off: the learner's choice, kept in the session
    (and on their learner row, from which sign-in restores it). Off where there is no reader: the live
    game renders its phones' shared fragments outside any request."""
    if not has_request_context():
        return "off"
    aid = session.get("reading_aid")
    return aid if aid in READING_AIDS else "off"


def _corrections() -> dict[str, str]:
    """The banks' reading corrections, read once per request (only on a page that shows readings)."""
    if "_reading_corrections" not in g:
        from quizapp.banks.store import reading_corrections
        from quizapp.web.db import get_db

        g._reading_corrections = reading_corrections(get_db())
    return g._reading_corrections


def preview_readings(readings: dict[str, str]) -> None:
    """A bank not yet published is previewed with its own corrections first: the teacher sees what
    publishing its `readings:` will show."""
    g._reading_corrections = {**_corrections(), **readings}


def ruby(text: dict, lang: str, aid: str) -> Markup:
    """A text's Chinese with its reading over each character, `<ruby>字<rt data-r="zì"></rt></ruby>`.

    The reading is drawn by CSS from data-r (rt::before, see app.css), not written as text, and the
    rt is aria-hidden: so copying the text gives the characters only, find-in-page matches 民法典
    across the rubies, and a screen reader reads the text once, as words (the CSS lays ruby out
    inline, or Chromium would read 民 法 典). Readings come from the Simplified text; the Traditional
    one takes them character by character, and is shown plain if OpenCC changed its length (the
    positions no longer match)."""
    found = readings.segments(text["zh"], aid, _corrections())
    shown = pick(text, lang)
    if lang == "zh-Hant":
        found = readings.map_segments(found, shown)
        if found is None:
            return escape(shown)
    return Markup("").join(
        Markup('<ruby>{c}<rt aria-hidden="true" data-r="{r}"></rt></ruby>').format(c=chars, r=reading)
        if reading
        else escape(chars)
        for chars, reading in found
    )


def aided(text: dict, lang: str) -> Markup | str:
    """One language of a text as shown to this reader: with pinyin or zhuyin over the Chinese when they
    asked for it (see ruby), else as it is. bilingual() and the cloze sentence (whose text comes in
    pieces between its blanks) both show text through this."""
    aid = reading_aid()
    return ruby(text, lang, aid) if aid != "off" and lang != "en" and text.get("zh") else pick(text, lang)


def ruby_class(lang: str) -> str:
    """The class a block of Chinese takes when it carries readings (its line height makes room)."""
    aid = reading_aid()
    return f" has-ruby ruby-{aid}" if aid != "off" and lang != "en" else ""


def interface_language() -> str:
    """The interface language as a text language ('en', 'zh-Hans' or 'zh-Hant'), for `pick`."""
    return "en" if current_locale() == "en" else chinese_variant()


def ui_text(text: dict | None, fallback: str = "") -> str:
    """A bilingual text in the interface language (for labels, menus, charts), else the fallback."""
    if not text:
        return fallback
    return pick(text, interface_language())


def shown_languages(text: dict | None, mode: str | None = None) -> list[str]:
    """The lang of each block a text is shown in ('en', 'zh-Hans', 'zh-Hant'), in order, for the reader's
    question mode; a text of a one-language bank is shown once, in its own language, whatever the mode.
    bilingual(), the Listen buttons and pictures' alt text all follow it, so they never disagree."""
    if not text:
        return []
    mode = mode or text_mode()
    zh = chinese_variant()
    has = languages_of(text)
    if len(has) == 1:
        return ["en"] if has == ("en",) else [zh]
    return ["en"] if mode == "en" else [zh] if mode == "zh" else ["en", zh]


def bilingual(text: dict | None, mode: str | None = None, tag: str = "span") -> Markup:
    """Render text in the reader's question mode with the right lang attributes, escaped.

    A text of a one-language bank is shown once, in its own language and marked as such, whatever
    the mode: this is the one place that decides it, so no page shows an empty Chinese line."""
    if not text:
        return Markup("")
    blocks = [
        Markup('<{t} lang="{l}" class="t t-{c}{r}">{v}</{t}>').format(
            t=Markup(tag), l=lang, c=lang[:2], r=ruby_class(lang), v=aided(text, lang)
        )
        for lang in shown_languages(text, mode)
    ]
    if len(blocks) == 1:
        return blocks[0]
    return Markup('<{t} class="both">{a}{b}</{t}>').format(t=Markup(tag), a=blocks[0], b=blocks[1])


def question_label(message: str, mode: str | None = None, **params) -> Markup:
    """A label that belongs to the question (True/False, "Correct answer", a field's label, a card's
    buttons): in the interface language, but in both languages when questions are shown in both, so a
    reader who chose both never meets a label in only one. Each message is looked up once per request
    and locale: force_locale reloads the catalog."""
    if (mode or text_mode()) != "both":
        return escape(_translations().ugettext(message) % params if params else _translations().ugettext(message))
    cache = g.setdefault("_question_labels", {})
    zh_locale = "zh_Hant" if chinese_variant() == "zh-Hant" else "zh"
    texts = []
    for locale in ("en", zh_locale):
        if (message, locale) not in cache:
            with force_locale(locale):
                cache[(message, locale)] = gettext(message)
        texts.append(cache[(message, locale)] % params if params else cache[(message, locale)])
    return Markup(
        '<span class="both-label"><span lang="en">{en}</span> <span lang="{zh}">{zh_text}</span></span>'
    ).format(en=texts[0], zh=chinese_variant(), zh_text=texts[1])


def format_day(day) -> str:
    """A day without its year in the reader's locale ("Nov 29", "11月29日"): the one format the progress
    page uses for days, in charts and tables alike."""
    return format_skeleton("MMMd", day, locale=get_locale() or "en")


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
        question_label=question_label,
        N_=lambda message: message,  # marks a message for extraction where question_label translates it
        pick=pick,
        LOCALES=LOCALES,
        TEXT_MODES=TEXT_MODES,
        HTML_LANG=HTML_LANG,
        html_lang=lambda: HTML_LANG.get(current_locale(), "en"),
        current_locale=current_locale,
        text_mode=text_mode,
        reading_aid=reading_aid,
        aided=aided,
        ruby_class=ruby_class,
        READING_AIDS=READING_AIDS,
        chinese_variant=chinese_variant,
        format_decimal=format_decimal,
        format_percent=format_percent,
        format_datetime=format_datetime,
        format_date=format_date,
        format_day=format_day,
        parse_stamp=parse_stamp,
    )
    app.jinja_env.filters["plain"] = lambda text: escape(ui_text(text))
    app.jinja_env.globals["ui_text"] = ui_text
    app.jinja_env.globals["languages_of"] = languages_of
    app.jinja_env.globals["one_language_note"] = one_language_note
