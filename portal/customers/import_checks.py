"""Checking an import: every row validated, bad rows reported by line, duplicates found; no writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread

from portal.auth.tables import User
from portal.customers.constants import Source
from portal.customers.import_files import FIELDS
from portal.customers.tables import Customer, CustomerContact
from portal.customers.values import name_key, parse_tags, phone_key
from portal.lib.forms import EMAIL_RE
from portal.lib.i18n import gettext as _
from portal.lib.spreadsheets import RowError

MAX_REPORTED = 200  # errors listed; the count says how many more
PREVIEW_ROWS = 20

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
    # pure Python over up to 50,000 rows: in a worker thread, so other requests are served
    return await anyio.to_thread.run_sync(
        _check_rows, imp["rows"], mapping, owners, (names, phones, emails), result
    )


def _check_rows(
    rows: list[list[Any]],
    mapping: dict[str, str],
    owners: dict[str, int],
    known: tuple[dict[str, int], dict[str, int], dict[str, int]],
    result: Checked,
) -> Checked:
    names, phones, emails = known
    seen_names: dict[str, int] = {}
    seen_phones: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    columns = [(int(p), f) for p, f in mapping.items()]
    for line, cells in rows:
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
