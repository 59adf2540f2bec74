"""Finance pages and API, registered in portal/routes.py: partner pages in pages.py, the
vendor console in console.py, the JSON API in api.py."""

from portal.finance.api import API as MONEY_API
from portal.finance.console import PAGES as CONSOLE_PAGES
from portal.finance.pages import PAGES as PARTNER_PAGES
from portal.finance.rebate_pages import API as REBATE_API
from portal.finance.rebate_pages import PAGES as REBATE_PAGES
from portal.finance.statement_api import API as STATEMENT_API
from portal.finance.statement_pages import PAGES as STATEMENT_PAGES

PAGES = [*PARTNER_PAGES, *CONSOLE_PAGES, *STATEMENT_PAGES, *REBATE_PAGES]

API = [*MONEY_API, *STATEMENT_API, *REBATE_API]

__all__ = ["API", "PAGES"]
