"""The raw SQL of the communications base (issue 13: raw SQL in queries.py): how many partners
and people an audience rule addresses right now. The rule itself is one SQL condition over
`partner p JOIN tier t` (audience.condition); `{}` marks an argument."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from portal.db import true
from portal.partners.tables import Partner


async def count_partners(where: str, args: Sequence[Any]) -> int:
    """Active partners matching the rule's condition."""
    rows = await Partner.raw(
        "SELECT COUNT(*) AS n FROM partner p JOIN tier t ON t.id = p.tier WHERE " + where,  # noqa: S608
        *args,
    )
    return int(rows[0]["n"]) if rows else 0


async def count_people(where: str, args: Sequence[Any]) -> tuple[int, int]:
    """(people, partners): active users of the matching partners, and how many partners."""
    rows = await Partner.raw(
        "SELECT COUNT(u.id) AS people, COUNT(DISTINCT p.id) AS partners"  # noqa: S608
        " FROM partner p JOIN tier t ON t.id = p.tier"
        " JOIN portal_user u ON u.partner = p.id AND u.is_active = {} WHERE " + where,
        true(),
        *args,
    )
    return (int(rows[0]["people"]), int(rows[0]["partners"])) if rows else (0, 0)
