"""Orders: the catalog, tier pricing, live stock, and an order flow that never oversells."""
