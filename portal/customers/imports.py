"""Importing customers from CSV or XLSX: upload, column mapping, preview, confirm.

The uploaded file is parsed once and kept in a `customer_import` row (headers, cells, mapping), so
the preview and the confirmation work across requests and processes. Headers are recognised in
English or Chinese (ALIASES); the user may change the mapping. Every row is checked and every bad
row reported with its line number; nothing is written until the whole file is clean, and then
everything is written in one transaction. A row whose name, phone or e-mail matches an existing
customer (or an earlier row) is a duplicate: skipped, or merged (empty fields filled, a new contact
person and the tags added). Files are read by portal.lib.spreadsheets (limits on size, rows, cells
and the staged size, off the event loop); openpyxl reads with defusedxml against XML bombs.
Reading files lives in import_files.py, checking rows in import_checks.py (both re-exported).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.core import audit
from portal.customers import queries
from portal.customers.constants import MAX_TAGS, Duplicates, ImportStatus, Segment, Source
from portal.customers.import_checks import (
    KINDS,
    MAX_REPORTED,
    PREVIEW_ROWS,
    SIZES,
    SOURCES,
    Checked,
    Record,
    RowError,
    check,
    preview_rows,
)
from portal.customers.import_files import (
    ALIASES,
    FIELDS,
    MAX_BYTES,
    MAX_ROWS,
    XLSX_MAGIC,
    FileRefused,
    guess_mapping,
    load_table,
    read_table,
)
from portal.customers.listing import forget_cached
from portal.customers.tables import Customer, CustomerContact, CustomerImport
from portal.customers.values import tags_list, tags_text
from portal.db import write_transaction
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.lib.i18n import to_local
from portal.tenancy import NotFound

__all__ = [
    "ALIASES",
    "BATCH",
    "FIELDS",
    "KINDS",
    "MAX_BYTES",
    "MAX_REPORTED",
    "MAX_ROWS",
    "PREVIEW_ROWS",
    "SIZES",
    "SOURCES",
    "XLSX_MAGIC",
    "Checked",
    "FileRefused",
    "Record",
    "RowError",
    "Written",
    "check",
    "confirm_import",
    "discard_import",
    "guess_mapping",
    "load_import",
    "load_table",
    "preview_rows",
    "read_table",
    "set_mapping",
    "stage_import",
]

BATCH = 500  # customers per INSERT


@dataclass
class Written:
    created: int = 0
    merged: int = 0
    skipped: int = 0


async def stage_import(
    partner_id: int,
    user_id: int | None,
    filename: str,
    data: bytes,
    on_duplicate: str = Duplicates.SKIP,
) -> int:
    """Parse an uploaded file and keep it as a pending import; returns its id."""
    table = await load_table(filename, data)
    headers = [h or f"#{n + 1}" for n, h in enumerate(table.header)]
    rows = [[n, row] for n, row in table.rows]
    inserted = await CustomerImport.insert(
        CustomerImport(
            partner=partner_id,
            user=user_id,
            filename=filename[-200:],
            headers=headers,
            mapping=guess_mapping(headers),
            rows=rows,
            on_duplicate=Duplicates(on_duplicate).value,
            created_at=now(),
        )
    ).returning(CustomerImport.id)
    return int(inserted[0]["id"])


async def load_import(import_id: int) -> dict[str, Any]:
    """An import by id, for the command line (which acts for a partner named on it)."""
    row = await CustomerImport.select().where(CustomerImport.id == import_id).first()
    if row is None:
        raise NotFound
    return _decoded(row)


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    for key in ("headers", "mapping", "rows"):
        if isinstance(row[key], str):
            row[key] = json.loads(row[key])
    return row


async def set_mapping(import_id: int, mapping: dict[str, str], on_duplicate: str) -> None:
    """Store the user's column mapping (position -> field; one column per field)."""
    clean: dict[str, str] = {}
    used: set[str] = set()
    for position, target in mapping.items():
        if target in FIELDS:
            if target in used:
                raise FormError(
                    {f"col_{position}": _("Each field can be taken from one column only.")}
                )
            clean[position] = target
            used.add(target)
    await CustomerImport.update(
        {
            CustomerImport.mapping: clean,
            CustomerImport.on_duplicate: Duplicates(on_duplicate).value,
        }
    ).where((CustomerImport.id == import_id) & (CustomerImport.status == ImportStatus.PENDING))


def _merge_values(current: dict[str, Any], record: Record) -> dict[Any, Any]:
    values: dict[Any, Any] = {}
    for key in ("industry", "size", "region", "city", "owner", "notes"):
        if record.values.get(key) and not current.get(key):
            values[getattr(Customer, key)] = record.values[key]
    if record.values.get("source") not in ("", Source.OTHER) and current.get("source") in (
        "",
        Source.OTHER,
    ):
        values[Customer.source] = record.values["source"]
    tags = tags_list(current.get("tags", ""))
    lowered = {t.lower() for t in tags}
    added = [t for t in record.tags if t.lower() not in lowered]
    if added:
        values[Customer.tags] = tags_text((tags + added)[:MAX_TAGS])
    return values


