"""The permission matrix of every support route, page and API, read and write, for every persona.

alice = admin of partner A, bob = member of A (sales only), carol = admin of B, vera = vendor
admin, manny = channel manager of A, anon = not signed in. {ca}/{cb} = a case of partner A / B,
{fa}/{fb} = an attachment of it, {art}/{draft} = a published / draft article.
"""

from __future__ import annotations

import datetime as dt

import pytest

from portal.lib import storage
from portal.lib.clock import now
from portal.support.tables import CaseAttachment, SupportHoliday
from tests.matrix import LOGIN, World, clean_database, params, row, world_fixture, write
from tests.support.factories import make_article, make_case, make_rule, make_team

__all__ = ["clean_database"]

PARTNER_PAGE = {"alice": 200, "bob": 200, "carol": 200, "vera": 403, "manny": 403, "anon": LOGIN}
READER_PAGE = {"alice": 200, "bob": 200, "carol": 200, "vera": 200, "manny": 200, "anon": LOGIN}
CONSOLE_PAGE = {"alice": 403, "bob": 403, "carol": 403, "vera": 200, "manny": 200, "anon": LOGIN}
ADMIN_PAGE = {"alice": 403, "bob": 403, "carol": 403, "vera": 200, "manny": 403, "anon": LOGIN}
API_READ = {"alice": 200, "bob": 200, "carol": 200, "vera": 200, "manny": 200, "anon": 401}
ON_A = {"alice": 303, "bob": 303, "carol": 404, "vera": 403, "manny": 403, "anon": LOGIN}
PARTNERS = {"vera": 403, "manny": 403, "anon": LOGIN}
STAFF_ON_B = {"alice": 403, "bob": 403, "carol": 403, "vera": 303, "manny": 404, "anon": LOGIN}
STAFF = {"alice": 403, "bob": 403, "carol": 403, "anon": LOGIN}
ADMIN = {"alice": 403, "bob": 403, "carol": 403, "manny": 403, "anon": LOGIN}
NEW_CASE = {
    "category": "technical",
    "subject": "Camera offline",
    "description": "The camera loses its network connection every night.",
}


MATRIX = [
    row("/cases/", **PARTNER_PAGE),
    row("/cases/new", **PARTNER_PAGE),
    row("/cases/{ca}", alice=200, bob=200, carol=404, vera=403, manny=403, anon=LOGIN),
    row("/cases/{cb}", alice=404, bob=404, carol=200, vera=403, manny=403, anon=LOGIN),
    row("/case-files/{fa}", alice=200, bob=200, carol=404, vera=200, manny=200, anon=LOGIN),
    row("/case-files/{fb}", alice=404, bob=404, carol=200, vera=200, manny=404, anon=LOGIN),
    row("/kb/", **READER_PAGE),
    row("/kb/suggest?q=reset", **READER_PAGE),
    row("/kb/{art}", **READER_PAGE),
    row("/kb/{draft}", alice=404, bob=404, carol=404, vera=200, manny=200, anon=LOGIN),
    row("/console/cases/", **CONSOLE_PAGE),
    row("/console/cases/new", **CONSOLE_PAGE),
    row("/console/cases/figures", **CONSOLE_PAGE),
    row("/console/cases/{ca}", **CONSOLE_PAGE),
    row("/console/cases/{cb}", alice=403, bob=403, carol=403, vera=200, manny=404, anon=LOGIN),
    row("/console/cases/{ca}/article", **CONSOLE_PAGE),
    row("/console/kb/", **CONSOLE_PAGE),
    row("/console/kb/new", **CONSOLE_PAGE),
    row("/console/kb/{draft}", **CONSOLE_PAGE),
    row("/console/support/settings", **ADMIN_PAGE),
    row("/console/support/teams", **ADMIN_PAGE),
    row("/console/support/rules", **ADMIN_PAGE),
    row("/api/v1/cases", **API_READ),
    row("/api/v1/cases/{ca}", alice=200, bob=200, carol=404, vera=200, manny=200, anon=401),
    row("/api/v1/cases/{cb}", alice=404, bob=404, carol=200, vera=200, manny=404, anon=401),
]

