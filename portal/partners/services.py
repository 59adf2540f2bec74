"""Partner organisations: reads, the verbs that change them, applications, and home cards."""

from __future__ import annotations

from typing import Any

import msgspec

from portal.auth import services as auth_services
from portal.auth.constants import PARTNER_ROLES, Role
from portal.auth.schemas import CurrentUser
from portal.auth.sessions import end_partner_sessions
from portal.auth.tables import User
from portal.core import audit
from portal.db import write_transaction
from portal.home import Card
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import current_locale, format_money
from portal.lib.i18n import gettext as _
from portal.partners.constants import (
    PROVINCES,
    ApplicationStatus,
    PartnerKind,
    PartnerStatus,
)
from portal.partners.schemas import PartnerFilters
from portal.partners.tables import Partner, PartnerApplication, Tier, TierChange
from portal.settings import SUPPORTED_LOCALES, get_settings
from portal.tenancy import partner_scope

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
SORTS = {
    "name": (Partner.name, True),
    "-name": (Partner.name, False),
    "code": (Partner.code, True),
    "joined": (Partner.joined_on, False),
    "tier": (Partner.tier.rank, True),
    "credit": (Partner.credit_limit_amount, False),
}


def tier_label(row: dict[str, Any], prefix: str = "tier.") -> str:
    """The tier's name in the current language, from a row with (prefixed) name_zh/name_en."""
    zh = row.get(f"{prefix}name_zh") or row.get("name_zh") or ""
    en = row.get(f"{prefix}name_en") or row.get("name_en") or ""
    return zh if current_locale.get().startswith("zh") else en


async def list_tiers() -> list[dict[str, Any]]:
    """Every tier, top rank first."""
    return await Tier.select().order_by(Tier.rank)


async def tier_by_code(code: str) -> dict[str, Any] | None:
    """The tier with this code, or None."""
    return await Tier.select().where(Tier.code == code).first()


async def ensure_default_tiers() -> None:
    """Create the default ladder when the table is empty (migrate, demo, tests)."""
    from portal.partners.constants import DEFAULT_TIERS

    if await Tier.count() > 0:
        return
    await Tier.insert(
        *[
            Tier(code=code, name_zh=zh, name_en=en, rank=rank, quarterly_threshold_amount=threshold)
            for code, zh, en, rank, threshold in DEFAULT_TIERS
        ]
    )


async def list_channel_managers() -> list[dict[str, Any]]:
    """Active channel managers by name (for selects and filters)."""
    return (
        await User.select(User.id, User.name, User.email)
        .where(
            (User.role == Role.CHANNEL_MANAGER) & (User.is_active == True)  # noqa: E712
        )
        .order_by(User.name)
    )


async def validate_partner_data(data: dict[str, Any]) -> None:
    """Raise FormError naming every field that refers to something that does not exist."""
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
        from portal.lib.forms import EMAIL_RE

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


async def count_partners_by_status(user: CurrentUser) -> dict[str, int]:
    """How many partners in the user's scope are active and suspended."""
    scope = partner_scope(user, Partner.id)
    return {
        status.value: await Partner.count().where(scope & (Partner.status == status))
        for status in PartnerStatus
    }


