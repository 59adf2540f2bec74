"""The filtered customer list as an XLSX file (formula injection neutralised by lib.spreadsheets)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.customers.access import customer_scope
from portal.customers.constants import SOURCE_LABELS
from portal.customers.listing import _filters_where
from portal.customers.schemas import CustomerFilters
from portal.customers.tables import Customer
from portal.customers.values import segment_label, tags_list
from portal.lib.i18n import current_locale, to_local
from portal.lib.i18n import gettext as _
from portal.lib.spreadsheets import workbook, yuan
from portal.partners.constants import province_name

MAX_EXPORT = 100_000
PAGE = 5_000  # rows per query, so a big export never holds one huge result


async def export_customers(user: CurrentUser, filters: CustomerFilters) -> bytes:
    """Every customer the filters select (up to MAX_EXPORT), in the user's language."""
    where = _filters_where(user, filters) if filters else customer_scope(user)
    rows: list[dict[str, Any]] = []
    last_id: int | None = None
    while len(rows) < MAX_EXPORT:
        page_where = [*where] + ([Customer.id < last_id] if last_id else [])
        chunk = await (
            Customer.select(
                Customer.id,
                Customer.name,
                Customer.kind,
                Customer.industry,
                Customer.region,
                Customer.city,
                Customer.source,
                Customer.owner.name.as_alias("owner_name"),
                Customer.tags,
                Customer.segment,
                Customer.contact_name,
                Customer.contact_phone,
                Customer.contact_email,
                Customer.last_contact_at,
                Customer.next_followup_on,
                Customer.order_count,
                Customer.revenue_amount,
                Customer.created_at,
            )
            .where(*page_where)
            .order_by(Customer.id, ascending=False)
            .limit(PAGE)
        )
        if not chunk:
            break
        rows.extend(chunk)
        last_id = chunk[-1]["id"]
    header = [
        _("ID"),
        _("Customer"),
        _("Industry"),
        _("Region"),
        _("City"),
        _("Source"),
        _("Owner"),
        _("Tags"),
        _("Segment"),
        _("Contact person"),
        _("Phone"),
        _("E-mail"),
        _("Last contact"),
        _("Next follow-up"),
        _("Orders"),
        _("Revenue (CNY)"),
        _("Created"),
    ]

    locale = current_locale.get()

    def lines() -> Iterator[list[Any]]:
        for r in rows[:MAX_EXPORT]:
            yield [
                r["id"],
                r["name"],
                r["industry"],
                province_name(r["region"], locale),
                r["city"],
                _(SOURCE_LABELS[r["source"]]) if r["source"] in SOURCE_LABELS else r["source"],
                r["owner_name"] or "",
                ", ".join(tags_list(r["tags"])),
                segment_label(r["segment"]),
                r["contact_name"],
                r["contact_phone"],
                r["contact_email"],
                to_local(r["last_contact_at"]) if r["last_contact_at"] else None,
                r["next_followup_on"],
                r["order_count"],
                yuan(r["revenue_amount"]),
                to_local(r["created_at"]),
            ]

    return workbook([(_("Customers"), header, lines())])
