"""An index for the order lists filtered by date: a partner's orders in a period."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-22T10:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "index partner_order (partner, submitted_at)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="orders", description=DESCRIPTION)

    async def run():
        from portal.orders.tables import Order

        await Order.raw(
            "CREATE INDEX partner_order_partner_submitted ON partner_order (partner, submitted_at)"
        )

    manager.add_raw(run)
    return manager
