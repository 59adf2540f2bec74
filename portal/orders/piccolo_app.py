"""Piccolo app for the catalog, prices, stock and orders."""

import os

from piccolo.conf.apps import AppConfig

from portal.orders.tables import (
    CartItem,
    Category,
    ContractPrice,
    CreditExposure,
    Order,
    OrderAllocation,
    OrderEvent,
    OrderLine,
    PriceList,
    PriceListItem,
    Product,
    QuantityBreak,
    Shipment,
    ShipmentLine,
    StockLevel,
    StockMovement,
    Warehouse,
)

APP_CONFIG = AppConfig(
    app_name="orders",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[
        Category,
        Product,
        Warehouse,
        StockLevel,
        StockMovement,
        PriceList,
        PriceListItem,
        ContractPrice,
        QuantityBreak,
        CartItem,
        CreditExposure,
        Order,
        OrderLine,
        OrderAllocation,
        Shipment,
        ShipmentLine,
        OrderEvent,
    ],
    migration_dependencies=["portal.partners.piccolo_app", "portal.auth.piccolo_app"],
    commands=[],
)
