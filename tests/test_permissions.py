"""The permission matrix of the routes outside the business domains (sign-in, account, public
pages, the partner console, my company, vendor staff, audit and e-mail logs, the partners API,
health, schema and static files), read and write, for every persona.

alice = admin of partner A, bob = member of A (sales only), carol = admin of partner B,
vera = vendor admin, manny = channel manager of A, anon = not signed in.
{a}/{b} partner ids, {bob}/{carol}/{manny} user ids, {app} a pending application,
{inv_a}/{inv_b} open invitations to A / B, {inv_staff} one to the vendor staff,
{s_carol}/{t_carol} carol's session / API token, {mail} an e-mail in the outbox, {addr_a}/{addr_b}
delivery addresses of A / B.
"""

from __future__ import annotations

import pytest

from portal.auth.constants import Role
from portal.auth.invitations import invite
from portal.auth.tables import ApiToken, AuthSession
from portal.core.tables import OutboundEmail
from portal.lib import jobs
from portal.partners.addresses import add_address
from portal.partners.applications import submit_application
from portal.partners.constants import PartnerKind
from portal.partners.schemas import AddressForm, ApplicationForm
from tests.factories import PASSWORD
from tests.matrix import LOGIN, Row, World, clean_database, params, row, world_fixture, write

__all__ = ["clean_database"]

EVERYONE = {"alice": 200, "bob": 200, "carol": 200, "vera": 200, "manny": 200, "anon": 200}
SIGNED_IN = {"alice": 200, "bob": 200, "carol": 200, "vera": 200, "manny": 200, "anon": LOGIN}
CONSOLE = {"alice": 403, "bob": 403, "carol": 403, "vera": 200, "manny": 200, "anon": LOGIN}
ADMIN_PAGE = {"alice": 403, "bob": 403, "carol": 403, "vera": 200, "manny": 403, "anon": LOGIN}
USERS = {"anon": LOGIN}
ADMIN = {"alice": 403, "bob": 403, "carol": 403, "manny": 403, "anon": LOGIN}
STAFF_ON_B = {"alice": 403, "bob": 403, "carol": 403, "vera": 303, "manny": 404, "anon": LOGIN}


def same_for_all(status: int) -> dict[str, int]:
    return dict.fromkeys(("alice", "bob", "carol", "vera", "manny", "anon"), status)


MATRIX = [
    # signed-in pages for everyone
    row("/", **SIGNED_IN),
    row("/account/", **SIGNED_IN),
    # public pages
    row("/login", alice=303, bob=303, carol=303, vera=303, manny=303, anon=200),
    row("/password-reset", **EVERYONE),
    row("/password-reset/not-a-token", **same_for_all(404)),
    row("/invitations/not-a-token", **same_for_all(404)),
    row("/apply", **EVERYONE),
    row("/apply/thanks", **EVERYONE),
    row("/healthz", **EVERYONE),
    row("/readyz", **EVERYONE),
    row("/schema", **EVERYONE),
    row("/schema/openapi.json", **EVERYONE),
    row("/schema/no-such-page", **same_for_all(404)),  # only the JSON plugin
    row("/static/css/customers.css", **EVERYONE),
    # vendor console
    row("/console/partners", **CONSOLE),
    row("/console/partners/export.xlsx", **CONSOLE),
    row("/console/partners/{a}", **CONSOLE),
    row("/console/partners/{b}", alice=403, bob=403, carol=403, vera=200, manny=404, anon=LOGIN),
    row("/console/partners/{a}/edit", **CONSOLE),
    row(
        "/console/partners/{b}/edit", alice=403, bob=403, carol=403, vera=200, manny=404, anon=LOGIN
    ),
    row("/console/partners/new", **ADMIN_PAGE),
    row("/console/applications", **CONSOLE),
    row("/console/applications/{app}", **CONSOLE),
    row("/console/applications/{app}/decline", **ADMIN_PAGE),  # the confirmation step
    row("/console/staff/invitations/{inv_staff}/revoke", **ADMIN_PAGE),
    row(
        "/my-company/invitations/{inv_a}/revoke",
        alice=200,
        bob=403,
        carol=404,
        vera=403,
        manny=403,
        anon=LOGIN,
    ),
    row("/console/staff", **ADMIN_PAGE),
    row("/console/audit/", **ADMIN_PAGE),
    row("/console/audit/export.xlsx", **ADMIN_PAGE),
    row("/console/emails/", **ADMIN_PAGE),
    # partner side
    row("/my-company", alice=200, bob=200, carol=200, vera=403, manny=403, anon=LOGIN),
    row("/my-company/users", alice=200, bob=403, carol=200, vera=403, manny=403, anon=LOGIN),
    row("/my-company/users/{bob}", alice=200, bob=403, carol=404, vera=403, manny=403, anon=LOGIN),
    row(
        "/my-company/users/{carol}", alice=404, bob=403, carol=200, vera=403, manny=403, anon=LOGIN
    ),
    # the delivery address book: partner admins; the API list for every partner user
    row("/my-company/addresses", alice=200, bob=403, carol=200, vera=403, manny=403, anon=LOGIN),
    row(
        "/my-company/addresses/{addr_a}",
        alice=200,
        bob=403,
        carol=404,
        vera=403,
        manny=403,
        anon=LOGIN,
    ),
    row(
        "/my-company/addresses/{addr_b}",
        alice=404,
        bob=403,
        carol=200,
        vera=403,
        manny=403,
        anon=LOGIN,
    ),
    row("/api/v1/delivery-addresses", alice=200, bob=200, carol=200, vera=403, manny=403, anon=401),
    # JSON API (cookie sessions are accepted for GET)
    row("/api/v1/me", alice=200, bob=200, carol=200, vera=200, manny=200, anon=401),
    row("/api/v1/partners", alice=403, bob=403, carol=403, vera=200, manny=200, anon=401),
    row("/api/v1/partners/{a}", alice=200, bob=200, carol=404, vera=200, manny=200, anon=401),
    row("/api/v1/partners/{b}", alice=404, bob=404, carol=200, vera=200, manny=404, anon=401),
]

