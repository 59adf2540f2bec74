from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from enum import Enum
from piccolo.columns.column_types import BigInt
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-03T18:37:56:944440"
VERSION = "1.38.0"
DESCRIPTION = ""


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="orders", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="Order",
        tablename="partner_order",
        column_name="deal_id",
        db_column_name="deal_id",
        column_class_name="BigInt",
        column_class=BigInt,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": True,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="OrderLine",
        tablename="order_line",
        column_name="deal_number",
        db_column_name="deal_number",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 20,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.alter_column(
        table_class_name="OrderLine",
        tablename="order_line",
        column_name="price_rule",
        db_column_name="price_rule",
        params={
            "choices": Enum(
                "PriceRule",
                {
                    "LIST": "list",
                    "TIER_DISCOUNT": "tier_discount",
                    "TIER_PRICE": "tier_price",
                    "CONTRACT": "contract",
                    "DEAL": "deal",
                },
            )
        },
        old_params={
            "choices": Enum(
                "PriceRule",
                {
                    "LIST": "list",
                    "TIER_DISCOUNT": "tier_discount",
                    "TIER_PRICE": "tier_price",
                    "CONTRACT": "contract",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
