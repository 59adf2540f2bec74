"""Configuration as an operator meets it: one readable line for a bad setting, warnings for a
production deployment that still runs on demo defaults, a bounded PostgreSQL pool per process."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest

from portal.settings import load_settings, production_warnings

PORTAL = [sys.executable, "-m", "portal.cli"]


def _portal(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PORTAL, *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("command", "env", "message"),
    [
        (["migrate"], {"PORTAL_MODE": "bogus"}, "PORTAL_MODE must be one of"),
        (["serve"], {"DATABASE_POOL_SIZE": "many"}, "DATABASE_POOL_SIZE must be an integer"),
        (["worker"], {"REDIS_URL": "http://x"}, "REDIS_URL must start with redis://"),
        (["send-reports", "--period", "2026-10"], {"TIME_ZONE": "Mars/Base"}, "TIME_ZONE"),
        (["import", "products", "x.csv"], {"LOG_FORMAT": "xml"}, "LOG_FORMAT must be one of"),
        (["migrate"], {"PORTAL_MODE": "production", "SECRET_KEY": ""}, "SECRET_KEY is required"),
        (["worker"], {"SWEEP_SECONDS": "7"}, "SWEEP_SECONDS must be 0 or divide 60"),
        (["worker"], {"REPORT_LEASE_SECONDS": "0"}, "REPORT_LEASE_SECONDS must be at least 1"),
        (
            ["migrate"],
            {"PORTAL_MODE": "production", "REPORT_RENDER_DELAY_SECONDS": "5"},
            "REPORT_RENDER_DELAY_SECONDS is for tests",
        ),
    ],
)
def test_a_bad_setting_is_one_readable_line_for_every_command(command, env, message):
    result = _portal(*command, **env)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("Configuration error: ") and message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_production_with_demo_defaults_warns_about_sqlite_file_mail_and_http(monkeypatch):
    monkeypatch.setenv("PORTAL_MODE", "production")
    monkeypatch.setenv("ARGON2_PROFILE", "strong")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///./x.db")
    monkeypatch.setenv("PORTAL_BASE_URL", "http://portal.example.com")
    warnings = production_warnings(load_settings())
    assert len(warnings) == 3
    assert "SQLite" in warnings[0] and "SMTP_URL" in warnings[1] and "http://" in warnings[2]

    monkeypatch.setenv("DATABASE_URL", "postgresql://db/portal")
    monkeypatch.setenv("SMTP_URL", "smtp://mail:25")
    monkeypatch.setenv("PORTAL_BASE_URL", "https://portal.example.com")
    assert production_warnings(load_settings()) == []
    monkeypatch.setenv("PORTAL_MODE", "demo")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///./x.db")
    assert production_warnings(load_settings()) == []


def test_portal_serve_in_production_prints_the_warnings_at_start_up(tmp_path):
    env = {
        **os.environ,
        "PORTAL_MODE": "production",
        "ARGON2_PROFILE": "strong",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
        "PORTAL_DATA_DIR": str(tmp_path),
        "PORTAL_BASE_URL": "http://portal.example.com",
    }
    env.pop("SMTP_URL", None)
    proc = subprocess.Popen(
        [*PORTAL, "serve", "--port", "0"], env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stderr is not None
        lines = [proc.stderr.readline() for _ in range(3)]
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert [line.split(":", 1)[0] for line in lines] == ["Warning"] * 3
    assert "SQLite" in lines[0] and "outbox" in lines[1] and "https://" in lines[2]


POOL_SCRIPT = """
import asyncio, os
from portal.db import close_pool, engine, start_pool

async def main():
    await start_pool()
    db = engine()
    await asyncio.gather(*(db._run_in_pool("SELECT pg_sleep(0.3)", []) for _ in range(12)))
    print("after-batch", db.pool.get_size(), flush=True)
    await asyncio.sleep(float(os.environ["DATABASE_POOL_IDLE_SECONDS"]) + 1.5)
    print("idle", db.pool.get_size(), flush=True)
    await close_pool()

asyncio.run(main())
"""


async def _connections(name_like: str) -> int:
    from piccolo.querystring import QueryString

    from portal.db import engine

    rows = await engine().run_querystring(
        QueryString(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name LIKE {}", name_like
        )
    )
    return int(rows[0]["n"])


async def test_the_pool_is_bounded_by_the_setting_and_gives_idle_connections_back():
    from portal.db import is_sqlite

    if is_sqlite():
        pytest.skip("PostgreSQL pool (TEST_DATABASE=postgres)")
    env = {**os.environ, "DATABASE_POOL_SIZE": "3", "DATABASE_POOL_IDLE_SECONDS": "1"}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", POOL_SCRIPT, env=env, stdout=asyncio.subprocess.PIPE
    )
    assert proc.stdout is not None
    seen = 0
    busy = asyncio.create_task(proc.stdout.readline())
    while not busy.done():  # sample pg_stat_activity while the batch runs
        seen = max(seen, await _connections(f"portal % pid={proc.pid}"))
        await asyncio.sleep(0.05)
    assert busy.result().split() == [b"after-batch", b"3"]
    assert seen == 3
    idle = (await proc.stdout.readline()).split()
    await proc.wait()
    assert idle == [b"idle", b"1"]