ROW_STATIC_HEAD = [Row("HEAD", "/static/css/customers.css", EVERYONE)]

WRITES = [
    # signing in and out, public forms
    write("POST", "/login", **same_for_all(400)),
    write("POST", "/logout", **same_for_all(303)),
    write("POST", "/language", {"locale": "zh_CN"}, **same_for_all(303)),
    write("POST", "/apply", **same_for_all(400)),
    write("POST", "/password-reset", {"email": "nobody@example.test"}, **same_for_all(303)),
    write("POST", "/password-reset/not-a-token", **same_for_all(400)),
    write("POST", "/invitations/not-a-token", **same_for_all(404)),
    write(
        "POST",
        "/api/v1/auth/tokens",
        {"email": "alice@partner-a.test", "password": PASSWORD, "name": "x"},
        **same_for_all(201),
    ),
    # one's own account
    write("POST", "/account/profile", alice=400, bob=400, carol=400, vera=400, manny=400, **USERS),
    write("POST", "/account/password", alice=400, bob=400, carol=400, vera=400, manny=400, **USERS),
    write(
        "POST",
        "/account/sessions/end-others",
        alice=303,
        bob=303,
        carol=303,
        vera=303,
        manny=303,
        **USERS,
    ),
    write(
        "POST",
        "/account/sessions/{s_carol}/end",
        alice=404,
        bob=404,
        carol=303,
        vera=404,
        manny=404,
        **USERS,
    ),
    write(
        "POST",
        "/account/tokens",
        {"name": "mine"},
        alice=200,
        bob=200,
        carol=200,
        vera=200,
        manny=200,
        **USERS,
    ),
    write(
        "POST",
        "/account/tokens/{t_carol}/revoke",
        alice=404,
        bob=404,
        carol=303,
        vera=404,
        manny=404,
        **USERS,
    ),
    # my company: the partner admin's own people only
    write(
        "POST",
        "/my-company/users/invite",
        {"email": "new@partner.test", "name": "New", "role": "partner_member"},
        alice=303,
        bob=403,
        carol=303,
        vera=403,
        manny=403,
        anon=LOGIN,
    ),
    write(
        "POST",
        "/my-company/users/{bob}",
        {"role": "partner_admin"},
        alice=303,
        bob=403,
        carol=404,
        vera=403,
        manny=403,
        anon=LOGIN,
    ),
    write(
        "POST",
        "/my-company/invitations/{inv_a}/revoke",
        {"confirmed": "1"},  # the confirmation page's form (without it: that page, 200)
        alice=303,
        bob=403,
        carol=404,
        vera=403,
        manny=403,
        anon=LOGIN,
    ),
    # the partner console: manny works on partner A only
    write(
        "POST",
        "/console/partners/{b}/edit",
        {"name": "Hijacked 有限公司", "city": "广州"},
        **{**STAFF_ON_B, "vera": 400},
    ),
    write(
        "POST",
        "/console/partners/{b}/invitations",
        {"email": "new@partner-b.test", "name": "New", "role": "partner_member"},
        **STAFF_ON_B,
    ),
    write(
        "POST", "/console/partners/{b}/invitations/{inv_b}/revoke", {"confirmed": "1"}, **STAFF_ON_B
    ),
    write("POST", "/console/partners/{b}/notes", {"notes": "渠道备注"}, **STAFF_ON_B),
    write("POST", "/console/partners/new", vera=400, **ADMIN),
    write("POST", "/console/partners/{b}/suspend", {"reason": "x"}, vera=303, **ADMIN),
    write("POST", "/console/partners/{b}/reactivate", vera=303, **ADMIN),
    write("POST", "/console/partners/{b}/tier", {"tier": "gold"}, vera=400, **ADMIN),
    write("POST", "/console/applications/{app}/approve", vera=400, **ADMIN),
    write("POST", "/console/applications/{app}/decline", {"confirmed": "1"}, vera=400, **ADMIN),
    write("POST", "/console/staff/invite", vera=400, **ADMIN),
    write(
        "POST",
        "/console/staff/invitations/{inv_staff}/revoke",
        {"confirmed": "1"},
        vera=303,
        **ADMIN,
    ),
    write("POST", "/console/staff/{manny}", vera=400, **ADMIN),
    write("POST", "/console/emails/{mail}/retry", vera=303, **ADMIN),
    # the delivery address book (partner admins of the address's own company)
    write(
        "POST",
        "/my-company/addresses",
        {"label": "仓库", "address": "上海市浦东新区 1 号"},
        alice=303,
        bob=403,
        carol=303,
        vera=403,
        manny=403,
        anon=LOGIN,
    ),
    write(
        "POST",
        "/my-company/addresses/{addr_b}",
        {"label": "Hijacked", "address": "x"},
        alice=404,
        bob=403,
        carol=303,
        vera=403,
        manny=403,
        anon=LOGIN,
    ),
    write(
        "POST",
        "/my-company/addresses/{addr_b}/remove",
        alice=404,
        bob=403,
        carol=303,
        vera=403,
        manny=403,
        anon=LOGIN,
    ),
    # the partners API (bearer tokens)
    write("POST", "/api/v1/partners", alice=403, bob=403, carol=403, vera=400, manny=403, anon=401),
    write(
        "PATCH",
        "/api/v1/partners/{b}",
        {"name_en": "Hijacked Ltd."},
        alice=404,
        bob=404,
        carol=403,
        vera=200,
        manny=404,
        anon=401,
    ),
]