WRITES = [
    # the partner's cases
    write("POST", "/cases/new", NEW_CASE, alice=303, bob=303, carol=303, **PARTNERS),
    write("POST", "/cases/{ca}/reply", {"body": "hello"}, **ON_A),
    write("POST", "/cases/{ca}/close", {"reason": "done"}, **ON_A),
    write("POST", "/cases/{ca}/reopen", **ON_A),
    # the vendor's support desk: manny serves partner A only
    write(
        "POST",
        "/console/cases/new",
        {**NEW_CASE, "partner_id": "{b}"},
        vera=303,
        manny=400,
        **STAFF,
    ),
    write(
        "POST",
        "/console/cases/bulk-assign",
        {"case_id": "{cb}", "assignee_id": "{manny}"},
        same=("manny",),
        vera=303,
        manny=303,
        **STAFF,
    ),
    write("POST", "/console/cases/{cb}/reply", {"body": "hello"}, **STAFF_ON_B),
    write("POST", "/console/cases/{cb}/assign", {"assignee_id": "{vera}"}, **STAFF_ON_B),
    write("POST", "/console/cases/{cb}/status", {"status": "resolved"}, **STAFF_ON_B),
    write("POST", "/console/cases/{cb}/priority", {"priority": "urgent"}, **STAFF_ON_B),
    write("POST", "/console/kb/new", vera=400, manny=400, **STAFF),
    write("POST", "/console/kb/{draft}", vera=400, manny=400, **STAFF),
    # support settings: vendor admins only
    write("POST", "/console/support/calendar", vera=400, **ADMIN),
    write("POST", "/console/support/holidays", vera=400, **ADMIN),
    write("POST", "/console/support/holidays/{holiday}/delete", vera=303, **ADMIN),
    write("POST", "/console/support/targets", vera=400, **ADMIN),
    write("POST", "/console/support/teams", vera=400, **ADMIN),
    write("POST", "/console/support/teams/{team}", vera=400, **ADMIN),
    write("POST", "/console/support/rules", vera=400, **ADMIN),
    write("POST", "/console/support/rules/{rule}/delete", vera=303, **ADMIN),
    # the JSON API (bearer tokens): a partner naming another partner is refused
    write(
        "POST",
        "/api/v1/cases",
        {**NEW_CASE, "partner_id": "{b}"},
        alice=422,
        bob=422,
        carol=201,
        vera=201,
        manny=422,
        anon=401,
    ),
    write(
        "POST",
        "/api/v1/cases/{cb}/replies",
        {"body": "hello"},
        alice=404,
        bob=404,
        carol=201,
        vera=201,
        manny=404,
        anon=401,
    ),
    # inbound e-mail: no secret configured in the tests, nobody gets in
    write(
        "POST",
        "/api/v1/inbound-email",
        {},
        same=("alice", "bob", "carol", "vera", "manny", "anon"),
        alice=503,
        bob=503,
        carol=503,
        vera=503,
        manny=503,
        anon=503,
    ),
]


async def _file(case_id: int) -> int:
    stored = await storage.store_upload(
        b"%PDF-1.4 sample", "report.pdf", prefix="cases", allowed=("pdf",)
    )
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


async def build(w: World) -> dict:
    ca = await make_case(w.personas["alice"])
    cb = await make_case(w.personas["carol"])
    holiday = await SupportHoliday.insert(
        SupportHoliday(on=dt.date(2026, 12, 25), name="Holiday")
    ).returning(SupportHoliday.id)
    return {
        "ca": ca,
        "cb": cb,
        "fa": await _file(ca),
        "fb": await _file(cb),
        "art": await make_article(),
        "draft": await make_article("Draft title", status="draft"),
        "team": await make_team(),
        "rule": await make_rule(),
        "holiday": holiday[0]["id"],
    }


world = world_fixture(build)


@pytest.mark.parametrize("route", params(MATRIX + WRITES))
async def test_support_permission_matrix(world, route):
    wrong = await world.wrong_answers(route)
    assert not wrong, f"{route.method} {world.url(route)}: " + "; ".join(wrong)
