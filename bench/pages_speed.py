"""Pages at the speed of the stack (issue 19): in process, one request at a time, medians and
queries per request, beside a bare 50-row template and the session alone.

    .venv/bin/python -m bench.pages_speed [--database sqlite|postgres] [--requests 200]
        [--skus 5000] [--orders 100000] [--customers 10000] [--interactions 50000]

    # the same data measured with two checkouts (before/after), built once:
    .venv/bin/python -m bench.pages_speed prepare --dir /tmp/speed-data [sizes]
    .venv/bin/python -m bench.pages_speed measure --dir /tmp/speed-data --code /path/to/checkout

`prepare` builds the demo data plus the bulk orders (bench/orders_data.py) and customers
(bench/customers_data.py) in a folder (SQLite) or a PostgreSQL database named after the folder
(`portal_bench_speed_<pid>` for a one-shot run, so two runs never drop each other's data).
`measure` imports the portal from --code (default: this checkout) in a fresh process, signs alice
in (partner A, who owns the bulk data) and requests every page through httpx's ASGI transport in
the same event loop: no server, no network, so the figures are the app's own cost. Each line
prints the median and p90 in ms, the queries per request (a counter on the engine), and the
median as a ratio to the bare template. Never a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from litestar import MediaType, get
from litestar.response import Response

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent

BARE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><table class="table"><thead><tr><th>#</th><th>SKU</th><th>Name</th><th>Price</th><th>Stock</th></tr></thead>
<tbody>{% for row in rows %}<tr><td>{{ row.n }}</td><td>{{ row.sku }}</td><td>{{ row.name }}</td>
<td>{{ row.price | money }}</td><td>{{ row.stock | number }}</td></tr>{% endfor %}</tbody></table></body></html>"""


def pages(ids: dict[str, int]) -> list[tuple[str, str, str]]:
    """(label, path, who): who is "" (anonymous) or "alice"."""
    return [
        ("bare 50-row template, no session", "/bench/bare", ""),
        ("same template, signed in (session only)", "/bench/signed-in", "alice"),
        ("home page", "/", "alice"),
        ("prices page 1", "/catalog/", "alice"),
        ("prices search 'camera'", "/catalog/?q=camera", "alice"),
        ("order list page 1", "/orders/", "alice"),
        ("order list page 1,000", "/orders/?page=1000", "alice"),
        ("order list: delivered", "/orders/?status=delivered", "alice"),
        ("customers list page 1", "/customers/", "alice"),
        ("360° page, typical customer", f"/customers/{ids['typical']}", "alice"),
    ]


def base_env(folder: Path, database: str) -> dict[str, str]:
    if database == "postgres":
        url = f"postgresql://postgres@127.0.0.1:5432/portal_bench_speed_{folder.name[-8:]}"
    else:
        url = f"sqlite:///{folder / 'bench.db'}"
    env = {
        **os.environ,
        "PORTAL_DATA_DIR": str(folder),
        "DATABASE_URL": url,
        "ACCESS_LOG": "0",
        "LOG_LEVEL": "warning",
        "RUN_JOBS_IN_PROCESS": "false",
        "ARGON2_PROFILE": "test",
        "PORTAL_MODE": "demo",
    }
    env.pop("REDIS_URL", None)
    return env


def pg_name(env: dict[str, str]) -> str | None:
    url = env["DATABASE_URL"]
    return url.rsplit("/", 1)[1] if url.startswith("postgres") else None


def prepare(folder: Path, args: argparse.Namespace) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    database = "postgres" if args.database == "postgres" else "sqlite"
    (folder / "database").write_text(database)
    env = base_env(folder, database)
    name = pg_name(env)
    if name:
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q",
             "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", "-c", f"CREATE DATABASE {name}"],
            check=True, capture_output=True,
        )  # fmt: skip
    started = time.perf_counter()
    print(
        f"Preparing {database} in {folder}: demo, {args.skus:,} SKUs, {args.orders:,} orders, "
        f"{args.customers:,} customers, {args.interactions:,} contacts ...",
        flush=True,
    )
    run = {"env": env, "check": True, "cwd": ROOT}
    subprocess.run([str(VENV_BIN / "portal"), "demo-data"], capture_output=True, **run)  # type: ignore[call-overload]
    subprocess.run(
        [sys.executable, "-m", "bench.orders_data", "pages", "--skus", str(args.skus),
         "--orders", str(args.orders)], **run,
    )  # fmt: skip
    made = subprocess.run(
        [sys.executable, "-m", "bench.customers_data", "--customers", str(args.customers),
         "--interactions", str(args.interactions)],
        capture_output=True, text=True, **run,
    )  # fmt: skip
    (folder / "ids.json").write_text(made.stdout.strip().splitlines()[-1])
    print(f"prepared in {time.perf_counter() - started:.0f} s", flush=True)


