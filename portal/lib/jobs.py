"""Enqueue background jobs: to arq when REDIS_URL is set, otherwise run them in this process.

Delivery is at least once either way; every job re-loads its rows by id and is idempotent.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from portal.lib.logs import logged_job
from portal.settings import get_settings

log = logging.getLogger("portal.jobs")

_pools: dict[int, Any] = {}
_tasks: set[asyncio.Task[Any]] = set()


JobFunction = Callable[..., Awaitable[Any]]
_registry: dict[str, JobFunction] = {}


def register(functions: Iterable[JobFunction]) -> None:
    """Make jobs known by their function names; `portal.worker.wire()` registers every job."""
    for fn in functions:
        _registry[fn.__name__] = fn


def registered() -> dict[str, JobFunction]:
    return dict(_registry)


def _functions() -> dict[str, JobFunction]:
    return _registry


ENQUEUE_TIMEOUT = 2.0  # seconds: an unreachable Redis must not hold a request that has committed


def redis_settings(url: str) -> Any:
    """arq's RedisSettings for `url` (db number, user and password included), failing fast:
    one connection attempt of ENQUEUE_TIMEOUT instead of arq's five retries a second apart."""
    from arq.connections import RedisSettings

    settings = RedisSettings.from_dsn(url)
    settings.conn_timeout = int(ENQUEUE_TIMEOUT)
    settings.conn_retries = 0
    return settings


WORKER_REDIS_RETRIES = 30  # ~1 minute of back-off (capped at 2 s) before a worker gives up


def worker_redis_settings(url: str) -> Any:
    """`portal worker`'s RedisSettings: every command retried on a lost connection with back-off,
    so a Redis restart (seconds) is ridden out. Without it the worker's poll loop raised once and
    the process hung for good, neither working nor exiting (its shutdown needed Redis too)."""
    from arq.connections import RedisSettings
    from redis.asyncio.retry import Retry
    from redis.backoff import ExponentialBackoff
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    settings = RedisSettings.from_dsn(url)
    settings.retry = Retry(ExponentialBackoff(cap=2, base=0.1), WORKER_REDIS_RETRIES)
    settings.retry_on_error = [RedisConnectionError, RedisTimeoutError, OSError]
    return settings


async def _arq_pool() -> Any:
    from arq import create_pool

    loop_id = id(asyncio.get_running_loop())
    pool = _pools.get(loop_id)
    if pool is None:
        pool = await create_pool(redis_settings(get_settings().redis_url or ""))
        _pools[loop_id] = pool
    return pool


async def enqueue(name: str, *args: Any, job_id: str | None = None) -> bool:
    """Queue job `name` with ids as arguments; call it after the transaction has committed.

    True when the job was queued (or started in process). False when arq dropped it because a
    job with the same id is still queued or running, or when Redis could not be reached: that
    is logged and never raised, since the caller's transaction has committed and every job's
    rows are picked up again by a sweeper (the outbox sweeper, the report reconciler)."""
    if name not in _functions():
        raise KeyError(f"unknown job {name!r}")
    if get_settings().redis_url:
        try:
            async with asyncio.timeout(ENQUEUE_TIMEOUT * 2):
                pool = await _arq_pool()
                job = await pool.enqueue_job(name, *args, _job_id=job_id)
        except Exception as exc:  # Redis down or unreachable: the sweeper will queue it again
            _pools.pop(id(asyncio.get_running_loop()), None)
            log.warning(
                "could not queue job %s%r (%s: %s); left to the sweeper",
                name,
                args,
                type(exc).__name__,
                exc,
            )
            return False
        return job is not None
    task = asyncio.get_running_loop().create_task(_run_inline(name, *args))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
    return True


async def _run_inline(name: str, *args: Any) -> None:
    try:
        await logged_job(_functions()[name])({"job_try": 1, "inline": True}, *args)
    except Exception:  # the row stays pending; the sweeper tries again later
        log.exception("job %s%r failed", name, args)


async def drain(grace: float | None = None) -> None:
    """Wait for in-process jobs started so far (tests, CLI commands before they exit). After
    `grace` seconds the rest are cancelled: each job's CancelledError path hands its row back,
    so a stopping `portal serve` is never held by a stuck render or send."""
    loop = asyncio.get_running_loop()
    deadline = None if grace is None else loop.time() + grace
    while _tasks:
        left = None if deadline is None else max(deadline - loop.time(), 0.0)
        _done, running = await asyncio.wait(list(_tasks), timeout=left)
        if running and deadline is not None and loop.time() >= deadline:
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)


async def close() -> None:
    for pool in list(_pools.values()):
        await pool.aclose()
    _pools.clear()
