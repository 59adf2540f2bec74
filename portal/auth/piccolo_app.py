"""Piccolo app for accounts and sign-in."""

import os

from piccolo.conf.apps import AppConfig

from portal.auth.tables import ApiToken, AuthSession, Invitation, LoginAttempt, PasswordReset, User

APP_CONFIG = AppConfig(
    app_name="auth",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[User, AuthSession, ApiToken, LoginAttempt, PasswordReset, Invitation],
    migration_dependencies=["portal.partners.piccolo_app"],
    commands=[],
)
