"""Piccolo's engine and app registry, taken from portal.settings."""

import warnings
from urllib.parse import unquote, urlparse

from piccolo.conf.apps import AppRegistry

from portal.lib.pg_engine import ResilientPostgresEngine
from portal.lib.sqlite_pool import PooledSQLiteEngine
from portal.settings import get_settings


def _engine():  # type: ignore[no-untyped-def]
    settings = get_settings()
    if settings.is_sqlite:
        path = settings.database_url.split(":///", 1)[1]
        # timeout = SQLite busy timeout: concurrent writers queue instead of failing.
        return PooledSQLiteEngine(path=path, timeout=30)
    url = urlparse(settings.database_url)
    config = {
        "host": url.hostname or "127.0.0.1",
        "port": url.port or 5432,
        "user": unquote(url.username or "postgres"),
        "password": unquote(url.password or "") or None,
        "database": (url.path or "/portal").lstrip("/"),
    }
    return ResilientPostgresEngine(config=config, log_queries=False)


# SQLite's LIKE is already case-insensitive for ASCII; Piccolo warns on every ILIKE it rewrites.
warnings.filterwarnings("ignore", message=".*SQLite doesn't support ILIKE")

DB = _engine()

APP_REGISTRY = AppRegistry(
    apps=[
        "portal.auth.piccolo_app",
        "portal.partners.piccolo_app",
        "portal.core.piccolo_app",
        "portal.orders.piccolo_app",
        "portal.communications.piccolo_app",
        "portal.performance.piccolo_app",
        "portal.customers.piccolo_app",
        "portal.support.piccolo_app",
        "portal.finance.piccolo_app",
        "portal.deals.piccolo_app",
    ]
)
