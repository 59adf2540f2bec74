"""The permission matrix: every page and API route, every persona.

alice = admin of partner A, bob = member of A (sales only), carol = admin of partner B,
vera = vendor admin, manny = channel manager of A, anon = not signed in.
Placeholders: {a}/{b} partner ids, {bob} bob's user id, {carol} carol's user id.
Expected: a status code; 303 for anonymous pages means "sent to the sign-in page".
"""

from __future__ import annotations

import pytest

ALL = ("alice", "bob", "carol", "vera", "manny", "anon")


def row(method: str, path: str, **expected: int) -> tuple[str, str, dict[str, int]]:
    missing = set(ALL) - set(expected)
    assert not missing, f"{path}: no expectation for {missing}"
    return method, path, expected


MATRIX = [
    # signed-in pages for everyone
    row("GET", "/", alice=200, bob=200, carol=200, vera=200, manny=200, anon=303),
    row("GET", "/account/", alice=200, bob=200, carol=200, vera=200, manny=200, anon=303),
    # public pages
    row("GET", "/login", alice=303, bob=303, carol=303, vera=303, manny=303, anon=200),
    row("GET", "/password-reset", alice=200, bob=200, carol=200, vera=200, manny=200, anon=200),
    row("GET", "/apply", alice=200, bob=200, carol=200, vera=200, manny=200, anon=200),
    # vendor console
    row("GET", "/console/partners", alice=403, bob=403, carol=403, vera=200, manny=200, anon=303),
    row(
        "GET", "/console/partners/{a}", alice=403, bob=403, carol=403, vera=200, manny=200, anon=303
    ),
    row(
        "GET", "/console/partners/{b}", alice=403, bob=403, carol=403, vera=200, manny=404, anon=303
    ),
    row(
        "GET", "/console/partners/new", alice=403, bob=403, carol=403, vera=200, manny=403, anon=303
    ),
    row(
        "GET", "/console/applications", alice=403, bob=403, carol=403, vera=200, manny=200, anon=303
    ),
    row("GET", "/console/staff", alice=403, bob=403, carol=403, vera=200, manny=403, anon=303),
    row("GET", "/console/audit/", alice=403, bob=403, carol=403, vera=200, manny=403, anon=303),
    row("GET", "/console/emails/", alice=403, bob=403, carol=403, vera=200, manny=403, anon=303),
    # partner side
    row("GET", "/my-company", alice=200, bob=200, carol=200, vera=403, manny=403, anon=303),
    row("GET", "/my-company/users", alice=200, bob=403, carol=200, vera=403, manny=403, anon=303),
    row(
        "GET",
        "/my-company/users/{bob}",
        alice=200,
        bob=403,
        carol=404,
        vera=403,
        manny=403,
        anon=303,
    ),
    row(
        "GET",
        "/my-company/users/{carol}",
        alice=404,
        bob=403,
        carol=200,
        vera=403,
        manny=403,
        anon=303,
    ),
    # JSON API (cookie sessions are accepted for GET)
    row("GET", "/api/v1/me", alice=200, bob=200, carol=200, vera=200, manny=200, anon=401),
    row("GET", "/api/v1/partners", alice=403, bob=403, carol=403, vera=200, manny=200, anon=401),
    row(
        "GET", "/api/v1/partners/{a}", alice=200, bob=200, carol=404, vera=200, manny=200, anon=401
    ),
    row(
        "GET", "/api/v1/partners/{b}", alice=404, bob=404, carol=200, vera=200, manny=404, anon=401
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "persona", "expected"),
    [
        pytest.param(method, path, persona, expected[persona], id=f"{method} {path} {persona}")
        for method, path, expected in MATRIX
        for persona in ALL
    ],
)
async def test_permission_matrix(
    as_user, partner_a, partner_b, alice, bob, carol, vera, manny, method, path, persona, expected
):
    personas = {
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "vera": vera,
        "manny": manny,
        "anon": None,
    }
    app_id = 0
    if "{app}" in path:
        from portal.partners.applications import submit_application

        app_id = await submit_application(
            {
                "company_name": "Apply Co",
                "kind": "dealer",
                "province": "JS",
                "contact_name": "Q",
                "contact_email": "q@apply.test",
            },
            "10.1.1.1",
            "en",
        )
    url = path.format(a=partner_a, b=partner_b, bob=bob.id, carol=carol.id, app=app_id)
    client = await as_user(personas[persona])
    response = await client.request(method, url)
    assert response.status_code == expected, f"{persona} {method} {url}: {response.status_code}"
    if expected == 303 and persona == "anon":
        assert response.headers["location"].startswith("/login")
