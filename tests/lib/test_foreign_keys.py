"""Lazy foreign key references are resolved once at start-up (issue 19, point 1): Piccolo would
look every LazyTableReference up through the app registry on each use; after create_app() none
is left, and selects through them still read the referenced rows."""

from __future__ import annotations

from piccolo.columns.reference import LazyTableReference
from piccolo.conf.apps import Finder

from portal.app import create_app
from portal.auth.tables import User
from portal.core.tables import Notification
from portal.db import resolve_foreign_keys
from portal.orders.tables import Order
from portal.partners.tables import Partner


def test_no_lazy_reference_is_left_after_start_up():
    create_app(run_scheduler=False)
    lazy = [
        f"{table.__name__}.{column._meta.name}"
        for table in Finder().get_table_classes()
        for column in table._meta.foreign_key_columns
        if isinstance(column._foreign_key_meta.references, LazyTableReference)
    ]
    assert lazy == []
    assert User.partner._foreign_key_meta.references is Partner
    # the copies inside join chains too (Order.submitted_by is a direct reference to User)
    assert Order.submitted_by.partner._foreign_key_meta.references is Partner
    assert resolve_foreign_keys() == 0  # a second call finds nothing to do


async def test_a_select_through_the_resolved_reference_reads_the_partner(alice, partner_a):
    resolve_foreign_keys()
    row = (
        await User.select(User.email, User.partner.name.as_alias("partner_name"))
        .where(User.id == alice.id)
        .first()
    )
    partner = await Partner.select(Partner.name).where(Partner.id == partner_a).first()
    assert row == {"email": alice.email, "partner_name": partner["name"]}
    assert Notification.user._foreign_key_meta.references is User
