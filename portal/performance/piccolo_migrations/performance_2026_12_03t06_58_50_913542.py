from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from enum import Enum
from piccolo.columns.column_types import Varchar

ID = "2026-12-03T06:58:50:913542"
VERSION = "1.38.0"
DESCRIPTION = ""


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="performance", description=DESCRIPTION
    )

    manager.alter_column(
        table_class_name="ReportDelivery",
        tablename="report_delivery",
        column_name="status",
        db_column_name="status",
        params={
            "choices": Enum(
                "DeliveryStatus",
                {
                    "PENDING": "pending",
                    "SENDING": "sending",
                    "SENT": "sent",
                    "FAILED": "failed",
                    "NO_ADDRESS": "no_address",
                },
            )
        },
        old_params={
            "choices": Enum(
                "DeliveryStatus",
                {
                    "PENDING": "pending",
                    "SENDING": "sending",
                    "SENT": "sent",
                    "FAILED": "failed",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
