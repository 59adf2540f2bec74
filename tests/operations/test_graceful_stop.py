"""SIGTERM to `portal serve` (issue 17, graceful stop): the request in flight is answered, new
connections are refused, the process exits within a bound, and the in-process job that was
rendering a report hands its row back instead of leaving it claimed."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from urllib.parse import urlencode, urlparse

import httpx

from portal.worker import STOP_GRACE_S
from tests.operations.faults import AT, PERIOD, ROOT
from tests.operations.processes import serve

PASSWORD = "demo12345"  # tests/factories.py


def _sign_in(base: str) -> httpx.Client:
    browser = httpx.Client(timeout=15)
    browser.get(f"{base}/login")
    form = {"_csrf_token": browser.cookies["csrftoken"], "email": "vera@vendor.test"}
    response = browser.post(f"{base}/login", data={**form, "password": PASSWORD})
    assert response.status_code == 303, response.text[:500]
    return browser


def _slow_login(base: str) -> tuple[socket.socket, bytes]:
    """A sign-in whose body is only half sent: the request stays in flight until the rest
    follows. Returns the socket and the rest of the body."""
    token = httpx.get(f"{base}/login").cookies["csrftoken"]
    body = urlencode(
        {"_csrf_token": token, "email": "vera@vendor.test", "password": PASSWORD}
    ).encode()
    url = urlparse(base)
    conn = socket.create_connection((url.hostname, url.port), timeout=15)
    head = (
        f"POST /login HTTP/1.1\r\nHost: {url.netloc}\r\nCookie: csrftoken={token}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    half = len(body) // 2
    conn.sendall(head.encode() + body[:half])
    return conn, body[half:]


def _refused(base: str) -> bool:
    url = urlparse(base)
    try:
        socket.create_connection((url.hostname, url.port), timeout=1).close()
    except ConnectionRefusedError:
        return True
    return False


def test_sigterm_answers_the_request_in_flight_refuses_new_ones_and_hands_the_row_back(
    time_travel, tmp_path
):
    time_travel.move_to(dt.datetime.fromisoformat(AT))  # October's report is due
    path = tmp_path / "portal.db"
    env = {
        "DATABASE_URL": f"sqlite:///{path}",  # the embedded default: jobs in process, no Redis
        "PORTAL_DATA_DIR": str(tmp_path),
        "RUN_JOBS_IN_PROCESS": "1",
        "REPORT_RENDER_DELAY_SECONDS": "60",  # the report job waits 60 s before rendering
    }

    def sql(query: str) -> list[tuple[object, ...]]:
        with sqlite3.connect(path) as db:
            return db.execute(query).fetchall()

    with serve(env) as server:
        subprocess.run(
            [sys.executable, "-m", "tests.operations.faults", "seed", "1"],
            env={**os.environ, **env},
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=60,
        )
        # given a report job claimed in the server (waiting to render) ...
        vera = _sign_in(server.url)
        vera.get(f"{server.url}/console/performance/deliveries")  # the token rotated at sign-in
        sent = vera.post(
            f"{server.url}/console/performance/deliveries/prepare",
            data={"_csrf_token": vera.cookies["csrftoken"], "period": PERIOD},
        )
        assert sent.status_code == 303, sent.text[:500]
        deadline = time.monotonic() + 20
        while sql("SELECT count(*) FROM report_delivery WHERE status = 'sending'") != [(1,)]:
            assert time.monotonic() < deadline, server.stop()[-3000:]
            time.sleep(0.1)
        # ... and a request in flight (its body half sent)
        conn, rest = _slow_login(server.url)
        time.sleep(0.5)

        # when the server is told to stop
        stopped_at = time.monotonic()
        server.proc.send_signal(signal.SIGTERM)

        # then new connections are refused at once ...
        deadline = time.monotonic() + 5
        while not _refused(server.url):
            assert time.monotonic() < deadline, "still accepting connections after SIGTERM"
            time.sleep(0.1)
        # ... while the request in flight is answered in full
        conn.sendall(rest)
        answer = conn.recv(65536).decode("latin-1")
        conn.close()
        assert answer.startswith("HTTP/1.1 303"), answer[:300]
        # and the process exits within the in-process jobs' grace (plus the stop itself)
        exit_code = server.proc.wait(timeout=STOP_GRACE_S + 15)
        took = time.monotonic() - stopped_at
        log = server.stop()

    assert exit_code in (0, -signal.SIGTERM), log[
        -3000:
    ]  # 0 with granian; uvicorn re-raises the signal
    assert took <= STOP_GRACE_S + 8, (took, log[-3000:])
    # and the report row is pending again, nothing claimed (the e-mail outbox neither)
    rows = sql(
        "SELECT status, lease_until IS NULL FROM report_delivery WHERE status <> 'no_address'"
    )
    assert rows == [("pending", 1)], log[-3000:]
    assert sql("SELECT count(*) FROM outbound_email WHERE lease_until IS NOT NULL") == [(0,)]
