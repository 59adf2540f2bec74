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


def require_redis() -> str:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    require("Redis", "127.0.0.1", 6379)
    return url
