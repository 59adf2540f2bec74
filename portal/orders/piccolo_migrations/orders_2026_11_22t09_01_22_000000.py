"""Constraints the table classes cannot declare portably.

- CHECK constraints, the second wall behind the conditional UPDATEs: stock never negative and
  never more reserved than on hand; credit exposure never negative; an allocation never ships or
  releases more than it reserved. PostgreSQL adds them with ALTER TABLE. SQLite has no
  ADD CONSTRAINT, so the (still empty) tables are rebuilt with the CHECK in their definition,
  following SQLite's documented procedure (create new, copy, drop, rename, re-create indexes).
- Composite unique indexes: one stock level per product and warehouse, one item per price list
  and product, one cart line per user and product, one order per partner and idempotency key.
- Composite indexes for the order lists (newest first within a partner or a status).
"""

import re

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-22T09:01:22:000000"
VERSION = "1.38.0"
DESCRIPTION = "stock and credit CHECK constraints, composite unique indexes"

CHECKS = [
    (
        "stock_level",
        "stock_level_quantities",
        "on_hand >= 0 AND reserved >= 0 AND reserved <= on_hand",
    ),
    ("credit_exposure", "credit_exposure_not_negative", "open_amount >= 0"),
    (
        "order_allocation",
        "order_allocation_quantities",
        "quantity > 0 AND shipped_quantity >= 0 AND released_quantity >= 0"
        " AND shipped_quantity + released_quantity <= quantity",
    ),
]

INDEXES = [
    'CREATE UNIQUE INDEX stock_level_product_warehouse ON stock_level (product, warehouse)',
    'CREATE UNIQUE INDEX price_list_item_list_product ON price_list_item (price_list, product)',
    'CREATE UNIQUE INDEX cart_item_user_product ON cart_item ("user", product)',
    "CREATE UNIQUE INDEX partner_order_idempotency ON partner_order (partner, idempotency_key)",
    "CREATE INDEX partner_order_partner_id ON partner_order (partner, id)",
    "CREATE INDEX partner_order_status_id ON partner_order (status, id)",
    "CREATE INDEX contract_price_partner_product ON contract_price (partner, product)",
    "CREATE INDEX order_event_order_id ON order_event (\"order\", id)",
]


async def _sqlite_add_check(table, tablename: str, name: str, condition: str) -> None:
    rows = await table.raw(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = {}", tablename
    )
    create = rows[0]["sql"]
    indexes = await table.raw(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = {} AND sql IS NOT NULL",
        tablename,
    )
    body, _sep, _tail = create.rpartition(")")
    new_table = f"{tablename}__new"
    new_create = re.sub(
        rf'^CREATE TABLE\s+"?{tablename}"?',
        f'CREATE TABLE "{new_table}"',
        body + f", CONSTRAINT {name} CHECK ({condition}))",
        count=1,
    )
    await table.raw(new_create)
    await table.raw(f'INSERT INTO "{new_table}" SELECT * FROM "{tablename}"')
    await table.raw(f'DROP TABLE "{tablename}"')
    await table.raw(f'ALTER TABLE "{new_table}" RENAME TO "{tablename}"')
    for index in indexes:
        await table.raw(index["sql"])


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="orders", description=DESCRIPTION)

    async def run():
        from portal.orders.tables import StockLevel

        sqlite = StockLevel._meta.db.engine_type == "sqlite"
        for tablename, name, condition in CHECKS:
            if sqlite:
                await _sqlite_add_check(StockLevel, tablename, name, condition)
            else:
                await StockLevel.raw(
                    f'ALTER TABLE "{tablename}" ADD CONSTRAINT {name} CHECK ({condition})'
                )
        for sql in INDEXES:
            await StockLevel.raw(sql)

    manager.add_raw(run)
    return manager
