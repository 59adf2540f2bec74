"""Importing leads from CSV or XLSX in the console (through portal.lib.spreadsheets: size-, row-
and cell-capped, off the event loop).

Every row is checked first with the rules of the console form and every bad row reported with
its line number (as Excel numbers rows) and what is wrong; nothing is written until the whole
file is clean, and then every lead is written in one transaction and routed at once.

Columns (first row; English or Chinese names): company, contact_name, phone, email, province
(code such as ZJ, or the name 浙江 / Zhejiang), city, product_interest (product category code),
source, note.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.auth.schemas import CurrentUser
from portal.deals import leads
from portal.deals.lead_constants import LeadSource
from portal.deals.lead_routing import RoutingResult, route_leads
from portal.lib import spreadsheets
from portal.lib.i18n import gettext as _
from portal.partners.constants import PROVINCES

FileRefused = spreadsheets.FileRefused
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
MAX_REPORTED = 200
LIMITS = spreadsheets.Limits(max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
REQUIRED = ("company", "contact_name", "province")

ALIASES = {
    "company": "company", "companyname": "company", "customer": "company", "公司": "company",
    "公司名称": "company", "客户": "company", "客户名称": "company", "单位名称": "company",
    "contact_name": "contact_name", "contact": "contact_name", "name": "contact_name",
    "联系人": "contact_name", "姓名": "contact_name",
    "phone": "phone", "mobile": "phone", "tel": "phone", "电话": "phone", "手机": "phone",
    "联系电话": "phone", "手机号": "phone",
    "email": "email", "e-mail": "email", "mail": "email", "邮箱": "email", "电子邮箱": "email",
    "province": "province", "省份": "province", "省": "province", "地区": "province",
    "city": "city", "城市": "city", "市": "city",
    "product_interest": "product_interest", "productline": "product_interest",
    "category": "product_interest", "产品线": "product_interest", "意向产品": "product_interest",
    "产品类别": "product_interest",
    "source": "source", "来源": "source", "线索来源": "source",
    "note": "note", "notes": "note", "备注": "note", "需求": "note", "说明": "note",
}  # fmt: skip


@dataclass
class LeadImport:
    rows: int = 0
    errors: list[spreadsheets.RowError] = field(default_factory=list)
    error_count: int = 0
    created: int = 0
    routed: int = 0
    written: bool = False

    def add(self, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(spreadsheets.RowError(line, message))


def _province(text: str) -> str:
    raw = text.strip()
    if raw.upper() in PROVINCES:
        return raw.upper()
    for code, (zh, en) in PROVINCES.items():
        if raw in (zh, en) or raw.rstrip("省市") == zh or raw.lower() == en.lower():
            return code
    return raw


async def check_file(filename: str, data: bytes) -> tuple[LeadImport, list[leads.LeadData]]:
    """Every row checked; the result with its errors, and the clean leads (when no error)."""
    table = await spreadsheets.load_table(filename, data, limits=LIMITS, aliases=ALIASES)
    if not table.header:
        raise FileRefused(_("The file is empty."))
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise FileRefused(_("Missing columns: %(columns)s.", columns=", ".join(missing)))
    categories = await leads.category_ids()
    result = LeadImport()
    clean: list[leads.LeadData] = []
    labels = {
        "company": _("Company"),
        "contact_name": _("Contact person"),
        "phone": _("Phone"),
        "email": _("E-mail"),
        "province": _("Province"),
        "city": _("City"),
        "product_interest": _("Product line"),
        "source": _("Source"),
        "note": _("Note"),
    }
    for line, cells in table.records():
        result.rows += 1
        source = cells.get("source", "").strip().lower() or LeadSource.IMPORT
        lead = leads.LeadData(
            company=cells.get("company", ""),
            contact_name=cells.get("contact_name", ""),
            phone=cells.get("phone", ""),
            province=_province(cells.get("province", "")),
            email=cells.get("email", ""),
            city=cells.get("city", ""),
            product_interest=cells.get("product_interest", "").strip(),
            source=source if source in set(LeadSource) else LeadSource.IMPORT,
            note=cells.get("note", ""),
        )
        errors = leads.check_lead(lead, categories)
        if errors:
            result.add(
                line,
                "; ".join(f"{labels.get(k, k)}: {v}" for k, v in errors.items()),
            )
        else:
            clean.append(lead)
    return result, clean


async def import_leads(
    actor: CurrentUser, filename: str, data: bytes, *, dry_run: bool = False
) -> tuple[LeadImport, RoutingResult | None]:
    """Check the file; when clean (and not a dry run) write every lead and route them."""
    if not actor.is_vendor:
        raise FileRefused(_("You do not have permission to do this."))
    result, clean = await check_file(filename, data)
    if result.error_count or dry_run or not clean:
        return result, None
    ids = await leads.insert_leads(actor, clean, await leads.category_ids(), via="import")
    result.created, result.written = len(ids), True
    routing = await route_leads(ids, actor=actor)
    result.routed = routing.routed
    return result, routing
