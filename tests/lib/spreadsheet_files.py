"""Hostile spreadsheets and archives, built byte by byte (shared by the tests and bench/).

`many_rows_xlsx` is a valid XLSX whose one sheet holds millions of identical rows and declares
no dimension (so openpyxl's read-only worksheet would scan it all before the first row): 2,000,000
rows compress to about 450 KB. `zip_bomb` is a zip whose one member inflates ~1000 times."""

from __future__ import annotations

import functools
import io
import zipfile

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    b'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    b'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
    b'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
    b'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    b'.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    b'.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    b'Target="worksheets/sheet1.xml"/></Relationships>'
)


def _inline(text: str) -> bytes:
    return b'<c t="inlineStr"><is><t>' + text.encode() + b"</t></is></c>"


def sheet_xlsx(header: list[str], row: list[str], rows: int, *, strings: bytes = b"") -> bytes:
    """An XLSX of `header` then `rows` copies of `row` (inline strings, no dimension, no row
    numbers), written in 10,000-row chunks; `strings` a sharedStrings.xml part to add."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        if strings:
            archive.writestr("xl/sharedStrings.xml", strings)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            sheet.write(b"<row>" + b"".join(_inline(h) for h in header) + b"</row>")
            line = b"<row>" + b"".join(_inline(c) for c in row) + b"</row>"
            if rows >= 10_000:
                chunk = line * 10_000
                for _ in range(rows // 10_000):
                    sheet.write(chunk)
            for _ in range(rows % 10_000):
                sheet.write(line)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


@functools.lru_cache(maxsize=4)
def many_rows_xlsx(rows: int = 2_000_000, header: tuple[str, ...] = ("sku", "name_zh")) -> bytes:
    """A small XLSX with `rows` data rows (cached: building 2,000,000 rows takes ~1 s)."""
    return sheet_xlsx(list(header), ["X-1", "1"][: len(header)] + [""] * (len(header) - 2), rows)


def zip_bomb(member: str = "payload.bin", megabytes: int = 200, extra: bytes = b"") -> bytes:
    """A zip whose `member` inflates to `megabytes` MB of zeros from ~200 KB (plus `extra`
    members written first: e.g. an Office [Content_Types].xml)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        if extra:
            archive.writestr("[Content_Types].xml", extra)
        with archive.open(member, "w", force_zip64=True) as out:
            block = bytes(1024 * 1024)
            for _ in range(megabytes):
                out.write(block)
    return buffer.getvalue()


def office_types(main: str) -> bytes:
    """A [Content_Types].xml declaring an Office main part (docx, xlsx or pptx)."""
    parts = {
        "docx": "wordprocessingml.document.main+xml",
        "xlsx": "spreadsheetml.sheet.main+xml",
        "pptx": "presentationml.presentation.main+xml",
    }
    return (
        '<Types><Override PartName="/x" ContentType="application/vnd.openxmlformats-'
        f'officedocument.{parts[main]}"/></Types>'
    ).encode()
