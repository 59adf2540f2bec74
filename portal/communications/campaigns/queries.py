"""The raw SQL of campaigns (issue 13: each domain's raw SQL in its own queries.py).

The publish fan-out (INSERT ... SELECT over the audience rule) and the aggregates of the console
list, the reach page and the scorecard figures. `{}` marks an argument (Piccolo's placeholder).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from portal.communications.campaigns.constants import ActivityKind
from portal.communications.campaigns.tables import Campaign
from portal.db import in_list, param, true

Rows = list[dict[str, Any]]
_raw = Campaign.raw


async def freeze_audience(
    campaign_id: int, where: str, args: Sequence[Any], at: dt.datetime
) -> None:
    """The partners the audience rule `where` selects become the campaign's recipients, with the
    tier and region they have now (the reach figures' snapshot)."""
    await _raw(
        "INSERT INTO campaign_recipient (campaign, partner, tier_code, province, addressed_at)"  # noqa: S608
        f" SELECT {param('bigint')}, p.id, t.code, p.province, {param('timestamptz')}"
        " FROM partner p JOIN tier t ON t.id = p.tier WHERE " + where + " ON CONFLICT DO NOTHING",
        campaign_id,
        at,
        *args,
    )


async def record_deliveries(campaign_id: int, at: dt.datetime) -> list[int]:
    """A delivery row for every active user of the recipients; the users told now (the unique
    pair keeps each one once)."""
    rows = await _raw(
        'INSERT INTO campaign_delivery (campaign, "user", partner_id, created_at)'  # noqa: S608
        f" SELECT {param('bigint')}, u.id, u.partner, {param('timestamptz')} FROM portal_user u"
        " JOIN campaign_recipient r ON r.partner = u.partner"
        " WHERE r.campaign = {} AND u.is_active = {}"
        ' ON CONFLICT DO NOTHING RETURNING "user"',
        campaign_id,
        at,
        campaign_id,
        true(),
    )
    return [int(r["user"]) for r in rows]


DELIVERED_USERS_SQL = 'SELECT d."user" FROM campaign_delivery d WHERE d.campaign = {}'


async def opened_partners(campaign_ids: list[int]) -> dict[int, int]:
    """Partners that opened each campaign (the console list)."""
    rows = await _raw(
        "SELECT campaign, COUNT(*) AS n FROM campaign_recipient WHERE campaign IN ("  # noqa: S608
        + in_list(campaign_ids)
        + ") AND first_opened_at IS NOT NULL GROUP BY campaign",
        *campaign_ids,
    )
    return {int(r["campaign"]): int(r["n"]) for r in rows}


async def file_downloads(campaign_id: int) -> Rows:
    """Each file of a campaign with its downloads and the partners that downloaded it."""
    return await _raw(
        "SELECT f.id, f.filename, COUNT(a.id) AS downloads, COUNT(DISTINCT a.partner) AS partners"
        " FROM campaign_file f LEFT JOIN campaign_activity a ON a.file = f.id AND a.kind = {}"
        " WHERE f.campaign = {} GROUP BY f.id, f.filename ORDER BY f.id",
        ActivityKind.DOWNLOAD.value,
        campaign_id,
    )


def _only(ids: list[int] | None) -> str:
    return f" AND partner IN ({in_list(ids)})" if ids is not None else ""


async def received_by_partner(lo: dt.datetime, hi: dt.datetime, ids: list[int] | None) -> Rows:
    """Per partner: campaigns addressed in [lo, hi) and those opened before `hi`."""
    return await _raw(
        "SELECT partner, COUNT(*) AS received,"  # noqa: S608
        " SUM(CASE WHEN first_opened_at IS NOT NULL AND first_opened_at < {} THEN 1 ELSE 0 END)"
        " AS opened FROM campaign_recipient WHERE addressed_at >= {} AND addressed_at < {}"
        + _only(ids)
        + " GROUP BY partner",
        hi,
        lo,
        hi,
        *(ids or []),
    )


async def downloads_by_partner(lo: dt.datetime, hi: dt.datetime, ids: list[int] | None) -> Rows:
    """Per partner: files downloaded in [lo, hi)."""
    return await _raw(
        "SELECT partner, COUNT(*) AS n FROM campaign_activity WHERE kind = {} AND at >= {}"  # noqa: S608
        " AND at < {}" + _only(ids) + " GROUP BY partner",
        ActivityKind.DOWNLOAD.value,
        lo,
        hi,
        *(ids or []),
    )
