"""Protection periods per tier: what an approval grants when the reviewer does not say
otherwise (default PROTECTION_DAYS), set by vendor admins where tiers are configured (the
console's performance settings page, which reads and posts through this module)."""

from __future__ import annotations

from typing import Any

from portal.auth.schemas import CurrentUser
from portal.core.audit import record
from portal.db import write_transaction
from portal.deals.constants import MAX_PROTECTION_DAYS, PROTECTION_DAYS
from portal.deals.tables import TierProtection
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.lib.inputs import parse_int
from portal.partners.tables import Partner, Tier


async def protection_days_by_tier() -> list[dict[str, Any]]:
    """Every tier (top first) with its protection days: the vendor's value, else the default."""
    tiers = await Tier.select(Tier.id, Tier.code, Tier.name_zh, Tier.name_en).order_by(Tier.rank)
    days = {
        int(r["tier"]): int(r["days"])
        for r in await TierProtection.select(TierProtection.tier, TierProtection.days)
    }
    return [{**t, "days": days.get(int(t["id"]), PROTECTION_DAYS)} for t in tiers]


async def protection_days_for(partner_id: int) -> int:
    """The protection period of the partner's tier (the default when none is set)."""
    row = await Partner.select(Partner.tier).where(Partner.id == partner_id).first()
    if row is None:
        return PROTECTION_DAYS
    setting = (
        await TierProtection.select(TierProtection.days)
        .where(TierProtection.tier == row["tier"])
        .first()
    )
    return int(setting["days"]) if setting else PROTECTION_DAYS


def parse_days(data: Any, tier_ids: list[int]) -> dict[int, int]:
    """The form's protect_<tier id> fields as tier id -> days; FormError beside a bad one."""
    out: dict[int, int] = {}
    errors: dict[str, str] = {}
    for tier_id in tier_ids:
        raw = str(data.get(f"protect_{tier_id}", "") or "").strip()
        days = parse_int(raw, low=1, high=MAX_PROTECTION_DAYS)
        if days is None:
            errors[f"protect_{tier_id}"] = _("Between 1 and 365 days.")
            continue
        out[tier_id] = days
    if errors:
        raise FormError(errors)
    return out


async def set_protection_days(actor: CurrentUser, days: dict[int, int]) -> None:
    """Vendor admins: the protection period per tier id; audited with before and after."""
    if not actor.is_vendor_admin:
        raise FormError({"": _("Only a vendor administrator can do this.")})
    current = {int(t["id"]): t for t in await protection_days_by_tier()}
    unknown = [tier_id for tier_id in days if tier_id not in current]
    if unknown:
        raise FormError({f"protect_{unknown[0]}": _("Choose one of the options.")})
    for tier_id, value in days.items():
        if not 1 <= value <= MAX_PROTECTION_DAYS:
            raise FormError({f"protect_{tier_id}": _("Between 1 and 365 days.")})
    changed = {k: v for k, v in days.items() if current[k]["days"] != v}
    if not changed:
        return
    moment = now()
    async with write_transaction():
        for tier_id, value in changed.items():
            await TierProtection.insert(
                TierProtection(tier=tier_id, days=value, updated_by_id=actor.id, updated_at=moment)
            ).on_conflict(
                target=TierProtection.tier,
                action="DO UPDATE",
                values=[
                    TierProtection.days,
                    TierProtection.updated_by_id,
                    TierProtection.updated_at,
                ],
            )
        await record(
            "deal.protection_days_changed",
            actor=actor,
            target_type="setting",
            before={current[k]["code"]: current[k]["days"] for k in changed},
            after={current[k]["code"]: v for k, v in changed.items()},
        )
