"""One lead per campaign response: a unique index on lead.origin_key (NULL for every other
lead, and NULLs never collide), which the column's own migration cannot declare because
Piccolo runs raw steps before adding columns."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-04T18:22:10:000000"
VERSION = "1.38.0"
DESCRIPTION = "deals: unique lead origin key"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="deals", description=DESCRIPTION)

    async def run():
        from portal.deals.lead_tables import Lead

        await Lead.raw("CREATE UNIQUE INDEX lead_origin_key ON lead (origin_key)")

    async def run_backwards():
        from portal.deals.lead_tables import Lead

        await Lead.raw("DROP INDEX lead_origin_key")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
