"""Imports (CSV/XLSX, console and CLI): every row checked first, bad rows reported with their line
number, nothing written until the file is clean. Exports round-trip and defuse formulas."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys

import pytest
from openpyxl import Workbook, load_workbook

from portal.core.tables import AuditEntry
from portal.lib import spreadsheets
from portal.lib.spreadsheets import XLSX_TYPE
from portal.orders import exports, imports
from portal.orders.tables import ContractPrice, PriceListItem, Product, StockMovement
from tests.lib.spreadsheet_files import sheet_xlsx
from tests.orders.factories import (
    make_category,
    make_price_list,
    make_product,
    make_warehouse,
    place,
    stock_of,
)
from tests.personas import csrf_token

PRODUCTS_CSV = (
    "sku,name_zh,name_en,category,list_price,min_order_quantity,pack_size,active\n"
    "IM-1,摄像机,Camera,CAM,1299.00,1,1,yes\n"
    "IM-2,录像机,Recorder,CAM,2599.5,2,2,是\n"
)


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def test_a_clean_product_file_is_imported(vera):
    await make_category("CAM")

    result = await imports.run_import(vera.current, "products", "p.csv", PRODUCTS_CSV.encode())

    assert (result.written, result.created, result.error_count) == (True, 2, 0)
    second = await Product.select().where(Product.sku == "IM-2").first()
    assert (second["list_price_amount"], second["pack_size"], second["is_active"]) == (
        2_599_50,
        2,
        True,
    )
    assert await AuditEntry.exists().where(AuditEntry.action == "import.products")


async def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(vera):
    await make_category("CAM")
    text = PRODUCTS_CSV + (
        "IM-3,,No name,CAM,10,1,1,yes\n"  # line 4: no Chinese name
        "IM-4,价格,Price,CAM,12.345,1,1,yes\n"  # line 5: three decimals
        "IM-5,类别,Category,NOPE,10,1,1,yes\n"  # line 6: unknown category
        "IM-1,重复,Duplicate,CAM,10,1,1,yes\n"  # line 7: same SKU as line 2
        "IM-6,包装,Pack,CAM,10,3,2,maybe\n"  # line 8: min not a multiple of pack
    )

    result = await imports.run_import(vera.current, "products", "p.csv", text.encode())

    assert not result.written
    assert [e.line for e in result.errors] == [4, 5, 6, 7, 8]
    assert "two decimal places" in result.errors[1].message
    assert "NOPE" in result.errors[2].message
    assert "line 2" in result.errors[3].message
    assert await Product.count() == 0


async def test_existing_products_are_updated_not_duplicated(vera):
    await make_category("CAM")
    await make_product("IM-1", price=1_00)

    result = await imports.run_import(vera.current, "products", "p.csv", PRODUCTS_CSV.encode())

    assert (result.created, result.updated) == (1, 1)
    assert await Product.count() == 2


async def test_an_excel_file_with_chinese_headers_is_read(vera):
    await make_warehouse("SH")
    await make_product("XL-1", stock=None)
    data = xlsx([["料号", "仓库", "库存", "安全库存"], ["XL-1", "sh", 40, 5]])

    result = await imports.run_import(vera.current, "stock", "stock.xlsx", data)

    assert result.written, result.errors
    assert await stock_of("XL-1") == (40, 0)
    movement = await StockMovement.select().first()
    assert (movement["kind"], movement["quantity"]) == ("import", 40)


async def test_a_stock_count_below_open_reservations_is_a_row_error(vera, alice):
    await make_product("RS-1", stock=10)
    await place(alice.current, {"RS-1": 8})

    result = await imports.run_import(
        vera.current, "stock", "s.csv", b"sku,warehouse,on_hand\nRS-1,SH,5\n"
    )

    assert [(e.line, "8 units are reserved" in e.message) for e in result.errors] == [(2, True)]
    assert await stock_of("RS-1") == (10, 8)


async def test_prices_go_to_a_tier_list_or_a_partner_contract(vera, partner_a):
    from portal.partners.tables import Partner

    await make_product("PX-1")
    await make_price_list("gold", code="GOLD")
    partner_code = (await Partner.select(Partner.code).where(Partner.id == partner_a).first())[
        "code"
    ]
    text = (
        "sku,price,price_list,partner,valid_until\n"
        "PX-1,88.8,GOLD,,\n"
        f"PX-1,77,,{partner_code},2099-12-31\n"
        "PX-1,66,GOLD,{0},\n".format(partner_code)
    )

    result = await imports.run_import(vera.current, "prices", "prices.csv", text.encode())

    assert [e.line for e in result.errors] == [4]
    fixed = "\n".join(text.splitlines()[:3]) + "\n"
    result = await imports.run_import(vera.current, "prices", "prices.csv", fixed.encode())
    assert result.written
    assert (await PriceListItem.select(PriceListItem.price_amount).first())["price_amount"] == 88_80
    assert (await ContractPrice.select(ContractPrice.price_amount).first())["price_amount"] == 77_00


async def test_gb18030_csv_from_chinese_excel_is_read(vera):
    await make_category("CAM")
    data = "sku,name_zh,list_price\nGB-1,网络摄像机,100\n".encode("gb18030")

    result = await imports.run_import(vera.current, "products", "gb.csv", data)

    assert result.written
    assert (await Product.select(Product.name_zh).first())["name_zh"] == "网络摄像机"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("x.pdf", b"%PDF", "Upload a .csv or .xlsx file."),
        ("x.xlsx", b"not a zip", "This is not an Excel (.xlsx) file."),
        ("x.csv", b"", "The file is empty."),
        ("x.csv", b"sku,name_zh\nA,b\n", "Missing columns: list_price."),
    ],
)
async def test_unusable_files_are_refused_with_a_reason(vera, name, data, message):
    with pytest.raises(imports.FileRefused) as refused:
        await imports.run_import(vera.current, "products", name, data)
    assert str(refused.value) == message


async def test_exports_defuse_formulas_and_round_trip(vera):
    await make_category("CAM")
    await make_product('=HYPERLINK("evil")', name_zh="@SUM(A1)", list_price_amount=12_34)

    data = await exports.products_xlsx()

    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == '\'=HYPERLINK("evil")' and rows[1][1] == "'@SUM(A1)"
    assert float(rows[1][5]) == 12.34


async def test_the_console_upload_reports_lines(as_user, vera):
    client = await as_user(vera)
    token = await csrf_token(client)

    response = await client.post(
        "/console/catalog/import",
        data={"_csrf_token": token, "kind": "products"},
        files={"file": ("p.csv", b"sku,name_zh,list_price\nA-1,,10\n", "text/csv")},
    )

    assert response.status_code == 400
    assert "Line" in response.text and "the Chinese name is required" in response.text


async def test_the_console_export_is_an_attachment(as_user, vera):
    await make_product("EX-1")
    client = await as_user(vera)

    response = await client.get("/console/catalog/export/stock")

    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith('attachment; filename="stock-')
    assert response.content.startswith(b"PK")


def test_the_cli_imports_with_a_progress_bar_and_refuses_a_bad_file(tmp_path):
    good = tmp_path / "warehouses.csv"
    good.write_text("sku,name_zh,list_price\nCLI-1,命令行,9.90\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("sku,name_zh,list_price\nCLI-2,坏,abc\n", encoding="utf-8")
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}

    ok = subprocess.run(
        [sys.executable, "-m", "portal.cli", "import", "products", str(good)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    refused = subprocess.run(
        [sys.executable, "-m", "portal.cli", "import", "products", str(bad)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )

    assert ok.returncode == 0, ok.stderr
    assert "1 rows imported: 1 new" in ok.stdout
    assert refused.returncode == 1
    assert "line 2: list_price" in refused.stderr


async def test_a_big_upload_is_parsed_while_other_users_are_served(as_user, vera, monkeypatch):
    # given a parse that records when it starts and ends (in whatever thread it runs)
    events: list[str] = []
    read_table = spreadsheets.read_table

    def recorded(*args, **kwargs):  # type: ignore[no-untyped-def]
        events.append("parse started")
        try:
            return read_table(*args, **kwargs)
        finally:
            events.append("parse finished")

    monkeypatch.setattr(spreadsheets, "read_table", recorded)
    client, anonymous = await as_user(vera), await as_user(None)
    token = await csrf_token(client)
    data = sheet_xlsx(["sku", "name_zh", "list_price"], ["A-1", "名称", "1"], 60_000)

    # when vera uploads a file over the row limit and someone opens the sign-in page meanwhile
    upload = asyncio.create_task(
        client.post(
            "/console/catalog/import",
            data={"_csrf_token": token, "kind": "products"},
            files={"file": ("big.xlsx", data, XLSX_TYPE)},
        )
    )
    while not events:
        await asyncio.sleep(0.01)
    login = await anonymous.get("/login")
    events.append("login answered")
    refused = await upload

    # then the sign-in page was answered while the file was still being parsed
    assert login.status_code == 200
    assert events == ["parse started", "login answered", "parse finished"]
    assert refused.status_code == 400 and "more than 50000 rows" in refused.text
