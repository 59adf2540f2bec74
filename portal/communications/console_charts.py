"""Server-made SVG bar charts of answer distributions (presentation attributes only, CSP-safe)."""

from __future__ import annotations

from typing import Any

from portal.communications.constants import (
    QuestionKind,
)
from portal.lib.charts import FONT_FAMILY
from portal.lib.i18n import gettext as _


def distribution_svg(distribution: list[tuple[int, int]], *, title: str, colours: Any) -> Any:
    """Bars of answer counts per score, the count above each bar (server-made SVG; only
    presentation attributes, so the page stays within the CSP)."""
    from html import escape

    from markupsafe import Markup

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


def _nps_colour(value: int) -> str:
    return "#c2261f" if value <= 6 else ("#e39b1c" if value <= 8 else "#177245")


def _csat_colour(value: int) -> str:
    return "#2459c7"


def add_charts(figures: dict[str, Any]) -> None:
    """Server-made SVG bars for the NPS (detractors red, passives amber, promoters green) and
    CSAT distributions."""
    for q in figures["questions"]:
        if q["kind"] == QuestionKind.NPS:
            q["chart"] = distribution_svg(
                q["distribution"], title=_("Distribution of the answers"), colours=_nps_colour
            )
        elif q["kind"] == QuestionKind.CSAT:
            q["chart"] = distribution_svg(
                q["distribution"], title=_("Distribution of the answers"), colours=_csat_colour
            )
