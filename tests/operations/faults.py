"""The fault scenario of issue 17, shared by tests/operations/test_faults.py and
bench/report_faults.py: a batch of monthly reports and a campaign e-mailed to N partners through
real PostgreSQL, a private Redis, `portal worker` processes and an aiosmtpd server counting
messages by Message-ID, while the SMTP server is down for a while, a worker is killed (SIGKILL)
mid-render and another mid-send, and Redis is restarted (empty) once.

How each fault is made to land where it should:
- mid-render: the first worker runs with REPORT_RENDER_DELAY_SECONDS (test-only), so every report
  it claims waits before rendering; it is killed once it holds claims and none has a PDF yet.
- mid-send: once SMTP is back, the server holds the first report message in DATA (the 250 never
  comes) and every later one from the same worker, tells the scenario which worker sent it (each
  has its own MAIL_FROM), and that worker is killed while it waits; a message whose client
  vanished mid-DATA is dropped, as by an MTA that had not accepted it (the inbox is told of the
  kill, so a handler aiosmtpd cancels late never counts it).
- Redis: a redis-server of the scenario's own on a free port (never the shared 6379), without
  persistence, so the restart loses every queued job and the sweepers must queue them again.

Leases, sweeps and back-off are shortened through their settings (REPORT_LEASE_SECONDS,
EMAIL_LEASE_SECONDS, SWEEP_SECONDS, RETRY_BASE_SECONDS), so the promise "recovered within a lease
plus one sweep period" is checked in seconds instead of a quarter of an hour.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from portal.communications.campaigns import editing as campaign_editing
from portal.communications.campaigns import publishing as campaign_publishing
from tests.operations.processes import free_port, psql, scratch_database

ROOT = Path(__file__).resolve().parent.parent.parent
PERIOD = "2026-10"  # the month reported on at the scenario's instant
AT = "2026-11-18T04:00:00+00:00"  # after 1 November 08:00 Shanghai: the report is due
LEASE_S = 6
SWEEP_S = 2
CAMPAIGNS = ("Fault drill A", "Fault drill B")  # A: due at once; B: published mid-send
NOBODY = "Faults nobody"  # the partner without an admin, a report recipient or a contact e-mail
# Recovery is bounded by a lease and a sweep beyond the work itself: the longest report job
# (renders queue for the CPU: ~0.5 s each on a quiet machine, much more on a busy one), the
# back-off failed rows were promised, and this slack for polls and start-up.
SLACK_S = 4


class Inbox:
    """aiosmtpd handler: every accepted message as (Message-ID, recipient, envelope sender,
    kind); optionally holds the victim's messages (see the module docstring) until `release()`."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.accepted: list[tuple[str, str, str, str]] = []
        self.last_at: dict[str, float] = {}  # perf_counter of the last accepted message, by kind
        self.armed = False
        self.victim: str | None = None
        self.held: Counter[str] = Counter()  # messages of the victim waiting in DATA, by kind
        self.dead: set[str] = set()  # senders killed while their messages were held
        self._released = threading.Event()

    def arm(self) -> None:
        self.armed = True

    def killed(self, sender: str) -> None:
        """The sender died holding messages: none of them is ever accepted. aiosmtpd cancels a
        handler whose client vanished only once its loop has read the EOF, which a busy machine
        may do after `release()`; an MTA never accepts what it got no end of DATA for."""
        with self.lock:
            self.dead.add(sender)

    def release(self) -> None:
        self.armed = False
        self._released.set()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        mid, sender = str(message["Message-ID"]), str(envelope.mail_from)
        kind = message_kind(mid, str(message["Subject"]))
        if self.armed:
            with self.lock:
                if self.victim is None and kind == "report":
                    self.victim = sender
                holding = sender == self.victim
                if holding:
                    self.held[kind] += 1
            if holding:
                for _ in range(400):  # at most 20 s: the client is killed long before
                    if self._released.is_set():
                        break
                    await asyncio.sleep(0.05)  # cancelled by aiosmtpd when the client dies
        with self.lock:
            if sender in self.dead:
                return "421 the client is gone"
            for rcpt in envelope.rcpt_tos:
                self.accepted.append((mid, rcpt.lower(), sender, kind))
            self.last_at["report" if kind == "report" else "e-mail"] = time.perf_counter()
        return "250 OK"


