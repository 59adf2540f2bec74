"""Factories with sensible defaults; each returns the new row's id (or a small record)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from portal.auth.constants import Role
from portal.auth.schemas import CurrentUser
from portal.auth.services import create_user
from portal.partners.schemas import NewPartner
from portal.partners.services import create_partner
from portal.partners.tables import Tier

PASSWORD = "demo12345"
_seq = itertools.count(1)


@dataclass(frozen=True)
class Persona:
    """A test user: ids and e-mail, plus the CurrentUser a service call would receive."""

    id: int
    email: str
    name: str
    role: str
    partner_id: int | None
    can_sales: bool = False
    can_purchasing: bool = False

    @property
    def current(self) -> CurrentUser:
        return CurrentUser(
            id=self.id,
            email=self.email,
            name=self.name,
            role=self.role,
            partner_id=self.partner_id,
            can_sales=self.can_sales,
            can_purchasing=self.can_purchasing,
            ip="127.0.0.1",
        )


async def tier_id(code: str = "gold") -> int:
    row = await Tier.select(Tier.id).where(Tier.code == code).first()
    assert row, f"tier {code} missing"
    return int(row["id"])


async def make_partner(**overrides: Any) -> int:
    n = next(_seq)
    data: dict[str, Any] = {
        "name": f"测试伙伴 {n} 有限公司",
        "name_en": f"Test Partner {n} Ltd.",
        "kind": "dealer",
        "tier_id": await tier_id(overrides.pop("tier", "gold")),
        "province": "SH",
        "city": "上海",
        "contact_name": "联系人",
        "contact_email": f"contact{n}@partner.test",
        "credit_limit_amount": 50_000_00,
        "locale": "zh_CN",
    }
    data.update(overrides)
    return await create_partner(None, NewPartner(**data))


async def make_user(
    role: Role | str = Role.PARTNER_MEMBER,
    partner_id: int | None = None,
    email: str | None = None,
    name: str | None = None,
    can_sales: bool = False,
    can_purchasing: bool = False,
    password: str = PASSWORD,
    locale: str = "",
) -> Persona:
    n = next(_seq)
    email = email or f"user{n}@example.test"
    name = name or f"User {n}"
    user_id = await create_user(
        email=email,
        name=name,
        password=password,
        role=role,
        partner_id=partner_id,
        can_sales=can_sales,
        can_purchasing=can_purchasing,
        locale=locale,
    )
    admin = role == Role.PARTNER_ADMIN
    return Persona(
        user_id,
        email,
        name,
        str(Role(role)),
        partner_id,
        can_sales or admin,
        can_purchasing or admin,
    )


async def bearer_headers(client, persona) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The Authorization header of a fresh API token for `persona` (as an integrator gets it)."""
    response = await client.post(
        "/api/v1/auth/tokens", json={"email": persona.email, "password": PASSWORD, "name": "test"}
    )
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}
