"""`portal doctor`: what an operator checks first. Configuration (secrets masked), versions,
readiness (database, Redis, storage), pending migrations, the job queue (depth, oldest job),
the database outbox, and stuck report deliveries and e-mails. Exit status 1 on a problem.

Imports inside the command are late on purpose, as in portal/cli.py (a bad setting is one line).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.metadata
import platform
from typing import Any

import click

from portal.db import run
from portal.lib.clock import now
from portal.settings import Settings, get_settings, masked_url, production_warnings

SECRET_FIELDS = {"secret_key", "s3_secret_access_key", "inbound_email_secret"}
URL_FIELDS = {"database_url", "redis_url", "smtp_url"}
PACKAGES = (
    "litestar",
    "piccolo",
    "arq",
    "asyncpg",
    "redis",
    "weasyprint",
    "granian",
    "uvicorn",
    "jinja2",
)


def masked_settings(settings: Settings) -> dict[str, str]:
    """Every setting as text; secrets show only whether they are set, URLs hide passwords."""
    out = {}
    for f in dataclasses.fields(settings):
        value = getattr(settings, f.name)
        if f.name in SECRET_FIELDS:
            text = f"*** ({len(value)} characters)" if value else "(not set)"
        elif f.name in URL_FIELDS:
            text = masked_url(value) or "(not set)"
        elif f.name == "report_schedule":
            day, hour, minute, zone = value
            text = f"day {day} {hour:02d}:{minute:02d} {zone}"
        else:
            text = str(value) if value not in (None, "") else "(not set)"
        out[f.name] = text
    return out


def _versions() -> dict[str, str]:
    from portal import __version__

    out = {"portal": __version__, "python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "(not installed)"
    return out


async def _database_version() -> str:
    from piccolo.querystring import QueryString

    from portal.db import engine, is_sqlite

    sql = "SELECT sqlite_version() AS v" if is_sqlite() else "SHOW server_version"
    rows = await engine().run_querystring(QueryString(sql))  # type: ignore[attr-defined]
    value = next(iter(rows[0].values()))
    return f"{'SQLite' if is_sqlite() else 'PostgreSQL'} {value}"


async def pending_migrations() -> list[str]:
    from piccolo.apps.migrations.commands.check import CheckMigrationManager

    statuses = await CheckMigrationManager("all").get_migration_statuses()
    return [f"{s.app_name}:{s.migration_id}" for s in statuses if not s.has_ran]


async def queue_state(redis_url: str) -> dict[str, Any]:
    """arq's queue: jobs waiting, the oldest one's due time, the Redis server version."""
    from arq.constants import default_queue_name
    from redis.asyncio import Redis

    client = Redis.from_url(redis_url, socket_connect_timeout=3, socket_timeout=3)
    try:
        depth = int(await client.zcard(default_queue_name))
        oldest = await client.zrange(default_queue_name, 0, 0, withscores=True)
        info = await client.info("server")
    finally:
        await client.aclose()
    state: dict[str, Any] = {"depth": depth, "redis": info.get("redis_version", "?")}
    if oldest:
        job_id, score = oldest[0]
        state["oldest_id"] = job_id.decode() if isinstance(job_id, bytes) else str(job_id)
        state["oldest_at"] = dt.datetime.fromtimestamp(score / 1000, dt.UTC)
    return state


async def outbox_state() -> dict[str, Any]:
    """What waits in the database: pending e-mails (oldest first) and unsent report deliveries."""
    from portal.core.tables import OutboundEmail
    from portal.performance.tables import ReportDelivery

    pending = await OutboundEmail.count().where(OutboundEmail.status == "pending")
    oldest = (
        await OutboundEmail.select(OutboundEmail.id, OutboundEmail.next_attempt_at)
        .where(OutboundEmail.status == "pending")
        .order_by(OutboundEmail.next_attempt_at)
        .first()
    )
    unsent = await ReportDelivery.count().where(ReportDelivery.status.is_in(["pending", "sending"]))
    failed = await ReportDelivery.count().where(ReportDelivery.status == "failed")
    return {
        "emails_pending": pending,
        "oldest_email": oldest,
        "deliveries_unsent": unsent,
        "deliveries_failed": failed,
    }


async def stuck_rows() -> tuple[list[str], list[str]]:
    """Descriptions of stuck report deliveries and stuck e-mails (see portal.lib.stuck)."""
    from portal.core.tables import OutboundEmail
    from portal.lib.i18n import use_locale
    from portal.lib.stuck import delivery_stuck_reason, email_stuck_reason
    from portal.performance.tables import ReportDelivery

    moment = now()
    deliveries = await ReportDelivery.select(
        ReportDelivery.id,
        ReportDelivery.period,
        ReportDelivery.status,
        ReportDelivery.lease_until,
        ReportDelivery.next_attempt_at,
        ReportDelivery.attempts,
        ReportDelivery.partner.code.as_alias("partner_code"),
    ).where(ReportDelivery.status.is_in(["pending", "sending"]))
    emails = await OutboundEmail.select(
        OutboundEmail.id,
        OutboundEmail.to_address,
        OutboundEmail.status,
        OutboundEmail.lease_until,
        OutboundEmail.next_attempt_at,
    ).where(OutboundEmail.status == "pending")
    with use_locale("en"):
        stuck_deliveries = [
            f"delivery {r['id']} ({r['partner_code']} {r['period']}, {r['status']}, "
            f"{r['attempts']} attempts): {reason}"
            for r in deliveries
            if (reason := delivery_stuck_reason(r, moment))
        ]
        stuck_emails = [
            f"e-mail {r['id']} to {r['to_address']}: {reason}"
            for r in emails
            if (reason := email_stuck_reason(r, moment))
        ]
    return stuck_deliveries, stuck_emails


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return "-"
    minutes = int((now() - moment).total_seconds() // 60)
    age = f"{minutes} min ago" if minutes >= 0 else f"in {-minutes} min"
    return f"{moment.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC ({age})"


async def diagnose(strict: bool = False) -> int:
    """Print the report; returns the exit status (1 when something needs an operator)."""
    from portal.health import readiness

    settings = get_settings()
    problems: list[str] = []
    echo = click.echo

    echo("Configuration")
    for name, value in masked_settings(settings).items():
        echo(f"  {name:<30} {value}")
    warnings = production_warnings(settings)
    for warning in warnings:
        echo(f"  WARNING: {warning}")
    if strict:
        problems += warnings

    echo("Versions")
    for name, version in _versions().items():
        echo(f"  {name:<30} {version}")

    echo("Checks")
    results = await readiness()
    for r in results:
        state = (
            "skipped (not configured)" if r.skipped else ("ok" if r.ok else f"FAILING {r.error}")
        )
        echo(f"  {r.name:<30} {state}" + (f"  {r.ms:.0f} ms" if r.ok and not r.skipped else ""))
        if not r.ok:
            problems.append(f"{r.name} check failed: {r.error}")
    database_ok = next(r.ok for r in results if r.name == "database")
    if database_ok:
        echo(f"  {'database server':<30} {await _database_version()}")

    echo("Migrations")
    pending: list[str] = []
    if database_ok:
        pending = await pending_migrations()
        echo(
            f"  {'pending':<30} {len(pending)}"
            + (
                f"  ({', '.join(pending[:5])}{' ...' if len(pending) > 5 else ''})"
                if pending
                else ""
            )
        )
        if pending:
            problems.append(f"{len(pending)} migrations not applied: run `portal migrate`")

    echo("Queue")
    redis_ok = next(r.ok for r in results if r.name == "redis")
    if settings.redis_url and redis_ok:
        queue = await queue_state(settings.redis_url)
        echo(f"  {'redis server':<30} {queue['redis']}")
        echo(f"  {'jobs queued':<30} {queue['depth']}")
        oldest = f"{queue['oldest_id']} due {_when(queue['oldest_at'])}" if queue["depth"] else "-"
        echo(f"  {'oldest queued job':<30} {oldest}")
    elif not settings.redis_url:
        echo(f"  {'jobs':<30} in process (REDIS_URL not set)")
    if database_ok and not pending:  # the tables are there to count
        box = await outbox_state()
        echo(f"  {'e-mails pending':<30} {box['emails_pending']}")
        oldest_email = box["oldest_email"]
        if oldest_email:
            echo(
                f"  {'oldest pending e-mail':<30} {oldest_email['id']} due "
                f"{_when(oldest_email['next_attempt_at'])}"
            )
        echo(f"  {'report deliveries unsent':<30} {box['deliveries_unsent']}")
        echo(f"  {'report deliveries failed':<30} {box['deliveries_failed']}")

        echo("Stuck")
        stuck_deliveries, stuck_emails = await stuck_rows()
        echo(f"  {'stuck report deliveries':<30} {len(stuck_deliveries)}")
        for line in stuck_deliveries[:20]:
            echo(f"    {line}")
        echo(f"  {'stuck e-mails':<30} {len(stuck_emails)}")
        for line in stuck_emails[:20]:
            echo(f"    {line}")
        if stuck_deliveries:
            problems.append(f"{len(stuck_deliveries)} report deliveries stuck")
        if stuck_emails:
            problems.append(f"{len(stuck_emails)} e-mails stuck")

    if problems:
        echo(f"{len(problems)} problem(s):", err=True)
        for problem in problems:
            echo(f"  - {problem}", err=True)
        return 1
    echo("No problems found.")
    return 0


@click.command()
@click.option("--strict", is_flag=True, help="Count production warnings as problems too.")
def doctor(strict: bool) -> None:
    """Print configuration (secrets masked), versions, checks, migrations, queue and stuck rows;
    exit status 1 when something needs attention."""

    status = run(lambda: diagnose(strict))
    raise SystemExit(status)
