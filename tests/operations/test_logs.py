"""Structured logs from a real `portal serve`: one line per request and per job, JSON or text."""

from __future__ import annotations

import json

import httpx

from tests.factories import PASSWORD
from tests.operations.processes import serve


def _sign_in(base: str, browser: httpx.Client, email: str) -> None:
    browser.get(f"{base}/login")
    response = browser.post(
        f"{base}/login",
        data={"_csrf_token": browser.cookies["csrftoken"], "email": email, "password": PASSWORD},
    )
    assert response.status_code == 303


def _lines(err: str) -> list[dict]:
    out = []
    for line in err.splitlines():
        if line.startswith("{"):
            out.append(json.loads(line))
    return out


def test_each_request_and_job_is_one_json_line_with_ids_and_duration(alice, partner_a):
    env = {"LOG_FORMAT": "json", "ACCESS_LOG": "1", "RUN_JOBS_IN_PROCESS": "true"}
    with serve(env, log=True) as server, httpx.Client(timeout=10) as browser:
        base = server.url
        _sign_in(base, browser, alice.email)
        response = browser.get(f"{base}/", headers={"X-Request-ID": "lb-7f3a.42"})
        assert response.status_code == 200 and response.headers["x-request-id"] == "lb-7f3a.42"
        fresh = browser.get(
            f"{base}/login", headers={"X-Request-ID": 'bad id with spaces and "quotes"'}
        )
        assert fresh.headers["x-request-id"] not in {"", 'bad id with spaces and "quotes"'}
        err = server.stop()
    lines = _lines(err)
    home = [r for r in lines if r.get("request_id") == "lb-7f3a.42" and r["event"] == "request"]
    assert len(home) == 1
    assert home[0]["method"] == "GET" and home[0]["path"] == "/" and home[0]["status"] == 200
    assert home[0]["user_id"] == alice.id and home[0]["partner_id"] == partner_a
    assert isinstance(home[0]["duration_ms"], float)
    assert any(r["request_id"] == fresh.headers["x-request-id"] for r in lines if "request_id" in r)
    # the in-process schedule ran its every-minute jobs at start-up: one line each
    jobs = [r for r in lines if r.get("event") == "job" and r["job"] == "sweep_outbox"]
    assert jobs and jobs[0]["outcome"] == "ok" and "duration_ms" in jobs[0]


def test_text_format_is_key_value_and_probes_stay_out_of_the_info_log():
    env = {"LOG_FORMAT": "text", "ACCESS_LOG": "1", "RUN_JOBS_IN_PROCESS": "false"}
    with serve(env, log=True) as server:
        httpx.get(f"{server.url}/login", headers={"X-Request-ID": "r-1"}, timeout=10)
        httpx.get(f"{server.url}/healthz", timeout=10)
        err = server.stop()
    requests = [line for line in err.splitlines() if "event=request" in line]
    assert len(requests) == 1  # /login, not /healthz (served at DEBUG, for load balancers)
    assert "request_id=r-1 method=GET path=/login status=200 user_id=" in requests[0]
