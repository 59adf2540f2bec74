"""Partner organisations: the verbs that change them (create, edit, tier, suspend), and the one
import point for the reads and verbs in tiers.py, listing.py, people.py and cards.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from portal.auth.constants import PartnerStatus, Role
from portal.auth.schemas import CurrentUser
from portal.auth.sessions import end_partner_sessions
from portal.auth.tables import User
from portal.core import audit
from portal.db import write_transaction
from portal.lib import hooks
from portal.lib.clock import now
from portal.lib.forms import EMAIL_RE, FormError
from portal.lib.i18n import gettext as _
from portal.partners.cards import home_cards
from portal.partners.constants import PROVINCES, PartnerKind
from portal.partners.listing import (
    SORTS,
    count_partners_by_status,
    list_channel_managers,
    list_partners,
    partners_xlsx,
)
from portal.partners.people import channel_manager_contact, invite_partner_user, update_colleague
from portal.partners.schemas import NewPartner, PartnerChanges
from portal.partners.tables import Partner, Tier, TierChange
from portal.partners.tiers import (
    ensure_default_tiers,
    list_tiers,
    tier_by_code,
    tier_history,
    tier_label,
)
from portal.settings import SUPPORTED_LOCALES, get_settings

__all__ = [
    "ADMIN_EDITABLE",
    "EDITABLE",
    "MANAGER_EDITABLE",
    "SORTS",
    "change_tier",
    "channel_manager_contact",
    "count_partners_by_status",
    "create_partner",
    "editable_fields",
    "ensure_default_tiers",
    "home_cards",
    "invite_partner_user",
    "list_channel_managers",
    "list_partners",
    "list_tiers",
    "partners_xlsx",
    "reactivate_partner",
    "save_notes",
    "suspend_partner",
    "tier_by_code",
    "tier_history",
    "tier_label",
    "update_colleague",
    "update_partner",
    "validate_partner_data",
]

# Fields a partner edit may change (audit compares these before/after).
EDITABLE = (
    "name",
    "name_en",
    "kind",
    "province",
    "city",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
    "credit_limit_amount",
    "channel_manager_id",
    "locale",
    "notes",
    "joined_on",
)
# What a channel manager may change on the partners assigned to them (see editable_fields).
MANAGER_EDITABLE = frozenset({"city", "address", "contact_name", "contact_phone", "contact_email"})
ADMIN_EDITABLE = frozenset({*EDITABLE, "tier_id", "tier_reason", "status", "status_reason"})


async def validate_partner_data(partner: NewPartner | PartnerChanges) -> None:
    """Raise FormError naming every field that refers to something that does not exist (of a
    new partner: all; of an edit: those given)."""
    data = (
        partner.given() if isinstance(partner, PartnerChanges) else msgspec.structs.asdict(partner)
    )
    errors: dict[str, str] = {}
    if "province" in data and data["province"] not in PROVINCES:
        errors["province"] = _("Choose one of the options.")
    if "kind" in data and data["kind"] not in set(PartnerKind):
        errors["kind"] = _("Choose one of the options.")
    if "tier_id" in data and not await Tier.exists().where(Tier.id == data["tier_id"]):
        errors["tier_id"] = _("Choose one of the options.")
    if "locale" in data and data["locale"] not in SUPPORTED_LOCALES:
        errors["locale"] = _("Choose one of the options.")
    manager = data.get("channel_manager_id")
    if manager is not None and not await User.exists().where(
        (User.id == manager) & (User.role == Role.CHANNEL_MANAGER) & (User.is_active == True)  # noqa: E712
    ):
        errors["channel_manager_id"] = _("Choose an active channel manager.")
    email = data.get("contact_email")
    if email:
        if not EMAIL_RE.match(email):
            errors["contact_email"] = _("Enter a valid e-mail address.")
    if errors:
        raise FormError(errors)


def editable_fields(actor: CurrentUser) -> frozenset[str]:
    """The partner fields `actor` may change (on partners inside its scope).

    Vendor admins create partners and change everything. Channel managers keep the address and
    contact of their assigned partners current; name, kind, tier, credit limit, status, language
    and the assignment itself are commercial decisions that stay with vendor admins. Partner users
    change nothing here: they see their data on "My company" and ask their channel manager.
    """
    if actor.is_vendor_admin:
        return ADMIN_EDITABLE
    if actor.is_channel_manager:
        return MANAGER_EDITABLE
    return frozenset()


def _require_vendor_admin(actor: CurrentUser) -> None:
    if not actor.is_vendor_admin:
        raise FormError({"": _("Only a vendor administrator can do this.")})


async def _next_code() -> str:
    last = await Partner.select(Partner.id).order_by(Partner.id, ascending=False).first()
    return f"P{(last['id'] if last else 0) + 1:05d}"


async def create_partner(actor: CurrentUser | None, new: NewPartner) -> int:
    """Create an active partner and its first tier-history row; raises FormError on bad input."""
    await validate_partner_data(new)
    data = msgspec.structs.asdict(new)
    moment = now()
    data["joined_on"] = new.joined_on or moment.astimezone(get_settings().tz).date()
    async with write_transaction():
        code = await _next_code()
        while await Partner.exists().where(Partner.code == code):
            code = f"P{int(code[1:]) + 1:05d}"
        rows = await Partner.insert(
            Partner(
                code=code,
                name=new.name.strip(),
                name_en=new.name_en.strip(),
                kind=new.kind,
                tier=new.tier_id,
                province=new.province,
                city=new.city,
                address=new.address,
                contact_name=new.contact_name,
                contact_phone=new.contact_phone,
                contact_email=new.contact_email.lower(),
                credit_limit_amount=int(new.credit_limit_amount),
                channel_manager_id=new.channel_manager_id,
                status=PartnerStatus.ACTIVE,
                joined_on=data["joined_on"],
                locale=new.locale or "zh_CN",
                notes=new.notes,
                created_at=moment,
                updated_at=moment,
            )
        ).returning(Partner.id)
        partner_id = int(rows[0]["id"])
        await TierChange.insert(
            TierChange(
                partner=partner_id,
                from_tier=None,
                to_tier=new.tier_id,
                changed_by_id=actor.id if actor else None,
                changed_by_name=actor.name if actor else "",
                reason=new.tier_reason,  # empty: shown as "Initial tier" in the reader's language
                changed_at=moment,
            )
        )
        await audit.record(
            "partner.create",
            actor=actor,
            partner_id=partner_id,
            target_type="partner",
            target_id=partner_id,
            after={k: data[k] for k in (*EDITABLE, "tier_id") if k in data},
        )
    return partner_id


async def update_partner(actor: CurrentUser, partner: dict[str, Any], edit: PartnerChanges) -> None:
    """Apply an edit from the console or API; tier, status and credit changes get their own
    audit actions and the tier change a history row. `partner` comes from the access helper.
    Raises FormError for bad input and for fields outside editable_fields(actor)."""
    data = edit.given()
    refused = set(data) - editable_fields(actor)
    if refused:
        raise FormError(
            {k: _("Only a vendor administrator can change this.") for k in sorted(refused)}
        )
    if "status" in data and data["status"] not in set(PartnerStatus):
        raise FormError({"status": _("Choose one of the options.")})
    await validate_partner_data(edit)
    partner_id = partner["id"]
    changes = {k: data[k] for k in EDITABLE if k in data}
    if "contact_email" in changes:
        changes["contact_email"] = (changes["contact_email"] or "").lower()
    before = {k: partner.get(k) for k in changes}
    old, new = audit.changes(before, changes)
    tier_id = data.get("tier_id")
    change_id: int | None = None
    async with write_transaction():
        if new:
            values: dict[Any, Any] = {**new, Partner.updated_at: now()}
            await Partner.update(values).where(Partner.id == partner_id)
            credit = {"credit_limit_amount"} & set(new)
            if credit:
                await audit.record(
                    "partner.credit_limit_change",
                    actor=actor,
                    partner_id=partner_id,
                    target_type="partner",
                    target_id=partner_id,
                    before={"credit_limit_amount": old["credit_limit_amount"]},
                    after={"credit_limit_amount": new["credit_limit_amount"]},
                )
            rest_old = {k: v for k, v in old.items() if k != "credit_limit_amount"}
            rest_new = {k: v for k, v in new.items() if k != "credit_limit_amount"}
            if rest_new:
                await audit.record(
                    "partner.update",
                    actor=actor,
                    partner_id=partner_id,
                    target_type="partner",
                    target_id=partner_id,
                    before=rest_old,
                    after=rest_new,
                )
        if tier_id is not None and tier_id != partner["tier"]:
            change_id = await _change_tier(actor, partner, tier_id, data.get("tier_reason") or "")
        status = data.get("status")
        if status and status != partner["status"]:
            if status == PartnerStatus.SUSPENDED:
                await _set_status(
                    actor, partner, PartnerStatus.SUSPENDED, data.get("status_reason", "")
                )
            elif status == PartnerStatus.ACTIVE:
                await _set_status(
                    actor, partner, PartnerStatus.ACTIVE, data.get("status_reason", "")
                )
            else:
                raise FormError({"status": _("Choose one of the options.")})
    if change_id is not None:  # after the commit: the partner's admins are told (bell + e-mail)
        await hooks.alert("tier_changed", change_id)


async def _change_tier(
    actor: CurrentUser, partner: dict[str, Any], tier_id: int, reason: str
) -> int:
    """Move the partner (inside the caller's transaction); the tier_change id, for the notice
    that the caller raises after the commit (hooks.alert "tier_changed")."""
    if not reason.strip():
        raise FormError({"tier_reason": _("Say why the tier changes.")})
    moment = now()
    await Partner.update({Partner.tier: tier_id, Partner.updated_at: moment}).where(
        Partner.id == partner["id"]
    )
    rows = await TierChange.insert(
        TierChange(
            partner=partner["id"],
            from_tier=partner["tier"],
            to_tier=tier_id,
            changed_by_id=actor.id,
            changed_by_name=actor.name,
            reason=reason.strip(),
            changed_at=moment,
        )
    ).returning(TierChange.id)
    await audit.record(
        "partner.tier_change",
        actor=actor,
        partner_id=partner["id"],
        target_type="partner",
        target_id=partner["id"],
        before={"tier_id": partner["tier"]},
        after={"tier_id": tier_id},
        detail=reason.strip(),
    )
    return int(rows[0]["id"])


async def change_tier(
    actor: CurrentUser, partner: dict[str, Any], tier_id: int, reason: str
) -> None:
    """Move a partner to another tier, with the reason kept in its tier history (required)."""
    _require_vendor_admin(actor)
    if not await Tier.exists().where(Tier.id == tier_id):
        raise FormError({"tier_id": _("Choose one of the options.")})
    if tier_id == partner["tier"]:
        return
    async with write_transaction():
        change_id = await _change_tier(actor, partner, tier_id, reason)
    await hooks.alert("tier_changed", change_id)


async def _set_status(
    actor: CurrentUser, partner: dict[str, Any], status: PartnerStatus, reason: str
) -> None:
    await Partner.update({Partner.status: status, Partner.updated_at: now()}).where(
        Partner.id == partner["id"]
    )
    ended = 0
    if status == PartnerStatus.SUSPENDED:
        ended = await end_partner_sessions(partner["id"])
    await audit.record(
        "partner.suspend" if status == PartnerStatus.SUSPENDED else "partner.reactivate",
        actor=actor,
        partner_id=partner["id"],
        target_type="partner",
        target_id=partner["id"],
        before={"status": partner["status"]},
        after={"status": status.value},
        detail=(reason or "") + (f" ({ended} sessions ended)" if ended else ""),
    )


async def suspend_partner(actor: CurrentUser, partner: dict[str, Any], reason: str) -> None:
    """Suspend: its users can no longer sign in and every open session ends at once."""
    _require_vendor_admin(actor)
    if partner["status"] == PartnerStatus.SUSPENDED:
        return
    if not reason.strip():
        raise FormError({"reason": _("Say why the partner is suspended.")})
    async with write_transaction():
        await _set_status(actor, partner, PartnerStatus.SUSPENDED, reason.strip())


async def reactivate_partner(actor: CurrentUser, partner: dict[str, Any], reason: str = "") -> None:
    """Let a suspended partner's users sign in again."""
    _require_vendor_admin(actor)
    if partner["status"] == PartnerStatus.ACTIVE:
        return
    async with write_transaction():
        await _set_status(actor, partner, PartnerStatus.ACTIVE, reason.strip())


NOTES_MAX = 5000


async def save_notes(actor: CurrentUser, partner: dict[str, Any], notes: str) -> bool:
    """Replace the channel team's internal notes on a partner (never shown to the partner);
    vendor admins and the partner's channel manager (the caller reached `partner` through the
    access helper). Audited with the text before and after; False when nothing changed.
    Raises FormError for partner users and for a text over NOTES_MAX characters."""
    if not (actor.is_vendor_admin or actor.is_channel_manager):
        raise FormError({"notes": _("Only vendor staff can do this.")})
    text = notes.strip().replace("\r\n", "\n")
    if len(text) > NOTES_MAX:
        raise FormError({"notes": _("At most %(n)s characters.", n=NOTES_MAX)})
    if text == (partner.get("notes") or ""):
        return False
    async with write_transaction():
        await Partner.update({Partner.notes: text, Partner.updated_at: now()}).where(
            Partner.id == partner["id"]
        )
        await audit.record(
            "partner.notes_change",
            actor=actor,
            partner_id=partner["id"],
            target_type="partner",
            target_id=partner["id"],
            before={"notes": partner.get("notes") or ""},
            after={"notes": text},
        )
    return True


async def partner_ids_by_code(codes: Sequence[str]) -> dict[str, int]:
    """{CODE: id} of the partner codes that exist (codes typed into a console form)."""
    wanted = [c.strip().upper() for c in codes if c.strip()]
    if not wanted:
        return {}
    rows = await Partner.select(Partner.id, Partner.code).where(Partner.code.is_in(wanted))
    return {r["code"].upper(): int(r["id"]) for r in rows}


async def partner_codes(partner_ids: Sequence[int]) -> list[str]:
    """The codes of the partners with these ids."""
    if not partner_ids:
        return []
    rows = await Partner.select(Partner.code).where(Partner.id.is_in([int(i) for i in partner_ids]))
    return [r["code"] for r in rows]
