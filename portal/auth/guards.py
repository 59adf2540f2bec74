"""Who is calling (middleware) and whether the route lets them in (the app-wide access guard).

Every route declares opt={"access": Access...}; a route without one is refused, and a test walks
the route table so that none ships without a decision.
"""

from __future__ import annotations

from collections.abc import Iterable
from http.cookies import SimpleCookie

from litestar.connection import ASGIConnection
from litestar.datastructures import Headers
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.types import ASGIApp, Receive, Scope, Send

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.auth.sessions import user_for_api_token, user_for_session
from portal.core import audit
from portal.lib import i18n
from portal.lib.i18n import gettext as _
from portal.web import LANG_COOKIE, session_cookie_name

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _cookies(headers: Headers) -> dict[str, str]:
    raw = headers.get("cookie")
    if not raw:
        return {}
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:  # a malformed Cookie header means no cookies, not a 500
        return {}
    return {key: morsel.value for key, morsel in jar.items()}


def auth_middleware(app: ASGIApp, *, anonymous: tuple[str, ...] = ()) -> ASGIApp:
    """Resolve the session cookie or bearer token into scope["user"]; set the request locale.
    Paths under an `anonymous` prefix (static files) are served without a session lookup."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        headers = Headers.from_scope(scope)
        cookies = _cookies(headers)
        client = scope.get("client")
        ip = client[0] if client else ""
        user: CurrentUser | None = None
        auth_header = headers.get("authorization", "")
        is_api = scope["path"].startswith("/api/")
        if anonymous and scope["path"].startswith(anonymous):
            pass  # no statement for a stylesheet or an image
        elif auth_header.lower().startswith("bearer "):
            user = await user_for_api_token(auth_header[7:].strip(), ip)
        elif not is_api or scope.get("method") in SAFE_METHODS:
            # API writes need a bearer token: a cookie alone could be a cross-site request.
            token = cookies.get(session_cookie_name())
            if token:
                user = await user_for_session(token, ip)
        scope["user"] = user
        scope["auth"] = user
        locale = i18n.pick_locale(
            user.locale if user else None, cookies.get(LANG_COOKIE), headers.get("accept-language")
        )
        reset = i18n.current_locale.set(locale)
        try:
            await app(scope, receive, send)
        finally:
            i18n.current_locale.reset(reset)

    return middleware


def declared_access(handler: BaseRouteHandler) -> tuple[str, ...] | None:
    """The route's access declaration as a tuple, or None when it has none."""
    value = handler.opt.get("access")
    if value is None:
        # Litestar adds an OPTIONS handler per path; it only answers the Allow header.
        if getattr(handler, "handler_name", "") == "options_handler" and set(
            getattr(handler, "http_methods", ())
        ) == {"OPTIONS"}:
            return (Access.PUBLIC,)
        return None
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable):
        return tuple(value)
    return None


async def access_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """Enforce the route's declaration: anonymous -> 401 (sign-in), wrong role -> 403 + audit."""
    access = declared_access(handler)
    if access is None:
        raise PermissionDeniedException("This route has no access declaration.")
    if Access.PUBLIC in access:
        return
    user = connection.scope.get("user")
    if not isinstance(user, CurrentUser):
        raise NotAuthorizedException(_("Please sign in."))
    if any(user.allowed(a) for a in access):
        return
    await audit.record(
        "permission.denied",
        actor=user,
        partner_id=user.partner_id,
        target_type="route",
        target_id=(handler.name or "")[:40],
        detail=f"{connection.scope.get('method', '')} {connection.url.path} needs {','.join(access)}",
    )
    raise PermissionDeniedException(_("You do not have permission to do this."))
