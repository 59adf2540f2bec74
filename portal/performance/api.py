"""Performance JSON API (/api/v1): a partner's own scorecard, and the leaderboard for vendor
staff (channel managers: their partners). Bad periods answer 400 with a readable message."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get
from litestar.exceptions import HTTPException
from litestar.params import Parameter

from portal.auth.constants import Access
from portal.lib import clock
from portal.lib.i18n import gettext as _
from portal.lib.inputs import QueryId
from portal.performance import views
from portal.performance.access import get_partner_for_user
from portal.performance.console import filter_rows
from portal.performance.periods import Period, PeriodError, last_closed
from portal.performance.schemas import BoardOut, BoardRowOut, KpiOut, ScorecardOut
from portal.web import current_user, not_found

PERIOD_HELP = (
    "`period` is a month (2026-10), a quarter (2026-Q4) or a year (2026). Without it, the last "
    "closed month (on 2 December: November), as on the portal's pages. A running period (the "
    "current month, quarter or year, named explicitly) counts to date, today included, and its "
    "growth figures compare it with the same days of the previous period (1–2 December against "
    "1–2 November) and of the previous year."
)


# the periods Period.parse reads (years 2000-2100), or nothing: the document says so (schema_extra,
# not enforced by Litestar), and _period refuses anything else with a readable 400
PeriodQuery = Annotated[
    str,
    Parameter(schema_extra={"pattern": r"^$|^(20[0-9]{2}|2100)(-(0?[1-9]|1[0-2])|-?[Qq][1-4])?$"}),
]


def _period(text: str) -> Period:
    if not text:
        return last_closed("month", clock.today())
    try:
        return Period.parse(text)
    except PeriodError:
        raise HTTPException(
            status_code=400, detail=_("Write the period as 2026-10, 2026-Q4 or 2026.")
        ) from None


class PerformanceApi(Controller):
    path = "/performance"

    @get(
        "/scorecard",
        name="api_performance:scorecard",
        opt={"access": Access.USER},
        description="Partners: their own scorecard. Vendor staff: a partner in their scope "
        "(`partner_id`). " + PERIOD_HELP,
    )
    async def scorecard(
        self,
        request: Request,
        period: PeriodQuery = "",
        partner_id: QueryId = None,
    ) -> ScorecardOut:
        """Partners: their own scorecard. Vendor staff: a partner in their scope (partner_id)."""
        user = current_user(request)
        chosen = _period(period)
        if user.is_partner:
            target_id = user.partner_id
        elif user.is_vendor and partner_id is not None:
            target_id = int((await get_partner_for_user(user, partner_id))["id"])
        elif user.is_vendor:
            # a rule, not a format: the document cannot say "required for vendor staff"
            raise HTTPException(status_code=422, detail=_("Name a partner with partner_id."))
        else:
            raise not_found()
        assert target_id is not None
        card = await views.scorecard(target_id, chosen)
        if not card:
            raise not_found()
        row = card["row"]
        return ScorecardOut(
            partner_id=target_id,
            period=chosen.code,
            revenue_amount=card["revenue"],
            target_amount=card["target"],
            score=row.score,
            rank_band=card["band"],
            tier=row.tier_code,
            advice=card["advice"],
            kpis=[
                KpiOut(
                    key=k["key"],
                    label=k["label"],
                    value=k["value"],
                    display=k["display"],
                    previous=k["previous"],
                    change=k["change"],
                )
                for k in card["kpis"]
            ],
        )

    @get(
        "/leaderboard",
        name="api_performance:leaderboard",
        opt={"access": Access.VENDOR},
        description="Every active partner in the caller's scope (channel managers: their "
        "partners), best first. " + PERIOD_HELP,
    )
    async def leaderboard(self, request: Request, period: PeriodQuery = "") -> BoardOut:
        user = current_user(request)
        chosen = _period(period)
        board = await views.board_for(chosen)
        rows = filter_rows(user, board.rows, {})
        return BoardOut(
            period=chosen.code,
            total=board.total,
            metrics=[m.key for m in board.metrics],
            rows=[
                BoardRowOut(
                    partner_id=r.partner_id,
                    code=r.code,
                    name=r.name,
                    tier=r.tier_code,
                    score=r.score,
                    rank=r.rank,
                    tier_rank=r.tier_position,
                    revenue_amount=int(r.figures.get("revenue") or 0),
                    order_count=int(r.figures.get("order_count") or 0),
                    target_amount=r.target,
                    figures=dict(r.figures),
                )
                for r in rows
            ],
        )


API = [PerformanceApi]
