"""create_app(): routes, templates, CSRF, security headers, errors, lifespan (pool, scheduler)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from granian.utils.proxies import wrap_asgi_with_proxy_headers
from litestar import Litestar, Request, Response, Router
from litestar.config.csrf import CSRFConfig
from litestar.exceptions import ClientException, HTTPException
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from litestar.types import ASGIApp, Message, Scope

from portal import __version__
from portal.api_document import ApiDocument, describe_api
from portal.auth.constants import Access
from portal.auth.guards import access_guard, auth_middleware
from portal.core import email
from portal.db import close_pool, resolve_foreign_keys, start_pool
from portal.errors import http_exception_handler, internal_error_handler
from portal.lib import jobs
from portal.lib.etags import etag_middleware
from portal.lib.forms import FormError
from portal.lib.inputs import input_guard
from portal.lib.logs import configure_logging, request_log_middleware
from portal.nav import nav_for
from portal.routes import api_routes, page_routes
from portal.settings import STATIC_DIR, get_settings
from portal.templating import environment
from portal.tenancy import NotFound
from portal.web import csrf_cookie_name, not_found
from portal.worker import InProcessScheduler

SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


async def _security_headers(message: Message, scope: Scope) -> None:
    if message["type"] == "http.response.start":
        headers = list(message.get("headers", []))
        present = {name.lower() for name, _ in headers}
        for name, value in SECURITY_HEADERS:
            if name not in present:
                headers.append((name, value))
        path = scope.get("path", "")
        if (scope.get("user") is not None or path.startswith("/api/")) and not path.startswith(
            "/static/"
        ):
            # a signed-in page or an API answer is never kept by a browser or a shared cache
            headers = [(n, v) for n, v in headers if n.lower() != b"cache-control"]
            headers.append((b"cache-control", b"no-store"))
        if get_settings().secure_cookies:
            headers.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
        message["headers"] = headers


@contextlib.asynccontextmanager
async def _lifespan(app: Litestar) -> AsyncIterator[None]:
    await start_pool()
    scheduler = None
    settings = get_settings()
    if settings.run_jobs_in_process and app.state.get("run_scheduler", True):
        scheduler = InProcessScheduler()
        scheduler.start()
    try:
        yield
    finally:
        if scheduler is not None:
            await scheduler.stop()

        await jobs.close()
        # always: on SQLite the pool's connection threads would keep the process alive after
        # a SIGTERM or Ctrl-C (start_pool opens nothing there, but queries opened connections)
        await close_pool()


def not_found_handler(request: Request, exc: NotFound) -> Response[Any]:
    """NotFound from any access helper or service (a foreign id, a missing row): the 404 page,
    or the JSON error under /api. Handlers let it through instead of converting it by hand."""
    return http_exception_handler(request, not_found())


def form_error_handler(request: Request, exc: FormError) -> Response[Any]:
    """A FormError no handler turned into its form: 422 JSON under /api (message, and the fields'
    messages), a 400 page with the message elsewhere. Never a 500."""
    message = exc.errors.get("") or "; ".join(exc.errors.values())
    fields = {key: value for key, value in exc.errors.items() if key}
    if request.url.path.startswith("/api/"):
        refused = HTTPException(
            status_code=422, detail=message, extra={"fields": fields} if fields else {}
        )
        return http_exception_handler(request, refused)
    return http_exception_handler(request, ClientException(detail=message))


def create_app(run_scheduler: bool = True) -> Litestar:
    """The ASGI application; every process builds the same one from the same settings."""
    settings = get_settings()
    configure_logging(settings)
    resolve_foreign_keys()  # every table is imported by now (routes): once, not per query
    engine = JinjaTemplateEngine.from_environment(environment())
    app = Litestar(
        route_handlers=[
            # HTML pages are not part of the API document (/schema describes /api/v1 only)
            Router(path="/", route_handlers=page_routes(), include_in_schema=False),
            Router(path="/api/v1", route_handlers=api_routes(), opt={"exclude_from_csrf": True}),
            create_static_files_router(
                path="/static",
                directories=[STATIC_DIR],
                opt={"access": Access.PUBLIC},
                name="static",
                send_as_attachment=False,
            ),
        ],
        middleware=[request_log_middleware, input_guard, etag_middleware],
        guards=[access_guard],
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_name=csrf_cookie_name(),
            cookie_secure=settings.secure_cookies,
            cookie_httponly=True,
            cookie_samesite="lax",
        ),
        template_config=TemplateConfig(instance=engine),
        openapi_config=OpenAPIConfig(
            title="Channel Partner Portal API",
            version=__version__,
            description="JSON API for integrators. Authenticate with `Authorization: Bearer <token>` "
            "from POST /api/v1/auth/tokens.",
            render_plugins=[ApiDocument()],
            openapi_router=Router(
                path="/schema",
                route_handlers=[],
                opt={"access": Access.PUBLIC},
                include_in_schema=False,
            ),
            components=Components(
                security_schemes={"bearer": SecurityScheme(type="http", scheme="bearer")}
            ),
            security=[{"bearer": []}],
        ),
        exception_handlers={
            HTTPException: http_exception_handler,
            NotFound: not_found_handler,
            FormError: form_error_handler,
            Exception: internal_error_handler,
        },
        before_send=[_security_headers],
        lifespan=[_lifespan],
        # uploads up to UPLOAD_MAX_MB plus the multipart envelope and form fields
        request_max_body_size=(settings.upload_max_mb + 2) * 1024 * 1024,
        debug=False,
    )
    app.state.run_scheduler = run_scheduler
    # The session is resolved around Litestar's whole handler, not per route: a path no route
    # matches (404 from the router) is then answered in the signed-in layout and the reader's
    # language too, not as an anonymous English page (issue 12, point 16). Static files are
    # public and the same for everyone: they are served without looking the session up.
    app.asgi_handler = auth_middleware(app.asgi_handler, anonymous=("/static/",))
    describe_api(app)

    def url_for(name: str, **params: object) -> str:
        return app.route_reverse(name, **params)

    environment().globals["url_for"] = url_for
    environment().globals["nav_for"] = nav_for
    environment().globals["static"] = lambda path: f"/static/{path}"
    environment().globals["email_kind"] = email.kind_label  # stored codes in words (point 7)
    environment().globals["error_words"] = email.error_words
    return app


def create_served_app() -> ASGIApp:
    """create_app() as `portal serve` hands it to granian: X-Forwarded-For / -Proto honoured from
    the FORWARDED_ALLOW_IPS addresses (what uvicorn's proxy_headers did), lifespan passed on."""
    wrapped: ASGIApp = wrap_asgi_with_proxy_headers(
        create_app(), get_settings().forwarded_allow_ips
    )
    return wrapped