def message_kind(message_id: str, subject: str) -> str:
    if message_id.startswith("<report-"):
        return "report"
    for name in CAMPAIGNS:
        if name in subject:
            return name
    return "other"


class Smtp:
    """The SMTP server on one port, stopped and started again on the same port."""

    def __init__(self, inbox: Inbox) -> None:
        self.inbox, self.port = inbox, free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


class Redis:
    """A private redis-server without persistence on a free port (the shared 6379 is never
    touched, let alone restarted)."""

    def __init__(self, folder: Path) -> None:
        self.port, self.folder = free_port(), folder
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or "redis-server"
        self.proc = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        for _ in range(100):
            try:
                redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("the private redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None


@dataclass
class Worker:
    """One `portal worker` process, its MAIL_FROM (how the SMTP server tells workers apart)
    and its log file."""

    name: str
    proc: subprocess.Popen[bytes]
    log: Path

    @property
    def sender(self) -> str:
        return f"{self.name}@workers.test"

    def alive(self) -> bool:
        return self.proc.poll() is None


@dataclass
class Figures:
    """What the scenario measured; `problems()` lists every broken promise."""

    partners: int = 0  # partners with a recipient (one admin each)
    deliveries: int = 0  # report rows
    statuses: Counter[str] = field(default_factory=Counter)
    reports_received: int = 0  # distinct report Message-IDs accepted by the SMTP server
    reports_duplicates: int = 0  # report Message-IDs accepted more than once
    reports_missing: int = 0  # partners with a recipient and no report
    reports_extra: int = 0  # a second distinct report to a partner, or one to nobody expected
    campaign_emails: int = 0  # stored e-mails of both campaigns
    campaign_sent: int = 0  # of which status sent
    campaign_received: int = 0  # distinct Message-IDs, both campaigns
    campaign_duplicates: int = 0
    campaign_missing: int = 0  # (partner admin, campaign) pairs without their e-mail
    campaign_held_at_kill: int = 0  # campaign B messages of the victim lost with it
    no_recipient_status: str = ""  # the one partner without anybody to send to
    killed_mid_render: int = 0  # claims the first worker held, none rendered, when killed
    killed_mid_send: str = ""  # the worker killed while the SMTP server held its message
    survivors_alive: bool = False  # the workers running through the Redis restart
    recovery_s: float = 0.0  # from the last fault (Redis back) to every row settled
    to_render: int = 0  # claims without a PDF when the last worker was killed: work to redo
    backoff_s: float = 0.0  # the longest back-off a failed row was promised when faults ended
    work_s: float = 0.0  # the longest report job that succeeded (its renders queue for the CPU)
    lease_s: int = LEASE_S
    bound_s: float = 0.0  # lease_s + SWEEP_S + SLACK_S + work_s + backoff_s
    last_report_s: float = 0.0  # after Redis came back: the last report accepted by SMTP
    last_mail_s: float = 0.0  # ... the last campaign e-mail
    total_s: float = 0.0
    notes: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        out = []
        if self.statuses.get("sent", 0) != self.partners:
            out.append(f"rows sent {self.statuses.get('sent', 0)} of {self.partners}")
        if self.no_recipient_status != "no_address":
            out.append(f"the partner without recipients is {self.no_recipient_status!r}")
        for name in ("reports", "campaign"):
            if getattr(self, f"{name}_duplicates") or getattr(self, f"{name}_missing"):
                out.append(f"{name}: duplicates or missing")
        if self.reports_extra or self.reports_received != self.partners:
            out.append(f"reports received {self.reports_received} for {self.partners}")
        both = 2 * self.partners
        if self.campaign_sent != both or self.campaign_emails != both:
            out.append(f"campaign e-mails stored {self.campaign_emails}, sent {self.campaign_sent}")
        if self.campaign_received != both:
            out.append(f"campaign sent {self.campaign_sent}, received {self.campaign_received}")
        if not self.killed_mid_render or not self.killed_mid_send:
            out.append("a kill did not land mid-render / mid-send")
        if not self.survivors_alive:
            out.append("a worker did not live through the Redis restart")
        if self.recovery_s > self.bound_s:
            out.append(f"recovered in {self.recovery_s:.1f} s, bound {self.bound_s} s")
        return out + self.notes


def admin_address(i: int) -> str:
    return f"admin-{i}@partner{i}.test"


async def seed(n: int) -> None:
    """N partners with one admin each, one partner with nobody, and two campaigns to all of
    them: A due a second from now (the workers' sweep publishes it), B due in a day (the scenario
    brings it forward mid-send)."""
    import datetime as dt

    from portal.auth.constants import Role
    from portal.communications.campaigns.schemas import CampaignForm
    from portal.lib import clock
    from tests.factories import make_partner, make_user

    for i in range(n):
        partner = await make_partner(name_en=f"Faults {i}")
        await make_user(Role.PARTNER_ADMIN, partner, email=admin_address(i), locale="en")
    await make_partner(name_en=NOBODY, contact_email="")
    vera = await make_user(Role.VENDOR_ADMIN, email="vera@vendor.test")
    for title, due in zip(CAMPAIGNS, (dt.timedelta(seconds=1), dt.timedelta(days=1)), strict=True):
        form = CampaignForm(
            title_zh=title,
            title_en=title,
            description_zh="每家一封。",
            description_en="One each.",
            starts_on=clock.today(),
            ends_on=None,
            audience="all",  # type: ignore[arg-type]
            audience_values=[],
        )
        campaign_id = await campaign_editing.create_campaign(vera.current, form)
        await campaign_publishing.schedule_campaign(vera.current, campaign_id, clock.now() + due)


def _wait(what: str, check: Any, timeout: float, step: float = 0.1) -> Any:
    deadline = time.perf_counter() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.perf_counter() > deadline:
            raise TimeoutError(f"waited {timeout} s for {what}")
        time.sleep(step)


CAMPAIGN_MAIL = "kind = 'campaign_published'"


class Scenario:
    """Runs the scenario once (`run()`); everything it started is stopped afterwards."""

    def __init__(
        self, n: int, env: dict[str, str] | None = None, lease_s: int = LEASE_S, settle_s: int = 120
    ) -> None:
        # the lease must outlast a worker's share of the batch (renders queue for the CPU), or
        # lapsed claims are taken over and rendered again: the bench gives N=50 a longer one
        self.n, self.lease_s, self.settle_s = n, lease_s, settle_s
        self.base_env = dict(env if env is not None else os.environ)
        self.workers: list[Worker] = []
        self.folder = Path(tempfile.mkdtemp(prefix="portal-faults-"))
        self.inbox = Inbox()
        self.smtp = Smtp(self.inbox)
        self.redis = Redis(self.folder)
        self.url = self.db = ""

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            **self.base_env,
            "PORTAL_MODE": "test",
            "PORTAL_DATA_DIR": str(self.folder / "data"),
            "DATABASE_URL": self.url,
            "DATABASE_POOL_SIZE": "4",
            "REDIS_URL": self.redis.url,
            "SMTP_URL": f"smtp://127.0.0.1:{self.smtp.port}",
            "REPORT_LEASE_SECONDS": str(self.lease_s),
            "EMAIL_LEASE_SECONDS": str(self.lease_s),
            "SWEEP_SECONDS": str(SWEEP_S),
            "RETRY_BASE_SECONDS": "1",
            "REPORT_RENDER_DELAY_SECONDS": "0",
            "LOG_LEVEL": "info",
        }
        return {**env, **extra}

    def portal(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", *args],
            env=self.env(),
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start_worker(self, name: str, **extra: str) -> Worker:
        log = self.folder / f"{name}.log"
        with log.open("wb") as err:
            proc = subprocess.Popen(
                [sys.executable, "-m", "portal.cli", "worker"],
                env=self.env(MAIL_FROM=f"Portal <{name}@workers.test>", **extra),
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=err,
            )
        worker = Worker(name, proc, log)
        self.workers.append(worker)
        return worker

    def count(self, where: str, table: str = "report_delivery") -> int:
        if table == "report_delivery":
            where = f"period = '{PERIOD}' AND ({where})"
        return int(psql(f"SELECT count(*) FROM {table} WHERE {where}", self.db))

    def longest_report_job(self) -> float:
        """Seconds of the longest report job that ended well, from the workers' job lines."""
        durations = [0.0]
        for worker in self.workers:
            for line in worker.log.read_text(errors="replace").splitlines():
                if "job=send_performance_report" in line and "outcome=ok" in line:
                    durations.append(float(line.rsplit("duration_ms=", 1)[1].split()[0]) / 1000)
        return max(durations)

    def longest_backoff(self) -> float:
        """The longest wait a failed row was promised (RETRY_BASE_SECONDS=1, doubling per
        attempt): an SMTP outage that lasted (the machine was slow) earns longer ones."""
        most = 0
        for table in ("report_delivery", "outbound_email"):
            query = f"SELECT coalesce(max(attempts), 0) FROM {table} WHERE status = 'pending' AND last_error <> ''"
            most = max(most, int(psql(query, self.db)))
        return float(min(2 ** max(most - 1, 0), 3600)) if most else 0.0

    def settled(self) -> bool:
        reports = self.count("status IN ('sent', 'failed', 'no_address')") == self.n + 1
        mails = self.count(f"{CAMPAIGN_MAIL} AND status = 'sent'", "outbound_email")
        return reports and mails == 2 * self.n

    def logs(self) -> str:
        return "\n".join(
            f"--- {w.name}\n{w.log.read_text(errors='replace')[-6000:]}" for w in self.workers
        )

    def cleanup(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def run(self) -> Figures:
        figures = Figures(partners=self.n)
        started = time.perf_counter()
        with scratch_database() as url:
            self.url, self.db = url, url.rsplit("/", 1)[1]
            try:
                self._run(figures)
            finally:
                self._stop_all()
        figures.total_s = time.perf_counter() - started
        return figures

    def _stop_all(self) -> None:
        for worker in self.workers:
            if worker.alive():
                worker.proc.send_signal(signal.SIGTERM)
        for worker in self.workers:
            try:
                worker.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.proc.kill()
                worker.proc.wait()
        self.inbox.release()
        self.smtp.stop()
        self.redis.stop()

    def _run(self, figures: Figures) -> None:
        self.redis.start()
        self.smtp.start()
        self.portal("portal.cli", "migrate")
        self.portal("tests.operations.faults", "seed", str(self.n))

        # SMTP goes down before anything is sent: campaign A's e-mails fail and back off
        self.smtp.stop()
        # the first worker waits before each render: it is killed holding claims, none rendered
        first = self.start_worker("w1", REPORT_RENDER_DELAY_SECONDS="60")
        _wait(
            "the first worker to claim reports and publish campaign A",
            lambda: (
                self.count("status = 'sending'") >= min(self.n, 5)
                and self.count(CAMPAIGN_MAIL, "outbound_email") >= self.n
            ),
            60,
        )
        time.sleep(0.5)  # let it take what else it will
        held, rendered = (
            self.count("status = 'sending' AND pdf_key = ''"),
            self.count("pdf_key <> ''"),
        )
        first.proc.kill()
        first.proc.wait()
        figures.killed_mid_render = held if rendered == 0 else 0
        second, third = self.start_worker("w2"), self.start_worker("w3")

        # SMTP back on the same port after a while; the first report message is held in DATA,
        # campaign B is brought forward, and the victim is killed holding its messages
        time.sleep(3)
        self.inbox.arm()
        self.smtp.start()
        try:
            _wait("a report message to hold", lambda: self.inbox.held["report"], 40)
        except TimeoutError as exc:  # nothing sent: record it, go on with the other faults
            figures.notes.append(f"no report reached SMTP in 40 s after it came back ({exc})")
        psql(
            f"UPDATE campaign SET publish_at = publish_at - interval '2 days'"
            f" WHERE title_en = '{CAMPAIGNS[1]}'",
            self.db,
        )
        victim = next((w for w in (second, third) if w.sender == self.inbox.victim), None)
        if victim is not None:
            try:
                _wait(
                    "campaign B's e-mails at the victim", lambda: self.inbox.held[CAMPAIGNS[1]], 8
                )
            except TimeoutError:
                pass  # the other worker took them all: B still meets the Redis restart
            figures.to_render = self.count("status = 'sending' AND pdf_key = ''")
            victim.proc.kill()
            victim.proc.wait()
            self.inbox.killed(victim.sender)
            figures.campaign_held_at_kill = self.inbox.held[CAMPAIGNS[1]]
            figures.killed_mid_send = victim.name
        self.inbox.release()
        survivors = [w for w in (second, third) if w is not victim] + [self.start_worker("w4")]

        # Redis restarted, empty: every queued job and retry is lost
        self.redis.stop()
        time.sleep(1)
        self.redis.start()
        back = time.perf_counter()
        figures.backoff_s = self.longest_backoff()
        try:
            _wait("every delivery and e-mail to settle", self.settled, self.settle_s, step=0.2)
        except TimeoutError as exc:
            figures.notes.append(str(exc))
        figures.recovery_s = time.perf_counter() - back
        figures.work_s = self.longest_report_job()
        figures.lease_s = self.lease_s
        figures.bound_s = self.lease_s + SWEEP_S + SLACK_S + figures.work_s + figures.backoff_s
        with self.inbox.lock:
            figures.last_report_s = self.inbox.last_at.get("report", back) - back
            figures.last_mail_s = self.inbox.last_at.get("e-mail", back) - back
        figures.survivors_alive = all(w.alive() for w in survivors)
        self._count(figures)

    def _count(self, figures: Figures) -> None:
        rows = psql(
            f"SELECT d.status, count(*) FROM report_delivery d JOIN partner p ON p.id = d.partner"
            f" WHERE d.period = '{PERIOD}' AND p.name_en <> '{NOBODY}' GROUP BY d.status",
            self.db,
        )
        figures.statuses = Counter({s: int(c) for s, c in (r.split("|") for r in rows.split())})
        figures.deliveries = self.count("true")
        figures.no_recipient_status = psql(
            f"SELECT d.status FROM report_delivery d JOIN partner p ON p.id = d.partner"
            f" WHERE p.name_en = '{NOBODY}' AND d.period = '{PERIOD}'",
            self.db,
        )
        figures.campaign_emails = self.count(CAMPAIGN_MAIL, "outbound_email")
        figures.campaign_sent = self.count(f"{CAMPAIGN_MAIL} AND status = 'sent'", "outbound_email")
        with self.inbox.lock:
            accepted = list(self.inbox.accepted)
        expected = {admin_address(i) for i in range(self.n)}
        reports = [(m, to) for m, to, _s, kind in accepted if kind == "report"]
        per_id = Counter(m for m, _to in reports)
        per_address: dict[str, set[str]] = {}
        for m, to in reports:
            per_address.setdefault(to, set()).add(m)
        figures.reports_received = len(per_id)
        figures.reports_duplicates = sum(c - 1 for c in per_id.values())
        for mid, times in per_id.items():
            if times > 1:
                senders = [s for m, _to, s, _k in accepted if m == mid]
                figures.notes.append(f"{mid} accepted {times} times, from {senders}")
        figures.reports_missing = len(expected - set(per_address))
        figures.reports_extra = sum(len(v) - 1 for v in per_address.values()) + len(
            set(per_address) - expected
        )
        mails = [(m, to, kind) for m, to, _s, kind in accepted if kind in CAMPAIGNS]
        per_mail = Counter(m for m, _to, _k in mails)
        figures.campaign_received = len(per_mail)
        figures.campaign_duplicates = sum(c - 1 for c in per_mail.values())
        got = {(to, kind) for _m, to, kind in mails}
        figures.campaign_missing = len({(a, k) for a in expected for k in CAMPAIGNS} - got)


if __name__ == "__main__":  # `python -m tests.operations.faults seed N` (a scenario step)
    if sys.argv[1:2] == ["seed"]:
        from portal.cli import run

        run(lambda: seed(int(sys.argv[2])))
