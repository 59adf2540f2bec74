"""HTTP helpers shared by every controller: the current user, pages, redirects, flash, paging."""

from __future__ import annotations

import math
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from litestar import Request
from litestar.datastructures import Cookie
from litestar.exceptions import NotAuthorizedException, NotFoundException, PermissionDeniedException
from litestar.response import Redirect, Template

from portal.auth.schemas import CurrentUser
from portal.lib.i18n import gettext as _
from portal.lib.inputs import parse_int
from portal.lib.security import sign, unsign
from portal.settings import get_settings

FLASH_COOKIE = "flash"
SESSION_COOKIE = "portal_session"
LANG_COOKIE = "lang"


def csrf_cookie_name() -> str:
    return "__Host-csrftoken" if get_settings().secure_cookies else "csrftoken"


def session_cookie_name() -> str:
    # __Host- cookies need https; plain name on local http.
    return f"__Host-{SESSION_COOKIE}" if get_settings().secure_cookies else SESSION_COOKIE


def current_user(request: Request) -> CurrentUser:
    """The signed-in user; the access guard has already refused anonymous requests."""
    user = request.scope.get("user")
    if not isinstance(user, CurrentUser):
        raise NotAuthorizedException(_("Please sign in."))
    return user


def maybe_user(request: Request) -> CurrentUser | None:
    user = request.scope.get("user")
    return user if isinstance(user, CurrentUser) else None


def client_ip(request: Request) -> str:
    client = request.client
    return client.host if client else ""


def not_found() -> NotFoundException:
    return NotFoundException(_("Not found."))


def forbidden() -> PermissionDeniedException:
    return PermissionDeniedException(_("You do not have permission to do this."))


def _flashes(request: Request) -> list[list[str]]:
    value = unsign(request.cookies.get(FLASH_COOKIE))
    return value if isinstance(value, list) else []


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> Template:
    """A page with the common context (user, flash messages) that consumes pending flashes."""
    flashes = _flashes(request)
    cookies = [Cookie(key=FLASH_COOKIE, value="", max_age=0, path="/")] if flashes else []
    context.setdefault("errors", {})
    context.setdefault("values", {})
    return Template(
        template_name=template,
        context={"user": maybe_user(request), "flashes": flashes, **context},
        status_code=status_code,
        cookies=cookies,
    )


def redirect(
    request: Request,
    target: str,
    flash: tuple[str, str] | None = None,
    **params: Any,
) -> Redirect:
    """303 to a route name (or a path starting with '/'), optionally with a flash message."""
    path = target if target.startswith("/") else request.app.route_reverse(target, **params)
    cookies = []
    if flash:
        messages = [*_flashes(request), list(flash)][-5:]
        cookies.append(
            Cookie(
                key=FLASH_COOKIE,
                value=sign(messages),
                path="/",
                httponly=True,
                samesite="lax",
                secure=get_settings().secure_cookies,
                max_age=120,
            )
        )
    return Redirect(path=path, status_code=303, cookies=cookies)


def safe_next(target: str | None, default: str = "/") -> str:
    """Only local paths as post-login targets (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


@dataclass(frozen=True)
class Page:
    """Pagination facts for templates (_partials/pagination.html)."""

    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    @property
    def first_item(self) -> int:
        return 0 if self.total == 0 else self.offset + 1

    @property
    def last_item(self) -> int:
        return min(self.total, self.offset + self.per_page)


def page_number(value: Any) -> int:
    """?page= as a page number: 1 when missing or not a number in ASCII digits, at most 100,000."""
    return min(parse_int(value) or 1, 100_000)


@dataclass(frozen=True)
class Confirm:
    """What the confirmation step of an action that e-mails people or decides shows: the question,
    who will be told, the action's URL and the form's fields (templates/confirm.html)."""

    heading: str
    lines: list[str]
    action: str
    button: str
    cancel: str
    fields: dict[str, Any] = dataclass_field(default_factory=dict)
    danger: bool = False
    reason: dict[str, Any] | None = None


def confirmed(data: Any) -> bool:
    """True when the POST came from the confirmation page (its form carries confirmed=1): a POST
    from anywhere else shows the confirmation page instead of acting."""
    return str(data.get("confirmed") or "") == "1"


def confirm_page(
    request: Request, confirm: Confirm, errors: dict[str, str] | None = None, status_code: int = 200
) -> Template:
    """The confirmation step (templates/confirm.html)."""
    return page(
        request, "confirm.html", status_code=status_code, confirm=confirm, errors=errors or {}
    )
