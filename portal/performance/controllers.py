"""Performance pages and API, registered in portal/routes.py: the vendor console (console.py, console_settings.py),
the partner's own pages (pages.py) and the JSON API (api.py)."""

from portal.performance.api import API
from portal.performance.console import PAGES as CONSOLE_PAGES
from portal.performance.console_settings import PerformanceSettings
from portal.performance.pages import PAGES as PARTNER_PAGES

PAGES = [*PARTNER_PAGES, *CONSOLE_PAGES, PerformanceSettings]

__all__ = ["API", "PAGES"]
