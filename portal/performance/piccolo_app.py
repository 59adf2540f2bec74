"""Piccolo app for partner performance: rollups, targets, weights, notes, report delivery."""

import os

from piccolo.conf.apps import AppConfig

from portal.performance.tables import (
    MonthlyRollup,
    PerformanceTarget,
    ReportDelivery,
    ReportRecipient,
    ScoreWeight,
    TierThreshold,
    VendorNote,
)

APP_CONFIG = AppConfig(
    app_name="performance",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[
        MonthlyRollup,
        PerformanceTarget,
        ScoreWeight,
        VendorNote,
        ReportRecipient,
        ReportDelivery,
        TierThreshold,
    ],
    migration_dependencies=["portal.partners.piccolo_app"],
    commands=[],
)
