"""Deal and lead pages and their JSON API, registered in portal/routes.py.

Partner pages (list, board, export, form, deal) live in pages.py, a deal's files in
attachment_pages.py, the vendor console in console.py, the JSON API in api.py; leads in lead_pages.py, lead_console.py and lead_api.py."""

from portal.deals.api import API as DEAL_API
from portal.deals.attachment_pages import PAGES as FILE_PAGES
from portal.deals.console import PAGES as CONSOLE
from portal.deals.lead_api import API as LEAD_API
from portal.deals.lead_console import PAGES as LEAD_CONSOLE
from portal.deals.lead_pages import PAGES as LEAD_PAGES
from portal.deals.pages import PAGES as PARTNER_PAGES

PAGES = [*PARTNER_PAGES, *FILE_PAGES, *CONSOLE, *LEAD_PAGES, *LEAD_CONSOLE]
API = [*DEAL_API, *LEAD_API]

__all__ = ["API", "PAGES"]
