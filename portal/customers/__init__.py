"""End customers of each partner: customers, contact people, the contact log and follow-ups, RFM segments, imports and the activity figures."""
