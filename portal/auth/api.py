"""The auth part of the JSON API: bearer tokens for a password (`POST /api/v1/auth/tokens`) and
the signed-in user (`GET /api/v1/me`)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Request, get, post
from litestar.exceptions import HTTPException, NotAuthorizedException
from litestar.params import JSONBody
from litestar.status_codes import HTTP_201_CREATED

from portal.auth import services, sessions
from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.lib.i18n import gettext as _
from portal.web import (
    client_ip,
    current_user,
)

PUBLIC = {"access": Access.PUBLIC}
USER = {"access": Access.USER}


def throttled_message(minutes: int) -> str:
    """What a throttled sign-in is told (page and API), in the user's language."""
    return _("Too many failed attempts. Try again in %(n)s minutes.", n=minutes)


class TokenRequest(msgspec.Struct, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(max_length=254)]
    password: Annotated[str, msgspec.Meta(max_length=256)]
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] = "API"


class TokenResponse(msgspec.Struct):
    token: str
    name: str


class MeResponse(msgspec.Struct):
    id: int
    email: str
    name: str
    role: str
    partner_id: int | None
    partner_name: str
    permissions: list[str]
    locale: str


class AuthApi(Controller):
    """POST /api/v1/auth/tokens and GET /api/v1/me."""

    tags = ["auth"]

    @post(
        "/auth/tokens", name="api:tokens", opt={**PUBLIC}, status_code=HTTP_201_CREATED, security=[]
    )
    async def create_token(self, request: Request, data: JSONBody[TokenRequest]) -> TokenResponse:
        """Exchange e-mail and password for a bearer token (throttled like the sign-in page)."""
        ip = client_ip(request)
        try:
            user_id = await sessions.authenticate(
                data.email, data.password, ip, purpose="api_token"
            )
        except sessions.Throttled as exc:
            raise HTTPException(status_code=429, detail=throttled_message(exc.minutes)) from None
        if user_id is None:
            raise NotAuthorizedException(_("The e-mail address or password is not correct."))
        row = await services.get_user(user_id)
        assert row is not None
        user = CurrentUser(
            id=user_id,
            email=row["email"],
            name=row["name"],
            role=row["role"],
            partner_id=row["partner"],
            ip=ip,
        )
        token = await sessions.create_api_token(user, data.name)
        return TokenResponse(token=token, name=data.name)

    @get("/me", name="api:me", opt=USER)
    async def me(self, request: Request) -> MeResponse:
        """The user behind the token, with role and partner permissions."""
        user = current_user(request)
        permissions = [p for p in ("sales", "purchasing") if user.has(p)]
        return MeResponse(
            id=user.id,
            email=user.email,
            name=user.name,
            role=user.role,
            partner_id=user.partner_id,
            partner_name=user.partner_name,
            permissions=permissions,
            locale=user.locale,
        )
