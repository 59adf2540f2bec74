"""The answer distributions of a survey as SVG bars (portal.lib.charts): NPS detractors red,
passives amber, promoters green; CSAT blue."""

from __future__ import annotations

from typing import Any

from portal.communications.feedback.constants import QuestionKind
from portal.lib.charts import distribution_chart
from portal.lib.i18n import gettext as _


def _nps_colour(value: int) -> str:
    return "#c2261f" if value <= 6 else ("#e39b1c" if value <= 8 else "#177245")


def _csat_colour(value: int) -> str:
    return "#2459c7"


def add_charts(figures: dict[str, Any]) -> None:
    """Server-made SVG bars for the NPS (detractors red, passives amber, promoters green) and
    CSAT distributions."""
    for q in figures["questions"]:
        if q["kind"] == QuestionKind.NPS:
            q["chart"] = distribution_chart(
                q["distribution"], title=_("Distribution of the answers"), colours=_nps_colour
            )
        elif q["kind"] == QuestionKind.CSAT:
            q["chart"] = distribution_chart(
                q["distribution"], title=_("Distribution of the answers"), colours=_csat_colour
            )
