"""The audit log for people (issue 12, point 12): actions in words, the record as a link to its
page, each change as before -> after in words (tier, credit limit, price, role, status), a
filter by partner name, and the same rows as an Excel file."""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path

from openpyxl import load_workbook

from portal.auth import services as auth_services
from portal.core import audit
from portal.orders.access import get_order_for_user
from portal.orders.price_rules import set_price_list_item
from portal.orders.services import approve_order
from portal.partners import services as partner_services
from portal.partners.access import get_partner_for_user
from portal.partners.schemas import PartnerChanges
from tests.factories import tier_id
from tests.orders.factories import make_price_list, make_product, place


async def _log(as_user, vera, **params):  # type: ignore[no-untyped-def]
    return await (await as_user(vera)).get("/console/audit/", params=params)


async def test_a_tier_change_reads_as_words_with_the_partner_linked(as_user, vera, partner_a):
    partner = await get_partner_for_user(vera.current, partner_a)
    await partner_services.change_tier(
        vera.current, partner, await tier_id("platinum"), "Q3 above target"
    )

    page = await _log(as_user, vera, action="partner.tier_change")

    assert "Tier changed" in page.text and "partner.tier_change</" not in page.text
    assert f'href="/console/partners/{partner_a}"' in page.text
    assert "<del>Gold</del> → Platinum" in page.text


async def test_credit_limit_role_price_and_status_show_before_and_after(
    as_user, vera, alice, bob, partner_a
):
    partner = await get_partner_for_user(vera.current, partner_a)
    await partner_services.update_partner(
        vera.current, partner, PartnerChanges(credit_limit_amount=150_000_00)
    )
    await auth_services.update_member(
        alice.current, bob.id, role="partner_admin", can_sales=True, can_purchasing=True,
        is_active=True,
    )  # fmt: skip
    await make_product("AUD-1", price=2_000_00, stock=10)
    price_list = await make_price_list("gold", items={"AUD-1": 1_800_00})
    await set_price_list_item(vera.current, price_list, "AUD-1", 1_750_00)
    placed = await place(alice.current, {"AUD-1": 1})
    await approve_order(vera.current, await get_order_for_user(vera.current, placed.order_id))

    page = (await _log(as_user, vera)).text

    assert "Credit limit changed" in page and "<del>CN¥50,000.00</del> → CN¥150,000.00" in page
    assert "Role changed" in page and "<del>Partner member</del> → Partner administrator" in page
    assert "Price set" in page and "<del>CN¥1,800.00</del> → CN¥1,750.00" in page
    assert "Order approved" in page and "<del>Submitted</del> → Approved" in page
    assert f'<a href="/console/orders/{placed.order_id}">{placed.number}</a>' in page


async def test_vera_filters_the_log_by_partner_name(as_user, vera, partner_a, partner_b):
    for partner_id in (partner_a, partner_b):
        partner = await get_partner_for_user(vera.current, partner_id)
        await partner_services.save_notes(vera.current, partner, f"note {partner_id}")

    page = await _log(as_user, vera, partner="岭南")

    rows = page.text.split("<tbody>", 1)[1]
    assert "岭南优品贸易有限公司" in rows and "华东智联科技有限公司" not in rows


async def test_the_export_holds_the_filtered_rows_in_words_without_control_characters(
    as_user, vera, partner_a
):
    partner = await get_partner_for_user(vera.current, partner_a)
    await partner_services.save_notes(vera.current, partner, "call\x07 back =SUM(A1)")
    client = await as_user(vera)

    response = await client.get("/console/audit/export.xlsx", params={"partner": "华东"})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:5] == ["Time", "Actor", "Action", "Partner", "Record"]
    (entry,) = [r for r in rows[1:] if r[8] == "partner.notes_change"]
    assert entry[2] == "Channel team notes changed" and entry[3] == "华东智联科技有限公司"
    assert entry[5] == "Notes: — → call back =SUM(A1)"  # \x07 gone, and no formula
    assert "\x07" not in "".join(str(v) for r in rows for v in r if v)


async def test_the_log_reads_in_chinese(as_user, vera, partner_a):
    partner = await get_partner_for_user(vera.current, partner_a)
    await partner_services.change_tier(vera.current, partner, await tier_id("platinum"), "升级")

    page = await (await as_user(vera)).get("/console/audit/", headers={"Accept-Language": "zh-CN"})

    assert "等级变更" in page.text and "Tier changed" not in page.text


def _recorded_actions() -> set[str]:
    """Every action name written as a literal first argument of audit.record in the code."""
    found: set[str] = set()
    for path in Path("portal").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            first = node.args[0]
            if name == "record" and isinstance(first, ast.Constant):
                if isinstance(first.value, str) and re.fullmatch(r"[a-z_]+\.[a-z_]+", first.value):
                    found.add(first.value)
    return found


def test_every_recorded_action_has_words():
    missing = sorted(a for a in _recorded_actions() if a not in audit.ACTION_LABELS)
    assert not missing, f"audit actions without a label in portal.core.audit: {missing}"
