"""Exception handlers: JSON with a readable message under /api, friendly pages elsewhere."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import (
    ClientException,
    HTTPException,
    NotAuthorizedException,
    ValidationException,
)
from litestar.response import Redirect
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from markupsafe import escape

from portal.lib.i18n import N_
from portal.lib.i18n import gettext as _
from portal.templating import environment

log = logging.getLogger("portal.errors")

TITLES = {
    400: N_("Bad request"),
    401: N_("Please sign in"),
    403: N_("Access denied"),
    404: N_("Page not found"),
    405: N_("Method not allowed"),
    409: N_("Conflict"),
    413: N_("Upload too large"),
    422: N_("Invalid input"),
    429: N_("Too many requests"),
    500: N_("Something went wrong"),
}


DEFAULT_TITLE = N_("Error")
CSRF_FAILED = "CSRF token verification failed"


def _message(exc: HTTPException) -> str:
    """The exception's own words when we wrote them; a translated standard text otherwise."""
    status = exc.status_code
    if exc.detail == CSRF_FAILED:
        return _("This form has expired. Go back, reload the page and try again.")
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    if not exc.detail or exc.detail == phrase:
        return _(TITLES.get(status, DEFAULT_TITLE))
    return exc.detail


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _validation_errors(exc: ValidationException) -> list[dict[str, Any]]:
    errors = []
    for item in exc.extra or []:  # type: ignore[union-attr]
        if isinstance(item, dict):
            key = item.get("key") or ""
            errors.append({"field": key, "message": item.get("message", "")})
    return errors


def _csrf_input(request: Request) -> str:
    """The hidden CSRF field for the layout's forms (sign out, language), as pages get it."""
    from litestar.utils.scope.state import ScopeState

    token = ScopeState.from_scope(request.scope).csrf_token
    if not isinstance(token, str):
        return ""
    return f'<input type="hidden" name="_csrf_token" value="{escape(token)}" />'


def _error_page(request: Request, status: int, message: str) -> Response:
    title = _(TITLES.get(status, DEFAULT_TITLE))
    try:
        html = (
            environment()
            .get_template("errors/error.html")
            .render(
                request=request,
                user=request.scope.get("user"),
                status=status,
                title=title,
                message=message,
                flashes=[],
                errors={},
                values={},
                csrf_input=_csrf_input(request),  # templates print it with |safe
            )
        )
    except Exception:  # the error page itself must never fail
        log.exception("error page failed")
        html = f"<h1>{status}</h1>"
    return Response(content=html, status_code=status, media_type=MediaType.HTML)


def http_exception_handler(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if isinstance(exc, ValidationException) or status == 400:
        message = _("The request is not valid.")
        if _is_api(request):
            detail = (
                exc.detail
                if exc.detail and not exc.detail.startswith("Validation failed")
                else message
            )
            return Response(
                content={"error": detail, "status": status, "errors": _validation_errors(exc)}  # type: ignore[arg-type]
                if isinstance(exc, ValidationException)
                else {"error": detail, "status": status},
                status_code=status,
            )
        if type(exc) is ClientException and exc.detail and exc.detail != "Bad Request":
            message = exc.detail  # a reason given in the user's language (e.g. lib/inputs)
        return _error_page(request, status, message)
    if isinstance(exc, NotAuthorizedException) and not _is_api(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return Redirect(path=f"/login?next={quote(target)}", status_code=303)
    message = _message(exc)
    if _is_api(request):
        extra = exc.extra if isinstance(exc.extra, dict) else {}
        headers = dict(exc.headers or {})  # e.g. Allow on a 405, Retry-After
        if status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return Response(
            content={"error": message, "status": status, **extra},
            status_code=status,
            headers=headers or None,
        )
    return _error_page(request, status, message)


def internal_error_handler(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    status = HTTP_500_INTERNAL_SERVER_ERROR
    message = _("An unexpected error occurred. It has been logged; please try again.")
    if _is_api(request):
        return Response(content={"error": message, "status": status}, status_code=status)
    return _error_page(request, status, message)
