"""Composite unique indexes the table classes cannot declare: one rollup per partner and month,
one target / note / delivery per partner and period, one extra recipient per partner and address.
The delivery's unique index is what makes a re-run of a month create nothing twice."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-26T23:53:29:000000"
VERSION = "1.38.0"
DESCRIPTION = "performance composite unique indexes"

INDEXES = [
    "CREATE UNIQUE INDEX performance_rollup_partner_month ON performance_rollup (partner, month)",
    "CREATE UNIQUE INDEX performance_target_partner_period"
    " ON performance_target (partner, period)",
    "CREATE UNIQUE INDEX performance_note_partner_period ON performance_note (partner, period)",
    "CREATE UNIQUE INDEX report_recipient_partner_email ON report_recipient (partner, email)",
    "CREATE UNIQUE INDEX report_delivery_partner_period ON report_delivery (partner, period)",
    "CREATE INDEX report_delivery_status_next ON report_delivery (status, next_attempt_at)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="performance", description=DESCRIPTION)

    async def run():
        from portal.performance.tables import MonthlyRollup

        for sql in INDEXES:
            await MonthlyRollup.raw(sql)

    manager.add_raw(run)
    return manager
