"""Piccolo app for the audit log and the e-mail outbox."""

import os

from piccolo.conf.apps import AppConfig

from portal.core.tables import AuditEntry, OutboundEmail

APP_CONFIG = AppConfig(
    app_name="core",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[AuditEntry, OutboundEmail],
    migration_dependencies=[],
    commands=[],
)
