"""The `portal` command: migrate, demo-data, create-admin, serve, worker (works from any folder).

Imports of portal code inside the commands are late on purpose: importing any table makes
Piccolo read piccolo_conf, which reads the settings, and a bad setting must be one readable line
(PortalGroup) rather than a traceback at import; `portal --help` also stays quick.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path
from typing import Any

import click

from portal.db import run


async def migrate_database(quiet: bool = False) -> None:
    """portal.partners.setup.migrate_database, imported late (see the module docstring)."""
    from portal.partners.setup import migrate_database as migrate

    await migrate(quiet)


class PortalGroup(click.Group):
    """The command group: a configuration error is one readable line and exit status 2, whatever
    the command (the settings are read first, and again wherever a command reads them)."""

    def invoke(self, ctx: click.Context) -> Any:
        from portal.settings import SettingsError

        try:
            return super().invoke(ctx)
        except SettingsError as exc:
            click.echo(f"Configuration error: {exc}", err=True)
            ctx.exit(2)


@click.group(cls=PortalGroup)
def main() -> None:
    """Channel Partner Portal."""
    from portal.settings import get_settings

    if not {"--help", "-h"} & set(sys.argv[1:]):
        get_settings()  # a bad setting stops every command before it starts, in one line
        from portal import worker  # noqa: F401  (wires the hooks and registers the jobs)


def warn_production(settings: Any) -> None:
    """Print what a production deployment should not run with (see production_warnings)."""
    from portal.settings import production_warnings

    for warning in production_warnings(settings):
        click.echo(f"Warning: {warning}", err=True)


@main.command()
def migrate() -> None:
    """Create or upgrade the database schema."""
    run(lambda: migrate_database())
    click.echo("Database is up to date.")


@main.command("demo-data")
def demo_data() -> None:
    """Load the demo vendor, partners and users (idempotent; every password is demo12345)."""
    from portal.demo import load_demo

    async def go() -> None:
        await migrate_database(quiet=True)
        await load_demo(progress=True)

    run(go)


@main.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.password_option()
def create_admin(email: str, name: str, password: str) -> None:
    """Create a vendor admin account."""
    from portal.auth.constants import Role
    from portal.auth.services import create_user
    from portal.lib.forms import FormError

    async def go() -> None:
        await migrate_database(quiet=True)
        try:
            await create_user(email=email, name=name, password=password, role=Role.VENDOR_ADMIN)
        except FormError as exc:
            raise click.ClickException("; ".join(exc.errors.values())) from None

    run(go)
    click.echo(f"Vendor admin {email} created.")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Worker processes  [default: the CPU count with PORTAL_MODE=production, else 1]",
)
@click.option(
    "--server",
    "server_name",
    type=click.Choice(["granian", "uvicorn"]),
    default="granian",
    show_default=True,
    help="HTTP server (uvicorn: the previous default, kept selectable).",
)
@click.option("--reload", is_flag=True, help="Restart on code changes (development).")
def serve(host: str, port: int, workers: int | None, server_name: str, reload: bool) -> None:
    """Serve the portal over HTTP (runs scheduled jobs in process when REDIS_URL is unset)."""
    from portal.settings import get_settings

    settings = get_settings()
    warn_production(settings)
    run(lambda: migrate_database(quiet=True))
    if settings.redis_url:
        _warn_unreachable_redis(settings.redis_url)
    workers = 1 if reload else workers or default_workers(settings.mode)
    if settings.run_jobs_in_process and workers > 1:
        click.echo(
            "Note: scheduled jobs run in every worker process; set REDIS_URL and run "
            "`portal worker` for production.",
            err=True,
        )
    click.echo(
        f"Serving on http://{host}:{port}  (database: {_describe_db(settings.database_url)}, "
        f"{server_name}, {workers} worker{'s' if workers > 1 else ''})"
    )
    log_level = os.environ.get("LOG_LEVEL", "info").lower()
    if server_name == "uvicorn":
        _serve_uvicorn(host, port, workers, reload, log_level)
    else:
        _serve_granian(host, port, workers, reload, log_level)


# SIGTERM: listening stops at once, requests in flight get SERVE_GRACE_S to finish, then
# in-process jobs STOP_GRACE_S (portal/worker.py): 25 s, inside systemd's 30 s
SERVE_GRACE_S = 15


def default_workers(mode: str) -> int:
    """One worker per core in production (measured: 1.5-1.9x on pages with two), one elsewhere
    (the demo and development: one process, one in-process scheduler, readable logs)."""
    return max(os.cpu_count() or 1, 1) if mode == "production" else 1


def _serve_granian(host: str, port: int, workers: int, reload: bool, log_level: str) -> None:
    """granian: the default (issue 19: +5-30 % on pages, p99 33 ms against uvicorn's 115 ms on
    the bare page under 64 connections)."""
    from granian.constants import Interfaces
    from granian.log import LogLevels
    from granian.server import Server

    from portal.worker import STOP_GRACE_S

    Server(
        "portal.app:create_served_app",
        factory=True,
        address=host,
        port=port,
        interface=Interfaces.ASGI,
        workers=workers,
        websockets=False,
        log_level=LogLevels(log_level if log_level in LogLevels.__members__ else "info"),
        log_access=False,  # portal.request writes one structured line per request instead
        # a worker still busy after the requests' and the jobs' grace is killed
        workers_kill_timeout=SERVE_GRACE_S + STOP_GRACE_S,
        reload=reload,
        reload_paths=[Path(__file__).resolve().parent] if reload else None,
    ).serve()


def _serve_uvicorn(host: str, port: int, workers: int, reload: bool, log_level: str) -> None:
    import uvicorn

    from portal.settings import get_settings

    uvicorn.run(
        "portal.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        proxy_headers=True,
        forwarded_allow_ips=get_settings().forwarded_allow_ips,
        log_level=log_level,
        access_log=False,  # portal.request writes one structured line per request instead
        timeout_graceful_shutdown=SERVE_GRACE_S,
    )


def _warn_unreachable_redis(url: str) -> None:
    """Say at start-up, within a few seconds, that the queue is down; the portal still serves
    pages (jobs wait in the database: the outbox sweepers queue them once Redis is back)."""
    from portal.health import check_redis
    from portal.settings import masked_url

    try:
        asyncio.run(asyncio.wait_for(check_redis(), 5))
    except Exception as exc:
        click.echo(
            f"Warning: Redis at {masked_url(url)} cannot be reached ({type(exc).__name__}: "
            f"{exc or 'no answer'}); serving pages anyway, background jobs wait until it is back.",
            err=True,
        )


def _describe_db(url: str) -> str:
    if url.startswith("sqlite"):
        return url
    from urllib.parse import urlparse

    parsed = urlparse(url)
    return f"{parsed.scheme}://{parsed.hostname}:{parsed.port or 5432}{parsed.path}"


@main.command()
def worker() -> None:
    """Run the arq worker (needs REDIS_URL): jobs and the cron schedule."""
    from arq.worker import get_kwargs

    from portal.settings import get_settings

    settings = get_settings()
    if not settings.redis_url:
        raise click.ClickException(
            "REDIS_URL is not set; without it `portal serve` runs jobs itself."
        )
    warn_production(settings)
    from portal.lib.jobs import worker_redis_settings
    from portal.lib.logs import configure_logging, instrument_worker
    from portal.settings import masked_url
    from portal.worker import PortalWorker, WorkerSettings, cron_table

    configure_logging(settings)
    logging.getLogger("portal.worker").info(
        "portal worker starting: redis %s, database %s",
        masked_url(settings.redis_url),
        _describe_db(settings.database_url),
    )
    # arq reads only a `redis_settings` attribute or argument: without it the worker would
    # listen on localhost:6379 db 0 whatever REDIS_URL says
    try:
        PortalWorker(
            **{
                **get_kwargs(instrument_worker(WorkerSettings)),
                "redis_settings": worker_redis_settings(settings.redis_url),
                "cron_jobs": cron_table(settings.sweep_seconds),
            }
        ).run()
    except Exception:
        # Redis gone for longer than the retries: exit now (a supervisor starts it again) rather
        # than hang on a database thread whose pool arq's failed shutdown never closed
        logging.getLogger("portal.worker").exception("portal worker stopped on an error")
        logging.shutdown()
        os._exit(1)


from portal.orders.cli import import_group  # noqa: E402  (`portal import products|prices|stock`)

main.add_command(import_group)

from portal.customers.cli import import_customers  # noqa: E402  (`portal import customers`)

import_group.add_command(import_customers)

from portal.performance.cli import send_reports  # noqa: E402  (`portal send-reports`)

main.add_command(send_reports)

from portal.doctor import doctor  # noqa: E402  (`portal doctor`)


@main.command("export-data")
@click.option("--partner", "code", required=True, help="The partner's code.")
@click.option(
    "--output",
    type=click.Path(dir_okay=False),
    help="ZIP file (default: <code>-export-<date>.zip).",
)
def export_data(code: str, output: str | None) -> None:
    """Write one partner's data (JSON per table, plus its stored files) as a ZIP archive."""
    from pathlib import Path

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from portal.export import export_partner
    from portal.lib.clock import today

    console = Console(stderr=True)

    async def go() -> tuple[bytes, Any]:
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task("tables", total=None)

            def step(name: str, done: int, total: int) -> None:
                bar.update(task, description=name[:40], completed=done, total=total)

            try:
                return await export_partner(code, step)
            except LookupError:
                raise click.ClickException(f"no partner with the code {code!r}") from None

    data, result = run(go)
    path = Path(output or f"{code}-export-{today():%Y%m%d}.zip")
    path.write_bytes(data)
    rows = sum(result.tables.values())
    click.echo(
        f"Wrote {path}: {rows} rows from {len(result.tables)} tables, {result.files} files"
        + (f" ({len(result.missing_files)} stored files missing)" if result.missing_files else "")
    )


main.add_command(doctor)

from portal.support.cli import support_group  # noqa: E402  (`portal support ingest-email|...`)

main.add_command(support_group)


def _cli_entry(args: Any = None) -> None:  # pragma: no cover
    main(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
