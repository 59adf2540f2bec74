"""Partner pages (console, applications, my company, colleagues) and the partners JSON API."""

PAGES: list = []
API: list = []
