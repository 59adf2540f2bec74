"""Piccolo app for partner organisations."""

import os

from piccolo.conf.apps import AppConfig

from portal.partners.tables import (
    DeliveryAddress,
    Partner,
    PartnerApplication,
    Tier,
    TierChange,
)

APP_CONFIG = AppConfig(
    app_name="partners",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[Tier, Partner, TierChange, PartnerApplication, DeliveryAddress],
    migration_dependencies=[],
    commands=[],
)
