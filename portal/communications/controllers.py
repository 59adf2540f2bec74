"""Communications pages and JSON API, registered in portal/routes.py.

Partner pages (campaigns, notifications, feedback) live in pages.py, the vendor console in
console.py, the JSON API in api.py.
"""

from portal.communications.api import API
from portal.communications.console import PAGES as CONSOLE_PAGES
from portal.communications.pages import PAGES as PARTNER_PAGES

PAGES = [*PARTNER_PAGES, *CONSOLE_PAGES]

__all__ = ["API", "PAGES"]