async def confirm_import(
    actor: CurrentUser | None,
    imp: dict[str, Any],
    progress: Callable[[int], None] | None = None,
) -> Written:
    """Write a clean import in one transaction (FormError when any row is bad); idempotent: a
    finished import is not written again."""
    if imp["status"] != ImportStatus.PENDING:
        raise FormError({"": _("This import has already been finished or discarded.")})
    partner_id = int(imp["partner"])
    checked = await check(partner_id, imp)
    if checked.error_count:
        raise FormError(
            {"": _("%(n)s rows need correcting; nothing was imported.", n=checked.error_count)}
        )
    merge = imp["on_duplicate"] == Duplicates.MERGE
    moment = now()
    today = to_local(moment).date()
    written = Written()
    fresh = [r for r in checked.records if r.duplicate_of is None and r.duplicate_line is None]
    later = [r for r in checked.records if r.duplicate_of or r.duplicate_line]
    async with write_transaction():
        claimed = await (
            CustomerImport.update(
                {CustomerImport.status: ImportStatus.DONE, CustomerImport.done_at: moment}
            )
            .where(
                (CustomerImport.id == imp["id"]) & (CustomerImport.status == ImportStatus.PENDING)
            )
            .returning(CustomerImport.id)
        )
        if not claimed:
            raise FormError({"": _("This import has already been finished or discarded.")})
        by_line: dict[int, int] = {}
        for n in range(0, len(fresh), BATCH):
            chunk = fresh[n : n + BATCH]
            ids = await queries.insert_rows(
                "customer",
                [
                    {
                        "partner": partner_id,
                        **r.values,
                        "tags": tags_text(r.tags),
                        "contact_name": r.contact["name"][:100],
                        "contact_phone": r.contact["phone"][:40],
                        "contact_email": r.contact["email"][:200],
                        "segment": Segment.NEW.value,
                        "segment_on": today,
                        "created_by_id": actor.id if actor else None,
                        "created_at": moment,
                        "updated_at": moment,
                    }
                    for r in chunk
                ],
                returning=True,
            )
            contacts = []
            for record, customer_id in zip(chunk, ids, strict=True):
                by_line[record.line] = customer_id
                if record.contact["name"] or record.contact["phone"] or record.contact["email"]:
                    contacts.append(_contact_values(customer_id, partner_id, record, 0, moment))
            if contacts:
                await queries.insert_rows("customer_contact", contacts)
            written.created += len(chunk)
            if progress:
                progress(len(chunk))
        for record in later:
            target = record.duplicate_of or by_line.get(record.duplicate_line or 0)
            if not merge or target is None:
                written.skipped += 1
                if progress:
                    progress(1)
                continue
            current = await Customer.select().where(Customer.id == target).first()
            assert current is not None
            values = _merge_values(current, record)
            if values:
                values[Customer.updated_at] = moment
                await Customer.update(values).where(Customer.id == target)
            contact = record.contact
            if contact["phone_key"] or contact["email"]:
                known = await CustomerContact.exists().where(
                    (CustomerContact.customer == target)
                    & (
                        (CustomerContact.phone_key == (contact["phone_key"] or "-"))
                        | (CustomerContact.email == (contact["email"] or "-"))
                    )
                )
                if not known:
                    count = await CustomerContact.count().where(CustomerContact.customer == target)
                    await CustomerContact.insert(
                        _contact(target, partner_id, record, count, moment)
                    )
            written.merged += 1
            if progress:
                progress(1)
        await CustomerImport.update(
            {
                CustomerImport.created: written.created,
                CustomerImport.merged: written.merged,
                CustomerImport.skipped: written.skipped,
                CustomerImport.rows: [],  # the data now lives in the customer tables
            }
        ).where(CustomerImport.id == imp["id"])
        await audit.record(
            "customer.imported",
            actor=actor,
            actor_email="" if actor else "cli",
            partner_id=partner_id,
            target_type="customer_import",
            target_id=imp["id"],
            after={
                "file": imp["filename"],
                "created": written.created,
                "merged": written.merged,
                "skipped": written.skipped,
            },
        )
    forget_cached()
    return written


def _contact_values(
    customer_id: int, partner_id: int, record: Record, position: int, moment: dt.datetime
) -> dict[str, Any]:
    c = record.contact
    return {
        "customer": customer_id,
        "partner": partner_id,
        "name": (c["name"] or record.values["name"])[:100],
        "title": c["title"][:100],
        "phone": c["phone"][:40],
        "phone_key": c["phone_key"],
        "email": c["email"][:200],
        "wechat": c["wechat"][:60],
        "position": position,
        "created_at": moment,
    }


def _contact(
    customer_id: int, partner_id: int, record: Record, position: int, moment: dt.datetime
) -> CustomerContact:
    c = record.contact
    return CustomerContact(
        customer=customer_id,
        partner=partner_id,
        name=(c["name"] or record.values["name"])[:100],
        title=c["title"][:100],
        phone=c["phone"][:40],
        phone_key=c["phone_key"],
        email=c["email"][:200],
        wechat=c["wechat"][:60],
        position=position,
        created_at=moment,
    )


async def discard_import(imp: dict[str, Any]) -> None:
    await CustomerImport.update(
        {
            CustomerImport.status: ImportStatus.DISCARDED,
            CustomerImport.rows: [],
            CustomerImport.done_at: now(),
        }
    ).where((CustomerImport.id == imp["id"]) & (CustomerImport.status == ImportStatus.PENDING))
