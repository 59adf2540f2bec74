"""Server-made SVG charts, identical in pages and PDFs (no JavaScript, no external fonts).

The CJK font is named on the <svg> itself, so WeasyPrint and browsers pick a font that has
Chinese glyphs. Only presentation attributes are used (no style attributes), which keeps pages
within the Content-Security-Policy. Values are integers (minor units for money).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

FONT_FAMILY = "'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
BAR = "#2563eb"
BAR_HIGHLIGHT = "#1e40af"
TARGET = "#f59e0b"
GRID = "#e5e7eb"
TEXT = "#4b5563"


@dataclass(frozen=True)
class Point:
    label: str  # axis label
    value: int
    target: int | None = None
    title: str = ""  # tooltip / accessible text for the bar


def _nice_max(value: int) -> int:
    """A round upper bound for the axis (1, 2, 2.5, 5 x 10^n)."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        bound = int(step * magnitude)
        if bound >= value:
            return bound
    return 10 * magnitude


def bar_chart(
    points: Sequence[Point],
    *,
    title: str,
    axis_format: Callable[[int], str] = str,
    width: int = 640,
    height: int = 240,
    highlight_last: bool = True,
    target_label: str = "",
) -> Markup:
    """A bar chart with an optional target marker per bar; returns safe SVG markup."""
    left, right, top, bottom = 64, 12, 16, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([p.value for p in points] + [p.target or 0 for p in points] + [0])
    scale_max = _nice_max(peak)
    n = max(len(points), 1)
    slot = plot_w / n
    bar_w = max(slot * 0.62, 2)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" role="img" aria-label="{escape(title)}"'
        f' font-family="{escape(FONT_FAMILY)}" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]
    labelled: set[str] = set()
    for i in range(5):  # grid lines and axis labels
        value = scale_max * i // 4
        y = top + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"'
            ' stroke-width="1"/>'
        )
        text = axis_format(value)
        if (peak <= 0 and i) or text in labelled:
            continue  # nothing to scale (all zero) or a repeated value: the baseline says 0
        labelled.add(text)
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{TEXT}">'
            f"{escape(text)}</text>"
        )
    every = max(1, (n + 11) // 12)
    for i, p in enumerate(points):
        x = left + slot * i + (slot - bar_w) / 2
        h = plot_h * max(p.value, 0) / scale_max
        y = top + plot_h - h
        colour = BAR_HIGHLIGHT if highlight_last and i == n - 1 else BAR
        tip = escape(p.title or f"{p.label}: {axis_format(p.value)}")
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" rx="2"'
            f' fill="{colour}"><title>{tip}</title></rect>'
        )
        if p.target:
            ty = top + plot_h - plot_h * p.target / scale_max
            parts.append(
                f'<line x1="{x - 2:.1f}" y1="{ty:.1f}" x2="{x + bar_w + 2:.1f}" y2="{ty:.1f}"'
                f' stroke="{TARGET}" stroke-width="3"/>'
            )
        if i % every == 0 or i == n - 1:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle"'
                f' fill="{TEXT}">{escape(p.label)}</text>'
            )
    if target_label and any(p.target for p in points):
        lx = width - right - 110
        parts.append(
            f'<line x1="{lx}" y1="{height - 6}" x2="{lx + 16}" y2="{height - 6}"'
            f' stroke="{TARGET}" stroke-width="3"/>'
            f'<text x="{lx + 20}" y="{height - 2}" fill="{TEXT}">{escape(target_label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every value above is escaped)


def progress_bar(share: float | None, *, label: str, width: int = 320, height: int = 14) -> Markup:
    """A horizontal progress bar (0..1, capped) for target and tier progress."""
    value = min(max(share or 0.0, 0.0), 1.0)
    fill = BAR if value < 1.0 else "#16a34a"
    return Markup(  # noqa: S704  (label escaped, numbers formatted)
        f'<svg xmlns="http://www.w3.org/2000/svg" class="progress-chart"'
        f' viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img"'
        f' aria-label="{escape(label)}" font-family="{escape(FONT_FAMILY)}">'
        f"<title>{escape(label)}</title>"
        f'<rect x="0" y="0" width="{width}" height="{height}" rx="{height / 2}" fill="{GRID}"/>'
        f'<rect x="0" y="0" width="{width * value:.1f}" height="{height}" rx="{height / 2}"'
        f' fill="{fill}"/></svg>'
    )


def distribution_chart(
    distribution: Sequence[tuple[int, int]], *, title: str, colours: Callable[[int], str]
) -> Markup:
    """Bars of answer counts per score (NPS 0-10, CSAT 1-5), the count above each bar and the
    colour of each bar from `colours(score)`."""
    width, height, top, bottom, gap = 560, 180, 22, 24, 6
    n = max(len(distribution), 1)
    slot = width / n
    peak = max([c for _v, c in distribution] + [1])
    plot = height - top - bottom
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}"'
        f' height="{height}" role="img" aria-label="{escape(title)}"'
        f' font-family="{escape(FONT_FAMILY)}" font-size="12">',
        f'<line x1="0" y1="{top + plot}" x2="{width}" y2="{top + plot}" stroke="#c8d2df"/>',
    ]
    for i, (value, count) in enumerate(distribution):
        h = plot * count / peak
        x = i * slot + gap / 2
        y = top + plot - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot - gap:.1f}" height="{h:.1f}" rx="3"'
            f' fill="{colours(value)}"><title>{value}: {count}</title></rect>'
        )
        cx = x + (slot - gap) / 2
        parts.append(
            f'<text x="{cx:.1f}" y="{y - 5:.1f}" text-anchor="middle" fill="#1b2537">{count}</text>'
        )
        parts.append(
            f'<text x="{cx:.1f}" y="{height - 6}" text-anchor="middle" fill="#58677d">{value}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every interpolated value is a number or escaped)


def line_chart(
    labels: Sequence[str], values: Sequence[int], title: str, css_class: str = ""
) -> Markup:
    """A small line chart (a daily series such as open cases), a dot and tooltip per point."""
    width, height, pad = 640, 200, 32
    top = max(max(values, default=0), 1)
    n = max(len(values) - 1, 1)

    def x(i: int) -> float:
        return pad + i * (width - 2 * pad) / n

    def y(v: int) -> float:
        return height - pad - v * (height - 2 * pad) / top

    points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img"'
        f' aria-label="{escape(title)}"'
        + (f' class="{escape(css_class)}"' if css_class else "")
        + f' font-family="{escape(FONT_FAMILY)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}"'
        ' stroke="#cbd5e1"/>',
        f'<text x="{pad - 6}" y="{y(top) + 4:.1f}" font-size="11" text-anchor="end"'
        f' fill="#64748b">{top}</text>',
        f'<text x="{pad - 6}" y="{height - pad + 4}" font-size="11" text-anchor="end"'
        ' fill="#64748b">0</text>',
        f'<polyline points="{points}" fill="none" stroke="#2459c7" stroke-width="2.5"/>',
    ]
    for i, v in enumerate(values):
        parts.append(
            f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="#2459c7">'
            f"<title>{escape(labels[i])}: {v}</title></circle>"
        )
    step = max(1, len(labels) // 8)
    for i, label in enumerate(labels):
        if i % step == 0 or i == len(labels) - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - pad + 18}" font-size="11"'
                f' text-anchor="middle" fill="#64748b">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every interpolated value is a number or escaped)


def sparkline(values: Sequence[int], *, title: str, width: int = 160, height: int = 36) -> Markup:
    """A small trend line without axes (the last point marked), scaled by its viewBox so that
    it shrinks with its container on a phone; `title` is the accessible text (say the values)."""
    top = max(max(values, default=0), 1)
    n = max(len(values) - 1, 1)
    pad = 3

    def x(i: int) -> float:
        return pad + i * (width - 2 * pad) / n

    def y(v: int) -> float:
        return height - pad - max(v, 0) * (height - 2 * pad) / top

    points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" role="img" aria-label="{escape(title)}"'
        f' preserveAspectRatio="none" font-family="{escape(FONT_FAMILY)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}"'
        f' stroke="{GRID}" stroke-width="1"/>',
    ]
    if values:
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{BAR}" stroke-width="2"'
            ' stroke-linejoin="round" stroke-linecap="round"/>'
        )
        last = len(values) - 1
        parts.append(
            f'<circle cx="{x(last):.1f}" cy="{y(values[last]):.1f}" r="3" fill="{BAR_HIGHLIGHT}"/>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every interpolated value is a number or escaped)
