"""Small server-rendered SVG charts: no JavaScript, no inline styles (the CSP forbids them),
every chart with a title and description for screen readers. Labels are escaped."""

from __future__ import annotations

import unicodedata

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 640, 220, 36, 28, 12


def _frame(chart_id: str, title: str, description: str, body: str) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{body}</svg>"
    )


def bars(
    chart_id: str,
    title: str,
    description: str,
    labels: list[str],
    values: list[float],
    line: list[float | None] | None = None,
    label_every: int = 1,
) -> Markup:
    """Vertical bars (counts), optionally with a 0..1 line on top (a rate such as accuracy)."""
    inner_w, inner_h = WIDTH - PAD_LEFT - 8, HEIGHT - PAD_BOTTOM - PAD_TOP
    top = max(values + [1])
    step = inner_w / max(len(values), 1)
    parts = [
        f'<line x1="{PAD_LEFT}" y1="{PAD_TOP + inner_h}" x2="{WIDTH - 8}" y2="{PAD_TOP + inner_h}" '
        f'stroke="#9aa1b3" stroke-width="1"/>',
        f'<text x="{PAD_LEFT - 6}" y="{PAD_TOP + 10}" text-anchor="end" font-size="11" fill="#5a6275">'
        f"{escape(str(int(top)))}</text>",
        f'<text x="{PAD_LEFT - 6}" y="{PAD_TOP + inner_h}" text-anchor="end" font-size="11" fill="#5a6275">0</text>',
    ]
    for i, (label, value) in enumerate(zip(labels, values)):
        h = inner_h * value / top
        x = PAD_LEFT + i * step + step * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{PAD_TOP + inner_h - h:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}" '
            f'fill="#2b59c3" rx="2"><title>{escape(label)}: {escape(str(value))}</title></rect>'
        )
        if i % label_every == 0:
            parts.append(
                f'<text x="{x + step * 0.35:.1f}" y="{HEIGHT - 8}" text-anchor="middle" font-size="10" '
                f'fill="#5a6275">{escape(label)}</text>'
            )
    if line:
        points = [
            f"{PAD_LEFT + i * step + step / 2:.1f},{PAD_TOP + inner_h * (1 - v):.1f}"
            for i, v in enumerate(line)
            if v is not None
        ]
        if points:
            parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="#17803d" stroke-width="2"/>')
            parts.extend(
                f'<circle cx="{p.split(",")[0]}" cy="{p.split(",")[1]}" r="3" fill="#17803d"/>' for p in points
            )
    return _frame(chart_id, title, description, "".join(parts))


LABEL_UNITS = 28  # what fits left of the bars at 12px: a Latin letter is one unit, a CJK character two


def fit(label: str, units: int) -> str:
    """Shorten a label to the room it has, with an ellipsis; the full text stays in a <title>."""
    used = 0
    for i, char in enumerate(label):
        used += 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if used > units:
            return label[: max(i - 1, 0)] + "…"
    return label


def hbars(chart_id: str, title: str, description: str, labels: list[str], shares: list[float]) -> Markup:
    """Horizontal bars of shares (0..1), one per row, e.g. mastery per topic."""
    row = 26
    height = max(len(labels), 1) * row + 10
    label_w = 190
    inner_w = WIDTH - label_w - 60
    parts = []
    for i, (label, share) in enumerate(zip(labels, shares)):
        y = 5 + i * row
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" font-size="12" fill="#1d2330">'
            f"<title>{escape(label)}</title>{escape(fit(label, LABEL_UNITS))}</text>"
        )
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{inner_w}" height="16" fill="#e8eaf2" rx="3"/>')
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{inner_w * share:.1f}" height="16" fill="#17803d" rx="3"/>'
        )
        parts.append(
            f'<text x="{label_w + inner_w + 6}" y="{y + 16}" font-size="12" fill="#1d2330">{round(share * 100)}%</text>'
        )
    svg = _frame(chart_id, title, description, "".join(parts))
    return Markup(str(svg).replace(f'viewBox="0 0 {WIDTH} {HEIGHT}"', f'viewBox="0 0 {WIDTH} {height}"', 1))
