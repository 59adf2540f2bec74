"""PostgreSQL connections cut by the server (pg_terminate_backend) while load runs: the pool
replaces them without a restart, only requests that were on a cut connection fail, and the
number of connections stays within DATABASE_POOL_SIZE (pg_stat_activity)."""

from __future__ import annotations

import concurrent.futures
import os
import subprocess
import sys
import threading
import time

import httpx
import pytest

from tests.operations.processes import psql, scratch_database, serve

POOL = 4


def _sign_in(base: str) -> httpx.Client:
    browser = httpx.Client(timeout=15)
    browser.get(f"{base}/login")
    response = browser.post(
        f"{base}/login",
        data={
            "_csrf_token": browser.cookies["csrftoken"],
            "email": "ops@vendor.test",
            "password": "a-long-password-1",
        },
    )
    assert response.status_code == 303, response.text[:500]
    return browser


def test_terminated_connections_are_replaced_under_load_and_the_pool_stays_bounded():
    with scratch_database() as url:
        name = url.rsplit("/", 1)[1]
        env = {"DATABASE_URL": url, "DATABASE_POOL_SIZE": str(POOL), "RUN_JOBS_IN_PROCESS": "0"}
        with serve(env) as server:
            base = server.url
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "portal.cli",
                    "create-admin",
                    "--email",
                    "ops@vendor.test",
                    "--name",
                    "Ops",
                    "--password",
                    "a-long-password-1",
                ],
                env={**os.environ, **env},
                check=True,
                capture_output=True,
                timeout=60,
            )
            browsers = [_sign_in(base) for _ in range(6)]
            statuses: list[int] = []
            stop = threading.Event()

            def load(browser: httpx.Client) -> None:
                while not stop.is_set():
                    try:
                        statuses.append(browser.get(f"{base}/console/emails/").status_code)
                    except httpx.TransportError:
                        statuses.append(-1)

            served = f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{name}' AND application_name LIKE 'portal serve%'"
            with concurrent.futures.ThreadPoolExecutor(len(browsers)) as pool:
                futures = [pool.submit(load, b) for b in browsers]
                terminated, most = 0, 0
                for _ in range(5):  # five rounds: cut every connection of the server
                    time.sleep(0.6)
                    most = max(most, int(psql(served)))
                    terminated += int(
                        psql(
                            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM "
                            f"pg_stat_activity WHERE datname = '{name}' AND application_name "
                            "LIKE 'portal serve%') AS cut"
                        )
                    )
                time.sleep(1.0)
                during = len(statuses)
                time.sleep(1.5)  # after the last cut: everything answers again
                stop.set()
                for f in futures:
                    f.result()
            failed = [s for s in statuses[:during] if s != 200]
            after = statuses[during:]
            most = max(most, int(psql(served)))
    assert terminated >= 5 and len(statuses) > 50
    assert len(failed) <= terminated, (failed, terminated)
    assert set(failed) <= {500}
    assert after and set(after) == {200}
    assert most <= POOL


async def test_a_transaction_cut_by_the_server_leaves_the_task_and_the_pool_usable():
    from piccolo.querystring import QueryString

    from portal.db import engine, is_sqlite, write_transaction

    if is_sqlite():
        pytest.skip("PostgreSQL connections (TEST_DATABASE=postgres)")
    db = engine()
    with pytest.raises(Exception, match=r"terminat|closed|connection"):
        async with write_transaction():
            rows = await db.run_querystring(QueryString("SELECT pg_backend_pid() AS pid"))
            psql(f"SELECT pg_terminate_backend({rows[0]['pid']})")
            await db.run_querystring(QueryString("SELECT 1"))

    # the same task goes on: no dead transaction left behind, the pool gives a live connection
    assert db.current_transaction.get() is None
    async with write_transaction():
        rows = await db.run_querystring(QueryString("SELECT 1 AS one"))
        assert [dict(r) for r in rows] == [{"one": 1}]
