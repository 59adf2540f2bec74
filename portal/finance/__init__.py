"""Money after the order: receivables, payments, the append-only ledger and the invoicing profile."""
