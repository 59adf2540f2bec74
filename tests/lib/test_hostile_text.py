"""Text an attacker or a careless user sends: NUL refused at input for every backend (400, never a
500 from PostgreSQL), control characters stripped from forms and never failing an export, CR/LF
refused in one-line fields."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from portal.customers.tables import Customer
from tests.customers.factories import make_customer
from tests.customers.test_views import CUSTOMER_FORM
from tests.factories import bearer_headers
from tests.personas import post_form


async def test_a_nul_byte_in_the_anonymous_login_form_is_refused(client):
    page = await client.get("/login")
    assert page.status_code == 200
    response = await post_form(client, "/login", {"email": "a\x00@b.cn", "password": "x\x00y"})
    assert response.status_code == 400
    assert "not allowed" in response.text


async def test_a_nul_byte_in_a_search_box_or_a_path_is_refused(as_user, alice):
    client = await as_user(alice)
    for url in ("/customers?q=%00", "/catalog?q=a%00b", "/catalog/IPC%00", "/kb?q=%00"):
        response = await client.get(url)
        assert response.status_code == 400, url


async def test_a_nul_byte_in_an_api_create_is_refused_with_a_readable_body(client, bob):
    headers = await bearer_headers(client, bob)
    response = await client.post(
        "/api/v1/customers", json={"name": "Evil\u0000Co"}, headers=headers
    )
    assert response.status_code == 400
    assert response.json()["status"] == 400 and "not allowed" in response.json()["error"]
    vertical_tab = await client.post(
        "/api/v1/customers", json={"name": "Evil\u000bCo"}, headers=headers
    )
    assert vertical_tab.status_code == 400
    assert await Customer.count() == 0


async def test_control_characters_are_stripped_from_a_form(as_user, bob):
    client = await as_user(bob)
    response = await post_form(client, "/customers/new", {**CUSTOMER_FORM, "name": "Acme\x0bCo"})
    assert response.status_code == 303
    assert (await Customer.select(Customer.name).first())["name"] == "AcmeCo"


async def test_cr_lf_in_a_one_line_field_is_refused_and_nothing_is_stored(as_user, bob):
    client = await as_user(bob)
    response = await post_form(client, "/customers/new", {**CUSTOMER_FORM, "name": "A\r\nB"})
    assert response.status_code in (200, 400, 422)
    assert "single line" in response.text
    assert await Customer.count() == 0


async def test_an_export_never_fails_on_stored_control_characters(as_user, bob):
    await make_customer(bob.current, "Legacy\x0bName\x01Ltd")
    client = await as_user(bob)
    response = await client.get("/customers/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert any("LegacyNameLtd" in str(c.value) for row in sheet.iter_rows() for c in row)
