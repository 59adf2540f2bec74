"""Finance pages and API, registered in portal/routes.py: partner pages in pages.py, the
vendor console in console.py, the JSON API in api.py."""

from portal.finance.api import API
from portal.finance.console import PAGES as CONSOLE_PAGES
from portal.finance.pages import PAGES as PARTNER_PAGES

PAGES = [*PARTNER_PAGES, *CONSOLE_PAGES]

__all__ = ["API", "PAGES"]
