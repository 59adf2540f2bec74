"""Issue 14 point 7: numbers that answered 500. One parser (`portal.lib.inputs`) reads every id and
whole number a request carries: ASCII digits only, at most 2^31-1 (PostgreSQL's integer, the one
bound for both backends). An id that cannot exist answers 404, a value out of range 400/422, and
neither ever reaches the database."""

from __future__ import annotations

import pytest

from portal.lib.inputs import ID_MAX, parse_id, parse_int
from portal.support.tables import SupportCase
from tests.customers.factories import make_customer
from tests.customers.test_imports import CHINESE
from tests.factories import bearer_headers
from tests.personas import post_form
from tests.support.factories import make_case

HUGE = "99999999999999999999"  # past 2^64 too
PAST_INT4 = str(ID_MAX + 1)
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def test_the_parser_reads_ascii_digits_within_range_only():
    assert parse_id("42") == 42 and parse_id(" 42 ") == 42
    assert parse_id(str(ID_MAX)) == ID_MAX
    for bad in ("", "0", "-1", PAST_INT4, HUGE, "²", "١", "4_2", "+4", "4.0", "0x1f", "٤٢"):
        assert parse_id(bad) is None, bad
    assert parse_int("-3", low=-5, high=5) == -3
    assert parse_int("6", low=0, high=5) is None


@pytest.mark.parametrize("number", [PAST_INT4, HUGE])
async def test_a_path_id_past_the_integer_range_is_not_found(as_user, client, alice, number):
    browser = await as_user(alice)
    for url in (f"/orders/{number}", f"/customers/{number}", f"/cases/{number}"):
        assert (await browser.get(url)).status_code == 404, url
    headers = await bearer_headers(client, alice)
    for url in (f"/api/v1/orders/{number}", f"/api/v1/customers/{number}"):
        response = await client.get(url, headers=headers)
        assert response.status_code == 404, url
        assert response.json()["status"] == 404


async def test_a_path_id_in_other_digits_is_not_found_even_when_the_row_exists(as_user, bob):
    customer_id = await make_customer(bob.current, "Digits Co")
    client = await as_user(bob)
    assert (await client.get(f"/customers/{customer_id}")).status_code == 200
    other = str(customer_id).translate(ARABIC_INDIC)
    assert (await client.get(f"/customers/{other}")).status_code == 404
    assert (await client.get(f"/customers/{customer_id}_")).status_code == 404


async def test_a_huge_page_number_shows_a_page_not_an_error(as_user, client, alice, vera):
    partner = await as_user(alice)
    for url in ("/customers", "/orders", "/cases", "/deals", "/notifications"):
        response = await partner.get(f"{url}?page={HUGE}")
        assert response.status_code in (200, 400), url
    console = await as_user(vera)
    for url in ("/console/cases", "/console/orders", "/console/partners", "/console/audit"):
        assert (await console.get(f"{url}?page={HUGE}")).status_code in (200, 400), url
    headers = await bearer_headers(client, alice)
    for url in ("/api/v1/orders", "/api/v1/customers", "/api/v1/cases"):
        response = await client.get(f"{url}?page={HUGE}", headers=headers)
        assert response.status_code in (200, 400), url
        assert response.json()


async def test_an_id_filter_in_other_digits_or_out_of_range_is_not_found(as_user, alice, vera):
    partner = await as_user(alice)
    console = await as_user(vera)
    for value in ("²", "١", PAST_INT4):
        assert (await partner.get(f"/customers?owner={value}")).status_code == 404, value
        assert (await partner.get(f"/kb?category={value}")).status_code == 404, value
        assert (await console.get(f"/console/cases?assignee={value}")).status_code == 404, value
        assert (await console.get(f"/console/cases?partner_id={value}")).status_code == 404
        assert (await console.get(f"/console/orders?partner_id={value}")).status_code == 404
        assert (await console.get(f"/console/deals?partner_id={value}")).status_code == 404
    assert (await partner.get("/customers?owner=me")).status_code == 200
    assert (await console.get("/console/cases?assignee=none")).status_code == 200


async def test_bulk_assign_with_a_case_id_in_other_digits_changes_nothing(as_user, alice, vera):
    case_id = await make_case(alice)
    client = await as_user(vera)
    for value in ("²", PAST_INT4):
        response = await post_form(
            client, "/console/cases/bulk-assign", {"case_id": value, "assignee_id": str(vera.id)}
        )
        assert response.status_code == 404, value
    assert (await SupportCase.select(SupportCase.assignee_id).first())["assignee_id"] is None
    assert case_id


async def test_an_import_column_mapping_in_other_digits_is_refused(as_user, bob):
    client = await as_user(bob)
    upload = await post_form(
        client, "/customers/import/", files={"file": ("c.csv", CHINESE.encode(), "text/csv")}
    )
    assert upload.status_code == 303
    for key in ("col_²", f"col_{PAST_INT4}"):
        remap = await post_form(
            client, upload.headers["location"], {key: "name", "on_duplicate": "skip"}
        )
        assert remap.status_code in (303, 400), key
        assert (await client.get(upload.headers["location"])).status_code == 200


async def test_an_api_body_id_past_the_range_gets_a_readable_4xx(client, alice):
    headers = await bearer_headers(client, alice)
    case = {
        "category": "order",
        "priority": "normal",
        "subject": "Order never arrived",
        "description": "The order we placed last week has not arrived.",
    }
    for number in (ID_MAX + 1, 10**20):
        response = await client.post(
            "/api/v1/cases", json={**case, "order_id": number}, headers=headers
        )
        assert 400 <= response.status_code < 500, response.text
        assert response.json()["status"] == response.status_code
        customer = await client.post(
            "/api/v1/customers", json={"name": "Big Owner Co", "owner_id": number}, headers=headers
        )
        assert 400 <= customer.status_code < 500, customer.text
        assert customer.json()["error"]
        order = await client.post(
            "/api/v1/orders",
            json={"lines": [{"sku": "CAM-1", "quantity": 1}], "end_customer_id": number},
            headers=headers,
        )
        assert 400 <= order.status_code < 500, order.text
    assert await SupportCase.count() == 0


async def test_a_period_written_in_other_digits_is_refused(client, alice):
    headers = await bearer_headers(client, alice)
    other = "2026-10".translate(ARABIC_INDIC)
    scorecard = await client.get(f"/api/v1/performance/scorecard?period={other}", headers=headers)
    assert scorecard.status_code == 400, scorecard.text
    statement = await client.get(f"/api/v1/statements/{other}", headers=headers)
    assert statement.status_code in (400, 404), statement.text


async def test_communications_reads_its_numbers_with_the_one_parser(as_user, vera):
    """Issue 14 point 7 in communications: "²" in the results' partner filter, the campaign and
    survey lists' partner filter and the CSAT days answered 500 or were taken as numbers."""
    from tests.communications.factories import make_request

    request_id = await make_request(vera.current)
    console = await as_user(vera)
    for url in (
        f"/console/feedback/{request_id}/results?partner=²",
        f"/console/feedback/{request_id}/results?partner={HUGE}",
        "/console/feedback?partner_id=²",
        "/console/campaigns?partner_id=²",
    ):
        assert (await console.get(url)).status_code == 404, url
    refused = await post_form(console, "/console/feedback/settings", {"csat_days_open": "¹⁴"})
    assert refused.status_code == 400
    assert "1 to 90" in refused.text
