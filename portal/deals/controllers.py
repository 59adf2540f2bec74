"""Deal pages and the deals JSON API, registered in portal/routes.py.

Partner pages (list, board, export, form, deal) live in pages.py, the vendor console in
console.py, the JSON API in api.py."""

from portal.deals.api import API
from portal.deals.console import PAGES as CONSOLE
from portal.deals.pages import PAGES as PARTNER_PAGES

PAGES = [*PARTNER_PAGES, *CONSOLE]

__all__ = ["API", "PAGES"]
