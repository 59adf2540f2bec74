"""Piccolo app for deal registrations, their lines, events and winning orders, and for leads
with their offers, routing rules and partner capacities."""

import os

from piccolo.conf.apps import AppConfig

from portal.deals.lead_tables import Lead, LeadCapacity, LeadOffer, LeadRule
from portal.deals.tables import (
    Deal,
    DealAttachment,
    DealEvent,
    DealLine,
    DealOrder,
    TierProtection,
)

APP_CONFIG = AppConfig(
    app_name="deals",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[
        Deal,
        DealLine,
        DealEvent,
        DealOrder,
        DealAttachment,
        Lead,
        LeadOffer,
        LeadRule,
        LeadCapacity,
        TierProtection,
    ],
    migration_dependencies=[
        "portal.partners.piccolo_app",
        "portal.auth.piccolo_app",
        "portal.orders.piccolo_app",
        "portal.customers.piccolo_app",
    ],
    commands=[],
)
