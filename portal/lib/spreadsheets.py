"""Spreadsheets in and out: the portal's only CSV/XLSX reader, and its XLSX writer.

Reading (`read_table`; `load_table` runs it in a worker thread, off the event loop) streams rows
and stops at the first limit passed: file size, rows, columns, characters per cell, per row and in
all (`Limits`), so a small file that expands to millions of rows or a 64 MB cell costs a fraction of
a second, not the server. CSV text is UTF-16 or UTF-8 with a byte-order mark, UTF-8, or GB18030
(what Excel in China saves; a superset of GBK); a NUL anywhere refuses the file, other control
characters are dropped. Header names go through the caller's aliases. Every refusal is a
`FileRefused` whose message (in the user's language) names the line and column when there is one.

Writing: text that a spreadsheet would run as a formula (= + - @, tab, CR at the start) gets an
apostrophe prefix; datetimes are written in local time without a zone (Excel has none).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import anyio.to_thread
from openpyxl import Workbook
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser

from portal.lib.archives import ZipRefused, check_zip
from portal.lib.i18n import gettext as _
from portal.lib.inputs import CONTROL_RE, clean_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_MAGIC = b"PK\x03\x04"


# ---- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """What one upload may hold; the defaults fit every import of the portal."""

    max_bytes: int = 10 * 1024 * 1024
    max_rows: int = 50_000  # data rows, blank ones included (the header is not counted)
    max_columns: int = 200
    max_cell_chars: int = 32_767  # Excel's own limit for a cell
    max_row_chars: int = 100_000
    max_total_chars: int = 16_000_000  # what is staged or validated; a CSV under 15 MB fits
    # openpyxl reads every part but the worksheet whole: each part (declared, uncompressed size)
    # is capped at 16 times the file limit, and parts other than the worksheets, which are
    # streamed, at a compression ratio of 100 (Apache POI's zip-bomb default)
    part_factor: int = 16


@dataclass
class RowError:
    """One problem in one row: its line (1 = the header row), column (letter or name), message."""

    line: int
    message: str
    column: str = ""


class FileRefused(Exception):
    """The file cannot be read at all (format, size, limits, header); the message says why, in
    the user's language; `error` names the line and column when the refusal concerns one."""

    def __init__(self, message: str, error: RowError | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.error = error


@dataclass
class Table:
    """The first non-empty row as `header` (and through the aliases as `columns`), then every
    non-empty row below it with its line number in the file (as Excel numbers rows)."""

    header: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)

    def records(self) -> list[tuple[int, dict[str, str]]]:
        """(line, {column: text}) per row; cells under an empty column name are left out."""
        named = [(i, c) for i, c in enumerate(self.columns) if c]
        return [
            (line, {c: cells[i] if i < len(cells) else "" for i, c in named})
            for line, cells in self.rows
        ]


def header_key(text: str) -> str:
    """A header name as aliases are matched: case, spaces, underscores and '*' ignored."""
    return text.strip().lower().replace(" ", "").replace("_", "").replace("*", "")


def column_for(aliases: Mapping[str, str], header: str) -> str | None:
    """The column a header name stands for in `aliases` (keys compared by `header_key`)."""
    return _keyed(tuple(aliases.items())).get(header_key(header))


