"""`portal export-data --partner CODE`: one partner's rows as JSON per table and its stored files,
never a row of another partner, no credentials."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from portal.partners.tables import Partner
from portal.support.case_files import Upload
from tests.customers.factories import make_customer
from tests.performance.factories import make_sale
from tests.support.factories import make_case

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def _code(partner_id: int) -> str:
    row = await Partner.select(Partner.code).where(Partner.id == partner_id).first()
    return str(row["code"])


def _export(code: str, out: Path) -> subprocess.CompletedProcess[str]:
    """Run `portal export-data --partner CODE --output OUT` as an operator would."""
    command = [sys.executable, "-m", "portal.cli", "export-data", "--partner", code]
    return subprocess.run(
        [*command, "--output", str(out)],
        env=os.environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_the_export_holds_one_partner_and_its_files_and_nothing_of_another(
    tmp_path, alice, carol, partner_a, partner_b
):
    import datetime as dt

    from portal.lib.clock import today
    from tests.support.factories import case_row

    # given both partners with orders, customers and support cases (A's with an attachment)
    for partner in (partner_a, partner_b):
        await make_sale(partner, 12_345, today() - dt.timedelta(days=3))
    await make_customer(alice.current, "华东客户 Alpha", email="alpha@customer.test")
    await make_customer(carol.current, "岭南客户 Beta", email="beta@customer.test")
    case_a = await make_case(alice, subject="A's camera", files=[Upload("说明.pdf", PDF)])
    await make_case(carol, subject="B's router")
    out = tmp_path / "a.zip"

    # when the operator exports partner A
    result = _export(await _code(partner_a), out)

    # then the archive has A's rows and files, and not one row or value of B
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Wrote {out}: ") and "1 files" in result.stdout
    archive = zipfile.ZipFile(io.BytesIO(out.read_bytes()))
    names = set(archive.namelist())
    assert {
        "manifest.json",
        "tables/partner.json",
        "tables/partner_order.json",
        "tables/customer.json",
        "tables/support_case.json",
        "tables/portal_user.json",
    } <= names
    everything = "".join(archive.read(n).decode() for n in names if n.endswith(".json"))
    assert "华东客户 Alpha" in everything and "A's camera" in everything
    assert "岭南客户 Beta" not in everything and "B's router" not in everything
    assert carol.email not in everything
    for name in names - {"manifest.json"}:
        if name.endswith(".json"):
            for row in json.loads(archive.read(name)):
                assert row.get("partner", partner_a) == partner_a, name
                assert row.get("partner_id", partner_a) in {partner_a, None}, name
    assert "password_hash" not in everything and "token_hash" not in everything
    attachment = json.loads(archive.read("tables/case_attachment.json"))[0]
    assert attachment["support_case"] == (await case_row(case_a))["id"]
    assert archive.read(f"files/{attachment['key']}") == PDF
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["partner"]["id"] == partner_a and manifest["files"] == 1


def test_an_unknown_partner_code_is_one_line_and_writes_nothing(tmp_path):
    out = tmp_path / "x.zip"
    result = _export("NOPE", out)
    assert result.returncode == 1 and "no partner with the code 'NOPE'" in result.stderr
    assert not out.exists()
