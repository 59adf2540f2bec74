"""Real services the tests talk to (PostgreSQL, Redis, SMTP): skip outside CI, fail inside it."""

from __future__ import annotations

import os
import socket

import pytest

IN_CI = bool(os.environ.get("CI"))


def reachable(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def require(name: str, host: str, port: int) -> None:
    """Skip (locally) or fail (with CI set) when a service is not listening."""
    if reachable(host, port):
        return
    message = (
        f"{name} is not reachable on {host}:{port}; start it (see README, 'Running the tests')"
    )
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


_redis_url: str | None = None


def require_redis() -> str:
    """A Redis database of this test process's own (tests flush it), claimed for the run.

    Databases 1-15 are claimed with SET NX on a key in database 0 that expires, so two checkouts or
    xdist workers on one host never flush each other's jobs; a database that already holds keys
    (say, a run with TEST_REDIS_URL pointing at it) is passed over. TEST_REDIS_URL overrides the
    choice.
    """
    global _redis_url
    require("Redis", "127.0.0.1", 6379)
    if _redis_url is None:
        _redis_url = os.environ.get("TEST_REDIS_URL") or _claim_redis_db()
    return _redis_url


def _claim_redis_db() -> str:
    import atexit

    import redis

    owner = f"{socket.gethostname()}:{os.getpid()}"
    client = redis.Redis(host="127.0.0.1", port=6379, db=0)
    for db in range(1, 16):
        key = f"portal-tests:db:{db}"
        with redis.Redis(host="127.0.0.1", port=6379, db=db) as other:
            in_use = other.dbsize() > 0
        if in_use or client.exists(key):
            continue  # claimed, or holding someone's keys (a TEST_REDIS_URL run): never flushed
        if client.set(key, owner, nx=True, ex=3600):
            atexit.register(_release_redis_db, key, owner)
            return f"redis://127.0.0.1:6379/{db}"
    message = "every Redis database 1-15 on 127.0.0.1:6379 is claimed by other test runs"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def _release_redis_db(key: str, owner: str) -> None:
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379, db=0)
    if client.get(key) == owner.encode():
        # ours alone: leave it empty, or the next run would take its leftover job results for
        # someone else's keys and pass it over (until every database looked claimed)
        with redis.Redis(host="127.0.0.1", port=6379, db=int(key.rsplit(":", 1)[1])) as mine:
            mine.flushdb()
        client.delete(key)
