"""Structured logs: one line per request and per job, as key=value text or JSON (LOG_FORMAT).

Request lines carry the request id (the caller's `X-Request-ID` when it is sane, else a new one,
sent back in the response), method, path, status, user id, partner id and duration. Job lines carry
the job name, its id, the try, the outcome and the duration. Every other line logged while a
request is handled carries its request id too, so an error can be traced to the request.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import json
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from portal.settings import Settings

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
request_log = logging.getLogger("portal.request")
job_log = logging.getLogger("portal.job")

_SANE_ID = re.compile(r"^[A-Za-z0-9._:/=+-]{1,128}$")
_QUIET_PATHS = {"/healthz", "/readyz"}  # load balancer probes: logged at DEBUG only


def new_request_id(incoming: str | None) -> str:
    """The caller's id when it is short and plain (a proxy's or a client's), else a new one."""
    if incoming and _SANE_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


def _text_value(value: Any) -> str:
    text = "" if value is None else str(value)
    if text == "" or any(c in text for c in ' "=\n'):
        return json.dumps(text, ensure_ascii=False)
    return text


class StructuredFormatter(logging.Formatter):
    """`fields` given as extra={"fields": {...}} become keys; the request id is added."""

    def __init__(self, fmt: str) -> None:
        super().__init__()
        self.json = fmt == "json"

    def format(self, record: logging.LogRecord) -> str:
        fields: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        rid = getattr(record, "request_id", "") or request_id_var.get()
        extra = getattr(record, "fields", None)
        if extra:
            fields.update(extra)
        else:
            fields["msg"] = record.getMessage()
        if rid and "request_id" not in fields:
            fields["request_id"] = rid
        if record.exc_info:
            fields["exc"] = self.formatException(record.exc_info)
        if self.json:
            return json.dumps(fields, ensure_ascii=False, default=str)
        return " ".join(f"{key}={_text_value(value)}" for key, value in fields.items())


def configure_logging(settings: Settings) -> None:
    """Send the portal's loggers (and arq's) through one structured handler on stderr, at
    LOG_LEVEL; ACCESS_LOG=0 silences the request lines."""
    import os

    level = os.environ.get("LOG_LEVEL", "info").upper()
    handler = logging.StreamHandler()
    handler.setFormatter(StructuredFormatter(settings.log_format))
    for name in ("portal", "arq"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level if level in logging.getLevelNamesMapping() else "INFO")
        logger.propagate = False
    if os.environ.get("ACCESS_LOG", "1") == "0":
        request_log.setLevel(logging.WARNING)


def request_log_middleware(app: Any) -> Any:
    """ASGI middleware (outermost): request id in and out, then one line when the response ends."""

    async def middleware(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        incoming = None
        for name, value in scope.get("headers", []):
            if name == b"x-request-id":
                incoming = value.decode("latin-1")
        rid = new_request_id(incoming)
        token = request_id_var.set(rid)
        start = time.perf_counter()
        status = 500

        async def send_with_id(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            user = scope.get("user")
            path = scope.get("path", "")
            request_log.log(
                logging.DEBUG if path in _QUIET_PATHS and status < 500 else logging.INFO,
                "request",
                extra={
                    "fields": {
                        "event": "request",
                        "request_id": rid,
                        "method": scope.get("method", ""),
                        "path": path,
                        "status": status,
                        "user_id": getattr(user, "id", None),
                        "partner_id": getattr(user, "partner_id", None),
                        "duration_ms": round((time.perf_counter() - start) * 1000, 1),
                    }
                },
            )
            request_id_var.reset(token)

    return middleware


def _outcome(exc: BaseException) -> str:
    from arq import Retry

    if isinstance(exc, Retry):
        return "retry"
    if isinstance(exc, BaseException) and type(exc).__name__ == "CancelledError":
        return "cancelled"
    return f"failed:{type(exc).__name__}"


def logged_job(fn: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """Wrap a job function so each run writes one line: name, id, try, outcome, duration."""

    @functools.wraps(fn)
    async def run(ctx: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        outcome = "ok"
        try:
            return await fn(ctx, *args, **kwargs)
        except BaseException as exc:
            outcome = _outcome(exc)
            raise
        finally:
            job_log.log(
                logging.INFO if outcome in {"ok", "retry"} else logging.WARNING,
                "job",
                extra={
                    "fields": {
                        "event": "job",
                        "job": fn.__name__,
                        "job_id": ctx.get("job_id") or "inline",
                        "try": ctx.get("job_try", 1),
                        "args": ",".join(str(a) for a in args)[:200],
                        "outcome": outcome,
                        "duration_ms": round((time.perf_counter() - start) * 1000, 1),
                    }
                },
            )

    return run


def instrument_worker(settings_cls: Any) -> Any:
    """arq WorkerSettings whose functions and cron jobs write one job line per run.

    A flat copy, not a subclass: arq reads only the settings class's own `__dict__`, so a
    subclass silently dropped on_startup/on_shutdown, keep_result, max_tries, job_timeout..."""
    attrs = {k: v for k, v in vars(settings_cls).items() if not k.startswith("__")}
    attrs["functions"] = [logged_job(fn) for fn in settings_cls.functions]
    attrs["cron_jobs"] = [
        replace(job, coroutine=logged_job(job.coroutine)) for job in settings_cls.cron_jobs
    ]
    return type(settings_cls.__name__, (), attrs)