def drop(folder: Path) -> None:
    database = (folder / "database").read_text() if (folder / "database").exists() else "sqlite"
    name = pg_name(base_env(folder, database))
    if name:
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c",
             f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], capture_output=True,
        )  # fmt: skip
    shutil.rmtree(folder, ignore_errors=True)


def measure(folder: Path, code: Path, requests: int, label: str) -> dict[str, list[float]]:
    """Run the measurement in a fresh process that imports the portal from `code`; returns
    {line: [median ms, queries]}."""
    database = (folder / "database").read_text()
    env = {**base_env(folder, database), "PYTHONPATH": str(code)}
    out = folder / "result.json"
    subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "_inner", "--dir", str(folder),
         "--requests", str(requests), "--label", label, "--out", str(out)],
        env=env, cwd=code, check=True,
    )  # fmt: skip
    return json.loads(out.read_text())  # type: ignore[no-any-return]


def compare(folder: Path, codes: list[Path], requests: int, rounds: int) -> None:
    """Each checkout `rounds` times, alternately (a loaded machine drifts); then, per line, the
    best median of each checkout side by side and the last checkout's ratio to the first."""
    runs: dict[str, list[dict[str, list[float]]]] = {str(c): [] for c in codes}
    for _ in range(rounds):
        for code in codes:
            runs[str(code)].append(measure(folder, code.resolve(), requests, str(code)))
    first, last = runs[str(codes[0])], runs[str(codes[-1])]
    print(f"\nSummary: best median of {rounds} round(s), {requests} requests each; "
          f"A = {codes[0]}, B = {codes[-1]}")  # fmt: skip
    print(f"{'line':<42} {'A ms':>8} {'B ms':>8} {'B/A':>6} {'A q':>5} {'B q':>5}")
    for line in first[0]:
        a = min(r[line][0] for r in first)
        b = min(r[line][0] for r in last)
        print(f"{line:<42} {a:>8.2f} {b:>8.2f} {b / a:>6.2f} {first[0][line][1]:>5.1f} "
              f"{last[0][line][1]:>5.1f}")  # fmt: skip


ROWS = [
    {"n": n, "sku": f"B-{n:05d}", "name": f"网络摄像机 {n} 型 <IP camera>",
     "price": 1234_56 + n, "stock": 1000 + n}
    for n in range(50)
]  # fmt: skip
ROUTE: dict[str, Any] = {"media_type": MediaType.HTML, "sync_to_thread": False}
_compiled: list[Any] = []  # the template, compiled once in the measuring process


def bare() -> Response[str]:
    """The 50 rows with the portal's Jinja environment; no database, no session."""
    return Response(_compiled[0].render(title="bare", rows=ROWS), media_type=MediaType.HTML)


def signed_in() -> Response[str]:
    """The same page behind the access guard: the difference is the session lookup."""
    return Response(_compiled[0].render(title="signed in", rows=ROWS), media_type=MediaType.HTML)


async def _in_transaction(query: Any) -> None:
    from portal.db import write_transaction

    async with write_transaction():
        await query


class QueryCounter:
    """Counts the statements every engine call sends (run_querystring and run_ddl)."""

    def __init__(self, db: Any) -> None:
        self.n = 0
        for name in ("run_querystring", "run_ddl"):
            original = getattr(db, name)

            async def counted(*a: Any, _original: Any = original, **k: Any) -> Any:
                self.n += 1
                return await _original(*a, **k)

            setattr(db, name, counted)


