"""The pipeline console's index (issue 15): deal (status, partner, stage, expected_close_on,
estimated_amount, id) holds every column the console's grouped statements read, so PostgreSQL
and SQLite answer them from the index alone instead of reading the wide deal rows. A composite
index, which a Piccolo column cannot declare, hence a raw step."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-04T19:05:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "deals: pipeline console index"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="deals", description=DESCRIPTION)

    async def run():
        from portal.deals.tables import Deal

        await Deal.raw(
            "CREATE INDEX deal_pipeline ON deal "
            "(status, partner, stage, expected_close_on, estimated_amount, id)"
        )

    async def run_backwards():
        from portal.deals.tables import Deal

        await Deal.raw("DROP INDEX deal_pipeline")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
