"""Routing leads to partners: the rules in order, then capacity-weighted round robin.

`route_leads` is set-based: it reads the leads waiting for routing (status new) in batches, the
rules, the active partners, their capacities and open leads once per batch, decides in memory,
and writes one conditional UPDATE per partner (`status = 'new'` still, so a lead is never
offered twice, whoever runs at the same time) and the offers of the leads it won. Running it
again routes nothing twice: a routed lead is no longer new.

A rule takes a lead when the lead's province is among its provinces (none = any), its city
matches (empty = any) and its product line matches (none = any). Its eligible partners are the
active partners of its kind (empty = any), of its lowest tier or above, based in the lead's
province when `same_province`, that have not had the lead before. Among those with room (open
leads below capacity), the lead goes to the least loaded relative to its capacity (open /
capacity), then the one offered a lead longest ago: over many leads each partner gets a share in
proportion to its capacity. A rule whose eligible partners are all full passes the lead to the
next rule; a lead no rule can place waits (a later run, or a freed capacity, places it).

The offer is due after LEAD_ACCEPT_HOURS working hours (Monday to Friday, the portal's time
zone); lead_answers.expire_offers hands a lead on when it is not accepted by then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from piccolo.query.functions.aggregate import Count, Max

from portal.auth.constants import PartnerStatus
from portal.auth.schemas import CurrentUser
from portal.core.audit import record
from portal.db import write_transaction
from portal.deals.lead_constants import DEFAULT_CAPACITY, OPEN, ROUTE_BATCH, LeadStatus
from portal.deals.lead_tables import Lead, LeadCapacity, LeadOffer, LeadRule
from portal.lib import jobs
from portal.lib.clock import now
from portal.partners.tables import Partner
from portal.settings import get_settings
from portal.support.sla import Calendar, add_business_minutes

CHUNK = 500  # ids per IN list (SQLite's variable limit)


def working_calendar() -> Calendar:
    """Monday to Friday, all day, in the portal's time zone: the hours an offer runs."""
    return Calendar(time_zone=get_settings().time_zone, start_minute=0, end_minute=24 * 60)


def due_after(start: dt.datetime) -> dt.datetime:
    """When an offer made at `start` times out (LEAD_ACCEPT_HOURS working hours later)."""
    return add_business_minutes(working_calendar(), start, get_settings().lead_accept_hours * 60)


@dataclass
class Candidate:
    id: int
    kind: str
    rank: int  # tier rank, 1 = top
    province: str
    capacity: int
    open: int
    last_offered: dt.datetime | None

    def load(self) -> float:
        return self.open / self.capacity if self.capacity else 1.0


@dataclass
class RoutingResult:
    routed: int = 0
    waiting: int = 0  # a rule matched but its partners are full, or no rule matched
    closed: int = 0  # no eligible partner left after declines or time-outs
    by_partner: dict[int, list[int]] = field(default_factory=dict)
    offer_ids: list[int] = field(default_factory=list)


def rule_takes(rule: dict[str, Any], lead: dict[str, Any]) -> bool:
    provinces = [p.strip().upper() for p in str(rule["provinces"]).split(",") if p.strip()]
    if provinces and lead["province"] not in provinces:
        return False
    if rule["city"] and str(rule["city"]).strip() != str(lead["city"]).strip():
        return False
    return not (rule["category"] is not None and rule["category"] != lead["category"])


def eligible(rule: dict[str, Any], lead: dict[str, Any], partner: Candidate) -> bool:
    if rule["partner_kind"] and partner.kind != rule["partner_kind"]:
        return False
    if rule["min_tier_rank"] is not None and partner.rank > int(rule["min_tier_rank"]):
        return False
    return not (rule["same_province"] and partner.province != lead["province"])


def choose(
    rules: Sequence[dict[str, Any]],
    lead: dict[str, Any],
    partners: Sequence[Candidate],
    had: set[int],
) -> tuple[Candidate | None, int | None, bool]:
    """(partner, rule id, anyone eligible at all) for one lead; the pure core of the routing."""
    anyone = False
    for rule in rules:
        if not rule_takes(rule, lead):
            continue
        room: list[Candidate] = []
        for p in partners:
            if p.id in had or not eligible(rule, lead, p):
                continue
            anyone = True
            if p.open < p.capacity:
                room.append(p)
        if room:
            far_past = dt.datetime.min.replace(tzinfo=dt.UTC)
            best = min(room, key=lambda p: (p.load(), p.last_offered or far_past, p.id))
            return best, int(rule["id"]), True
    return None, None, anyone


def _instant(value: Any) -> dt.datetime | None:
    """An aggregate's timestamp (SQLite answers MAX() with text) as an aware datetime."""
    if value is None or isinstance(value, dt.datetime):
        return value
    parsed = dt.datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


async def active_rules() -> list[dict[str, Any]]:
    return await (
        LeadRule.select(*LeadRule.all_columns(), LeadRule.min_tier.rank.as_alias("min_tier_rank"))
        .where(LeadRule.is_active == True)  # noqa: E712
        .order_by(LeadRule.position)
        .order_by(LeadRule.id)
    )


