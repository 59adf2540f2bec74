"""Who a campaign or feedback request addresses: the audience rule as one SQL condition.

The rule is resolved once, at publish (or opening) time, by a set-based INSERT ... SELECT into the
recipient table, so reach and response-rate figures refer to exactly the partners addressed then,
whatever happens to tiers and regions later.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from portal.auth.constants import PartnerStatus
from portal.communications import queries
from portal.communications.constants import Audience
from portal.lib.inputs import parse_id
from portal.partners.constants import PROVINCES, PartnerKind


def parse_values(raw: Any) -> list[str]:
    """The stored audience values (JSON text or list) as strings."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw or "[]")
        except ValueError:
            return []
    return [str(v) for v in raw or []]


def condition(audience: str, values: Sequence[str]) -> tuple[str, list[Any]]:
    """(SQL on aliases p = partner and t = tier, args with {} placeholders) for active partners."""
    args: list[Any] = [PartnerStatus.ACTIVE.value]
    sql = "p.status = {}"
    if audience == Audience.ALL:
        return sql, args
    values = list(values)
    if not values:
        return sql + " AND 1 = 0", args
    column = {
        Audience.TIER: "t.code",
        Audience.KIND: "p.kind",
        Audience.REGION: "p.province",
        Audience.PARTNERS: "p.id",
    }.get(Audience(audience))
    if column is None:  # pragma: no cover - Audience is closed
        return sql + " AND 1 = 0", args
    placeholders = ", ".join("{}" for _ in values)
    args.extend(int(v) for v in values) if audience == Audience.PARTNERS else args.extend(values)
    return f"{sql} AND {column} IN ({placeholders})", args


def clean_values(audience: str, values: Sequence[str], tier_codes: Sequence[str]) -> list[str]:
    """Keep only values that mean something for the rule (unknown codes are dropped)."""
    if audience == Audience.TIER:
        return [v for v in dict.fromkeys(values) if v in tier_codes]
    if audience == Audience.KIND:
        return [v for v in dict.fromkeys(values) if v in {k.value for k in PartnerKind}]
    if audience == Audience.REGION:
        return [v for v in dict.fromkeys(values) if v in PROVINCES]
    if audience == Audience.PARTNERS:
        return [v for v in dict.fromkeys(values) if parse_id(v) is not None]
    return []


async def count_partners(audience: str, values: Sequence[str]) -> int:
    """How many active partners the rule addresses right now (the preview before publishing)."""

    where, args = condition(audience, values)
    return await queries.count_partners(where, args)


async def count_people(audience: str, values: Sequence[str]) -> tuple[int, int]:
    """(people, partners): the active users the rule would e-mail if published now, and how many
    partners they work at; the same join as the publish fan-out (campaign_publishing), so the
    confirmation step names the number of e-mails that publishing queues."""

    where, args = condition(audience, values)
    return await queries.count_people(where, args)
