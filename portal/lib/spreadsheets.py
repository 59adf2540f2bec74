"""Writing XLSX files for people: one helper, with formula injection neutralised.

Text that a spreadsheet would run as a formula (= + - @, tab, CR at the start) gets an apostrophe
prefix; datetimes are written in local time without a zone (Excel has none).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from portal.lib.inputs import CONTROL_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe(value: Any) -> Any:
    """A cell value that no spreadsheet will evaluate as a formula."""
    if isinstance(value, str):
        # stored text may hold control characters that no XLSX can carry: never fail an export
        value = CONTROL_RE.sub("", value)
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return value


def yuan(minor: int | None) -> Decimal | None:
    """Minor units as a Decimal amount for a money cell."""
    return None if minor is None else Decimal(int(minor)).scaleb(-2)


def workbook(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """An .xlsx file with one sheet per (title, header, rows), written in streaming mode."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title=title[:31])
        sheet.append(list(header))
        for row in rows:
            sheet.append([safe(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