async def candidates() -> list[Candidate]:
    """Every active partner with its capacity, open leads and last offer."""
    partners = await Partner.select(
        Partner.id, Partner.kind, Partner.province, Partner.tier.rank.as_alias("rank")
    ).where(Partner.status == PartnerStatus.ACTIVE)
    capacities = {
        int(r["partner"]): int(r["capacity"])
        for r in await LeadCapacity.select(LeadCapacity.partner, LeadCapacity.capacity)
    }
    open_counts = {
        int(r["partner"]): int(r["n"])
        for r in await Lead.select(Lead.partner, Count(Lead.id, alias="n"))
        .where(Lead.status.is_in(list(OPEN)) & Lead.partner.is_not_null())
        .group_by(Lead.partner)
    }
    last = {
        int(r["partner"]): _instant(r["at"])
        for r in await LeadOffer.select(
            LeadOffer.partner, Max(LeadOffer.offered_at, alias="at")
        ).group_by(LeadOffer.partner)
    }
    return [
        Candidate(
            id=int(p["id"]),
            kind=str(p["kind"]),
            rank=int(p["rank"] or 99),
            province=str(p["province"]),
            capacity=capacities.get(int(p["id"]), DEFAULT_CAPACITY),
            open=open_counts.get(int(p["id"]), 0),
            last_offered=last.get(int(p["id"])),
        )
        for p in partners
    ]


async def _had(lead_ids: list[int]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for start in range(0, len(lead_ids), CHUNK):
        chunk = lead_ids[start : start + CHUNK]
        for r in await LeadOffer.select(LeadOffer.lead, LeadOffer.partner).where(
            LeadOffer.lead.is_in(chunk)
        ):
            out.setdefault(int(r["lead"]), set()).add(int(r["partner"]))
    return out


async def _waiting(condition: Any) -> list[dict[str, Any]]:
    """Up to ROUTE_BATCH new leads meeting `condition`, oldest first."""
    return await (
        Lead.select(Lead.id, Lead.province, Lead.city, Lead.category)
        .where((Lead.status == LeadStatus.NEW) & condition)
        .order_by(Lead.id)
        .limit(ROUTE_BATCH)
    )


async def route_leads(
    lead_ids: Sequence[int] | None = None,
    *,
    actor: CurrentUser | None = None,
    final_status: str | None = None,
) -> RoutingResult:
    """Offer the waiting (new) leads, all of them or `lead_ids`, to partners; see the module.

    A lead that had partners before and has no eligible one left gets `final_status` (declined
    or expired) instead of waiting. The offers' notifications are queued after the commit."""
    result = RoutingResult()
    rules = await active_rules()
    if lead_ids is not None:
        ids = sorted({int(i) for i in lead_ids})
        for start in range(0, len(ids), CHUNK):
            leads = await _waiting(Lead.id.is_in(ids[start : start + CHUNK]))
            if leads:
                await _route_batch(leads, rules, result, actor, final_status)
    else:
        after_id = 0
        while leads := await _waiting(Lead.id > after_id):
            after_id = int(leads[-1]["id"])
            await _route_batch(leads, rules, result, actor, final_status)
            if len(leads) < ROUTE_BATCH:
                break
    if result.offer_ids:
        await jobs.enqueue("notify_lead_offers", job_id=f"lead-offers:{result.offer_ids[0]}")
    return result


async def _route_batch(
    leads: list[dict[str, Any]],
    rules: list[dict[str, Any]],
    result: RoutingResult,
    actor: CurrentUser | None,
    final_status: str | None,
) -> None:
    partners = await candidates()
    had = await _had([int(r["id"]) for r in leads])
    chosen: dict[int, list[tuple[int, int | None]]] = {}
    closed: list[int] = []
    for lead in leads:
        lid = int(lead["id"])
        partner, rule_id, anyone = choose(rules, lead, partners, had.get(lid, set()))
        if partner is None:
            if not anyone and had.get(lid) and final_status:
                closed.append(lid)
            else:
                result.waiting += 1
            continue
        partner.open += 1
        partner.last_offered = now()
        chosen.setdefault(partner.id, []).append((lid, rule_id))
    moment = now()
    due = due_after(moment)
    async with write_transaction():
        for partner_id, picks in chosen.items():
            rule_of = dict(picks)
            won: list[int] = []
            ids = [lid for lid, _rule in picks]
            for start in range(0, len(ids), CHUNK):
                rows = await (
                    Lead.update(
                        {
                            Lead.status: LeadStatus.OFFERED,
                            Lead.partner: partner_id,
                            Lead.offered_at: moment,
                            Lead.due_at: due,
                            Lead.updated_at: moment,
                        }
                    )
                    .where(Lead.id.is_in(ids[start : start + CHUNK]))
                    .where(Lead.status == LeadStatus.NEW)
                    .returning(Lead.id)
                )
                won.extend(int(r["id"]) for r in rows)
            for start in range(0, len(won), CHUNK):
                offers = [
                    LeadOffer(
                        lead=lid,
                        partner=partner_id,
                        rule_id=rule_of.get(lid),
                        offered_at=moment,
                        due_at=due,
                    )
                    for lid in won[start : start + CHUNK]
                ]
                inserted = await LeadOffer.insert(*offers).returning(LeadOffer.id)
                result.offer_ids.extend(int(r["id"]) for r in inserted)
            if won:
                result.routed += len(won)
                result.by_partner.setdefault(partner_id, []).extend(won)
                await record(
                    "lead.routed",
                    actor=actor,
                    partner_id=partner_id,
                    target_type="lead",
                    target_id=won[0] if len(won) == 1 else None,
                    after={"count": len(won), "due_at": due},
                )
        for start in range(0, len(closed), CHUNK):
            rows = await (
                Lead.update(
                    {Lead.status: final_status, Lead.partner: None, Lead.updated_at: moment}
                )
                .where(Lead.id.is_in(closed[start : start + CHUNK]))
                .where(Lead.status == LeadStatus.NEW)
                .returning(Lead.id)
            )
            result.closed += len(rows)
