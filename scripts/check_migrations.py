"""Fail when a table differs from what its migrations build (so no change ships unmigrated).

    python scripts/check_migrations.py              # check every app, exit 1 on a difference
    python scripts/check_migrations.py --generate X # write the auto migration for app X

Piccolo's auto-migrations are generated from the table classes and the migration files alone; no
database is needed for the check. Generate against PostgreSQL (SQLite lacks ALTER TABLE).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import sys
from itertools import chain

import portal  # noqa: F401  (sets PICCOLO_CONF)


async def pending_changes() -> dict[str, list[str]]:
    from piccolo.apps.migrations.commands.new import AutoMigrationManager
    from piccolo.conf.apps import Finder

    out: dict[str, list[str]] = {}
    for app_config in Finder().get_app_registry().app_configs.values():
        with contextlib.redirect_stdout(io.StringIO()):  # Piccolo prints a summary table per app
            statements = await AutoMigrationManager(auto_input="n").get_alter_statements(
                app_config=app_config
            )
        flat = list(chain(*[s.statements for s in statements]))
        if flat:
            out[app_config.app_name] = flat
    return out


async def generate(app_name: str, description: str) -> None:
    from piccolo.apps.migrations.commands.new import NoChanges, _create_new_migration
    from piccolo.conf.apps import Finder

    app_config = Finder().get_app_config(app_name)
    try:
        meta = await _create_new_migration(
            app_config, auto=True, description=description, auto_input="n"
        )
    except NoChanges:
        print(f"{app_name}: no changes")
        return
    print(f"wrote {meta.migration_path}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--generate", metavar="APP")
    parser.add_argument("--description", default="")
    args = parser.parse_args()
    if args.generate:
        asyncio.run(generate(args.generate, args.description))
        return 0
    changes = asyncio.run(pending_changes())
    if changes:
        print(
            "Tables differ from their migrations; run `make migrations APP=<app>`:", file=sys.stderr
        )
        for app, statements in changes.items():
            for statement in statements:
                print(f"  {app}: {statement.strip()[:200]}", file=sys.stderr)
        return 1
    print("Migrations match the tables.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
