"""Customer imports: Chinese headers, per-row errors with line numbers, nothing written until
clean, duplicates skipped or merged, XLSX and the CLI."""

from __future__ import annotations

import io
import threading

import pytest

from portal.customers import access as customer_access
from portal.customers import imports
from portal.customers.tables import Customer, CustomerContact, CustomerImport
from portal.lib import spreadsheets
from portal.lib.forms import FormError
from tests.customers.factories import make_customer
from tests.lib.spreadsheet_files import sheet_xlsx
from tests.personas import post_form

CHINESE = "客户名称,联系人,手机,邮箱,标签,来源\n星河科技,王经理,13800138000,wang@xh.cn,VIP;展会,展会\n蓝海电子,陈总,13900139000,,,官网\n"


def xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def _stage(persona, text: str | bytes, name: str = "c.csv", on_duplicate: str = "skip"):
    data = text.encode() if isinstance(text, str) else text
    import_id = await imports.stage_import(
        persona.partner_id, persona.id, name, data, on_duplicate=on_duplicate
    )
    return await customer_access.get_import_for_user(persona.current, import_id)


async def test_chinese_headers_are_mapped_and_the_import_writes_customers(alice):
    imp = await _stage(alice, CHINESE)
    assert imp["mapping"] == {
        "0": "name",
        "1": "contact_name",
        "2": "contact_phone",
        "3": "contact_email",
        "4": "tags",
        "5": "source",
    }

    written = await imports.confirm_import(alice.current, imp)

    assert written.created == 2
    row = await Customer.select().where(Customer.name == "星河科技").first()
    assert (
        row["tags"] == ",VIP,展会,"
        and row["source"] == "exhibition"
        and row["contact_phone"] == "13800138000"
    )


async def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(alice):
    imp = await _stage(
        alice,
        "name,email,phone,owner\nGood,a@b.cn,13800000000,\n,x@y.cn,,\nBad mail,nope,,\nShort,,12,\nX,,,ghost@nowhere\n",
    )

    checked = await imports.check(alice.partner_id, imp)

    assert [e.line for e in checked.errors] == [3, 4, 5, 6]
    assert (
        "name is missing" in checked.errors[0].message
        and "ghost@nowhere" in checked.errors[3].message
    )
    with pytest.raises(FormError):
        await imports.confirm_import(alice.current, imp)
    assert await Customer.count() == 0


async def test_duplicates_are_skipped_or_merged(alice):
    existing = await make_customer(alice.current, "星河科技", phone="13800138000", tags=["old"])
    skip = await _stage(alice, CHINESE)
    assert (await imports.confirm_import(alice.current, skip)).skipped == 1

    merge = await _stage(
        alice,
        "客户名称,手机,行业,标签,微信\n星河科技,13700000000,制造业,新标签,wx1\n",
        on_duplicate="merge",
    )
    written = await imports.confirm_import(alice.current, merge)

    row = await Customer.select().where(Customer.id == existing).first()
    assert written.merged == 1 and row["industry"] == "制造业" and row["tags"] == ",old,新标签,"
    assert await CustomerContact.count().where(CustomerContact.customer == existing) == 2


async def test_a_row_repeating_an_earlier_row_is_a_duplicate_too(alice):
    imp = await _stage(alice, "name,phone\nA Co,13800000001\nB Co,13800000001\n")
    checked = await imports.check(alice.partner_id, imp)
    assert checked.new == 1 and checked.records[1].duplicate_line == 2


async def test_an_import_is_written_once(alice):
    imp = await _stage(alice, CHINESE)
    await imports.confirm_import(alice.current, imp)
    with pytest.raises(FormError):
        await imports.confirm_import(alice.current, imp)
    assert await Customer.count() == 2


async def test_xlsx_files_are_read_and_fake_ones_refused(alice):
    imp = await _stage(
        alice, xlsx([["Customer name", "Phone"], ["Excel Co", 13800138000]]), name="c.xlsx"
    )
    assert (await imports.check(alice.partner_id, imp)).records[0].contact["phone"] == "13800138000"
    with pytest.raises(imports.FileRefused):
        await imports.stage_import(alice.partner_id, alice.id, "fake.xlsx", b"name\nX\n")
    with pytest.raises(imports.FileRefused):
        await imports.stage_import(alice.partner_id, alice.id, "x.pdf", b"%PDF")


