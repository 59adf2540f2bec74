"""uvicorn against granian for `portal serve`: the same pages, the same load, tails compared.

    .venv/bin/python -m bench.serve_compare [--seconds 10] [--connections 64]

Needs wrk (Debian package wrk). Builds a demo SQLite database in a temporary folder of its own,
starts `portal serve --server uvicorn|granian --workers 1` in turn (each in its own process group,
stopped as a group: no worker left behind), signs in as alice and loads two pages: /login (no
database work) and / (the signed-in home page).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.scratch import start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/login", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    raise SystemExit(f"server at {url} did not start")


def sign_in(url: str) -> str:
    with httpx.Client(follow_redirects=False) as c:
        c.get(f"{url}/login")
        c.post(
            f"{url}/login",
            data={
                "_csrf_token": c.cookies["csrftoken"],
                "email": "alice@partner-a.demo",
                "password": "demo12345",
            },
        )
        return "; ".join(f"{k}={v}" for k, v in c.cookies.items())


def wrk(url: str, seconds: int, connections: int, cookie: str = "") -> dict[str, float]:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s", url]
    if cookie:
        cmd[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout

    def latency(label: str) -> float:
        m = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        if not m:
            return float("nan")
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Socket errors: (.*)", out)
    timeouts = int(re.search(r"timeout (\d+)", errors.group(1)).group(1)) if errors else 0  # type: ignore[union-attr]
    return {"rps": rps, "p50": latency("50"), "p99": latency("99"), "timeouts": timeouts}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: sudo apt-get install wrk")
    data = Path(tempfile.mkdtemp(prefix="portal-bench-serve-"))
    env = {
        **os.environ,
        "PORTAL_DATA_DIR": str(data),
        "DATABASE_URL": f"sqlite:///{data / 'demo.db'}",
        "ACCESS_LOG": "0",
        "LOG_LEVEL": "warning",
        "RUN_JOBS_IN_PROCESS": "false",
    }
    env.pop("REDIS_URL", None)
    try:
        subprocess.run(
            [str(VENV_BIN / "portal"), "demo-data"], env=env, check=True, capture_output=True
        )
    except BaseException:
        shutil.rmtree(data, ignore_errors=True)
        raise
    # the real `portal serve` with each server, one worker (what ships, not a bare server line)
    servers = {
        name: [str(VENV_BIN / "portal"), "serve", "--server", name, "--workers", "1",
               "--host", "127.0.0.1", "--port", "{port}"]
        for name in ("uvicorn", "granian")
    }  # fmt: skip
    print(
        f"{args.connections} connections, {args.seconds} s per page, one worker process, SQLite demo data"
    )
    print(f"{'server':<9} {'page':<7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'timeouts':>9}")
    results: dict[tuple[str, str], dict[str, float]] = {}
    try:
        compare(servers, env, args, results)
    finally:
        shutil.rmtree(data, ignore_errors=True)
    for page in ("/login", "home"):
        u, g = results[("uvicorn", page)], results[("granian", page)]
        print(
            f"{page}: granian/uvicorn throughput {g['rps'] / u['rps']:.2f}x, p99 {g['p99'] / u['p99']:.2f}x"
        )


def compare(
    servers: dict[str, list[str]],
    env: dict[str, str],
    args: argparse.Namespace,
    results: dict[tuple[str, str], dict[str, float]],
) -> None:
    for name, template in servers.items():
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        cmd = [part.replace("{port}", str(port)) for part in template]
        proc = start_server(cmd, env, ROOT)
        try:
            wait_ready(url, proc)
            cookie = sign_in(url)
            for page, path, c in (("/login", "/login", ""), ("home", "/", cookie)):
                wrk(f"{url}{path}", 2, args.connections, c)  # warm-up
                r = wrk(f"{url}{path}", args.seconds, args.connections, c)
                results[(name, page)] = r
                print(
                    f"{name:<9} {page:<7} {r['rps']:>8.0f} {r['p50']:>8.1f} {r['p99']:>8.1f} {r['timeouts']:>9}"
                )
        finally:
            stop_server(proc)  # the whole process group: no worker left behind


if __name__ == "__main__":
    main()