async def build(w: World) -> dict:
    vera = w.personas["vera"].current
    application = await submit_application(
        ApplicationForm(
            company_name="Apply Co",
            kind=PartnerKind.DEALER,
            province="JS",
            contact_name="Q",
            contact_email="q@apply.test",
        ),
        "10.1.1.1",
        "en",
    )

    async def invitation(email: str, role: Role, partner_id: int | None) -> int:
        return await invite(
            actor=vera, email=email, name="Invitee", role=role, partner_id=partner_id
        )

    ids = {
        "app": application,
        "inv_a": await invitation("invitee@partner-a.test", Role.PARTNER_MEMBER, w.ids["a"]),
        "inv_b": await invitation("invitee@partner-b.test", Role.PARTNER_MEMBER, w.ids["b"]),
        "inv_staff": await invitation("invitee@vendor.test", Role.CHANNEL_MANAGER, None),
    }
    carol = w.personas["carol"].id
    session = await AuthSession.select(AuthSession.id).where(AuthSession.user == carol).first()
    token = await ApiToken.select(ApiToken.id).where(ApiToken.user == carol).first()
    await jobs.drain()  # the invitations' e-mails
    mail = await OutboundEmail.select(OutboundEmail.id).first()
    addresses = {
        f"addr_{side}": await add_address(
            w.personas[admin].current, AddressForm(label=f"仓库 {side}", address="杭州市 1 号")
        )
        for side, admin in (("a", "alice"), ("b", "carol"))
    }
    return {
        **ids,
        **addresses,
        "s_carol": session["id"],
        "t_carol": token["id"],
        "mail": mail["id"],
    }


world = world_fixture(build)


@pytest.mark.parametrize("route", params([*MATRIX, *ROW_STATIC_HEAD, *WRITES]))
async def test_permission_matrix(world, route):
    wrong = await world.wrong_answers(route)
    assert not wrong, f"{route.method} {world.url(route)}: " + "; ".join(wrong)