@functools.lru_cache(maxsize=16)
def _keyed(items: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {header_key(k): v for k, v in items}


def read_table(
    filename: str,
    data: bytes,
    *,
    limits: Limits = Limits(),
    aliases: Mapping[str, str] | None = None,
) -> Table:
    """The file's non-empty rows as text (blocking: call `load_table` from a request).

    Raises FileRefused for a file over the limits, of the wrong kind or unreadable. A header
    name in `aliases` becomes its column; others are kept in lower case."""
    if len(data) > limits.max_bytes:
        raise FileRefused(
            _("The file is larger than %(n)s MB.", n=limits.max_bytes // 1024 // 1024)
        )
    name = filename.lower()
    if name.endswith(".xlsx"):
        if not data.startswith(XLSX_MAGIC):
            raise FileRefused(_("This is not an Excel (.xlsx) file."))
        lines = _xlsx_lines(data, limits)
    elif name.endswith((".csv", ".txt")):
        lines = _csv_lines(data)
    else:
        raise FileRefused(_("Upload a .csv or .xlsx file."))
    table = Table()
    keyed = _keyed(tuple((aliases or {}).items()))
    total = 0
    try:
        for count, (line, raw) in enumerate(lines, start=1):
            if count > limits.max_rows + 1:
                raise FileRefused(_("The file has more than %(n)s rows.", n=limits.max_rows))
            cells = _checked(line, raw, limits, table.header)
            if not any(cells):
                continue
            total += sum(len(c) for c in cells)
            if total > limits.max_total_chars:
                raise _line_refused(
                    line,
                    "",
                    _(
                        "Line %(line)s: the file holds more than %(n)s characters in all.",
                        line=line,
                        n=f"{limits.max_total_chars:,}",
                    ),
                )
            if not table.header:
                table.header = cells
                table.columns = [keyed.get(header_key(h), h.strip().lower()) for h in cells]
            else:
                table.rows.append((line, cells))
    finally:
        close = getattr(lines, "close", None)
        if close is not None:
            close()  # the XLSX generator closes its archive
    return table


async def load_table(
    filename: str,
    data: bytes,
    *,
    limits: Limits = Limits(),
    aliases: Mapping[str, str] | None = None,
) -> Table:
    """`read_table` in a worker thread, so other requests are served while a file is parsed
    (the user's language travels with the thread's copied context)."""
    return await anyio.to_thread.run_sync(
        functools.partial(read_table, filename, data, limits=limits, aliases=aliases)
    )


def _line_refused(line: int, column: str, message: str) -> FileRefused:
    return FileRefused(message, RowError(line, message, column))


def _column_name(index: int, header: list[str]) -> str:
    letter = get_column_letter(index + 1)
    name = header[index] if index < len(header) else ""
    return f"{letter} ({name})" if name else letter


def _checked(line: int, raw: Sequence[Any], limits: Limits, header: list[str]) -> list[str]:
    """One row's cells as clean text; refuses NUL and cells, rows and widths over the limits."""
    cells = [_text(v) for v in raw]
    while cells and not cells[-1]:
        cells.pop()
    if len(cells) > limits.max_columns:
        raise _line_refused(
            line,
            "",
            _(
                "Line %(line)s: the row has more than %(n)s columns.",
                line=line,
                n=limits.max_columns,
            ),
        )
    size = 0
    for index, cell in enumerate(cells):
        if len(cell) > limits.max_cell_chars:
            column = _column_name(index, header)
            raise _line_refused(
                line,
                column,
                _(
                    "Line %(line)s, column %(column)s: a cell holds more than %(n)s characters.",
                    line=line,
                    column=column,
                    n=f"{limits.max_cell_chars:,}",
                ),
            )
        if "\x00" in cell:
            column = _column_name(index, header)
            raise _line_refused(
                line,
                column,
                _(
                    "Line %(line)s, column %(column)s: the cell holds a NUL character.",
                    line=line,
                    column=column,
                ),
            )
        size += len(cell)
    if size > limits.max_row_chars:
        raise _line_refused(
            line,
            "",
            _(
                "Line %(line)s: the row holds more than %(n)s characters.",
                line=line,
                n=f"{limits.max_row_chars:,}",
            ),
        )
    return [clean_text(c).strip() if CONTROL_RE.search(c) or "\r" in c else c for c in cells]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # phone numbers and quantities typed as numbers in Excel
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _xlsx_lines(data: bytes, limits: Limits) -> Iterator[tuple[int, list[Any]]]:
    """(row number, values) of the first worksheet, streamed from the archive.

    openpyxl's own read-only worksheet first scans the whole sheet for its size when the file
    declares none (58 s for 2,000,000 rows), and pads every row to the declared width: so the
    parts openpyxl reads whole are loaded as in `load_workbook(read_only=True)`, and the sheet
    is read with its row parser directly. Row numbers come from the file; gaps cost nothing."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRefused(_("The Excel file could not be read.")) from None
    try:
        sheet_path = _checked_archive(archive, limits)
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        paths = [
            rel.target
            for _sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        ]
        sheet_path = paths[0] if paths else sheet_path
        if sheet_path is None:
            raise FileRefused(_("The Excel file could not be read."))
        source = reader.archive.open(sheet_path)
        parser = WorkSheetParser(
            source,
            reader.shared_strings,
            data_only=True,
            epoch=reader.wb.epoch,
            date_formats=reader.wb._date_formats,
            timedelta_formats=reader.wb._timedelta_formats,
        )
    except FileRefused:
        archive.close()
        raise
    except Exception:  # openpyxl raises many kinds on a broken file
        archive.close()
        raise FileRefused(_("The Excel file could not be read.")) from None
    rows = parser.parse()
    try:
        while True:
            try:
                number, cells = next(rows)
            except StopIteration:
                return
            except Exception:
                raise FileRefused(_("The Excel file could not be read.")) from None
            values: list[Any] = []
            for cell in cells:
                if cell["value"] is None or cell["value"] == "":
                    continue
                column = int(cell["column"])
                if column > limits.max_columns:
                    raise _line_refused(
                        number,
                        "",
                        _(
                            "Line %(line)s: the row has more than %(n)s columns.",
                            line=number,
                            n=limits.max_columns,
                        ),
                    )
                if column > len(values):
                    values.extend([None] * (column - len(values)))
                values[column - 1] = cell["value"]
            yield number, values
    finally:
        source.close()
        reader.archive.close()
        archive.close()


def _checked_archive(archive: zipfile.ZipFile, limits: Limits) -> str | None:
    """Refuses parts that would expand beyond the limits; the first worksheet's path, if any."""
    sheets = {i.filename for i in archive.infolist() if i.filename.startswith("xl/worksheets/")}
    cap = limits.part_factor * limits.max_bytes
    try:
        check_zip(archive, max_part_bytes=cap, max_total_bytes=2 * cap, streamed=sheets)
    except ZipRefused as refused:
        if refused.ratio:
            raise FileRefused(
                _("The Excel file expands far beyond its size (a zip bomb?); it was not read.")
            ) from None
        raise FileRefused(
            _(
                "The Excel file unpacks to more than %(n)s MB; it was not read.",
                n=cap // 1024 // 1024,
            )
        ) from None
    return min(sheets) if sheets else None


def _decoded(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)  # Excel's "Unicode text"
    else:
        encodings = ("utf-8-sig", "gb18030")  # Excel in China saves CSV as GB18030
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRefused(_("The CSV file is not UTF-8 or GB18030 text."))


def _csv_lines(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """(record number, cells) of a CSV text, read record by record."""
    text = _decoded(data)
    if "\x00" in text:
        raise FileRefused(_("This is not a CSV text file."))
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    records = csv.reader(io.StringIO(text), dialect)
    number = 0
    while True:
        number += 1
        try:
            cells = next(records)
        except StopIteration:
            return
        except csv.Error:  # a cell past csv's own field limit (131,072), e.g. an unclosed quote
            raise _line_refused(
                number,
                "",
                _(
                    "Line %(line)s could not be read: a cell is too long, or a quote is not closed.",
                    line=number,
                ),
            ) from None
        yield number, cells


# ---- writing -------------------------------------------------------------------------------


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
    book = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title=title[:31])
        sheet.append(list(header))
        for row in rows:
            sheet.append([safe(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