async def list_partners(
    user: CurrentUser, filters: PartnerFilters
) -> tuple[list[dict[str, Any]], int]:
    """A page of the partners `user` may see, filtered and sorted, with the total count."""
    where = [partner_scope(user, Partner.id)]
    if filters.q:
        term = f"%{filters.q.strip()}%"
        where.append(
            Partner.name.ilike(term)
            | Partner.name_en.ilike(term)
            | Partner.code.ilike(term)
            | Partner.city.ilike(term)
            | Partner.contact_name.ilike(term)
        )
    if filters.tier:
        where.append(Partner.tier.code == filters.tier)
    if filters.kind:
        where.append(Partner.kind == filters.kind)
    if filters.province:
        where.append(Partner.province == filters.province)
    if filters.status:
        where.append(Partner.status == filters.status)
    if filters.manager:
        where.append(Partner.channel_manager_id == filters.manager)
    column, ascending = SORTS.get(filters.sort, SORTS["name"])
    per_page = min(max(filters.per_page, 1), 200)
    rows = (
        await Partner.select(
            *Partner.all_columns(exclude=[Partner.notes]),
            Partner.tier.code,
            Partner.tier.name_zh,
            Partner.tier.name_en,
            Partner.tier.rank,
        )
        .where(*where)
        .order_by(column, ascending=ascending)
        .order_by(Partner.id)
        .limit(per_page)
        .offset((max(filters.page, 1) - 1) * per_page)
    )
    total = await Partner.count().where(*where)
    managers = {m["id"]: m["name"] for m in await list_channel_managers()}
    for row in rows:
        row["channel_manager_name"] = managers.get(row["channel_manager_id"], "")
    return rows, total


async def partners_xlsx(actor: CurrentUser, filters: PartnerFilters) -> tuple[bytes, int]:
    """Every partner matching the filters (within the actor's scope) as an XLSX file, and the
    number of rows; the export is audited."""
    from portal.lib.i18n import current_locale as locale_var
    from portal.lib.spreadsheets import workbook, yuan
    from portal.partners.constants import province_name

    rows: list[dict[str, Any]] = []
    page = 1
    while True:
        chunk, total = await list_partners(
            actor, msgspec.structs.replace(filters, page=page, per_page=200)
        )
        rows.extend(chunk)
        if len(rows) >= total or not chunk:
            break
        page += 1
    locale = locale_var.get()
    header = [
        _("Code"),
        _("Name"),
        _("English name"),
        _("Kind"),
        _("Tier"),
        _("Province"),
        _("City"),
        _("Main contact"),
        _("Phone"),
        _("E-mail"),
        _("Credit limit"),
        _("Currency"),
        _("Channel manager"),
        _("Status"),
        _("Joined on"),
    ]
    data = workbook(
        [
            (
                _("Partners"),
                header,
                (
                    [
                        r["code"],
                        r["name"],
                        r["name_en"],
                        _(r["kind"].capitalize()),
                        tier_label(r),
                        province_name(r["province"], locale),
                        r["city"],
                        r["contact_name"],
                        r["contact_phone"],
                        r["contact_email"],
                        yuan(r["credit_limit_amount"]),
                        r["currency"],
                        r["channel_manager_name"],
                        _(r["status"].capitalize()),
                        r["joined_on"],
                    ]
                    for r in rows
                ),
            )
        ]
    )
    await audit.record(
        "partner.export",
        actor=actor,
        target_type="partner",
        detail=f"{len(rows)} partners, filters: {msgspec.json.encode(filters).decode()}",
    )
    return data, len(rows)


async def _next_code() -> str:
    last = await Partner.select(Partner.id).order_by(Partner.id, ascending=False).first()
    return f"P{(last['id'] if last else 0) + 1:05d}"


