"""Order pages and the orders JSON API, registered in portal/routes.py.

Partner pages (prices & stock, cart, orders) live in pages.py; the vendor console in console.py
(approval queue, order page), console_catalog.py (catalog, stock, imports, exports) and
console_prices.py (price lists, contract prices, volume breaks);
the JSON API in api.py.
"""

from portal.orders.api import API
from portal.orders.console import PAGES as ORDER_CONSOLE
from portal.orders.console_catalog import PAGES as CATALOG_CONSOLE
from portal.orders.console_prices import PAGES as PRICE_CONSOLE
from portal.orders.pages import PAGES as PARTNER_PAGES

PAGES = [*PARTNER_PAGES, *ORDER_CONSOLE, *CATALOG_CONSOLE, *PRICE_CONSOLE]

__all__ = ["API", "PAGES"]