async def test_the_import_pages_upload_map_preview_and_confirm(as_user, bob):
    client = await as_user(bob)
    upload = await post_form(
        client, "/customers/import/", files={"file": ("客户.csv", CHINESE.encode(), "text/csv")}
    )
    assert upload.status_code == 303
    preview = await client.get(upload.headers["location"])
    assert "星河科技" in preview.text and "Import 2 customers" in preview.text

    remap = await post_form(
        client,
        upload.headers["location"],
        {"col_0": "name", "col_1": "contact_name", "on_duplicate": "merge"},
    )
    assert remap.status_code == 303
    done = await post_form(client, upload.headers["location"] + "/confirm")

    assert done.status_code == 303
    assert await Customer.count() == 2


async def test_carol_cannot_see_alice_import(as_user, alice, carol):
    imp = await _stage(alice, CHINESE)
    client = await as_user(carol)
    assert (await client.get(f"/customers/import/{imp['id']}")).status_code == 404


def test_the_cli_imports_a_file_for_a_partner(tmp_path):
    """`portal import customers FILE --partner CODE` in its own process and database."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "PORTAL_DATA_DIR": str(tmp_path),
    }
    setup = (
        "import asyncio\n"
        "from portal.db import run\n"
        "from portal.partners.setup import migrate_database\n"
        "from tests.factories import make_partner\n"
        "async def go():\n"
        "    await migrate_database(quiet=True)\n"
        "    from portal.partners.tables import Partner\n"
        "    pid = await make_partner()\n"
        "    print((await Partner.select(Partner.code).where(Partner.id == pid).first())['code'])\n"
        "run(go)\n"
    )
    code = subprocess.run(
        [sys.executable, "-c", setup], env=env, check=True, capture_output=True, text=True
    ).stdout.split()[-1]
    bad = tmp_path / "bad.csv"
    bad.write_text("客户名称,邮箱\n好客户,ok@x.cn\n,not-mail\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text(CHINESE, encoding="utf-8")
    portal = [sys.executable, "-m", "portal.cli", "import", "customers"]

    refused = subprocess.run(
        [*portal, str(bad), "--partner", code], env=env, capture_output=True, text=True
    )
    done = subprocess.run(
        [*portal, str(good), "--partner", code, "--on-duplicate", "merge"],
        env=env,
        capture_output=True,
        text=True,
    )

    assert (
        refused.returncode == 1
        and "line 3:" in refused.stderr
        and "nothing was imported" in refused.stderr
    )
    assert done.returncode == 0, done.stderr
    assert "2 new" in done.stdout


async def test_a_64_mb_cell_is_refused_at_its_line_and_nothing_is_staged(alice):
    data = sheet_xlsx(["客户名称", "备注"], ["星河科技", "x" * 64 * 1024 * 1024], 1)
    assert len(data) < 200_000

    with pytest.raises(imports.FileRefused) as refused:
        await imports.stage_import(alice.partner_id, alice.id, "c.xlsx", data)

    assert str(refused.value).startswith("Line 2, column B (备注): a cell holds more than")
    assert await CustomerImport.count() == 0


async def test_a_nul_byte_deep_in_a_csv_is_refused(alice):
    data = ("name,phone\n" + "A Co,13800000001\n" * 1000 + "B\x00 Co,1\n").encode()
    with pytest.raises(imports.FileRefused, match="not a CSV text file"):
        await imports.stage_import(alice.partner_id, alice.id, "c.csv", data)


async def test_the_file_is_parsed_in_a_worker_thread(alice, monkeypatch):
    threads = []
    read_table = spreadsheets.read_table

    def recorded(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return read_table(*args, **kwargs)

    monkeypatch.setattr(spreadsheets, "read_table", recorded)
    await _stage(alice, CHINESE)
    assert threads and threads[0] is not threading.main_thread()