async def inner(folder: Path, requests: int, label: str, out: Path | None) -> None:
    import logging

    import httpx

    import portal
    from portal.app import create_app
    from portal.auth.constants import Access
    from portal.auth.sessions import start_session, user_for_session
    from portal.auth.tables import User
    from portal.db import close_pool, engine
    from portal.templating import environment
    from portal.web import session_cookie_name

    _compiled.append(environment().from_string(BARE))
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one INFO line per request otherwise
    app = create_app(run_scheduler=False)
    app.register(get("/bench/bare", opt={"access": Access.PUBLIC}, **ROUTE)(bare))
    app.register(get("/bench/signed-in", opt={"access": Access.USER}, **ROUTE)(signed_in))
    db = engine()
    counter = QueryCounter(db)
    ids = json.loads((folder / "ids.json").read_text())
    results: dict[str, list[float]] = {}
    print(f"\n{label}: portal from {Path(portal.__file__).parent.parent}, {db.engine_type}, "
          f"{requests} requests per page, one at a time", flush=True)  # fmt: skip
    try:
        async with app.lifespan():
            alice = await User.select(User.id).where(User.email == "alice@partner-a.demo").first()
            token = await start_session(alice["id"], "127.0.0.1", "bench")
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
            async with httpx.AsyncClient(transport=transport, base_url="http://bench.local") as c:
                # the session lookup alone, as the middleware calls it
                for _ in range(20):
                    await user_for_session(token, "127.0.0.1")
                samples = []
                before = counter.n
                for _ in range(requests):
                    t0 = time.perf_counter()
                    await user_for_session(token, "127.0.0.1")
                    samples.append((time.perf_counter() - t0) * 1000)
                queries = (counter.n - before) / requests
                print(f"{'page':<42} {'median ms':>9} {'p90 ms':>8} {'queries':>8} {'vs bare':>8}")
                print(f"{'user_for_session() alone':<42} {statistics.median(samples):>9.2f} "
                      f"{statistics.quantiles(samples, n=10)[-1]:>8.2f} {queries:>8.1f}")  # fmt: skip
                results["user_for_session() alone"] = [statistics.median(samples), queries]
                for name, statement in (
                    ("one select by primary key", lambda: User.select(User.email).where(User.id == alice["id"]).first()),
                    ("select a user and its partner's name", lambda: User.select(User.email, User.partner.name).where(User.id == alice["id"]).first()),
                    ("one update by primary key", lambda: User.update({User.locale: ""}).where(User.id == alice["id"])),
                    ("write transaction with one update", lambda: _in_transaction(User.update({User.locale: ""}).where(User.id == alice["id"]))),
                ):  # fmt: skip
                    samples = []
                    for _ in range(requests):
                        t0 = time.perf_counter()
                        await statement()
                        samples.append((time.perf_counter() - t0) * 1000)
                    results[name] = [statistics.median(samples), 1.0]
                    print(f"{name:<42} {statistics.median(samples):>9.2f} "
                          f"{statistics.quantiles(samples, n=10)[-1]:>8.2f} {1.0:>8.1f}")  # fmt: skip
                floor = None
                for name, path, who in pages(ids):
                    headers = {"Cookie": f"{session_cookie_name()}={token}"} if who else {}
                    check = await c.get(path, headers=headers)
                    if check.status_code != 200:
                        raise SystemExit(f"{path} answered {check.status_code}")
                    for _ in range(5):
                        await c.get(path, headers=headers)
                    samples = []
                    before = counter.n
                    for _ in range(requests):
                        t0 = time.perf_counter()
                        await c.get(path, headers=headers)
                        samples.append((time.perf_counter() - t0) * 1000)
                    queries = (counter.n - before) / requests
                    median = statistics.median(samples)
                    floor = floor or median
                    results[name] = [median, queries]
                    print(f"{name:<42} {median:>9.2f} {statistics.quantiles(samples, n=10)[-1]:>8.2f} "
                          f"{queries:>8.1f} {median / floor:>7.1f}x", flush=True)  # fmt: skip
    finally:
        await close_pool()  # the app closes them too now; checkouts older than issue 19 did not
    if out:
        out.write_text(json.dumps(results))  # noqa: ASYNC240 (after the measurements)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "step", nargs="?", default="all", choices=("all", "prepare", "measure", "drop", "_inner")
    )
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--dir", type=Path)
    parser.add_argument(
        "--code", type=Path, action="append", help="checkout(s) to measure, in order"
    )
    parser.add_argument("--label", default="")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--rounds", type=int, default=1, help="alternate the checkouts N times")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--skus", type=int, default=5000)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--interactions", type=int, default=50_000)
    args = parser.parse_args()
    codes = args.code or [ROOT]
    if args.step == "_inner":
        asyncio.run(inner(args.dir, args.requests, args.label, args.out))
        return
    if args.step == "all":
        folder = Path(tempfile.mkdtemp(prefix="portal-bench-speed-"))
        try:
            prepare(folder, args)
            compare(folder, codes, args.requests, args.rounds)
        finally:
            drop(folder)
        return
    if args.dir is None:
        raise SystemExit("--dir is needed")
    if args.step == "prepare":
        prepare(args.dir, args)
    elif args.step == "measure":
        compare(args.dir, codes, args.requests, args.rounds)
    else:
        drop(args.dir)


if __name__ == "__main__":
    main()
