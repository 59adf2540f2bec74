"""Piccolo app for end customers, contacts, the contact log and customer imports."""

import os

from piccolo.conf.apps import AppConfig

from portal.customers.tables import (
    Customer,
    CustomerContact,
    CustomerImport,
    CustomerSettings,
    CustomerUserSettings,
    FollowupDigest,
    Interaction,
)

APP_CONFIG = AppConfig(
    app_name="customers",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[
        Customer,
        CustomerContact,
        Interaction,
        CustomerSettings,
        CustomerUserSettings,
        FollowupDigest,
        CustomerImport,
    ],
    migration_dependencies=["portal.partners.piccolo_app", "portal.auth.piccolo_app"],
    commands=[],
)
