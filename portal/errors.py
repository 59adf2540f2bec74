"""Exception handlers: JSON with a readable message under /api, friendly pages elsewhere."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.response import Redirect
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from portal.lib.i18n import gettext as _
from portal.templating import environment

log = logging.getLogger("portal.errors")

TITLES = {
    400: "Bad request",
    401: "Please sign in",
    403: "Access denied",
    404: "Page not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Upload too large",
    422: "Invalid input",
    429: "Too many requests",
    500: "Something went wrong",
}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _validation_errors(exc: ValidationException) -> list[dict[str, Any]]:
    errors = []
    for item in exc.extra or []:  # type: ignore[union-attr]
        if isinstance(item, dict):
            key = item.get("key") or ""
            errors.append({"field": key, "message": item.get("message", "")})
    return errors


def _error_page(request: Request, status: int, message: str) -> Response:
    title = _(TITLES.get(status, "Error"))
    try:
        html = environment().get_template("errors/error.html").render(
            request=request,
            user=request.scope.get("user"),
            status=status,
            title=title,
            message=message,
            flashes=[],
            errors={},
            values={},
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
            detail = exc.detail if exc.detail and not exc.detail.startswith("Validation failed") else message
            return Response(
                content={"error": detail, "status": status, "errors": _validation_errors(exc)}  # type: ignore[arg-type]
                if isinstance(exc, ValidationException)
                else {"error": detail, "status": status},
                status_code=status,
            )
        return _error_page(request, status, message)
    if isinstance(exc, NotAuthorizedException) and not _is_api(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return Redirect(path=f"/login?next={quote(target)}", status_code=303)
    message = exc.detail or _(TITLES.get(status, "Error"))
    if _is_api(request):
        extra = exc.extra if isinstance(exc.extra, dict) else {}
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return Response(
            content={"error": message, "status": status, **extra}, status_code=status, headers=headers
        )
    return _error_page(request, status, message)


def internal_error_handler(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    status = HTTP_500_INTERNAL_SERVER_ERROR
    message = _("An unexpected error occurred. It has been logged; please try again.")
    if _is_api(request):
        return Response(content={"error": message, "status": status}, status_code=status)
    return _error_page(request, status, message)
