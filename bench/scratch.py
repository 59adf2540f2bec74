"""Names and processes of one benchmark run, so that runs side by side never collide (issue 19,
point 8): PostgreSQL databases named for the run (`portal_bench_<what>_<pid>_<hex>`, dropped when
it ends), and servers started in their own process group and stopped as a group, so that no
worker (granian's, uvicorn's) outlives its run."""

from __future__ import annotations

import atexit
import os
import secrets
import signal
import subprocess
import time
from pathlib import Path

RUN_ID = f"{os.getpid()}_{secrets.token_hex(3)}"
PG = "postgresql://postgres@127.0.0.1:5432"


def run_database(base: str) -> str:
    """The database name of `base` for this run only: portal_bench_x -> portal_bench_x_<pid>_<hex>."""
    return f"{base}_{RUN_ID}"


def pg_url(name: str) -> str:
    return f"{PG}/{name}"


def psql(*commands: str, check: bool = True) -> None:
    args = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q"]
    for command in commands:
        args += ["-c", command]
    subprocess.run(args, check=check, capture_output=True)


def drop_pg_database(name: str) -> None:
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", check=False)


def recreate_pg_database(name: str) -> None:
    """Create `name` (a name of this run, from run_database) afresh; dropped when the run ends."""
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}")
    atexit.register(drop_pg_database, name)


def start_server(cmd: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    """A server in its own process group (its workers in it too); stderr kept for messages."""
    return subprocess.Popen(
        cmd,
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _group_alive(proc: subprocess.Popen[bytes]) -> bool:
    proc.poll()  # reap the leader, or its zombie would count as alive
    try:
        os.killpg(proc.pid, 0)
    except ProcessLookupError:
        return False
    return True


def stop_server(proc: subprocess.Popen[bytes], timeout: float = 10) -> None:
    """SIGTERM to the server (it stops its own workers: a signal to each of them as well slows
    granian's shutdown down), then SIGKILL to whatever is left of its group after `timeout`."""
    proc.terminate()
    deadline = time.monotonic() + timeout
    while _group_alive(proc) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _group_alive(proc):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait()
