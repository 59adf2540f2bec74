"""The leaderboard as an .xlsx file: the same rows and figures as the page (via scorecards)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from portal.lib.i18n import current_locale
from portal.lib.i18n import gettext as _
from portal.lib.spreadsheets import XLSX_TYPE, workbook, yuan
from portal.partners.constants import province_name
from portal.performance.scorecards import Board, ScoreRow

__all__ = ["XLSX_TYPE", "board_xlsx"]


def _cell(unit: str, value: Any) -> Any:
    if value is None:
        return None
    if unit == "money":
        return yuan(int(value))
    if unit == "ratio":
        return round(float(value) * 100, 2)
    return value


def board_xlsx(board: Board, rows: Sequence[ScoreRow]) -> bytes:
    """One sheet: rank, partner, tier, score, then every available metric (money in yuan)."""
    header = [
        _("Rank"),
        _("Rank in tier"),
        _("Partner code"),
        _("Partner"),
        _("Tier"),
        _("Region"),
        _("Score"),
        _("Revenue target (¥)"),
        *[
            _(m.label) + (" (¥)" if m.unit == "money" else " (%)" if m.unit == "ratio" else "")
            for m in board.metrics
        ],
    ]
    data = [
        [
            r.rank,
            r.tier_position,
            r.code,
            r.name,
            r.tier_name,
            province_name(r.province, current_locale.get()),
            r.score,
            yuan(r.target) if r.target else None,
            *[_cell(m.unit, r.figures.get(m.key)) for m in board.metrics],
        ]
        for r in rows
    ]
    return workbook([(board.period.code, header, data)])
