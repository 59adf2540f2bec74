"""Reading uploaded customer files: CSV or XLSX, size- and row-capped, into headers and cells."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from portal.lib.i18n import N_
from portal.lib.i18n import gettext as _

MAX_BYTES = 15 * 1024 * 1024
MAX_ROWS = 50_000
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


class FileRefused(Exception):
    """The file cannot be read at all (format, size, header); the message says why."""


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
