"""Piccolo app for finance: profiles, receivables, payments, allocations, ledger, reminders."""

import os

from piccolo.conf.apps import AppConfig

from portal.finance.tables import (
    FinanceProfile,
    FinanceSetting,
    LedgerEntry,
    Payment,
    PaymentAllocation,
    PaymentReminder,
    RebateAccrual,
    RebateDeduction,
    RebateProgramme,
    Receivable,
    Statement,
)

APP_CONFIG = AppConfig(
    app_name="finance",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[
        FinanceProfile,
        Receivable,
        Payment,
        PaymentAllocation,
        LedgerEntry,
        PaymentReminder,
        Statement,
        FinanceSetting,
        RebateProgramme,
        RebateAccrual,
        RebateDeduction,
    ],
    migration_dependencies=["portal.partners.piccolo_app", "portal.orders.piccolo_app"],
    commands=[],
)
