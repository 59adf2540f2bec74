"""Reading uploaded customer files (CSV or XLSX, through portal.lib.spreadsheets: size-, row- and
cell-capped, off the event loop) into headers and cells; guessing the column mapping."""

from __future__ import annotations

import anyio.to_thread

from portal.lib import spreadsheets
from portal.lib.i18n import N_
from portal.lib.i18n import gettext as _

MAX_BYTES = 15 * 1024 * 1024
MAX_ROWS = 50_000
XLSX_MAGIC = spreadsheets.XLSX_MAGIC

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


# one reader for the portal (lib.spreadsheets); its refusal is this module's too
FileRefused = spreadsheets.FileRefused
LIMITS = spreadsheets.Limits(max_bytes=MAX_BYTES, max_rows=MAX_ROWS)


def read_table(filename: str, data: bytes) -> spreadsheets.Table:
    """The file's header and non-empty rows (with their line numbers) as text; raises
    FileRefused. Blocking: requests call `load_table`."""
    table = spreadsheets.read_table(filename, data, limits=LIMITS, aliases=ALIASES)
    if not table.rows:
        raise FileRefused(_("The file has no rows below the header."))
    return table


async def load_table(filename: str, data: bytes) -> spreadsheets.Table:
    """`read_table` in a worker thread: parsing a large file never holds up other requests."""
    return await anyio.to_thread.run_sync(read_table, filename, data)


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Header position (as text) -> field, from English or Chinese header names."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for index, header in enumerate(headers):
        target = spreadsheets.column_for(ALIASES, header)
        if target and target not in used:
            mapping[str(index)] = target
            used.add(target)
    return mapping