async def create_partner(actor: CurrentUser | None, data: dict[str, Any]) -> int:
    """Create an active partner and its first tier-history row; raises FormError on bad input."""
    await validate_partner_data(data)
    moment = now()
    async with write_transaction():
        code = await _next_code()
        while await Partner.exists().where(Partner.code == code):
            code = f"P{int(code[1:]) + 1:05d}"
        rows = await Partner.insert(
            Partner(
                code=code,
                name=data["name"].strip(),
                name_en=data.get("name_en", "").strip(),
                kind=data["kind"],
                tier=data["tier_id"],
                province=data["province"],
                city=data.get("city", ""),
                address=data.get("address", ""),
                contact_name=data.get("contact_name", ""),
                contact_phone=data.get("contact_phone", ""),
                contact_email=(data.get("contact_email") or "").lower(),
                credit_limit_amount=int(data.get("credit_limit_amount") or 0),
                channel_manager_id=data.get("channel_manager_id"),
                status=PartnerStatus.ACTIVE,
                joined_on=data.get("joined_on") or moment.astimezone(get_settings().tz).date(),
                locale=data.get("locale") or "zh_CN",
                notes=data.get("notes", ""),
                created_at=moment,
                updated_at=moment,
            )
        ).returning(Partner.id)
        partner_id = int(rows[0]["id"])
        await TierChange.insert(
            TierChange(
                partner=partner_id,
                from_tier=None,
                to_tier=data["tier_id"],
                changed_by_id=actor.id if actor else None,
                changed_by_name=actor.name if actor else "",
                reason=data.get("tier_reason")
                or "",  # empty: shown as "Initial tier" in the reader's language
                changed_at=moment,
            )
        )
        await audit.record(
            "partner.create",
            actor=actor,
            partner_id=partner_id,
            target_type="partner",
            target_id=partner_id,
            after={k: data.get(k) for k in (*EDITABLE, "tier_id") if k in data},
        )
    return partner_id


async def update_partner(actor: CurrentUser, partner: dict[str, Any], data: dict[str, Any]) -> None:
    """Apply an edit from the console or API; tier, status and credit changes get their own
    audit actions and the tier change a history row. `partner` comes from the access helper.
    Raises FormError for bad input and for fields outside editable_fields(actor)."""
    refused = set(data) - editable_fields(actor)
    if refused:
        raise FormError(
            {k: _("Only a vendor administrator can change this.") for k in sorted(refused)}
        )
    if "status" in data and data["status"] not in set(PartnerStatus):
        raise FormError({"status": _("Choose one of the options.")})
    await validate_partner_data(data)
    partner_id = partner["id"]
    changes = {k: data[k] for k in EDITABLE if k in data}
    if "contact_email" in changes:
        changes["contact_email"] = (changes["contact_email"] or "").lower()
    before = {k: partner.get(k) for k in changes}
    old, new = audit.changes(before, changes)
    tier_id = data.get("tier_id")
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
            await _change_tier(actor, partner, tier_id, data.get("tier_reason") or "")
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


async def _change_tier(
    actor: CurrentUser, partner: dict[str, Any], tier_id: int, reason: str
) -> None:
    if not reason.strip():
        raise FormError({"tier_reason": _("Say why the tier changes.")})
    moment = now()
    await Partner.update({Partner.tier: tier_id, Partner.updated_at: moment}).where(
        Partner.id == partner["id"]
    )
    await TierChange.insert(
        TierChange(
            partner=partner["id"],
            from_tier=partner["tier"],
            to_tier=tier_id,
            changed_by_id=actor.id,
            changed_by_name=actor.name,
            reason=reason.strip(),
            changed_at=moment,
        )
    )
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
        await _change_tier(actor, partner, tier_id, reason)


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


async def tier_history(partner_id: int) -> list[dict[str, Any]]:
    """A partner's tier changes, newest first, with who and why."""
    return (
        await TierChange.select(
            TierChange.id,
            TierChange.changed_at,
            TierChange.changed_by_name,
            TierChange.reason,
            TierChange.from_tier.name_zh,
            TierChange.from_tier.name_en,
            TierChange.to_tier.name_zh,
            TierChange.to_tier.name_en,
        )
        .where(TierChange.partner == partner_id)
        .order_by(TierChange.changed_at, ascending=False)
        .order_by(TierChange.id, ascending=False)
    )


