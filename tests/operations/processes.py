"""Real `portal` processes and scratch PostgreSQL databases for the operations tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.services import require

PG = "postgresql://postgres@127.0.0.1:5432"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def closed_port() -> int:
    """A loopback port nothing listens on (bound and released)."""
    return free_port()


def wait_http(url: str, server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            pass
        if server.proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"{url} did not come up: {server.stop()[-3000:]}")
        time.sleep(0.2)


def psql(sql: str, database: str = "postgres", timeout: float = 60) -> str:
    """Run SQL as the postgres superuser through psql; the unaligned, tuples-only output."""
    result = subprocess.run(
        ["psql", f"{PG}/{database}", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode:
        raise RuntimeError(result.stderr)
    return result.stdout.strip()


@contextmanager
def scratch_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database (dropped afterwards); yields its URL."""
    require("PostgreSQL", "127.0.0.1", 5432)
    name = f"portal_ops_{uuid.uuid4().hex[:10]}"
    psql(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG}/{name}"
    finally:
        # DROP DATABASE waits for a checkpoint: over a minute on a server busy with other runs
        psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', timeout=300)


@dataclass
class Server:
    """A running `portal serve`: its base URL, process and stderr (a file, so that a chatty
    server never blocks on a full pipe)."""

    url: str
    proc: subprocess.Popen[bytes]
    log_path: Path

    def stop(self) -> str:
        """Stop it (SIGTERM) and return everything it wrote to stderr."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.log_path.read_text(errors="replace")


@contextmanager
def serve(env: dict[str, str], *args: str, log: bool = False) -> Iterator[Server]:
    """`portal serve` on a free port with `env` added."""
    port = free_port()
    full = {**os.environ, "ACCESS_LOG": "0", "LOG_LEVEL": "info" if log else "warning", **env}
    with tempfile.NamedTemporaryFile(prefix="portal-serve-", suffix=".log", delete=False) as fh:
        log_path = Path(fh.name)
    with log_path.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "portal.cli", "serve", "--port", str(port), *args],
            env=full,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    server = Server(f"http://127.0.0.1:{port}", proc, log_path)
    try:
        wait_http(f"{server.url}/healthz", server)
        yield server
    finally:
        server.stop()
        log_path.unlink(missing_ok=True)
