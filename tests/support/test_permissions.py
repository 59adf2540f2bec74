"""The permission matrix of every support page and API route, for every persona.

alice = admin of partner A, bob = member of A (sales only), carol = admin of B, vera = vendor
admin, manny = channel manager of A, anon = not signed in. {a}/{b} = a case of partner A / B,
{fa}/{fb} = an attachment of it, {art}/{draft} = a published / draft article.
"""

from __future__ import annotations

import pytest

from portal.lib import storage
from portal.support.tables import CaseAttachment
from tests.factories import bearer_headers
from tests.matrix import row, wrong_answers
from tests.support.factories import make_article, make_case

PARTNER_PAGE = {"alice": 200, "bob": 200, "carol": 200, "vera": 403, "manny": 403, "anon": 303}
READER_PAGE = {"alice": 200, "bob": 200, "carol": 200, "vera": 200, "manny": 200, "anon": 303}
CONSOLE_PAGE = {"alice": 403, "bob": 403, "carol": 403, "vera": 200, "manny": 200, "anon": 303}
ADMIN_PAGE = {"alice": 403, "bob": 403, "carol": 403, "vera": 200, "manny": 403, "anon": 303}
API_READ = {"alice": 200, "bob": 200, "carol": 200, "vera": 200, "manny": 200, "anon": 401}


MATRIX = [
    row("/cases/", **PARTNER_PAGE),
    row("/cases/new", **PARTNER_PAGE),
    row("/cases/{a}", alice=200, bob=200, carol=404, vera=403, manny=403, anon=303),
    row("/cases/{b}", alice=404, bob=404, carol=200, vera=403, manny=403, anon=303),
    row("/case-files/{fa}", alice=200, bob=200, carol=404, vera=200, manny=200, anon=303),
    row("/case-files/{fb}", alice=404, bob=404, carol=200, vera=200, manny=404, anon=303),
    row("/kb/", **READER_PAGE),
    row("/kb/suggest?q=reset", **READER_PAGE),
    row("/kb/{art}", **READER_PAGE),
    row("/kb/{draft}", alice=404, bob=404, carol=404, vera=200, manny=200, anon=303),
    row("/console/cases/", **CONSOLE_PAGE),
    row("/console/cases/new", **CONSOLE_PAGE),
    row("/console/cases/figures", **CONSOLE_PAGE),
    row("/console/cases/{a}", **CONSOLE_PAGE),
    row("/console/cases/{b}", alice=403, bob=403, carol=403, vera=200, manny=404, anon=303),
    row("/console/cases/{a}/article", **CONSOLE_PAGE),
    row("/console/kb/", **CONSOLE_PAGE),
    row("/console/kb/new", **CONSOLE_PAGE),
    row("/console/kb/{draft}", **CONSOLE_PAGE),
    row("/console/support/settings", **ADMIN_PAGE),
    row("/console/support/teams", **ADMIN_PAGE),
    row("/console/support/rules", **ADMIN_PAGE),
    row("/api/v1/cases", **API_READ),
    row("/api/v1/cases/{a}", alice=200, bob=200, carol=404, vera=200, manny=200, anon=401),
    row("/api/v1/cases/{b}", alice=404, bob=404, carol=200, vera=200, manny=404, anon=401),
]


async def _file(case_id: int) -> int:
    stored = await storage.store_upload(
        b"%PDF-1.4 sample", "report.pdf", prefix="cases", allowed=("pdf",)
    )
    from portal.lib.clock import now

    rows = await CaseAttachment.insert(
        CaseAttachment(
            support_case=case_id,
            key=stored.key,
            filename=stored.filename,
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            created_at=now(),
        )
    ).returning(CaseAttachment.id)
    return int(rows[0]["id"])


@pytest.fixture
async def world(alice, carol, manny):
    a = await make_case(alice)
    b = await make_case(carol)
    return {
        "a": a,
        "b": b,
        "fa": await _file(a),
        "fb": await _file(b),
        "art": await make_article(),
        "draft": await make_article("Draft title", status="draft"),
    }


@pytest.mark.parametrize(("path", "expected"), [pytest.param(p, e, id=p) for p, e in MATRIX])
async def test_support_permission_matrix(
    as_user, world, alice, bob, carol, vera, manny, path, expected
):
    personas = {
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "vera": vera,
        "manny": manny,
        "anon": None,
    }
    url = path.format(**world)
    wrong = await wrong_answers(as_user, personas, url, expected)
    assert not wrong, f"GET {url}: " + ", ".join(wrong)


async def test_carol_cannot_reply_to_alices_case_through_the_api(client, world, carol):
    response = await client.post(
        f"/api/v1/cases/{world['a']}/replies",
        json={"body": "hello"},
        headers=await bearer_headers(client, carol),
    )

    assert response.status_code == 404
    assert "error" in response.json()


async def test_carol_cannot_post_to_alices_case_page(as_user, world, carol):
    from tests.personas import post_form

    client = await as_user(carol)
    response = await post_form(client, f"/cases/{world['a']}/reply", {"body": "hello"})

    assert response.status_code == 404


async def test_a_partner_cannot_use_the_console_reply(as_user, world, alice):
    from tests.personas import post_form

    client = await as_user(alice)
    response = await post_form(
        client, f"/console/cases/{world['a']}/reply", {"body": "x", "internal": "on"}
    )

    assert response.status_code == 403
