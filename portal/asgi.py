"""Module-level ASGI application for servers that take an import path (granian, gunicorn)."""

from portal.app import create_app

app = create_app()
