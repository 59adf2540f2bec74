"""portal.lib.spreadsheets, the one CSV/XLSX reader: encodings, NUL, aliases, and limits on size,
rows, columns, cells, rows' and the file's characters, each refused with the line it concerns; rows
streamed, so a file far over the row limit is refused after reading just past it."""

from __future__ import annotations

import codecs
import datetime as dt
import io

import pytest
from openpyxl import Workbook

from portal.lib import spreadsheets
from portal.lib.i18n import use_locale
from portal.lib.spreadsheets import FileRefused, Limits, read_table
from tests.lib.spreadsheet_files import many_rows_xlsx, sheet_xlsx

ALIASES = {"sku": "sku", "料号": "sku", "name_zh": "name_zh", "名称": "name_zh"}


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def refusal(name: str, data: bytes, **limits: int) -> FileRefused:
    with pytest.raises(FileRefused) as refused:
        read_table(name, data, limits=Limits(**limits), aliases=ALIASES)
    return refused.value


@pytest.mark.parametrize(
    "data",
    [
        "料号,名称\nA-1,摄像机\n".encode(),
        codecs.BOM_UTF8 + "料号,名称\nA-1,摄像机\n".encode(),
        "料号,名称\nA-1,摄像机\n".encode("gb18030"),
        "料号\t名称\nA-1\t摄像机\n".encode("utf-16"),  # Excel's "Unicode text", with its BOM
    ],
    ids=["utf-8", "utf-8 BOM", "GB18030", "UTF-16"],
)
def test_csv_text_is_read_in_every_encoding_excel_writes(data: bytes) -> None:
    table = read_table("p.csv", data, aliases=ALIASES)
    assert table.columns == ["sku", "name_zh"]
    assert table.records() == [(2, {"sku": "A-1", "name_zh": "摄像机"})]


def test_header_aliases_ignore_case_spaces_and_underscores_and_unknown_headers_stay() -> None:
    table = read_table("p.csv", b"SKU, Name ZH ,Colour\nA,B,C\n", aliases=ALIASES)
    assert table.header == ["SKU", "Name ZH", "Colour"]
    assert table.columns == ["sku", "name_zh", "colour"]


def test_blank_rows_are_skipped_and_lines_are_the_files_own() -> None:
    table = read_table("p.csv", b",\nsku,name_zh\n\nA,1\n,\nB,2\n")
    assert table.header == ["sku", "name_zh"]
    assert [line for line, _cells in table.rows] == [4, 6]


def test_xlsx_values_come_as_the_text_a_user_typed() -> None:
    data = xlsx([["sku", "qty", "on"], ["A-1", 12.0, dt.datetime(2026, 11, 3, 9, 30)]])
    table = read_table("p.xlsx", data)
    assert table.rows == [(2, ["A-1", "12", "2026-11-03"])]


def test_a_nul_byte_anywhere_in_a_csv_refuses_it() -> None:
    data = b"sku,name_zh\n" + b"A,b\n" * 5000 + b"C,\x00\n"
    assert str(refusal("p.csv", data)) == "This is not a CSV text file."


def test_other_control_characters_are_dropped_from_cells() -> None:
    table = read_table("p.csv", b'sku,name_zh\nA\x0b-1,x\x07y\r\nB,"two\r\nlines"\n')
    assert table.rows == [(2, ["A-1", "xy"]), (3, ["B", "two\nlines"])]


def test_the_size_limit_comes_first() -> None:
    assert str(refusal("p.csv", b"x" * 2_000_000, max_bytes=1024 * 1024)) == (
        "The file is larger than 1 MB."
    )


def test_a_cell_over_the_limit_is_refused_naming_its_line_and_column() -> None:
    data = f"sku,name_zh\nA,ok\nB,{'长' * 40_000}\n".encode()
    assert str(refusal("p.csv", data)) == (
        "Line 3, column B (name_zh): a cell holds more than 32,767 characters."
    )


def test_a_64_mb_cell_in_a_small_xlsx_is_refused_at_its_line() -> None:
    data = sheet_xlsx(["sku", "notes"], ["A", "x" * 64 * 1024 * 1024], 1)
    assert len(data) < 200_000
    assert str(refusal("p.xlsx", data)).startswith("Line 2, column B (notes): a cell holds more")


def test_a_64_mb_shared_string_is_refused_before_openpyxl_loads_it() -> None:
    strings = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
    strings += b"x" * 64 * 1024 * 1024 + b"</t></si></sst>"
    data = sheet_xlsx(["sku"], ["A"], 1, strings=strings)
    assert str(refusal("p.xlsx", data)) == (
        "The Excel file expands far beyond its size (a zip bomb?); it was not read."
    )


def test_rows_columns_and_the_whole_file_have_character_limits() -> None:
    wide = "sku\n" + ",".join(["x"] * 300) + "\n"
    assert str(refusal("p.csv", wide.encode())) == "Line 2: the row has more than 200 columns."
    long_row = "a,b,c\n1,2,3\n" + ",".join(["y" * 30_000] * 3) + "\n"
    assert str(refusal("p.csv", long_row.encode(), max_row_chars=60_000)) == (
        "Line 3: the row holds more than 60,000 characters."
    )
    many = "a,b\n" + "1234567890,1234567890\n" * 100
    assert str(refusal("p.csv", many.encode(), max_total_chars=1_000)) == (
        "Line 51: the file holds more than 1,000 characters in all."
    )


def test_an_unclosed_quote_is_refused_at_its_line() -> None:
    data = b'a,b\n1,2\n3,"' + b"z" * 200_000 + b"\n"
    assert str(refusal("p.csv", data)).startswith("Line 3 could not be read")


def test_the_row_limit_counts_blank_rows_too() -> None:
    assert str(refusal("p.csv", b"a\n" + b"1\n" * 11, max_rows=10)) == (
        "The file has more than 10 rows."
    )
    assert read_table("p.csv", b"a\n" + b"1\n" * 10, limits=Limits(max_rows=10)).rows


def test_a_sheet_is_streamed_and_left_just_past_the_row_limit(monkeypatch) -> None:
    parsed = []

    class CountingParser(spreadsheets.WorkSheetParser):  # type: ignore[misc]
        def parse_row(self, row):  # type: ignore[no-untyped-def]
            parsed.append(1)
            return super().parse_row(row)

    monkeypatch.setattr(spreadsheets, "WorkSheetParser", CountingParser)
    data = sheet_xlsx(["sku"], ["A"], 300_000)

    refused = refusal("p.xlsx", data, max_rows=1000)

    assert str(refused) == "The file has more than 1000 rows."
    assert len(parsed) <= 1002  # of 300,001 rows in the file


def test_a_618_kb_xlsx_of_2_000_000_rows_is_refused_without_being_parsed(monkeypatch) -> None:
    data = many_rows_xlsx()
    monkeypatch.setattr(spreadsheets, "WorkSheetParser", None)  # never reached
    assert len(data) < 700_000
    assert str(refusal("p.xlsx", data)) == (
        "The Excel file unpacks to more than 160 MB; it was not read."
    )


def test_refusals_are_translated() -> None:
    with use_locale("zh_CN"):
        message = str(refusal("p.csv", b"a\n" + b"1\n" * 11, max_rows=10))
    assert "10" in message and "rows" not in message
