"""Piccolo app for the audit log, the e-mail outbox and the bell (notifications)."""

import os

from piccolo.conf.apps import AppConfig

from portal.core.tables import AuditEntry, Notification, OutboundEmail

APP_CONFIG = AppConfig(
    app_name="core",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[AuditEntry, OutboundEmail, Notification],
    migration_dependencies=[],
    commands=[],
)
