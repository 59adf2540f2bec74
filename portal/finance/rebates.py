"""Rebate programmes (返利): set up by vendor staff, accrued from the orders by a job, seen live by
the partner, settled at the period's end into a credit note on the partner's account.

`recompute_accruals` is set-based and idempotent: per programme, one aggregate over the
shipments of the period (and one over the same period last year for the growth bonus), one read
of the current accruals, one insert of the rows whose base or amount moved; a rerun with nothing
new appends nothing. Accrual rows are never updated or deleted.

Settling posts, per partner with something earned, a credit note: a payment of method "rebate"
whose bank reference "REBATE-<programme>-<partner>" is unique (so settling twice, or twice at
once, credits once) and a ledger row of kind "rebate"; the account's settle then applies it to
the oldest open receivables, the rest staying as balance on account (it lowers the credit
exposure and pays the next receivables).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.communications.campaigns import reads as campaign_reads
from portal.core.audit import record
from portal.finance import ledger, queries
from portal.finance import rebate_rules as rules
from portal.finance.constants import (
    LedgerKind,
    PaymentMethod,
    RebateBase,
    RebateMode,
    RebateStatus,
)
from portal.finance.tables import Payment, RebateAccrual, RebateProgramme
from portal.lib import clock
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import format_money
from portal.lib.i18n import gettext as _
from portal.lib.money import AmountError, parse_amount
from portal.orders.placement import in_transaction
from portal.partners.tables import Partner
from portal.tenancy import NotFound, vendor_partner_ids


@dataclass(frozen=True)
class ProgrammeInput:
    """The console form as typed: bands "500000:2, 1000000:3" (yuan : percent)."""

    name: str
    period: str
    bands: str
    mode: str = RebateMode.RETROACTIVE
    base: str = RebateBase.SHIPPED
    category_id: int | None = None
    tier_codes: str = ""
    provinces: str = ""
    partner_codes: str = ""
    growth_bonus: str = ""  # percent on the growth over last year
    campaign_id: int | None = None  # a campaign that announces it (communications)


def _bp(text: str) -> int:
    value = Decimal(text.strip().rstrip("%"))
    bp = value * 100
    if bp != bp.to_integral_value() or not 0 <= bp <= 10_000:
        raise InvalidOperation
    return int(bp)


def _csv(text: str) -> list[str]:
    return [x.strip() for x in text.replace("，", ",").split(",") if x.strip()]


async def create_programme(actor: CurrentUser, data: ProgrammeInput) -> int:
    """A new programme (vendor admins); FormError naming each bad field; audited."""
    if not actor.is_vendor_admin:
        raise FormError({"": _("Only vendor admins set up rebate programmes.")})
    errors: dict[str, str] = {}
    name = data.name.strip()
    if not name or len(name) > 200:
        errors["name"] = _("Enter a name of at most 200 characters.")
    try:
        starts_on, ends_on = rules.period_bounds(data.period.strip().upper())
    except ValueError:
        errors["period"] = _("Enter a quarter such as 2026-Q4 or a year such as 2026.")
    bands: list[rules.Band] = []
    try:
        for part in _csv(data.bands):
            threshold, rate = part.replace("：", ":").split(":")
            bands.append(rules.Band(parse_amount(threshold), _bp(rate)))
        bands = rules.parse_bands(rules.bands_text(bands))
    except (ValueError, AmountError, InvalidOperation):
        errors["bands"] = _(
            "Enter bands as amount:percent, ascending, e.g. 500000:2, 1000000:3 (yuan and percent)."
        )
    try:
        bonus_bp = _bp(data.growth_bonus) if data.growth_bonus.strip() else 0
    except InvalidOperation:
        errors["growth_bonus"] = _("Enter a percentage from 0 to 100, or leave empty.")
        bonus_bp = 0
    if data.mode not in {m.value for m in RebateMode}:
        errors["mode"] = _("Choose how the bands apply.")
    if data.base not in {b.value for b in RebateBase}:
        errors["base"] = _("Choose what the rebate counts.")
    codes = [c.upper() for c in _csv(data.partner_codes)]
    partner_ids: list[int] = []
    if codes:
        rows = await Partner.select(Partner.id, Partner.code).where(Partner.code.is_in(codes))
        found = {str(r["code"]).upper(): int(r["id"]) for r in rows}
        unknown = [c for c in codes if c not in found]
        if unknown:
            errors["partner_codes"] = _(
                "Unknown partner codes: %(codes)s", codes=", ".join(unknown)
            )
        partner_ids = sorted(found.values())
    if data.campaign_id is not None and not await campaign_reads.campaign_exists(data.campaign_id):
        errors["campaign_id"] = _("Choose one of the campaigns.")
    if errors:
        raise FormError(errors)
    period = data.period.strip().upper()
    rows = await RebateProgramme.insert(
        RebateProgramme(
            name=name,
            period=period,
            starts_on=starts_on,
            ends_on=ends_on,
            base=data.base,
            category_id=data.category_id,
            tier_codes=",".join(c.lower() for c in _csv(data.tier_codes)),
            provinces=",".join(_csv(data.provinces)),
            partner_ids=",".join(str(i) for i in partner_ids),
            bands=rules.bands_text(bands),
            mode=data.mode,
            growth_bonus_bp=bonus_bp,
            campaign_id=data.campaign_id,
            status=RebateStatus.ACTIVE,
            created_by_id=actor.id,
            created_at=now(),
        )
    ).returning(RebateProgramme.id)
    programme_id = int(rows[0]["id"])
    await record(
        "finance.rebate_programme_created",
        actor=actor,
        target_type="rebate_programme",
        target_id=programme_id,
        after={
            "name": name,
            "period": period,
            "bands": rules.bands_text(bands),
            "mode": data.mode,
            **({"campaign_id": data.campaign_id} if data.campaign_id else {}),
        },
    )
    return programme_id


async def eligible_partners(programme: dict[str, Any]) -> list[int] | None:
    """The partner ids a programme covers (None: every partner)."""
    tiers = _csv(programme["tier_codes"])
    provinces = _csv(programme["provinces"])
    ids = [int(x) for x in _csv(programme["partner_ids"])]
    if not (tiers or provinces or ids):
        return None
    query = Partner.select(Partner.id)
    if tiers:
        query = query.where(Partner.tier.code.is_in(tiers))
    if provinces:
        query = query.where(Partner.province.is_in(provinces))
    if ids:
        query = query.where(Partner.id.is_in(ids))
    return sorted(int(r["id"]) for r in await query)


async def _bases(
    programme: dict[str, Any], code: str, partners: list[int] | None
) -> dict[int, int]:
    start, end = rules.period_bounds(code)
    return await queries.rebate_bases(
        clock.day_start(start),
        clock.day_start(end),
        paid_only=programme["base"] == RebateBase.PAID,
        category_id=programme["category_id"],
        partner_ids=partners,
    )


async def current_accruals(programme_id: int, partner_id: int | None = None) -> dict[int, dict]:
    """{partner id: its latest accrual row} of a programme."""
    query = RebateAccrual.select().where(RebateAccrual.programme == programme_id)
    if partner_id is not None:
        query = query.where(RebateAccrual.partner == partner_id)
    latest: dict[int, dict] = {}
    for row in await query.order_by(RebateAccrual.id):
        latest[int(row["partner"])] = row
    return latest


async def recompute_programme(programme: dict[str, Any]) -> int:
    """Append the accrual rows whose base or amount moved; returns how many."""
    bands = rules.parse_bands(programme["bands"])
    partners = await eligible_partners(programme)
    bases = await _bases(programme, programme["period"], partners)
    last = (
        await _bases(programme, rules.last_year(programme["period"]), partners)
        if programme["growth_bonus_bp"]
        else {}
    )
    latest = await current_accruals(int(programme["id"]))
    moment = now()
    new = []
    for partner_id in sorted(set(bases) | set(latest)):
        base = bases.get(partner_id, 0)
        before = latest.get(partner_id)
        amount = rules.earned(
            base, bands, programme["mode"], last.get(partner_id, 0), programme["growth_bonus_bp"]
        )
        if before is not None and (
            int(before["base_amount"]),
            int(before["earned_amount"]),
        ) == (base, amount):
            continue
        new.append(
            RebateAccrual(
                programme=int(programme["id"]),
                partner=partner_id,
                base_amount=base,
                last_year_amount=last.get(partner_id, 0),
                earned_amount=amount,
                earned_delta_amount=amount - (int(before["earned_amount"]) if before else 0),
                at=moment,
            )
        )
    for start in range(0, len(new), 1000):
        await RebateAccrual.insert(*new[start : start + 1000])
    return len(new)


async def recompute_accruals() -> int:
    """Every accruing programme (the job `recompute_rebate_accruals`)."""
    total = 0
    for programme in await RebateProgramme.select().where(
        RebateProgramme.status == RebateStatus.ACTIVE
    ):
        total += await recompute_programme(programme)
    return total


def advice(row: dict[str, Any], programme: dict[str, Any], currency: str = "CNY") -> str:
    """'¥120,000.00 more this quarter raises your rebate to 3 %', or '' at the top band."""
    step = rules.next_band(int(row["base_amount"]), rules.parse_bands(programme["bands"]))
    if step is None:
        return ""
    band, more = step
    rate = f"{Decimal(band.rate_bp) / 100:g} %"
    if len(programme["period"]) == 4:
        return _(
            "%(amount)s more this year raises your rebate to %(rate)s.",
            amount=format_money(more, currency),
            rate=rate,
        )
    return _(
        "%(amount)s more this quarter raises your rebate to %(rate)s.",
        amount=format_money(more, currency),
        rate=rate,
    )


async def partner_rebates(partner_id: int) -> list[dict[str, Any]]:
    """The programmes the partner takes part in, newest first, with its live figures."""
    out = []
    for programme in await RebateProgramme.select().order_by(
        RebateProgramme.starts_on, ascending=False
    ):
        partners = await eligible_partners(programme)
        if partners is not None and partner_id not in partners:
            continue
        row = (await current_accruals(int(programme["id"]), partner_id)).get(partner_id) or {
            "base_amount": 0,
            "earned_amount": 0,
        }
        bands = rules.parse_bands(programme["bands"])
        band = rules.reached(int(row["base_amount"]), bands)
        step = rules.next_band(int(row["base_amount"]), bands)
        out.append(
            {
                "programme": programme,
                "base_amount": int(row["base_amount"]),
                "earned_amount": int(row["earned_amount"]),
                "rate_bp": band.rate_bp if band else 0,
                "next_rate_bp": step[0].rate_bp if step else None,
                "next_more_amount": step[1] if step else None,
                "advice": advice(row, programme) if programme["status"] == "active" else "",
                "bands": bands,
            }
        )
    return out


async def settle_programme(actor: CurrentUser, programme: dict[str, Any]) -> int:
    """At the period's end (vendor admins): a final recompute, then a credit note per partner
    with something earned; returns how many were posted now (0 when settled already)."""
    if not actor.is_vendor_admin:
        raise FormError({"": _("Only vendor admins settle rebates.")})
    if clock.today() < programme["ends_on"]:
        raise FormError({"": _("The period has not ended yet: settle it after its last day.")})
    await recompute_programme(programme)
    posted = 0
    for partner_id, row in sorted((await current_accruals(int(programme["id"]))).items()):
        amount = int(row["earned_amount"])
        if amount > 0 and await _credit(actor, programme, partner_id, amount):
            posted += 1
    await RebateProgramme.update(
        {RebateProgramme.status: RebateStatus.SETTLED, RebateProgramme.settled_at: now()}
    ).where(RebateProgramme.id == programme["id"])
    await record(
        "finance.rebate_settled",
        actor=actor,
        target_type="rebate_programme",
        target_id=int(programme["id"]),
        before={"status": programme["status"]},
        after={"status": RebateStatus.SETTLED, "credit_notes": posted},
    )
    return posted


async def _credit(
    actor: CurrentUser, programme: dict[str, Any], partner_id: int, amount: int
) -> bool:
    reference = f"REBATE-{programme['id']}-{partner_id}"
    today = clock.today()

    async def work() -> bool:
        await ledger.lock_account(partner_id)
        rows = await (
            Payment.insert(
                Payment(
                    partner=partner_id,
                    amount=amount,
                    allocated_amount=0,
                    paid_on=today,
                    method=PaymentMethod.REBATE,
                    bank_reference=reference,
                    note=programme["name"][:300],
                    recorded_by_id=actor.id,
                    recorded_by_name=actor.name,
                    created_at=now(),
                )
            )
            .on_conflict(action="DO NOTHING")
            .returning(Payment.id)
        )
        if not rows:
            return False  # credited before
        await ledger.post(
            partner_id,
            LedgerKind.REBATE,
            -amount,
            today,
            payment_id=int(rows[0]["id"]),
            memo=f"{programme['name']} {programme['period']}",
            actor_id=actor.id,
        )
        await ledger.settle(partner_id)
        await record(
            "finance.rebate_credited",
            actor=actor,
            partner_id=partner_id,
            target_type="payment",
            target_id=int(rows[0]["id"]),
            after={"amount": amount, "programme": int(programme["id"])},
        )
        return True

    return await in_transaction(work)


async def campaign_programmes(campaign_id: int, partner_id: int | None) -> list[dict[str, Any]]:
    """The programmes pointing to a campaign (hooks.campaign_programmes, for its pages): for a
    partner only those it takes part in, with what it has earned; for vendor staff all of them."""
    out = []
    for programme in (
        await RebateProgramme.select()
        .where(RebateProgramme.campaign_id == campaign_id)
        .order_by(RebateProgramme.id)
    ):
        row: dict[str, Any] = {
            "id": programme["id"],
            "name": programme["name"],
            "period": programme["period"],
            "status": programme["status"],
        }
        if partner_id is not None:
            partners = await eligible_partners(programme)
            if partners is not None and partner_id not in partners:
                continue
            accrual = (await current_accruals(int(programme["id"]), partner_id)).get(partner_id)
            row["earned_amount"] = int(accrual["earned_amount"]) if accrual else 0
        out.append(row)
    return out


async def get_programme(programme_id: int) -> dict[str, Any]:
    """One programme (vendor staff: programmes are the vendor's, not a partner's); NotFound."""
    row = await RebateProgramme.select().where(RebateProgramme.id == programme_id).first()
    if row is None:
        raise NotFound
    return row  # type: ignore[no-any-return]


async def list_programmes() -> list[dict[str, Any]]:
    return (
        await RebateProgramme.select()
        .order_by(  # type: ignore[no-any-return]
            RebateProgramme.starts_on, ascending=False
        )
        .order_by(RebateProgramme.id, ascending=False)
    )


async def programme_rows(user: CurrentUser, programme: dict[str, Any]) -> list[dict[str, Any]]:
    """The partners in the user's scope with their accrued figures, most earned first."""
    scope = await vendor_partner_ids(user)
    latest = await current_accruals(int(programme["id"]))
    ids = [p for p in latest if scope is None or p in set(scope)]
    names = {
        int(r["id"]): r
        for r in await Partner.select(Partner.id, Partner.code, Partner.name).where(
            Partner.id.is_in(ids or [0])
        )
    }
    credited = {
        str(r["bank_reference"]): int(r["amount"])
        for r in await Payment.select(Payment.bank_reference, Payment.amount).where(
            Payment.bank_reference.like(f"REBATE-{programme['id']}-%")
        )
    }
    rows = [
        {
            **names[p],
            "base_amount": int(latest[p]["base_amount"]),
            "earned_amount": int(latest[p]["earned_amount"]),
            "credited_amount": credited.get(f"REBATE-{programme['id']}-{p}", 0),
            "advice": advice(latest[p], programme),
        }
        for p in ids
        if p in names
    ]
    return sorted(rows, key=lambda r: (-r["earned_amount"], r["code"]))
