"""Read aloud, and the alt text of a bank's pictures (templates/_media.html): what each shown language gets.

Read aloud: a "Listen" button beside each language block of a bank text (prompts, choices, card sides).

The button plays the teacher's clip for that language where the bank has one, else the browser's own
speech synthesis (app.js): nothing is sent to a third party. It is rendered `hidden` and app.js shows it
once it knows it can play: at once for a clip, and for synthesis only when the browser has a voice for
the language. It sits beside the text, never inside it: not in a heading (whose name it would join), not
in a choice's `<label>` (a button there is invalid and would take the tap meant for the radio), and it
carries the words to speak in `data-speak`, so ruby annotations (pinyin) shown over the text are never
read out.
"""

from __future__ import annotations

from flask import current_app, has_request_context, url_for
from flask_babel import gettext
from markupsafe import Markup

from quizapp.core.textnorm import pick
from quizapp.web.i18n import shown_languages

# The language speech synthesis is asked for, from a block's lang attribute.
SPEECH_LANG = {"en": "en", "zh-Hans": "zh-CN", "zh-Hant": "zh-TW"}


def listen(text: dict | None, audio: dict | None = None, mode: str | None = None) -> Markup:
    """The Listen buttons for the blocks bilingual(text, mode) shows, one per language, in their order
    (a grid of two under text shown in both languages). `audio` is the bank's clips keyed by language
    ({"zh": {"file": ..., "transcript": ...}}); a card side carries its own (text["audio"])."""
    langs = shown_languages(text, mode)
    if not langs:
        return Markup("")
    if not audio and isinstance(text, dict):
        audio = text.get("audio")
    audio = audio if isinstance(audio, dict) else {}
    parts = [_one(text, lang, audio.get("en" if lang == "en" else "zh")) for lang in langs]
    kind = "listen both-langs" if len(parts) == 2 else "listen"
    return Markup('<div class="{k}">{p}</div>').format(k=kind, p=Markup("").join(parts))


def _one(text: dict, lang: str, clip: dict | None) -> Markup:
    label = gettext("Listen (English)") if lang == "en" else gettext("Listen (Chinese)")
    speech = SPEECH_LANG[lang]
    if not clip or not clip.get("file"):
        button = Markup(
            '<button type="button" class="listen-button" data-speak="{s}" data-speak-lang="{sl}" hidden>'
            '<span class="visually-hidden">{label}</span></button>'
        ).format(s=pick(text, lang), sl=speech, label=label)
        return Markup('<div class="listen-one">{}</div>').format(button)
    transcript = pick({"en": clip.get("transcript", ""), "zh": clip.get("transcript", "")}, lang)
    return Markup(
        '<div class="listen-one">'
        '<button type="button" class="listen-button" data-clip data-speak-lang="{sl}" hidden>'
        '<span class="visually-hidden">{label}</span></button>'
        '<audio preload="none" src="{src}"></audio>'
        '<details class="transcript"><summary>{summary}</summary><p lang="{lang}">{transcript}</p></details>'
        "</div>"
    ).format(
        sl=speech,
        label=label,
        src=media_url(clip["file"]),
        summary=gettext("Transcript"),
        lang=lang,
        transcript=transcript,
    )


def media_url(name: str) -> str:
    """Where a stored picture or clip is served (media.file). A live game's phones get parts of a question
    rendered outside any request (web.questiontypes.renderer), where url_for has no request to build from."""
    if has_request_context():
        return url_for("media.file", name=name)
    root = current_app.config.get("APPLICATION_ROOT") or "/"
    return current_app.url_map.bind("localhost", script_name=root).build("media.file", {"name": name})


def image_alt(alt: dict | None, mode: str | None = None) -> str:
    """A picture's alt text in the language(s) its page shows: both alts joined when questions are shown
    in both languages, as the text beside it is."""
    return " / ".join(pick(alt, lang) for lang in shown_languages(alt, mode))


def init_app(app) -> None:
    app.jinja_env.globals["listen"] = listen
    app.jinja_env.globals["image_alt"] = image_alt
    app.jinja_env.globals["media_url"] = media_url
