"""The persona matrices shared by every domain's tests/<domain>/test_permissions.py.

alice = admin of partner A, bob = member of A (sales only), carol = admin of B, vera = vendor
admin, manny = channel manager of A, anon = not signed in.

A matrix row names one route (method and path, placeholders such as `{a}` filled from the
module's world) and the answer every persona must get: a status code, or LOGIN (303 to the
sign-in page). `tests/test_routes.py` fails when a route of the app is in no matrix.

The rows of a module share one world (`world_fixture`): partners, personas with their sessions
and API tokens, and the module's own rows, built once. Every request is checked against the
world's snapshot (row count and checksum of every table): a refused request (401, 403, 404, the
sign-in page) and a rejected input (400, 422) must leave every table as it was; a request that
changed rows is undone at once (SQLite: the world's file copied back; PostgreSQL: the changed
tables reloaded from a copy), so every request of every row meets the same world.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import time_machine
from piccolo.querystring import QueryString

from portal.auth.sessions import create_api_token, start_session
from portal.db import engine, is_sqlite
from portal.lib import jobs
from portal.web import csrf_cookie_name, session_cookie_name
from tests.conftest import SQLITE_PATH, TEST_NOW, reset_database
from tests.personas import make_personas

ALL = ("alice", "bob", "carol", "vera", "manny", "anon")
LOGIN = "login"  # 303 to the sign-in page, to come back afterwards (the guard's refusal)
REFUSED = {401, 403, 404, LOGIN}
REJECTED = {400, 422}
Expected = int | str

# Columns every authenticated request may touch (idle-expiry bookkeeping), not data.
BOOKKEEPING = {("auth_session", "last_seen_at"), ("api_token", "last_used_at")}
# Rows a refusal itself writes: the audit entry of a request the guard turned away.
REFUSAL_RECORDS = {"audit_log": "action <> 'permission.denied'"}
WORLD_SCHEMA = "matrix_world"


@dataclass(frozen=True)
class Row:
    """One route and the answer each persona must get; `data` is the form (or JSON body)."""

    method: str
    path: str
    expected: dict[str, Expected]
    data: dict[str, Any] | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None
    same: tuple[str, ...] = ()  # personas whose (accepted) request must change nothing either

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


def _checked(path: str, expected: dict[str, Expected]) -> dict[str, Expected]:
    missing, extra = set(ALL) - set(expected), set(expected) - set(ALL)
    assert not missing and not extra, f"{path}: no expectation for {missing}, unknown {extra}"
    return expected


def row(path: str, **expected: Expected) -> Row:
    """A GET route and the answer each persona must get (every persona named)."""
    return Row("GET", path, _checked(path, expected))


def write(
    method: str,
    path: str,
    data: dict[str, Any] | None = None,
    files: dict[str, tuple[str, bytes, str]] | None = None,
    same: tuple[str, ...] = (),
    **expected: Expected,
) -> Row:
    """A write route, the form or JSON body sent (the same for every persona, so a wall that
    let a foreign persona through would show as a changed row) and the answer per persona."""
    return Row(method, path, _checked(path, expected), data, files, same)


def params(rows: list[Row]) -> list[Any]:
    return [pytest.param(r, id=r.id) for r in rows]


# --- the database snapshot -----------------------------------------------------------------


def _backend() -> str:
    return "sqlite" if is_sqlite() else "postgres"


async def _run(sql: str) -> list[dict[str, Any]]:
    return await engine().run_querystring(QueryString(sql))  # type: ignore[attr-defined,no-any-return]


_snapshot_sql: list[str] = []
_tables: list[str] = []


async def _columns() -> dict[str, list[str]]:
    if _backend() == "sqlite":
        sql = (
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p "
            "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid"
        )
    else:
        sql = (
            "SELECT table_name AS t, column_name AS c FROM information_schema.columns "
            "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
        )
    tables: dict[str, list[str]] = {}
    for r in await _run(sql):
        if r["t"] != "migration" and (r["t"], r["c"]) not in BOOKKEEPING:
            tables.setdefault(r["t"], []).append(r["c"])
    return tables


async def snapshot() -> dict[str, tuple[int, str]]:
    """Row count and a checksum of the content of every table, in one query."""
    if not _snapshot_sql:
        tables = await _columns()
        _tables.extend(tables)
        parts = []
        for t, cols in tables.items():
            where = f"WHERE {REFUSAL_RECORDS[t]}" if t in REFUSAL_RECORDS else ""
            order = "id" if "id" in cols else ", ".join(f'"{c}"' for c in cols)
            if _backend() == "sqlite":
                text = " || '|' || ".join(f'quote("{c}")' for c in cols)
                parts.append(
                    f"SELECT '{t}' AS t, count(*) AS n, coalesce(group_concat(r, char(10)), '') "
                    f'AS h FROM (SELECT {text} AS r FROM "{t}" {where} ORDER BY {order})'
                )
            else:
                text = "ROW(" + ", ".join(f'x."{c}"' for c in cols) + ")::text"
                parts.append(
                    f"SELECT '{t}' AS t, count(*) AS n, "
                    f"md5(coalesce(string_agg({text}, E'\\n' ORDER BY {order}), '')) AS h "
                    f'FROM "{t}" x {where}'
                )
        _snapshot_sql.append(" UNION ALL ".join(parts))
    rows = await _run(_snapshot_sql[0])
    return {r["t"]: (int(r["n"]), hashlib.sha256(str(r["h"]).encode()).hexdigest()) for r in rows}


def changed_tables(
    before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]
) -> list[str]:
    return [t for t in before if before[t] != after.get(t)]


def describe(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> str:
    return ", ".join(
        f"{t} ({before[t][0]} -> {after[t][0]} rows)" for t in changed_tables(before, after)
    )


# --- the shared world ----------------------------------------------------------------------


@dataclass
class World:
    """Partners, personas, their sessions and API tokens, and the ids the rows name."""

    app: Any
    personas: dict[str, Any]
    ids: dict[str, Any] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    csrf: str = ""
    state: dict[str, tuple[int, str]] = field(default_factory=dict)
    _copy: Path | None = None

    # set-up and undo

    async def keep(self) -> None:
        """Remember the world as it is now: its snapshot and a copy to come back to."""
        await jobs.drain()
        if _backend() == "sqlite":
            await engine().close_pools()  # type: ignore[attr-defined]  # checkpoints the WAL
            self._copy = SQLITE_PATH.with_name("matrix-world.db")
            shutil.copyfile(SQLITE_PATH, self._copy)
        else:
            await _run(f'DROP SCHEMA IF EXISTS "{WORLD_SCHEMA}" CASCADE')
            await _run(f'CREATE SCHEMA "{WORLD_SCHEMA}"')
            await snapshot()  # learns the tables
            for t in _tables:
                await _run(f'CREATE TABLE "{WORLD_SCHEMA}"."{t}" AS SELECT * FROM public."{t}"')
        self.state = await snapshot()

    async def restore(self, after: dict[str, tuple[int, str]] | None = None) -> None:
        """Undo whatever changed since `keep` (`after`: the snapshot already taken)."""
        await jobs.drain()
        after = after if after is not None else await snapshot()
        dirty = changed_tables(self.state, after)
        if not dirty:
            return
        if _backend() == "sqlite":
            assert self._copy is not None
            await engine().close_pools()  # type: ignore[attr-defined]
            for suffix in ("-wal", "-shm"):
                Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(self._copy, SQLITE_PATH)
        else:
            # foreign keys are not checked while the tables are reloaded (superuser only)
            statements = ["SET LOCAL session_replication_role = replica"]
            for t in dirty:
                statements.append(f'DELETE FROM public."{t}"')
                statements.append(f'INSERT INTO public."{t}" SELECT * FROM "{WORLD_SCHEMA}"."{t}"')
            async with engine().transaction():  # type: ignore[attr-defined]
                for statement in statements:
                    await _run(statement)
        left = changed_tables(self.state, await snapshot())
        assert not left, f"the matrix world could not be restored: {left}"

    async def drop(self) -> None:
        if self._copy is not None:
            self._copy.unlink(missing_ok=True)
        elif _backend() == "postgres":
            await _run(f'DROP SCHEMA IF EXISTS "{WORLD_SCHEMA}" CASCADE')

    # requests

    def url(self, r: Row) -> str:
        return r.path.format(**self.ids)

    def fill(self, value: Any) -> Any:
        """Placeholders in a body (keys too): "{a}" alone becomes the id itself, inside text its
        digits."""
        if isinstance(value, dict):
            return {k.format(**self.ids): self.fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.fill(v) for v in value]
        if isinstance(value, str) and "{" in value:
            whole = re.fullmatch(r"\{(\w+)\}", value)
            return self.ids[whole.group(1)] if whole else value.format(**self.ids)
        return value

    async def send(self, name: str, r: Row, cookie_only: bool = False) -> httpx.Response:
        """The request of row `r` as persona `name`: a browser with its session cookie (and the
        CSRF field on forms), or for API writes the persona's bearer token (`cookie_only`: the
        session cookie instead)."""
        url = self.url(r)
        api = url.startswith("/api/")
        transport = httpx.ASGITransport(app=self.app, client=("127.0.0.1", 50000))
        headers: dict[str, str] = {}
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver.local"
        ) as client:
            if name in self.sessions and (cookie_only or not (api and r.method != "GET")):
                client.cookies.set(session_cookie_name(), self.sessions[name])
            if name in self.tokens and api and r.method != "GET" and not cookie_only:
                headers["Authorization"] = f"Bearer {self.tokens[name]}"
            if r.method in ("GET", "HEAD"):
                return await client.request(r.method, url, headers=headers)
            body = self.fill(r.data or {})
            if api:
                return await client.request(r.method, url, json=body, headers=headers)
            client.cookies.set(csrf_cookie_name(), self.csrf)
            form = {
                "_csrf_token": self.csrf,
                **{k: v if isinstance(v, list) else str(v) for k, v in body.items()},
            }
            return await client.request(r.method, url, data=form, files=r.files, headers=headers)

    async def wrong_answers(self, r: Row) -> list[str]:
        """Send row `r` as every persona; what differs from the row (statuses, a refused or
        rejected request that changed rows, a server error)."""
        wrong = []
        for name in ALL:
            response = await self.send(name, r)
            await jobs.drain()  # what the request enqueued has run
            after = await snapshot()
            status = response.status_code
            location = response.headers.get("location", "")
            to_login = status == 303 and location.startswith("/login?next=")
            answer: Expected = LOGIN if to_login else status
            expected = r.expected[name]
            if answer != expected:
                wrong.append(f"{name}: {answer} (expected {expected}) {location}".rstrip())
            unchanged = answer in REFUSED | REJECTED or name in r.same
            if unchanged and changed_tables(self.state, after):
                wrong.append(f"{name}: answered {answer} but changed {describe(self.state, after)}")
            await self.restore(after)
        if r.path.startswith("/api/") and r.method not in ("GET", "HEAD"):
            wrong.extend(await self._cookie_only(r))
        return wrong

    async def _cookie_only(self, r: Row) -> list[str]:
        """An API write carried by a session cookie alone is refused (401), nothing written."""
        if all(r.expected[name] == r.expected["anon"] for name in self.sessions):
            return []  # a public route: the same answer signed in or not
        wrong = []
        for name in self.sessions:
            response = await self.send(name, r, cookie_only=True)
            await jobs.drain()
            after = await snapshot()
            if response.status_code != 401:
                wrong.append(f"{name} with a session cookie only: {response.status_code}")
            if changed_tables(self.state, after):
                wrong.append(
                    f"{name} with a session cookie only changed {describe(self.state, after)}"
                )
            await self.restore(after)
        return wrong


async def build_world(app: Any, build: Callable[[World], Awaitable[dict[str, Any]]]) -> World:
    """A clean database, the partners and personas, their sessions and tokens, then `build`
    (the module's own rows; it returns the ids its rows name)."""
    await reset_database()
    with time_machine.travel(TEST_NOW, tick=True):
        a, b, personas = await make_personas()
        world = World(app=app, personas=personas)
        world.ids.update(a=a, b=b)
        for name, persona in personas.items():
            if persona is not None:
                world.ids[name] = persona.id
                world.sessions[name] = await start_session(persona.id, "127.0.0.1", "pytest")
                world.tokens[name] = await create_api_token(persona.current, "matrix")
        world.ids.update(await build(world))
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as c:
            await c.get("/login")
            world.csrf = str(c.cookies.get(csrf_cookie_name()))
        await world.keep()
    return world


def world_fixture(build: Callable[[World], Awaitable[dict[str, Any]]]) -> Any:
    """The module-scoped `world` fixture of a matrix module. The module must also import
    `clean_database` from here, which replaces the per-test reset by the world's undo."""

    @pytest.fixture(scope="module")
    async def world(app: Any, database: None) -> AsyncIterator[World]:
        built = await build_world(app, build)
        yield built
        await built.drop()

    return world


@pytest.fixture
async def clean_database(world: World) -> AsyncIterator[None]:
    """In a matrix module every test starts from the module's world (undone if changed)."""
    await world.restore()
    yield
    await world.restore()
