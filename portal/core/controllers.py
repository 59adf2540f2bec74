"""Console pages for cross-cutting records: the audit log and outgoing e-mail."""

PAGES: list = []
