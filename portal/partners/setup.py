"""Setting up a database: every pending migration, then the partner tiers every portal starts with."""

from __future__ import annotations

import contextlib
import io
import os
import sqlite3

import click
from piccolo.apps.migrations.commands.forwards import run_forwards

from portal.partners.services import ensure_default_tiers
from portal.settings import get_settings


async def migrate_database(quiet: bool = False) -> None:
    """Apply every pending migration (creating the SQLite folder), then the default tiers."""
    settings = get_settings()
    if settings.is_sqlite:
        path = settings.database_url.split(":///", 1)[1]
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with sqlite3.connect(path) as conn:  # WAL: readers never block the writer
            conn.execute("PRAGMA journal_mode=WAL")
    out = io.StringIO()
    with contextlib.redirect_stdout(out) if quiet else contextlib.nullcontext():
        result = await run_forwards("all")
    if not result.success:
        raise click.ClickException(f"migrations failed: {result.message}\n{out.getvalue()}")
    await ensure_default_tiers()
