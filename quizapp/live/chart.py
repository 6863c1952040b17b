"""The answer chart shown after each live question: server-rendered SVG with presentation attributes
only (the CSP forbids style attributes), a title and a description for screen readers."""

from __future__ import annotations

from markupsafe import Markup, escape

# The shapes and colours of the answer buttons (as Kahoot does): a colour-blind student can go by shape.
SHAPES = ("▲", "◆", "●", "■", "★", "✚", "⬟", "⬢")
COLOURS = ("#d0342c", "#1f5fbf", "#946200", "#1e7a35", "#7b3fb3", "#0f7c86", "#b4478f", "#5a6275")
WIDTH, HEIGHT, TOP, BOTTOM = 640, 260, 28, 44


def answer_chart(
    chart_id: str, title: str, description: str, bars: list[tuple[str, int, bool]], right_label: str
) -> Markup:
    """Vertical bars, one per choice in the order the screens showed them: (label, count, is right).
    The right ones are marked with a check and `right_label`, not by colour alone."""
    inner_h = HEIGHT - TOP - BOTTOM
    top = max([count for _l, count, _r in bars] + [1])
    step = WIDTH / max(len(bars), 1)
    # Text and lines in currentColor (live.css sets it from --fg), so the chart reads in dark mode too.
    parts = [
        f'<line x1="0" y1="{TOP + inner_h}" x2="{WIDTH}" y2="{TOP + inner_h}" stroke="currentColor" '
        'stroke-opacity=".5" stroke-width="1"/>'
    ]
    for i, (label, count, right) in enumerate(bars):
        h = inner_h * count / top
        x = i * step + step * 0.15
        w = step * 0.7
        colour = COLOURS[i % len(COLOURS)]
        mark = "✓ " if right else ""
        outline = ' stroke="currentColor" stroke-width="3"' if right else ""
        parts.append(
            f'<rect class="bar{" right" if right else ""}" x="{x:.1f}" y="{TOP + inner_h - h:.1f}" '
            f'width="{w:.1f}" height="{h:.1f}" fill="{colour}" rx="4"{outline}>'
            f"<title>{escape(label)}: {count}{escape(' — ' + right_label) if right else ''}</title></rect>"
        )
        parts.append(
            f'<text x="{x + w / 2:.1f}" y="{TOP + inner_h - h - 6:.1f}" text-anchor="middle" '
            f'font-size="18" font-weight="700" fill="currentColor">{mark}{count}</text>'
        )
        fits = max(6, int(step / 8))  # characters that fit under a bar at this font size
        short = label if len(label) <= fits else label[: fits - 1] + "…"
        parts.append(
            f'<text x="{x + w / 2:.1f}" y="{HEIGHT - 22}" text-anchor="middle" font-size="13" '
            f'fill="currentColor">{escape(SHAPES[i % len(SHAPES)])} {escape(short)}</text>'
        )
        if right:
            parts.append(
                f'<text x="{x + w / 2:.1f}" y="{HEIGHT - 5}" text-anchor="middle" font-size="12" '
                f'font-weight="700" class="right-label" fill="currentColor">{escape(right_label)}</text>'
            )
    return Markup(
        f'<svg class="chart answer-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{''.join(parts)}</svg>"
    )
