"""Customer pages, the vendor console's activity page and the customers JSON API, registered in
portal/routes.py. Partner pages live in pages.py, the console in console.py, the API in api.py."""

from portal.customers.api import API
from portal.customers.console import PAGES as CONSOLE_PAGES
from portal.customers.pages import PAGES as PARTNER_PAGES

PAGES = [*PARTNER_PAGES, *CONSOLE_PAGES]

__all__ = ["API", "PAGES"]
