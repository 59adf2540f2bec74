"""Lets the `piccolo` CLI run from the repository root; the real config is portal.piccolo_conf."""

from portal.piccolo_conf import APP_REGISTRY, DB

__all__ = ["APP_REGISTRY", "DB"]
