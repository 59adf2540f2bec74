"""Importing customers from CSV or XLSX: upload, column mapping, preview, confirm.

The uploaded file is parsed once and kept in a `customer_import` row (headers, cells, mapping), so
the preview and the confirmation work across requests and processes. Headers are recognised in
English or Chinese (ALIASES); the user may change the mapping. Every row is checked and every bad
row reported with its line number; nothing is written until the whole file is clean, and then
everything is written in one transaction. A row whose name, phone or e-mail matches an existing
customer (or an earlier row) is a duplicate: skipped, or merged (empty fields filled, a new contact
person and the tags added). openpyxl reads with defusedxml (a dependency) against XML bombs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.auth.tables import User
from portal.core import audit
from portal.customers.constants import (
    MAX_TAGS,
    Duplicates,
    ImportStatus,
    Segment,
    Source,
)
from portal.customers.services import (
    forget_cached,
    name_key,
    parse_tags,
    phone_key,
    tags_list,
    tags_text,
)
from portal.customers.tables import Customer, CustomerContact, CustomerImport
from portal.db import write_transaction
from portal.lib.clock import now
from portal.lib.forms import EMAIL_RE, FormError
from portal.lib.i18n import N_, to_local
from portal.lib.i18n import gettext as _
from portal.tenancy import NotFound

MAX_BYTES = 15 * 1024 * 1024
MAX_ROWS = 50_000
MAX_REPORTED = 200  # errors listed; the count says how many more
PREVIEW_ROWS = 20
BATCH = 500  # customers per INSERT
XLSX_MAGIC = b"PK\x03\x04"

FIELDS: dict[str, str] = {
    "name": N_("Customer name"),
    "kind": N_("Company or person"),
    "industry": N_("Industry"),
    "size": N_("Size"),
    "region": N_("Region"),
    "city": N_("City"),
    "source": N_("Source"),
    "owner": N_("Owner (e-mail or name)"),
    "tags": N_("Tags"),
    "notes": N_("Notes"),
    "contact_name": N_("Contact person"),
    "contact_title": N_("Job title"),
    "contact_phone": N_("Phone"),
    "contact_email": N_("E-mail"),
    "contact_wechat": N_("WeChat ID"),
}
# Header spellings (lower case, spaces removed) -> field.
ALIASES: dict[str, str] = {
    **{f: f for f in FIELDS},
    "customer": "name", "customername": "name", "company": "name", "companyname": "name",
    "客户": "name", "客户名称": "name", "公司": "name", "公司名称": "name", "单位名称": "name",
    "名称": "name", "客户名": "name",
    "type": "kind", "类型": "kind", "客户类型": "kind",
    "行业": "industry", "所属行业": "industry",
    "companysize": "size", "规模": "size", "公司规模": "size", "人数": "size",
    "province": "region", "地区": "region", "省份": "region", "区域": "region", "省": "region",
    "城市": "city", "市": "city",
    "来源": "source", "客户来源": "source", "leadsource": "source",
    "负责人": "owner", "归属": "owner", "销售": "owner", "负责销售": "owner", "owneremail": "owner",
    "标签": "tags", "tag": "tags",
    "备注": "notes", "note": "notes", "说明": "notes",
    "contact": "contact_name", "联系人": "contact_name", "姓名": "contact_name",
    "title": "contact_title", "jobtitle": "contact_title", "职位": "contact_title",
    "职务": "contact_title",
    "phone": "contact_phone", "mobile": "contact_phone", "tel": "contact_phone",
    "电话": "contact_phone", "手机": "contact_phone", "手机号": "contact_phone",
    "联系电话": "contact_phone", "手机号码": "contact_phone",
    "email": "contact_email", "e-mail": "contact_email", "mail": "contact_email",
    "邮箱": "contact_email", "电子邮件": "contact_email", "电子邮箱": "contact_email",
    "wechat": "contact_wechat", "微信": "contact_wechat", "微信号": "contact_wechat",
}  # fmt: skip
KINDS = {"company": "company", "公司": "company", "企业": "company", "单位": "company",
         "person": "person", "个人": "person", "private": "person"}  # fmt: skip
SIZES = {
    "micro": "micro", "微型": "micro", "<10": "micro", "1-9": "micro",
    "small": "small", "小型": "small", "10-99": "small",
    "medium": "medium", "中型": "medium", "100-999": "medium",
    "large": "large", "大型": "large", "1000+": "large", ">1000": "large",
}  # fmt: skip
SOURCES = {
    **{s.value: s.value for s in Source},
    "展会": "exhibition", "展览": "exhibition", "trade fair": "exhibition",
    "推荐": "referral", "转介绍": "referral", "朋友介绍": "referral", "客户介绍": "referral",
    "官网": "website", "网站": "website", "web": "website",
    "厂商": "vendor_lead", "厂家": "vendor_lead", "厂商线索": "vendor_lead", "vendor": "vendor_lead",
    "陌拜": "cold_call", "电话营销": "cold_call", "自拓": "cold_call",
    "老客户": "existing", "existing customer": "existing", "其他": "other",
}  # fmt: skip


class FileRefused(Exception):
    """The file cannot be read at all (format, size, header); the message says why."""


@dataclass
class RowError:
    line: int
    message: str


@dataclass
class Record:
    """One clean row, ready to write."""

    line: int
    values: dict[str, Any]
    contact: dict[str, str]
    tags: list[str]
    duplicate_of: int | None = None  # an existing customer id
    duplicate_line: int | None = None  # an earlier row of the file
    reason: str = ""


@dataclass
class Checked:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    records: list[Record] = field(default_factory=list)

    @property
    def new(self) -> int:
        return sum(1 for r in self.records if r.duplicate_of is None and r.duplicate_line is None)

    @property
    def duplicates(self) -> int:
        return len(self.records) - self.new

    def add_error(self, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(RowError(line, message))


@dataclass
class Written:
    created: int = 0
    merged: int = 0
    skipped: int = 0


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # phone numbers typed as numbers in Excel
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(value).strip()


def read_table(filename: str, data: bytes) -> list[list[str]]:
    """The file's cells as text, header first; raises FileRefused."""
    if len(data) > MAX_BYTES:
        raise FileRefused(_("The file is larger than %(n)s MB.", n=MAX_BYTES // 1024 // 1024))
    name = filename.lower()
    if name.endswith(".xlsx"):
        if not data.startswith(XLSX_MAGIC):
            raise FileRefused(_("This is not an Excel (.xlsx) file."))
        table = _xlsx_table(data)
    elif name.endswith((".csv", ".txt")):
        if b"\x00" in data[:4096]:
            raise FileRefused(_("This is not a CSV text file."))
        table = _csv_table(data)
    else:
        raise FileRefused(_("Upload a .csv or .xlsx file."))
    while table and not any(table[0]):
        table.pop(0)
    if len(table) < 2:
        raise FileRefused(_("The file has no rows below the header."))
    return table


def _xlsx_table(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise FileRefused(_("The Excel file could not be read.")) from None
    try:
        table = []
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            table.append([_cell(v) for v in row])
            if len(table) > MAX_ROWS + 1:
                raise FileRefused(_("The file has more than %(n)s rows.", n=MAX_ROWS))
        return table
    finally:
        workbook.close()


def _csv_table(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GB18030
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileRefused(_("The CSV file is not UTF-8 or GB18030 text."))
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    table = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    if len(table) > MAX_ROWS + 1:
        raise FileRefused(_("The file has more than %(n)s rows.", n=MAX_ROWS))
    return table


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Header position (as text) -> field, from English or Chinese header names."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for index, header in enumerate(headers):
        key = header.strip().lower().replace(" ", "").replace("_", "").replace("*", "")
        target = ALIASES.get(key) or ALIASES.get(header.strip().lower())
        if target is None:
            target = next((f for f in FIELDS if key == f.replace("_", "")), None)
        if target and target not in used:
            mapping[str(index)] = target
            used.add(target)
    return mapping


async def stage_import(
    partner_id: int,
    user_id: int | None,
    filename: str,
    data: bytes,
    on_duplicate: str = Duplicates.SKIP,
) -> int:
    """Parse an uploaded file and keep it as a pending import; returns its id."""
    table = read_table(filename, data)
    headers = [h or f"#{n + 1}" for n, h in enumerate(table[0])]
    rows = [[n, row] for n, row in enumerate(table[1:], start=2) if any(row)]
    if not rows:
        raise FileRefused(_("The file has no rows below the header."))
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


async def get_import_for_user(user: CurrentUser, import_id: int) -> dict[str, Any]:
    """A pending or finished import of the user's partner; NotFound otherwise."""
    row = await (
        CustomerImport.select()
        .where(
            (CustomerImport.id == import_id)
            & (CustomerImport.partner == (user.partner_id if user.is_partner else -1))
        )
        .first()
    )
    if row is None:
        raise NotFound
    return _decoded(row)


async def load_import(import_id: int) -> dict[str, Any]:
    """An import by id, for the command line (which acts for a partner named on it)."""
    row = await CustomerImport.select().where(CustomerImport.id == import_id).first()
    if row is None:
        raise NotFound
    return _decoded(row)


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    import json

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


async def _owners(partner_id: int) -> dict[str, int]:
    rows = await User.select(User.id, User.email, User.name).where(
        (User.partner == partner_id) & (User.is_active == True)  # noqa: E712
    )
    owners: dict[str, int] = {}
    for r in rows:
        owners[r["email"].lower()] = r["id"]
        owners.setdefault(r["name"].strip().lower(), r["id"])
    return owners


async def _existing_keys(partner_id: int) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """name key, phone key and e-mail -> customer id, for the partner's duplicate check."""
    names = {
        r["name_key"]: r["id"]
        for r in await Customer.select(Customer.id, Customer.name_key).where(
            Customer.partner == partner_id
        )
    }
    phones: dict[str, int] = {}
    emails: dict[str, int] = {}
    for r in await CustomerContact.select(
        CustomerContact.customer, CustomerContact.phone_key, CustomerContact.email
    ).where(CustomerContact.partner == partner_id):
        if r["phone_key"]:
            phones.setdefault(r["phone_key"], r["customer"])
        if r["email"]:
            emails.setdefault(r["email"], r["customer"])
    return names, phones, emails


async def check(partner_id: int, imp: dict[str, Any]) -> Checked:
    """Validate every row with the import's mapping; find duplicates. Writes nothing."""
    mapping: dict[str, str] = imp["mapping"]
    result = Checked(rows=len(imp["rows"]))
    if "name" not in mapping.values():
        result.add_error(1, _("No column is mapped to the customer name."))
        return result
    owners = await _owners(partner_id)
    names, phones, emails = await _existing_keys(partner_id)
    seen_names: dict[str, int] = {}
    seen_phones: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    columns = [(int(p), f) for p, f in mapping.items()]
    for line, cells in imp["rows"]:
        raw = {f: (cells[p].strip() if p < len(cells) and cells[p] else "") for p, f in columns}
        problems: list[str] = []
        name = raw.get("name", "")
        if not name:
            problems.append(_("the customer name is missing"))
        elif len(name) > 200:
            problems.append(_("the name is longer than 200 characters"))
        kind = KINDS.get(raw.get("kind", "").lower(), "") if raw.get("kind") else "company"
        if not kind:
            problems.append(_("type must be company or person (公司/个人)"))
        size = (
            SIZES.get(raw.get("size", "").lower().replace(" ", ""), "") if raw.get("size") else ""
        )
        source = SOURCES.get(raw.get("source", "").lower(), Source.OTHER.value)
        owner_id = None
        if raw.get("owner"):
            owner_id = owners.get(raw["owner"].lower())
            if owner_id is None:
                problems.append(_("owner %(who)s is not a user of your company", who=raw["owner"]))
        email = raw.get("contact_email", "").lower()
        if email and not EMAIL_RE.match(email):
            problems.append(_("the e-mail address %(email)s is not valid", email=email))
        phone = raw.get("contact_phone", "")
        digits = phone_key(phone)
        if phone and len(digits) < 5:
            problems.append(_("the phone number %(phone)s has fewer than 5 digits", phone=phone))
        for key, limit in (("industry", 80), ("region", 80), ("city", 80), ("contact_name", 100),
                           ("contact_title", 100), ("contact_wechat", 60), ("notes", 10_000)):  # fmt: skip
            if len(raw.get(key, "")) > limit:
                problems.append(
                    _("%(field)s is longer than %(n)s characters", field=_(FIELDS[key]), n=limit)
                )
        if problems:
            result.add_error(line, "; ".join(problems))
            continue
        key = name_key(name)
        record = Record(
            line=line,
            values={
                "name": name,
                "name_key": key,
                "kind": kind,
                "industry": raw.get("industry", ""),
                "size": size,
                "region": raw.get("region", ""),
                "city": raw.get("city", ""),
                "source": source,
                "owner": owner_id,
                "notes": raw.get("notes", ""),
            },
            contact={
                "name": raw.get("contact_name", "") or (name if kind == "person" else ""),
                "title": raw.get("contact_title", ""),
                "phone": phone,
                "phone_key": digits,
                "email": email,
                "wechat": raw.get("contact_wechat", ""),
            },
            tags=parse_tags(raw.get("tags", "")),
        )
        for value, existing, seen, reason in (
            (key, names, seen_names, _("same name")),
            (digits if len(digits) >= 5 else "", phones, seen_phones, _("same phone")),
            (email, emails, seen_emails, _("same e-mail")),
        ):
            if not value:
                continue
            if value in existing and record.duplicate_of is None and record.duplicate_line is None:
                record.duplicate_of, record.reason = existing[value], reason
            elif value in seen and record.duplicate_of is None and record.duplicate_line is None:
                record.duplicate_line, record.reason = seen[value], reason
        if record.duplicate_line is None and record.duplicate_of is None:
            seen_names.setdefault(key, line)
            if len(digits) >= 5:
                seen_phones.setdefault(digits, line)
            if email:
                seen_emails.setdefault(email, line)
        result.records.append(record)
    return result


def preview_rows(imp: dict[str, Any], limit: int = PREVIEW_ROWS) -> list[dict[str, Any]]:
    """The first rows as the mapping reads them (for the preview table)."""
    columns = [(int(p), f) for p, f in imp["mapping"].items()]
    out = []
    for line, cells in imp["rows"][:limit]:
        out.append({"line": line, **{f: cells[p] if p < len(cells) else "" for p, f in columns}})
    return out


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
            ids = await _insert_rows(
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
                await _insert_rows("customer_contact", contacts)
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


async def _insert_rows(
    table: str, rows: list[dict[str, Any]], returning: bool = False
) -> list[int]:
    """One multi-row INSERT (same keys in every row), below the ORM: Piccolo builds an object
    per row (~1 ms each), which made a 20,000-row import spend most of its time there. Returns
    the new ids in row order when asked (both databases return VALUES rows in order)."""
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    one = "(" + ", ".join("{}" for _ in columns) + ")"
    sql = f'INSERT INTO "{table}" ({names}) VALUES ' + ", ".join(one for _ in rows)  # noqa: S608
    args = [row[c] for row in rows for c in columns]
    if returning:
        result = await Customer.raw(sql + " RETURNING id", *args)
        return [int(r["id"]) for r in result]
    await Customer.raw(sql, *args)
    return []


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
