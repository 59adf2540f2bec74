"""`portal serve` (granian) stops on SIGTERM within seconds after it has served pages (issue 19,
point 7): the shutdown closes the database pools on every backend, so no kept SQLite connection
thread (or PostgreSQL pool) holds the worker alive; its workers default to the cores in production."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx

from portal.cli import default_workers
from tests.conftest import BACKEND
from tests.operations.processes import scratch_database, serve


@contextlib.contextmanager
def _database(tmp_path) -> Iterator[str]:
    if BACKEND == "postgres":
        with scratch_database() as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'portal.db'}"


def test_portal_serve_exits_within_seconds_of_sigterm_after_serving_pages(tmp_path):
    with _database(tmp_path) as url:
        env = {"DATABASE_URL": url, "PORTAL_DATA_DIR": str(tmp_path), "RUN_JOBS_IN_PROCESS": "1"}
        with serve(env) as server:
            # given pages served side by side (each request holds a kept connection)
            with ThreadPoolExecutor(8) as pool:
                answers = list(
                    pool.map(
                        lambda path: httpx.get(f"{server.url}{path}", timeout=15).status_code,
                        ["/login", "/healthz", "/readyz", "/login"] * 4,
                    )
                )
            assert set(answers) <= {200, 503}, answers
            # when it is told to stop
            stopped_at = time.monotonic()
            server.proc.send_signal(signal.SIGTERM)
            # then it exits on its own within a few seconds
            exit_code = server.proc.wait(timeout=20)
            took = time.monotonic() - stopped_at
            log = server.stop()

    assert exit_code in (0, -signal.SIGTERM), log[-3000:]
    assert took < 8, (took, log[-3000:])


def test_portal_serve_runs_one_worker_per_core_in_production_and_one_in_the_demo():
    assert default_workers("production") == (os.cpu_count() or 1)
    assert default_workers("demo") == 1
    assert default_workers("dev") == 1
