"""Small server-rendered SVG charts: no JavaScript, no inline styles (the CSP forbids them),
every chart with a title and description for screen readers. Labels are escaped.

The drawing is sized for a phone: the viewBox is about as wide as a 390 px screen's content, so
13-unit text is ~13 px there (a 640-wide box shrank it to 5-6 px); app.css caps how far a chart grows
on a wide screen. Colours come from classes styled with the page's custom properties (dark mode too).
"""

from __future__ import annotations

import unicodedata

from markupsafe import Markup, escape

WIDTH, HEIGHT = 340, 200
PAD_LEFT, PAD_RIGHT, PAD_BOTTOM, PAD_TOP = 30, 40, 24, 12
FONT = 13


def _frame(chart_id: str, title: str, description: str, body: str, height: int = HEIGHT) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{body}</svg>"
    )


def _text(x: float, y: float, text: str, anchor: str = "middle", css: str = "axis-label") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{FONT}" class="{css}">{escape(text)}</text>'
    )


def bars(
    chart_id: str,
    title: str,
    description: str,
    labels: list[str],
    values: list[float],
    line: list[float | None] | None = None,
    label_every: int = 1,
    line_ticks: tuple[str, str, str] | None = None,
) -> Markup:
    """Vertical bars (counts) on a left axis, optionally with a 0..1 line (a rate such as accuracy) on a
    right axis whose ticks are `line_ticks` (the formatted 0, 50 and 100 per cent)."""
    inner_w, inner_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_BOTTOM - PAD_TOP
    base = PAD_TOP + inner_h
    top = max(values + [1])
    step = inner_w / max(len(values), 1)
    parts = [
        f'<line x1="{PAD_LEFT}" y1="{base}" x2="{PAD_LEFT + inner_w}" y2="{base}" class="axis"/>',
        _text(PAD_LEFT - 5, PAD_TOP + 5, str(int(top)), "end"),
        _text(PAD_LEFT - 5, base, "0", "end"),
    ]
    for i, (label, value) in enumerate(zip(labels, values)):
        h = inner_h * value / top
        x = PAD_LEFT + i * step + step * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}" class="bar" rx="1">'
            f"<title>{escape(label)}: {escape(str(value))}</title></rect>"
        )
        if i % label_every == 0:
            parts.append(_text(x + step * 0.35, HEIGHT - 6, label))
    if line is not None:
        right = PAD_LEFT + inner_w
        parts.append(f'<line x1="{right}" y1="{PAD_TOP}" x2="{right}" y2="{base}" class="axis axis-rate"/>')
        for share, tick in zip((0, 0.5, 1), line_ticks or ("0%", "50%", "100%")):
            parts.append(_text(right + 4, PAD_TOP + inner_h * (1 - share) + 4, tick, "start", "axis-label rate-label"))
        points = [
            (PAD_LEFT + i * step + step / 2, PAD_TOP + inner_h * (1 - v)) for i, v in enumerate(line) if v is not None
        ]
        if points:
            joined = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline points="{joined}" class="rate-line" fill="none" stroke-width="2"/>')
            parts.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" class="rate-point"/>' for x, y in points)
    return _frame(chart_id, title, description, "".join(parts))


LABEL_UNITS = 28  # what fits left of the bars at 13 units: a Latin letter is one unit, a CJK character two


def _units(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def fit(label: str, units: int) -> str:
    """Shorten a label to the room it has, with an ellipsis; the full text stays in a <title>."""
    used = 0
    for i, char in enumerate(label):
        used += _units(char)
        if used > units:
            return label[: max(i - 1, 0)] + "…"
    return label


def hbars(chart_id: str, title: str, description: str, labels: list[str], shares: list[float]) -> Markup:
    """Horizontal bars of shares (0..1), one per row, e.g. mastery per topic."""
    row = 26
    height = max(len(labels), 1) * row + 10
    fitted = [fit(label, LABEL_UNITS) for label in labels]
    # As wide as the longest label needs (about 7 per Latin letter, 13 per CJK character), at most LABEL_UNITS' room.
    label_w = round(min(190, max([60] + [12 + 6.8 * sum(map(_units, short)) for short in fitted])))
    inner_w = WIDTH - label_w - 40
    parts = []
    for i, (label, short, share) in enumerate(zip(labels, fitted, shares)):
        y = 5 + i * row
        parts.append(
            f'<text x="{label_w - 6:.1f}" y="{y + 16}" text-anchor="end" font-size="{FONT}" class="axis-label">'
            f"<title>{escape(label)}</title>{escape(short)}</text>"
        )
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{inner_w}" height="16" class="track" rx="3"/>')
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{inner_w * share:.1f}" height="16" class="share" rx="3"/>'
        )
        parts.append(_text(label_w + inner_w + 5, y + 16, f"{round(share * 100)}%", "start"))
    return _frame(chart_id, title, description, "".join(parts), height)
