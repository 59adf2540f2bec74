"""Test set-up: one migrated database per xdist worker (SQLite or PostgreSQL), reset per test.

TEST_DATABASE=sqlite (default) or postgres selects the backend. The schema is built once from the
migrations (so they are tested), then each test starts from that template: SQLite copies the
template file, PostgreSQL truncates every table.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import tempfile
import time as _real_time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import time_machine

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
BACKEND = os.environ.get("TEST_DATABASE", "sqlite")
# One folder and one PostgreSQL database per test process, so parallel runs never share them.
RUN_ID = f"{WORKER}_{os.getpid()}"
RUN_DIR = Path(tempfile.gettempdir()) / f"portal-tests-{os.getuid()}" / f"{BACKEND}-{RUN_ID}"
shutil.rmtree(RUN_DIR, ignore_errors=True)
RUN_DIR.mkdir(parents=True, exist_ok=True)

PG_HOST, PG_PORT = "127.0.0.1", 5432
PG_DB = f"portal_test_{RUN_ID}".replace("-", "_")

os.environ["PORTAL_MODE"] = "test"
os.environ["PORTAL_DATA_DIR"] = str(RUN_DIR)
os.environ["SECRET_KEY"] = "test-secret-key-that-is-long-enough-0123456789"
os.environ["PORTAL_BASE_URL"] = "http://testserver.local"
os.environ["DEFAULT_LOCALE"] = "en"
# The fixed instant every test starts from (TEST_NOW moves the whole suite, e.g. to
# 2027-01-01T16:30:00Z: already the 1st of a month in Shanghai, still the 31st in UTC).
# Processes the tests start travel there too (portal/lib/clock.py); this one uses time-machine.
TEST_NOW = dt.datetime.fromisoformat(
    os.environ.get("TEST_NOW", "2026-11-18T04:00:00Z").replace("Z", "+00:00")
)
os.environ["PORTAL_CLOCK_AT"] = TEST_NOW.isoformat()
# ... at this real time: a process started before any test's clock publishes (a session fixture's
# server, set up ahead of the test's own fixtures) stands where the others do, not at TEST_NOW
# again (a demo loaded at 12:00:06 and a server that started at 12:00:00 put a contact logged
# later before it)
os.environ["PORTAL_CLOCK_REAL"] = repr(_real_time.time())
os.environ["PORTAL_CLOCK_OWNER"] = str(os.getpid())
for name in ("REDIS_URL", "SMTP_URL"):
    os.environ.pop(name, None)
if BACKEND == "postgres":
    os.environ["DATABASE_URL"] = f"postgresql://postgres@{PG_HOST}:{PG_PORT}/{PG_DB}"
elif BACKEND == "sqlite":
    os.environ["DATABASE_URL"] = f"sqlite:///{RUN_DIR / 'test.db'}"
else:  # pragma: no cover
    sys.exit(f"TEST_DATABASE must be sqlite or postgres, not {BACKEND!r}")

from tests.services import IN_CI, reachable  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _wired() -> None:
    """Hooks filled and jobs registered, as in every portal process (portal.worker.wire())."""
    import portal.worker  # noqa: F401  (late: only after the environment above is set)


def pytest_configure(config: pytest.Config) -> None:
    """The xdist controller collects tests but runs none: give it the maintenance database, so
    Piccolo's version check at import does not warn about this process's (never created) one."""
    if (
        BACKEND == "postgres"
        and getattr(config.option, "numprocesses", None)
        and not hasattr(config, "workerinput")
    ):
        os.environ["DATABASE_URL"] = f"postgresql://postgres@{PG_HOST}:{PG_PORT}/postgres"


class TestClock:
    """The test's clock: time-machine for this process, PORTAL_CLOCK_AT for those it starts.

    Processes started later (servers, workers, CLI commands) begin where this clock stands at
    their start: the variables say which instant this clock showed at which real time.
    """

    def __init__(self, traveller: time_machine.Coordinates) -> None:
        self._traveller = traveller
        self._publish()

    def _publish(self) -> None:
        from portal.lib import clock

        real = time_machine.escape_hatch.time.time()  # the real time behind the travelled one
        os.environ["PORTAL_CLOCK_AT"] = clock.now().isoformat()
        os.environ["PORTAL_CLOCK_REAL"] = repr(real)

    def move_to(self, destination: dt.datetime, tick: bool = True) -> None:
        self._traveller.move_to(destination, tick=tick)
        self._publish()

    def shift(self, delta: dt.timedelta) -> None:
        self._traveller.shift(delta)
        self._publish()


@pytest.fixture(autouse=True)
def time_travel() -> Iterator[TestClock]:
    """Every test starts at TEST_NOW, the clock ticking; `time_travel.move_to(...)` moves it."""
    with time_machine.travel(TEST_NOW, tick=True) as traveller:
        yield TestClock(traveller)


SQLITE_PATH = RUN_DIR / "test.db"
SQLITE_TEMPLATE = RUN_DIR / "template.db"


@pytest.fixture(scope="session", autouse=True)
async def database() -> AsyncIterator[None]:
    """Create and migrate this worker's database once per session."""
    from portal.db import close_pool, start_pool
    from portal.partners.setup import migrate_database

    if BACKEND == "postgres":
        if not reachable(PG_HOST, PG_PORT):
            message = f"PostgreSQL is not reachable on {PG_HOST}:{PG_PORT} (TEST_DATABASE=postgres)"
            if IN_CI:
                pytest.fail(message, pytrace=False)
            pytest.skip(message)
        import asyncpg

        conn = await asyncpg.connect(
            host=PG_HOST, port=PG_PORT, user="postgres", database="postgres"
        )
        await conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{PG_DB}"')
        await conn.close()
    await migrate_database(quiet=True)
    if BACKEND == "sqlite":
        from portal.db import engine

        await engine().close_pools()  # type: ignore[attr-defined]  # closing checkpoints the WAL
        shutil.copyfile(SQLITE_PATH, SQLITE_TEMPLATE)
    await start_pool()
    yield
    from portal.lib import jobs

    await jobs.drain()
    await jobs.close()
    await close_pool()
    if BACKEND == "postgres":  # leave no database behind
        import asyncpg

        conn = await asyncpg.connect(
            host=PG_HOST, port=PG_PORT, user="postgres", database="postgres"
        )
        await conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
        await conn.close()
    shutil.rmtree(RUN_DIR, ignore_errors=True)


