"""The personas: alice (admin of partner A), bob (member of A, sales only), carol (admin of
partner B), vera (vendor admin), manny (channel manager of A), and helpers to act as them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from portal.auth.constants import Role

if TYPE_CHECKING:
    from tests.factories import Persona

# The conftest imports this module before pytest_configure runs; anything that creates the
# database engine (tables, services, factories) is imported inside the fixtures instead.


async def make_partner(**overrides: Any) -> int:
    from tests.factories import make_partner as factory

    return await factory(**overrides)


async def make_user(*args: Any, **kwargs: Any) -> Persona:
    from tests.factories import make_user as factory

    return await factory(*args, **kwargs)


PARTNER_A = {"name": "华东智联科技有限公司", "name_en": "Partner A", "province": "SH"}
PARTNER_B = {
    "name": "岭南优品贸易有限公司",
    "name_en": "Partner B",
    "province": "GD",
    "kind": "distributor",
    "tier": "silver",
}


async def make_alice(partner_a: int) -> Persona:
    return await make_user(Role.PARTNER_ADMIN, partner_a, "alice@partner-a.test", "Alice 张爱丽")


async def make_bob(partner_a: int) -> Persona:
    return await make_user(
        Role.PARTNER_MEMBER, partner_a, "bob@partner-a.test", "Bob 李博", can_sales=True
    )


async def make_carol(partner_b: int) -> Persona:
    return await make_user(Role.PARTNER_ADMIN, partner_b, "carol@partner-b.test", "Carol 林嘉欣")


async def make_vera() -> Persona:
    return await make_user(Role.VENDOR_ADMIN, None, "vera@vendor.test", "Vera 王")


async def make_manny(partner_a: int) -> Persona:
    from portal.partners.tables import Partner

    persona = await make_user(Role.CHANNEL_MANAGER, None, "manny@vendor.test", "Manny 陈")
    await Partner.update({Partner.channel_manager_id: persona.id}).where(Partner.id == partner_a)
    return persona


async def make_personas() -> tuple[int, int, dict[str, Persona | None]]:
    """Partners A and B and every persona at once (anon = None), as the fixtures make them."""
    a = await make_partner(**PARTNER_A)
    b = await make_partner(**PARTNER_B)
    personas: dict[str, Persona | None] = {
        "alice": await make_alice(a),
        "bob": await make_bob(a),
        "carol": await make_carol(b),
        "vera": await make_vera(),
        "manny": await make_manny(a),
        "anon": None,
    }
    return a, b, personas


@pytest.fixture
async def partner_a() -> int:
    return await make_partner(**PARTNER_A)


@pytest.fixture
async def partner_b() -> int:
    return await make_partner(**PARTNER_B)


@pytest.fixture
async def alice(partner_a: int) -> Persona:
    return await make_alice(partner_a)


@pytest.fixture
async def bob(partner_a: int) -> Persona:
    return await make_bob(partner_a)


@pytest.fixture
async def carol(partner_b: int) -> Persona:
    return await make_carol(partner_b)


@pytest.fixture
async def vera() -> Persona:
    return await make_vera()


@pytest.fixture
async def manny(partner_a: int) -> Persona:
    return await make_manny(partner_a)


async def sign_in(client: Any, persona: Persona) -> Any:
    """Give the client a session for the persona without the (slow) password round-trip."""
    from portal.auth.sessions import start_session
    from portal.web import session_cookie_name

    token = await start_session(persona.id, "127.0.0.1", "pytest")
    client.cookies.set(session_cookie_name(), token)
    return client


async def csrf_token(client: Any) -> str:
    """The CSRF token of this client (fetching the login page once to receive the cookie)."""
    token = client.cookies.get("csrftoken")
    if not token:
        await client.get("/login")
        token = client.cookies.get("csrftoken")
    assert token, "no CSRF cookie set"
    return str(token)


async def post_form(
    client: Any, url: str, data: dict[str, Any] | None = None, **kwargs: Any
) -> Any:
    """POST a form the way the browser does, with the CSRF field."""
    form = {"_csrf_token": await csrf_token(client), **(data or {})}
    return await client.post(url, data=form, **kwargs)


@pytest.fixture
async def as_user(make_client):  # type: ignore[no-untyped-def]
    """as_user(persona) -> a signed-in client of its own (None -> anonymous)."""

    async def factory(persona: Persona | None) -> Any:
        c = await make_client()
        if persona is not None:
            await sign_in(c, persona)
        return c

    return factory
