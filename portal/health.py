"""Liveness and readiness for load balancers: GET /healthz (the process answers) and GET /readyz
(the database, Redis when configured and the file storage answer, each within a short timeout).

Both are public, cheap and JSON. /readyz answers 503 naming the failing checks; the error text
in the body is the exception's type only (hosts and credentials stay in the log).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from litestar import Controller, Response, get
from piccolo.querystring import QueryString

from portal.auth.constants import Access
from portal.db import engine
from portal.lib import storage
from portal.settings import get_settings

log = logging.getLogger("portal.health")

CHECK_TIMEOUT = 2.0  # seconds per check: a load balancer must get an answer, never a hang
# a key that is never written: reading it proves the backend answers (FileNotFoundError = fine)
PROBE_KEY = "health/0000/00/readiness-probe"


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    ms: float
    error: str = ""  # "<ExceptionType>: message" (logged; only the type goes out publicly)
    skipped: bool = False


async def check_database() -> None:
    await engine().run_querystring(QueryString("SELECT 1"))  # type: ignore[attr-defined]


async def check_redis() -> None:
    """PING the configured Redis with short connect/read timeouts (never waits arq's retries)."""
    from redis.asyncio import Redis

    client = Redis.from_url(
        get_settings().redis_url or "",
        socket_connect_timeout=CHECK_TIMEOUT,
        socket_timeout=CHECK_TIMEOUT,
        retry_on_timeout=False,
    )
    try:
        await client.ping()
    finally:
        await client.aclose()


async def check_storage() -> None:
    """The backend answers a read (S3: the bucket and credentials work); a local folder must
    also be writable by this process."""
    settings = get_settings()
    if not settings.s3_bucket:
        await asyncio.to_thread(_check_writable, settings.storage_dir)
    try:
        await storage.read_file(PROBE_KEY)
    except FileNotFoundError:
        return


def _check_writable(folder: Path) -> None:
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent  # the folder itself is created at the first upload
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder} is not a folder")
    if not os.access(folder, os.W_OK):
        raise PermissionError(f"{folder} is not writable")


async def _timed(name: str, fn: Callable[[], Awaitable[None]] | None) -> CheckResult:
    if fn is None:
        return CheckResult(name, True, 0.0, skipped=True)
    start = time.perf_counter()
    try:
        await asyncio.wait_for(fn(), CHECK_TIMEOUT)
    except Exception as exc:
        detail = str(exc) or "no answer"
        if isinstance(exc, TimeoutError):
            detail = f"no answer within {CHECK_TIMEOUT:g} s"
        error = f"{type(exc).__name__}: {detail}"
        log.warning("readiness check %s failed: %s", name, error)
        return CheckResult(name, False, (time.perf_counter() - start) * 1000, error)
    return CheckResult(name, True, (time.perf_counter() - start) * 1000)


async def readiness() -> list[CheckResult]:
    """Every readiness check, run concurrently; Redis is skipped when REDIS_URL is unset."""
    redis = check_redis if get_settings().redis_url else None
    return list(
        await asyncio.gather(
            _timed("database", check_database),
            _timed("redis", redis),
            _timed("storage", check_storage),
        )
    )


def _public(result: CheckResult) -> dict[str, Any]:
    if result.skipped:
        return {"ok": True, "skipped": "not configured"}
    out: dict[str, Any] = {"ok": result.ok, "ms": round(result.ms, 1)}
    if not result.ok:
        out["error"] = result.error.split(":", 1)[0]
    return out


class HealthController(Controller):
    """/healthz and /readyz: public JSON for load balancers and orchestrators."""

    opt = {"access": Access.PUBLIC, "health": True}
    include_in_schema = False

    @get("/healthz", name="health:live")
    async def live(self) -> Response[dict[str, Any]]:
        """The process is up and its event loop answers (no dependency is touched)."""
        return Response({"status": "ok"}, headers={"Cache-Control": "no-store"})

    @get("/readyz", name="health:ready")
    async def ready(self) -> Response[dict[str, Any]]:
        """200 when every dependency answers; 503 with the failing checks named."""
        results = await readiness()
        failing = [r.name for r in results if not r.ok]
        body: dict[str, Any] = {
            "status": "failing" if failing else "ok",
            "checks": {r.name: _public(r) for r in results},
        }
        if failing:
            body["failing"] = failing
        return Response(
            body, status_code=503 if failing else 200, headers={"Cache-Control": "no-store"}
        )


PAGES = [HealthController]
