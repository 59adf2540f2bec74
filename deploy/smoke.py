# ruff: noqa: S105, S603, S607  (an operator script: fixed commands, the demo password)
"""The production arrangement on one machine, driven end to end (run by deploy/smoke.sh).

Starts Redis (own port, password), a scratch PostgreSQL database, an SMTP server (aiosmtpd,
Maildir), shared storage (a moto S3 server when `moto_server` is installed, otherwise one folder
that every process uses), two `portal serve` behind deploy/proxy.py and two `portal worker`, all
on loopback ports. Then: a partner signs in through the proxy and is signed in on both app
processes, orders through the JSON API, the vendor sends last month's reports from the console,
the workers e-mail them once each, and the partner downloads the same PDF from both processes.
Everything is stopped and removed at the end. Exit status 0 when every step passed.

Needs a PostgreSQL superuser on 127.0.0.1:5432 (PG_URL to change it) and `redis-server`.
"""

from __future__ import annotations

import email
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PG_URL = os.environ.get("PG_URL", "postgresql://postgres@127.0.0.1:5432")
PASSWORD = "demo12345"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def step(text: str) -> None:
    print(f"[smoke] {text}", flush=True)


def wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"[smoke] {url} did not answer within {seconds:.0f} s")


def sign_in(base: str, address: str) -> httpx.Client:
    browser = httpx.Client(base_url=base, timeout=30)
    browser.get("/login")
    response = browser.post(
        "/login",
        data={"_csrf_token": browser.cookies["csrftoken"], "email": address, "password": PASSWORD},
    )
    assert response.status_code == 303, f"sign-in of {address}: {response.status_code}"
    return browser


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="portal-smoke-"))
    procs: list[subprocess.Popen[bytes]] = []
    database = f"portal_smoke_{uuid.uuid4().hex[:8]}"
    logs = work / "logs"
    logs.mkdir()

    def start(name: str, args: list[str], env: dict[str, str] | None = None) -> None:
        out = (logs / f"{name}.log").open("wb")
        procs.append(
            subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=work)
        )

    try:
        redis_port, smtp_port, proxy_port = free_port(), free_port(), free_port()
        web_ports = [free_port(), free_port()]
        start(
            "redis",
            [
                "redis-server",
                "--port",
                str(redis_port),
                "--bind",
                "127.0.0.1",
                "--requirepass",
                "smoke-pass",
                "--save",
                "",
                "--dir",
                str(work),
            ],
        )
        maildir = work / "mail"
        start(
            "smtp",
            [
                PY,
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                f"127.0.0.1:{smtp_port}",
                "-c",
                "aiosmtpd.handlers.Mailbox",
                str(maildir),
            ],
        )
        subprocess.run(
            ["psql", f"{PG_URL}/postgres", "-Xqc", f'CREATE DATABASE "{database}"'], check=True
        )
        env = {
            **os.environ,
            "PORTAL_MODE": "production",
            "DATABASE_URL": f"{PG_URL}/{database}",
            "DATABASE_POOL_SIZE": "5",
            "REDIS_URL": f"redis://:smoke-pass@127.0.0.1:{redis_port}/3",
            "SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
            "SECRET_KEY": "smoke-" + "s" * 40,
            "PORTAL_BASE_URL": f"http://127.0.0.1:{proxy_port}",
            "PORTAL_DATA_DIR": str(work / "data"),
            "LOG_FORMAT": "json",
            "ARGON2_PROFILE": "strong",
        }
        for name in ("TEST_NOW", "PORTAL_CLOCK_AT", "CI"):
            env.pop(name, None)
        if shutil.which("moto_server"):
            s3_port = free_port()
            start("s3", ["moto_server", "-H", "127.0.0.1", "-p", str(s3_port)])
            wait(f"http://127.0.0.1:{s3_port}/")
            httpx.put(f"http://127.0.0.1:{s3_port}/portal-files")
            env |= {
                "S3_BUCKET": "portal-files",
                "S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
                "S3_ACCESS_KEY_ID": "smoke",
                "S3_SECRET_ACCESS_KEY": "smoke",
            }
            step(f"storage: S3 bucket on moto at :{s3_port}")
        else:
            env["STORAGE_DIR"] = str(work / "shared-files")
            step("storage: one shared folder (install moto[server] for an S3 bucket)")

        portal = [PY, "-m", "portal.cli"]
        step("migrate and load the demo data")
        subprocess.run([*portal, "demo-data"], env=env, check=True, capture_output=True)
        for i, port in enumerate(web_ports, 1):
            start(f"web{i}", [*portal, "serve", "--port", str(port)], env)
        for i in (1, 2):
            start(f"worker{i}", [*portal, "worker"], env)
        start(
            "proxy", [PY, str(ROOT / "deploy" / "proxy.py"), str(proxy_port), *map(str, web_ports)]
        )
        base = f"http://127.0.0.1:{proxy_port}"
        direct = [f"http://127.0.0.1:{p}" for p in web_ports]
        for url in [*direct, base]:
            wait(f"{url}/readyz")
        for url in direct:
            ready = httpx.get(f"{url}/readyz", timeout=10).json()
            assert ready["status"] == "ok", ready
        step("both app processes ready (database, Redis, storage)")

        alice = sign_in(base, "alice@partner-a.demo")
        for url in direct:  # the session made through the proxy is valid on each process
            page = httpx.get(f"{url}/", cookies=alice.cookies, timeout=30)
            assert page.status_code == 200, f"{url}/ -> {page.status_code}"
        step("sign-in through the proxy is valid on both app processes")

        token = httpx.post(
            f"{base}/api/v1/auth/tokens",
            timeout=30,
            json={"email": "alice@partner-a.demo", "password": PASSWORD, "name": "smoke"},
        ).json()["token"]
        api = httpx.Client(base_url=base, timeout=30, headers={"Authorization": f"Bearer {token}"})
        products = api.get("/api/v1/products").json()
        items = products["items"] if isinstance(products, dict) else products
        product = next(p for p in items if p.get("min_order_quantity", 1) == 1) or items[0]
        lines = {"lines": [{"sku": product["sku"], "quantity": product.get("pack_size", 1)}]}
        key = {"Idempotency-Key": f"smoke-{uuid.uuid4().hex}"}
        first = api.post("/api/v1/orders", json=lines, headers=key)
        again = api.post("/api/v1/orders", json=lines, headers=key)
        assert first.status_code == 201, first.text
        assert again.json()["id"] == first.json()["id"], "a repeated order was stored twice"
        order_id = first.json()["id"]
        for url in direct:
            seen = httpx.get(
                f"{url}/api/v1/orders/{order_id}",
                timeout=30,
                headers={"Authorization": f"Bearer {token}"},
            )
            assert seen.status_code == 200
        step(f"order {first.json().get('number', order_id)} placed once, visible on both")

        vera = sign_in(base, "admin@vendor.demo")
        deliveries = vera.get("/console/performance/deliveries")
        period = deliveries.url.params.get("period") or _last_month()
        sent = vera.post(
            "/console/performance/deliveries/prepare",
            data={"_csrf_token": vera.cookies["csrftoken"], "period": period},
        )
        assert sent.status_code == 303, sent.status_code
        step(f"vendor queued the {period} reports; waiting for the workers")
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            reports = [
                m
                for m in _messages(maildir)
                if "alice@partner-a.demo" in m["To"]
                and any(p.get_content_type() == "application/pdf" for p in m.walk())
            ]
            if reports:
                break
            time.sleep(2)
        else:
            raise SystemExit(
                f"[smoke] no report e-mail reached alice within 180 s (see {logs}/worker*.log)"
            )
        emailed = next(
            p.get_payload(decode=True)
            for p in reports[0].walk()
            if p.get_content_type() == "application/pdf"
        )
        time.sleep(5)  # a second delivery, were there one, would have arrived by now
        reports = [
            m
            for m in _messages(maildir)
            if "alice@partner-a.demo" in m["To"] and "report" in (m["Message-ID"] or "")
        ]
        assert len({m["Message-ID"] for m in reports}) == len(reports), "duplicate report e-mail"
        for url in direct:
            pdf = httpx.get(
                f"{url}/performance/reports/{period}/pdf", cookies=alice.cookies, timeout=60
            )
            assert pdf.status_code == 200 and pdf.content == emailed, f"{url}: not the e-mailed PDF"
        step("report e-mailed once by a worker; both app processes serve that very PDF")
        doctor = subprocess.run([*portal, "doctor"], env=env, capture_output=True, text=True)
        step(f"portal doctor exit status {doctor.returncode}")
        print(f"[smoke] passed; logs were in {logs}")
        return 0
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        subprocess.run(
            [
                "psql",
                f"{PG_URL}/postgres",
                "-Xqc",
                f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)',
            ],
            check=False,
        )
        if os.environ.get("SMOKE_KEEP"):
            print(f"[smoke] kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _messages(maildir: Path) -> list[email.message.Message]:
    out = []
    for folder in ("new", "cur"):
        for path in sorted((maildir / folder).glob("*")) if (maildir / folder).exists() else []:
            out.append(email.message_from_bytes(path.read_bytes()))
    return out


def _last_month() -> str:
    import datetime as dt

    first = dt.date.today().replace(day=1)
    return f"{(first - dt.timedelta(days=1)):%Y-%m}"


if __name__ == "__main__":
    sys.exit(main())
