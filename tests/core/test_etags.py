"""ETag / 304 on the JSON API lists (issue 19, point 4): an unchanged list answers 304 with no
body to the tag it gave, and a write is visible on the very next request."""

from __future__ import annotations

from portal.lib.etags import matches
from tests.customers.factories import make_customer
from tests.factories import bearer_headers


async def test_an_unchanged_list_answers_304_and_a_write_shows_on_the_next_request(client, bob):
    await make_customer(bob.current, "Etag Co")
    headers = await bearer_headers(client, bob)
    # given the list and its tag
    first = await client.get("/api/v1/customers", headers=headers)
    etag = first.headers["etag"]
    assert first.status_code == 200 and etag.startswith('W/"')

    # when it is asked again with that tag, then 304 and no body
    again = await client.get("/api/v1/customers", headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag

    # when a customer is added, then the very next conditional request gets the new list
    created = await client.post("/api/v1/customers", json={"name": "Fresh Co"}, headers=headers)
    assert created.status_code == 201
    after = await client.get("/api/v1/customers", headers={**headers, "If-None-Match": etag})
    assert after.status_code == 200 and after.headers["etag"] != etag
    assert "Fresh Co" in after.text


async def test_another_user_never_gets_a_304_for_a_list_they_have_not_seen(client, bob, carol):
    await make_customer(bob.current, "Bob Only Co")
    bob_list = await client.get("/api/v1/customers", headers=await bearer_headers(client, bob))
    carol_headers = await bearer_headers(client, carol)
    carol_list = await client.get(
        "/api/v1/customers", headers={**carol_headers, "If-None-Match": bob_list.headers["etag"]}
    )
    assert carol_list.status_code == 200 and "Bob Only Co" not in carol_list.text


async def test_errors_and_pages_carry_no_etag(client, bob):
    refused = await client.get(
        "/api/v1/customers/999999", headers=await bearer_headers(client, bob)
    )
    login = await client.get("/login")
    assert refused.status_code == 404 and "etag" not in refused.headers
    assert "etag" not in login.headers


def test_if_none_match_compares_weakly_and_accepts_a_list_or_a_star():
    assert matches('"a", W/"b"', 'W/"b"')
    assert matches('"b"', 'W/"b"')
    assert matches("*", 'W/"b"')
    assert not matches('W/"c"', 'W/"b"')