async def invite_partner_user(
    actor: CurrentUser,
    partner: dict[str, Any],
    *,
    email: str,
    name: str,
    role: Role | str,
    can_sales: bool = False,
    can_purchasing: bool = False,
) -> int:
    """Invite a person to `partner` (reached through the access helper) as partner admin or
    member; raises FormError for a vendor role, a suspended partner or a taken e-mail."""
    if role not in PARTNER_ROLES:
        raise FormError({"role": _("Choose one of the options.")})
    if partner["status"] != PartnerStatus.ACTIVE:
        raise FormError(
            {"": _("This partner is suspended; re-activate it before inviting anyone.")}
        )
    return await auth_services.invite(
        actor=actor,
        email=email,
        name=name,
        role=role,
        partner_id=partner["id"],
        can_sales=can_sales,
        can_purchasing=can_purchasing,
    )


async def update_colleague(
    actor: CurrentUser,
    colleague: dict[str, Any],
    *,
    role: Role | str,
    can_sales: bool,
    can_purchasing: bool,
    is_active: bool,
) -> None:
    """Change a partner user's role, permissions or active flag (`colleague` comes from
    access.get_colleague_for_user); raises FormError for a vendor role or a partner left
    without an active admin."""
    if role not in PARTNER_ROLES:
        raise FormError({"role": _("Choose one of the options.")})
    await auth_services.update_member(
        actor,
        colleague["id"],
        role=role,
        can_sales=can_sales,
        can_purchasing=can_purchasing,
        is_active=is_active,
    )


async def channel_manager_contact(manager_id: int | None) -> dict[str, Any] | None:
    """Name, e-mail, phone and title of a channel manager, or None when unassigned."""
    if manager_id is None:
        return None
    return (
        await User.select(User.id, User.name, User.email, User.phone, User.title)
        .where(User.id == manager_id)
        .first()
    )


# Home page ---------------------------------------------------------------------------------


async def home_cards(user: CurrentUser) -> list[Card]:
    """Vendor: applications to review, partners by status. Partner: the company at a glance."""
    if user.is_vendor:
        scope = partner_scope(user, Partner.id)
        active = await Partner.count().where(scope & (Partner.status == PartnerStatus.ACTIVE))
        suspended = await Partner.count().where(scope & (Partner.status == PartnerStatus.SUSPENDED))
        cards = [
            Card(
                title=_("Partners"),
                items=[
                    (_("Active"), str(active), "/console/partners?status=active"),
                    (_("Suspended"), str(suspended), "/console/partners?status=suspended"),
                ],
                link="/console/partners",
                link_label=_("All partners"),
            )
        ]
        pending = await PartnerApplication.count().where(
            PartnerApplication.status == ApplicationStatus.PENDING
        )
        cards.append(
            Card(
                title=_("Partner applications"),
                items=[(_("Waiting for review"), str(pending), "/console/applications")],
                link="/console/applications",
                link_label=_("Review applications"),
                tone="attention" if pending else "ok",
            )
        )
        return cards
    if user.is_partner and user.partner_id is not None:
        partner = (
            await Partner.select(
                Partner.name,
                Partner.tier.name_zh,
                Partner.tier.name_en,
                Partner.credit_limit_amount,
                Partner.currency,
                Partner.channel_manager_id,
            )
            .where(Partner.id == user.partner_id)
            .first()
        )
        if partner is None:
            return []
        manager = await channel_manager_contact(partner["channel_manager_id"])
        items = [
            (_("Tier"), tier_label(partner), "/my-company"),
            (
                _("Credit limit"),
                format_money(partner["credit_limit_amount"], partner["currency"]),
                "",
            ),
        ]
        if manager:
            items.append((_("Your channel manager"), f"{manager['name']} · {manager['email']}", ""))
        cards = [
            Card(title=partner["name"], items=items, link="/my-company", link_label=_("My company"))
        ]
        if user.is_partner_admin:
            from portal.auth.services import list_open_invitations

            invites = await list_open_invitations(user.partner_id)
            cards.append(
                Card(
                    title=_("Colleagues"),
                    items=[(_("Open invitations"), str(len(invites)), "/my-company/users")],
                    link="/my-company/users",
                    link_label=_("Manage colleagues"),
                )
            )
        return cards
    return []
