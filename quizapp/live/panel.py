"""What the projector shows for a game's current phase: the QR code, the answer chart, the lists."""

from __future__ import annotations

import segno
from flask_babel import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup

from quizapp.banks import store as bankstore
from quizapp.core.clock import now as utcnow
from quizapp.live import answers as liveanswers
from quizapp.live import games as livegames
from quizapp.live import players as liveplayers
from quizapp.live.chart import answer_chart
from quizapp.live.game import distribution
from quizapp.web.db import get_db
from quizapp.web.i18n import chinese_variant, pick
from quizapp.web.origin import public_url

# What fits the projector's 1280×720 without scrolling; the full ranking is in the CSV export.
NAMES_SHOWN = 60  # nicknames in the lobby, then "and N more"
LEADERS_SHOWN = 8  # places on the leaderboard screen
RUNNERS_UP_SHOWN = 5  # places after the podium's three
# Characters of a question as the projector shows it (prompt and choices, in its language or both)
# from which its type is set smaller, so the longest questions of the banks still fit the screen.
DENSE, DENSER = 250, 500


def shown_length(question: dict, mode: str) -> int:
    langs = ("en", "zh") if mode == "both" else (mode,)
    texts = [question["prompt"]] + [choice["text"] for choice in question.get("choices") or []]
    return sum(
        len(text) if isinstance(text, str) else sum(len(text.get(lang) or "") for lang in langs) for text in texts
    )


def density(question: dict, mode: str) -> str:
    length = shown_length(question, mode)
    return "denser" if length > DENSER else "dense" if length > DENSE else ""


def qr_code(url: str):
    """The join address as an inline SVG (no style attributes, so the CSP allows it)."""
    svg = segno.make(url, error="m").svg_inline(
        scale=1, omitsize=True, svgclass="qr", lineclass=None, title=_("QR code of %(url)s", url=url)
    )
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))


def chart_for(game: dict, entry: dict, answers: list[dict]):
    question = entry["question"]
    bars = distribution(question, entry["choice_order"], [(a["answer"], a["score"]) for a in answers])
    mode = game["text_mode"]

    def label(bar):
        if not bar.text:
            return _(bar.message)
        if mode == "both":
            return f"{pick(bar.text, 'en')} / {pick(bar.text, chinese_variant())}"
        return pick(bar.text, "en" if mode == "en" else chinese_variant())

    labels = [(label(b), b.count, b.correct) for b in bars]
    described = "; ".join(
        _("%(answer)s: %(count)s", answer=label, count=format_decimal(count))
        + (" (" + _("right answer") + ")" if right else "")
        for label, count, right in labels
    )
    return answer_chart(f"chart-{game['position']}", _("How the class answered"), described, labels, _("right answer"))


def panel_context(game: dict) -> dict:
    """Everything the projector shows for the game's current phase."""
    db = get_db()
    join_url = public_url("live.join")
    context = {
        "game": game,
        "bank": bankstore.get_bank(db, game["bank_id"]),
        "join_url": join_url,
        "players": liveplayers.players(db, game["id"]),
        "projector_mode": game["text_mode"],
        "at": f"{game['phase']}:{game['position']}",
        "NAMES_SHOWN": NAMES_SHOWN,
        "LEADERS_SHOWN": LEADERS_SHOWN,
        "RUNNERS_UP_SHOWN": RUNNERS_UP_SHOWN,
    }
    if game["phase"] == "lobby":
        context["qr"] = qr_code(f"{join_url}?code={game['code']}")
    if game["position"]:
        entry = livegames.question_at(db, game, game["position"])
        context.update(
            entry=entry,
            q=entry["question"],
            answered=liveanswers.answered(db, game["id"], game["position"]),
            density=density(entry["question"], game["text_mode"]),
        )
        if entry["clock"]:
            now = utcnow()
            context.update(
                remaining_ms=entry["clock"].remaining_ms(now), reading_ms=entry["clock"].reading_left_ms(now)
            )
        if game["phase"] in ("results", "ended"):
            context["chart"] = chart_for(game, entry, liveanswers.answers_at(db, game["id"], game["position"]))
    if game["phase"] in ("results", "leaderboard", "ended"):
        context["standings"] = liveanswers.standings(db, game)
    return context
