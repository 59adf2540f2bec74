"""Support pages and the cases JSON API, registered in portal/routes.py.

Partner pages (cases, files, knowledge base) live in pages.py; the vendor console in
console.py (queues, case page, figures, articles) and console_settings.py (hours, holidays,
targets, teams, routing rules); the JSON API and inbound e-mail in api.py.
"""

from portal.support.api import API
from portal.support.console import PAGES as CONSOLE
from portal.support.console_settings import PAGES as SETTINGS
from portal.support.pages import PAGES as PARTNER_PAGES

PAGES = [*PARTNER_PAGES, *CONSOLE, *SETTINGS]

__all__ = ["API", "PAGES"]
