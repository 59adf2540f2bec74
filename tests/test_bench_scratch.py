"""Benchmark runs side by side do not collide (issue 19, point 8): each run names its own
PostgreSQL databases and drops only those, and a server it started leaves no process behind."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from bench.scratch import start_server, stop_server
from tests.operations.processes import psql
from tests.services import require

ROOT = Path(__file__).resolve().parent.parent


def _python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,  # DROP DATABASE waits for a checkpoint: minutes on a busy server
    )
    return done.stdout.strip()


def _group(pgid: int) -> list[str]:
    """Live processes of a process group (zombies waiting to be reaped do not count)."""
    out = subprocess.run(["ps", "-eo", "pgid=,stat=,pid="], capture_output=True, text=True).stdout
    return [
        line
        for line in out.splitlines()
        if line.split()[0] == str(pgid) and "Z" not in line.split()[1]
    ]


def test_two_benchmark_runs_name_their_databases_apart():
    code = "from bench.scratch import run_database; print(run_database('portal_bench_pages'))"
    first, second = _python(code), _python(code)
    assert first != second
    assert first.startswith("portal_bench_pages_") and second.startswith("portal_bench_pages_")


def test_a_run_drops_its_own_database_when_it_ends_and_leaves_another_runs_alone():
    require("PostgreSQL", "127.0.0.1", 5432)
    # given another run's database
    other = _python(
        "from bench.scratch import run_database; print(run_database('portal_bench_probe'))"
    )
    psql(f'CREATE DATABASE "{other}"')
    try:
        # when a run creates its own database of the same benchmark and ends
        mine = _python("""
            from bench.scratch import recreate_pg_database, run_database
            name = run_database('portal_bench_probe')
            recreate_pg_database(name)
            print(name)
        """)
        # then its database is gone and the other run's is still there
        names = psql("SELECT datname FROM pg_database WHERE datname LIKE 'portal_bench_probe_%'")
        assert mine != other
        assert mine not in names.split()
        assert other in names.split()
    finally:
        psql(f'DROP DATABASE IF EXISTS "{other}" WITH (FORCE)')


def test_stopping_a_server_leaves_none_of_its_workers_behind():
    # given a server whose worker ignores SIGTERM (as a stuck worker would)
    server = start_server(
        [
            sys.executable,
            "-c",
            "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', "
            "'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(300)']);"
            " time.sleep(300)",
        ],
        dict(os.environ),
        ROOT,
    )
    try:
        while len(_group(server.pid)) < 2:
            assert server.poll() is None
            time.sleep(0.05)
        # when the benchmark stops it
        stop_server(server, timeout=1)
        # then no process of its group is left
        assert _group(server.pid) == []
    finally:
        if _group(server.pid):
            os.killpg(server.pid, 9)
