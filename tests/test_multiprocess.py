"""Two `portal serve` processes on one database behave as one: nothing lives in process memory."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.factories import PASSWORD


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def two_servers() -> Iterator[tuple[str, str]]:
    env = {**os.environ, "ACCESS_LOG": "0", "LOG_LEVEL": "warning", "RUN_JOBS_IN_PROCESS": "false"}
    procs, urls = [], []
    for _ in range(2):
        port = _free_port()
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "portal.cli", "serve", "--port", str(port)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 30
        for url, proc in zip(urls, procs, strict=True):
            while True:
                try:
                    if httpx.get(f"{url}/login", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read().decode() if proc.stderr else ""
                    pytest.fail(f"server {url} did not start: {err[-2000:]}")
                time.sleep(0.2)
        yield urls[0], urls[1]
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=10)


async def test_login_on_one_process_is_valid_on_the_other_and_logout_ends_both(two_servers, alice):
    one, two = two_servers
    with httpx.Client(follow_redirects=False, timeout=10) as browser:
        browser.get(f"{one}/login")
        token = browser.cookies["csrftoken"]
        login = browser.post(
            f"{one}/login",
            data={"_csrf_token": token, "email": alice.email, "password": PASSWORD},
        )
        assert login.status_code == 303
        # the same cookies on the other process: signed in, and the CSRF secret is shared
        home = browser.get(f"{two}/")
        assert home.status_code == 200 and "Alice" in home.text
        token = browser.cookies["csrftoken"]  # rotated at sign-in
        logout = browser.post(f"{two}/logout", data={"_csrf_token": token})
        assert logout.status_code == 303
        # replay the old session cookie on the first process: it is gone there too
        browser.cookies.set("portal_session", login.cookies["portal_session"])
        after = browser.get(f"{one}/")
        assert after.status_code == 303 and after.headers["location"].startswith("/login")


async def test_parallel_wrong_passwords_over_two_processes_get_at_most_the_limit_checked(
    two_servers, alice
):
    """12 simultaneous guesses for one account, split over both processes: the attempt is
    counted before the password check, so only LOGIN_MAX_FAILURES_PER_ACCOUNT (5) are checked."""
    import asyncio

    from portal.core.tables import AuditEntry

    async def guess(base: str, n: int, password: str = "") -> int:
        async with httpx.AsyncClient(base_url=base, timeout=30) as browser:
            await browser.get("/login")
            response = await browser.post(
                "/login",
                data={
                    "_csrf_token": browser.cookies["csrftoken"],
                    "email": alice.email,
                    "password": password or f"wrong-guess-{n}",
                },
            )
            return response.status_code

    codes = await asyncio.gather(*[guess(two_servers[n % 2], n) for n in range(12)])
    checked = await AuditEntry.count().where(AuditEntry.action == "login.failure")
    assert sorted(set(codes)) == [400, 429]
    assert codes.count(400) == checked <= 5
    # (a guess may be refused while others are in flight: never more than the limit checked)
    for n in range(5 - checked):
        assert await guess(two_servers[n % 2], 100 + n) == 400
    # the limit is reached: the right password is refused too while the account is locked
    assert await guess(two_servers[0], 0, PASSWORD) == 429
