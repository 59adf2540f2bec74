"""Who takes a new case: the first matching routing rule (a team, balanced by least open cases,
or a person), else the partner's channel manager, else nobody (the unassigned queue)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from piccolo.query.functions.aggregate import Count

from portal.auth.tables import User
from portal.support.constants import ACTIVE
from portal.support.tables import RoutingRule, SupportCase, SupportTeam, SupportTeamMember


@dataclass(frozen=True)
class Route:
    team_id: int | None
    assignee_id: int | None
    reason: str  # for the case event: which rule, or the fallback


def rule_matches(rule: dict[str, Any], case: dict[str, Any]) -> bool:
    """Empty conditions match anything; every set condition must equal the case's value."""
    return (
        (not rule["category"] or rule["category"] == case["category"])
        and (not rule["priority"] or rule["priority"] == case["priority"])
        and (not rule["province"] or rule["province"] == case["province"])
        and (rule["tier"] is None or rule["tier"] == case["tier_id"])
    )


async def least_busy_member(team_id: int) -> int | None:
    """The active team member with the fewest open cases (ties: the lowest user id)."""
    members = await SupportTeamMember.select(SupportTeamMember.user_id).where(
        SupportTeamMember.team == team_id
    )
    ids = [int(m["user_id"]) for m in members]
    if not ids:
        return None
    active = await User.select(User.id).where(User.id.is_in(ids) & (User.is_active == True))  # noqa: E712
    ids = sorted(int(u["id"]) for u in active)
    if not ids:
        return None
    counts = await (
        SupportCase.select(SupportCase.assignee_id, Count(SupportCase.id, alias="n"))
        .where(SupportCase.assignee_id.is_in(ids) & SupportCase.status.is_in(list(ACTIVE)))
        .group_by(SupportCase.assignee_id)
    )
    load = {int(r["assignee_id"]): int(r["n"]) for r in counts}
    return min(ids, key=lambda uid: (load.get(uid, 0), uid))


async def route(case: dict[str, Any], channel_manager_id: int | None) -> Route:
    """`case` holds category, priority, province and tier_id of the case and its partner."""
    rules = (
        await RoutingRule.select()
        .where(RoutingRule.is_active == True)  # noqa: E712
        .order_by(RoutingRule.position)
        .order_by(RoutingRule.id)
    )
    for rule in rules:
        if not rule_matches(rule, case):
            continue
        label = rule["name"] or f"#{rule['id']}"
        if rule["team"] is not None:
            team = (
                await SupportTeam.select(SupportTeam.is_active)
                .where(SupportTeam.id == rule["team"])
                .first()
            )
            if team is None or not team["is_active"]:
                continue
            member = await least_busy_member(int(rule["team"]))
            return Route(int(rule["team"]), member, f"rule:{label}")
        if rule["assignee_id"] is not None:
            return Route(None, int(rule["assignee_id"]), f"rule:{label}")
    if channel_manager_id is not None:
        return Route(None, int(channel_manager_id), "channel_manager")
    return Route(None, None, "unassigned")
