"""rebate_deduction is append-only, as ledger_entry is: the database refuses UPDATE and DELETE
(triggers), so a deduction given back is a new row with the opposite sign."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from portal.finance.piccolo_migrations.finance_2026_12_03t06_19_18_000000 import (
    _postgres_append_only,
    _sqlite_append_only,
)

ID = "2026-12-04T18:03:53:000000"
VERSION = "1.38.0"
DESCRIPTION = "finance: rebate_deduction append-only"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="finance", description=DESCRIPTION)

    async def run():
        from portal.finance.tables import RebateDeduction

        sqlite = RebateDeduction._meta.db.engine_type == "sqlite"
        table = "rebate_deduction"
        for sql in _sqlite_append_only(table) if sqlite else _postgres_append_only(table):
            await RebateDeduction.raw(sql)

    manager.add_raw(run)
    return manager
