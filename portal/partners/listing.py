"""Partner listing and export: only partners inside the reader's scope, filtered and sorted."""

from __future__ import annotations

from typing import Any

import msgspec

from portal.auth.constants import PartnerStatus, Role
from portal.auth.schemas import CurrentUser
from portal.auth.tables import User
from portal.core import audit
from portal.lib.i18n import current_locale as locale_var
from portal.lib.i18n import gettext as _
from portal.lib.spreadsheets import workbook, yuan
from portal.partners.constants import province_name
from portal.partners.schemas import PartnerFilters
from portal.partners.tables import Partner
from portal.partners.tiers import tier_label
from portal.tenancy import partner_scope

SORTS = {
    "name": (Partner.name, True),
    "-name": (Partner.name, False),
    "code": (Partner.code, True),
    "joined": (Partner.joined_on, False),
    "tier": (Partner.tier.rank, True),
    "credit": (Partner.credit_limit_amount, False),
}


async def list_channel_managers() -> list[dict[str, Any]]:
    """Active channel managers by name (for selects and filters)."""
    return (
        await User.select(User.id, User.name, User.email)
        .where(
            (User.role == Role.CHANNEL_MANAGER) & (User.is_active == True)  # noqa: E712
        )
        .order_by(User.name)
    )


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
