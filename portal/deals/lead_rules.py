"""Routing rules and partner capacities (vendor admins, audited), and the per-partner answer
figures: acceptance rate and median time to accept (working hours, as the offers run).

lead_figures is also the scorecards' source (portal/performance/sources.py)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from typing import Any

from piccolo.query.functions.aggregate import Count

from portal.auth.schemas import CurrentUser
from portal.core.audit import record
from portal.db import write_transaction
from portal.deals.lead_constants import DEFAULT_CAPACITY, MAX_CAPACITY, OPEN, Outcome
from portal.deals.lead_routing import working_calendar
from portal.deals.lead_schemas import RuleForm
from portal.deals.lead_tables import Lead, LeadCapacity, LeadOffer, LeadRule
from portal.lib.clock import day_start, now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.orders.tables import Category
from portal.partners.constants import PROVINCES, PartnerKind
from portal.partners.tables import Partner, Tier
from portal.support.sla import business_minutes_between
from portal.tenancy import NotFound, partner_scope


def _admin(actor: CurrentUser) -> None:
    if not actor.is_vendor_admin:
        raise FormError({"": _("You do not have permission to do this.")})


async def list_rules() -> list[dict[str, Any]]:
    return await (
        LeadRule.select(
            *LeadRule.all_columns(),
            LeadRule.category.name_zh.as_alias("category_name_zh"),
            LeadRule.category.name_en.as_alias("category_name_en"),
            LeadRule.min_tier.name_zh.as_alias("tier_name_zh"),
            LeadRule.min_tier.name_en.as_alias("tier_name_en"),
        )
        .order_by(LeadRule.position)
        .order_by(LeadRule.id)
    )


async def get_rule(rule_id: int) -> dict[str, Any]:
    row = await LeadRule.select().where(LeadRule.id == rule_id).first()
    if row is None:
        raise NotFound
    return row


async def _check_rule(form: RuleForm) -> dict[str, Any]:
    errors: dict[str, str] = {}
    codes = [p.strip().upper() for p in form.provinces.replace("，", ",").split(",") if p.strip()]
    unknown = [c for c in codes if c not in PROVINCES]
    if unknown:
        errors["provinces"] = _("Unknown province code: %(codes)s", codes=", ".join(unknown[:5]))
    if form.partner_kind and form.partner_kind not in set(PartnerKind):
        errors["partner_kind"] = _("Choose a partner kind.")
    if form.category_id is not None and not await Category.exists().where(
        Category.id == form.category_id
    ):
        errors["category_id"] = _("Choose a product line.")
    if form.min_tier_id is not None and not await Tier.exists().where(Tier.id == form.min_tier_id):
        errors["min_tier_id"] = _("Choose a tier.")
    if errors:
        raise FormError(errors)
    return {
        "name": form.name.strip(),
        "position": form.position,
        "provinces": ",".join(dict.fromkeys(codes)),
        "city": form.city.strip(),
        "category": form.category_id,
        "partner_kind": form.partner_kind,
        "min_tier": form.min_tier_id,
        "same_province": form.same_province,
        "is_active": form.is_active,
    }


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items()}


async def save_rule(actor: CurrentUser, form: RuleForm, rule_id: int | None = None) -> int:
    """A new rule or changes to one; FormError for bad input."""
    _admin(actor)
    values = await _check_rule(form)
    before = await get_rule(rule_id) if rule_id is not None else None
    moment = now()
    async with write_transaction():
        if rule_id is None:
            rows = await LeadRule.insert(
                LeadRule(**values, created_at=moment, updated_at=moment)
            ).returning(LeadRule.id)
            rule_id = int(rows[0]["id"])
        else:
            changes: dict[Any, Any] = {**values, "updated_at": moment}
            await LeadRule.update(changes).where(LeadRule.id == rule_id)
        await record(
            "lead.rule_saved",
            actor=actor,
            target_type="lead_rule",
            target_id=rule_id,
            before={k: before[k] for k in values} if before else None,
            after=_plain(values),
        )
    return rule_id


async def delete_rule(actor: CurrentUser, rule_id: int) -> None:
    _admin(actor)
    before = await get_rule(rule_id)
    async with write_transaction():
        await LeadRule.delete().where(LeadRule.id == rule_id)
        await record(
            "lead.rule_deleted",
            actor=actor,
            target_type="lead_rule",
            target_id=rule_id,
            before={"name": before["name"], "provinces": before["provinces"]},
        )


async def set_capacity(actor: CurrentUser, partner_id: int, capacity: int) -> None:
    """How many open leads the partner holds at once (0 = it gets none)."""
    _admin(actor)
    if not 0 <= capacity <= MAX_CAPACITY:
        raise FormError({"capacity": _("Between 0 and %(n)s.", n=MAX_CAPACITY)})
    if not await Partner.exists().where(Partner.id == partner_id):
        raise NotFound
    old = await LeadCapacity.select().where(LeadCapacity.partner == partner_id).first()
    async with write_transaction():
        if old is None:
            await LeadCapacity.insert(
                LeadCapacity(partner=partner_id, capacity=capacity, updated_at=now())
            )
        else:
            await LeadCapacity.update(
                {LeadCapacity.capacity: capacity, LeadCapacity.updated_at: now()}
            ).where(LeadCapacity.partner == partner_id)
        await record(
            "lead.capacity_set",
            actor=actor,
            partner_id=partner_id,
            target_type="partner",
            target_id=partner_id,
            before={"capacity": old["capacity"] if old else DEFAULT_CAPACITY},
            after={"capacity": capacity},
        )


def _answer_figures(offers: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    calendar = working_calendar()
    out: dict[int, dict[str, Any]] = {}
    minutes: dict[int, list[int]] = {}
    for o in offers:
        pid = int(o["partner"])
        f = out.setdefault(
            pid, {"offered": 0, "accepted": 0, "declined": 0, "timed_out": 0, "waiting": 0}
        )
        f["offered"] += 1
        outcome = o["outcome"] or "waiting"
        f[outcome] = f.get(outcome, 0) + 1
        if o["outcome"] == Outcome.ACCEPTED and o["ended_at"] is not None:
            minutes.setdefault(pid, []).append(
                business_minutes_between(calendar, o["offered_at"], o["ended_at"])
            )
    for pid, f in out.items():
        answered = f["accepted"] + f["declined"] + f["timed_out"]
        f["answered"] = answered
        f["acceptance_rate"] = f["accepted"] / answered if answered else None
        got = minutes.get(pid)
        f["median_minutes"] = int(statistics.median(got)) if got else None
    return out


async def lead_figures(
    partner_ids: Sequence[int] | None, start: dt.date, end: dt.date
) -> dict[int, dict[str, Any]]:
    """Per partner, the offers made in [start, end): offered, accepted, declined, timed out,
    acceptance rate (accepted / answered) and median working minutes to accept."""
    where = (LeadOffer.offered_at >= day_start(start)) & (LeadOffer.offered_at < day_start(end))
    if partner_ids is not None:
        where = where & LeadOffer.partner.is_in(list(partner_ids) or [0])
    offers = await LeadOffer.select(
        LeadOffer.partner, LeadOffer.outcome, LeadOffer.offered_at, LeadOffer.ended_at
    ).where(where)
    return _answer_figures(offers)


async def partner_table(user: CurrentUser) -> list[dict[str, Any]]:
    """The partners in `user`'s scope with capacity, open leads and answer figures (all time)."""
    partners = await (
        Partner.select(Partner.id, Partner.name, Partner.code, Partner.province, Partner.kind)
        .where(partner_scope(user, Partner.id))
        .order_by(Partner.name)
    )
    ids = [int(p["id"]) for p in partners]
    if not ids:
        return []
    capacities = {
        int(r["partner"]): int(r["capacity"])
        for r in await LeadCapacity.select(LeadCapacity.partner, LeadCapacity.capacity).where(
            LeadCapacity.partner.is_in(ids)
        )
    }
    open_counts = {
        int(r["partner"]): int(r["n"])
        for r in await Lead.select(Lead.partner, Count(Lead.id, alias="n"))
        .where(Lead.status.is_in(list(OPEN)) & Lead.partner.is_in(ids))
        .group_by(Lead.partner)
    }
    offers = await LeadOffer.select(
        LeadOffer.partner, LeadOffer.outcome, LeadOffer.offered_at, LeadOffer.ended_at
    ).where(LeadOffer.partner.is_in(ids))
    figures = _answer_figures(offers)
    return [
        {
            **p,
            "capacity": capacities.get(int(p["id"]), DEFAULT_CAPACITY),
            "open": open_counts.get(int(p["id"]), 0),
            **figures.get(
                int(p["id"]),
                {
                    "offered": 0,
                    "answered": 0,
                    "accepted": 0,
                    "acceptance_rate": None,
                    "median_minutes": None,
                    "declined": 0,
                    "timed_out": 0,
                    "waiting": 0,
                },
            ),
        }
        for p in partners
    ]


async def offer_rows(partner_id: int, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The offers behind one partner's lead figures for [start, end) (lead_figures' own
    conditions), oldest first, with the lead and the working minutes to the answer."""
    rows = await (
        LeadOffer.select(
            LeadOffer.lead,
            LeadOffer.outcome,
            LeadOffer.offered_at,
            LeadOffer.ended_at,
            LeadOffer.lead.company.as_alias("company"),
            LeadOffer.lead.created_at.as_alias("created_at"),
        )
        .where(
            (LeadOffer.partner == partner_id)
            & (LeadOffer.offered_at >= day_start(start))
            & (LeadOffer.offered_at < day_start(end))
        )
        .order_by(LeadOffer.id)
    )
    calendar = working_calendar()
    for r in rows:
        r["id"] = int(r["lead"])
        r["minutes"] = (
            business_minutes_between(calendar, r["offered_at"], r["ended_at"])
            if r["ended_at"] is not None
            else None
        )
    return rows