async def _table_names() -> list[str]:
    from portal.db import engine

    rows = await engine().run_querystring(  # type: ignore[attr-defined]
        __import__("piccolo.querystring", fromlist=["QueryString"]).QueryString(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migration'"
        )
    )
    return [r["tablename"] for r in rows]


_pg_tables: list[str] = []


async def reset_database() -> None:
    """Bring this worker's database back to the freshly migrated template (tiers included)."""
    if BACKEND == "sqlite":
        from portal.db import engine

        await engine().close_pools()  # type: ignore[attr-defined]  # no kept connection may see the swap
        for suffix in ("-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(SQLITE_TEMPLATE, SQLITE_PATH)
    else:
        from piccolo.querystring import QueryString

        from portal.db import engine
        from portal.partners.services import ensure_default_tiers

        if not _pg_tables:
            _pg_tables.extend(await _table_names())
        # TRUNCATE costs per table (files are swapped), and a test touches few of ~100 tables:
        # find the ones holding rows in one query and truncate only those (plus their sequences).
        probe = " UNION ALL ".join(
            f"SELECT '{t}' AS t WHERE EXISTS (SELECT 1 FROM \"{t}\")" for t in _pg_tables
        )
        dirty = [r["t"] for r in await engine().run_querystring(QueryString(probe))]  # type: ignore[attr-defined]
        if dirty:
            tables = ", ".join(f'"{t}"' for t in dirty)
            await engine().run_querystring(  # type: ignore[attr-defined]
                QueryString(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
            )
        await ensure_default_tiers()
    from portal.settings import get_settings

    shutil.rmtree(get_settings().outbox_dir, ignore_errors=True)


@pytest.fixture(autouse=True)
async def clean_database(database: None) -> AsyncIterator[None]:
    """Every test starts from the freshly migrated template (tiers included). A module may
    override this fixture (tests/matrix.py: a world shared by the module's tests)."""
    from portal.lib import jobs

    await reset_database()
    yield
    await jobs.drain()


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Tests that call services directly read messages in English; pages choose the language per
    request (user preference, then Accept-Language), which the view tests cover in both languages."""
    from portal.lib.i18n import current_locale

    token = current_locale.set("en")
    yield
    current_locale.reset(token)


@pytest.fixture(scope="session")
def app():  # type: ignore[no-untyped-def]
    from portal.app import create_app

    return create_app(run_scheduler=False)


def _browser(app):  # type: ignore[no-untyped-def]
    """An httpx client that calls the app in this event loop (so the shared pool works).

    Litestar's AsyncTestClient runs the app through a portal on another loop, which asyncpg's
    pool refuses. Redirects are not followed: tests look at the 303s themselves.
    """
    import httpx

    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver.local")


@pytest.fixture
async def client(app):  # type: ignore[no-untyped-def]
    async with _browser(app) as c:
        yield c


@pytest.fixture
async def make_client(app):  # type: ignore[no-untyped-def]
    """Factory for extra independent browsers (each with its own cookies)."""
    from contextlib import AsyncExitStack

    async with AsyncExitStack() as stack:

        async def factory():  # type: ignore[no-untyped-def]
            return await stack.enter_async_context(_browser(app))

        yield factory


from tests.personas import *  # noqa: E402,F403
