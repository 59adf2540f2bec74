"""End customers of each partner, their contact people, the contact log (with follow-ups), the
partner's visibility choice, per-user digest settings and sent digests, and pending imports.

Every row carries its partner: the tenant wall (`access.customer_scope`) filters on it. Composite
indexes for the list (partner + sort key), the duplicate checks (partner + phone/e-mail/name key)
and the follow-up queues, plus CHECK constraints, live in the second migration
(customers_2026_11_27t00_10_00_000000), because Piccolo cannot declare them portably.
"""

from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from portal.auth.tables import User
from portal.customers.constants import (
    Channel,
    CompanySize,
    CustomerKind,
    Direction,
    Duplicates,
    ImportStatus,
    Outcome,
    Segment,
    Source,
)
from portal.partners.tables import Partner


class Customer(Table, tablename="customer"):
    """An end customer of one partner. The counters and dates after `notes` are kept by the
    services (contact logged, segment recomputed) so the list needs no aggregate per row."""

    id: Serial  # created by Piccolo; declared for type checkers

    partner = ForeignKey(Partner, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=10, choices=CustomerKind, default=CustomerKind.COMPANY)
    name = Varchar(length=200)
    name_key = Varchar(length=200, default="")  # lower-case, no spaces: duplicate check
    industry = Varchar(length=80, default="")
    size = Varchar(length=10, choices=CompanySize, default=CompanySize.UNKNOWN)
    region = Varchar(length=80, default="")  # province or region
    city = Varchar(length=80, default="")
    source = Varchar(length=20, choices=Source, default=Source.OTHER)
    owner = ForeignKey(User, null=True, on_delete=OnDelete.set_null, index=True)
    tags = Varchar(length=700, default="")  # ",tag1,tag2," so a tag filter is one LIKE
    notes = Text(default="")
    # primary contact, copied from the first CustomerContact for the list and exports
    contact_name = Varchar(length=100, default="")
    contact_phone = Varchar(length=40, default="")
    contact_email = Varchar(length=200, default="")
    segment = Varchar(length=20, choices=Segment, default=Segment.NEW)
    rfm = Varchar(length=6, default="")  # e.g. "R4F2M3", the scores behind the segment
    segment_on = Date(null=True, default=None)
    last_contact_at = Timestamptz(null=True, default=None)
    next_followup_on = Date(null=True, default=None)  # earliest open follow-up
    interaction_count = Integer(default=0)
    order_count = Integer(default=0)  # approved and later orders (segment job)
    revenue_amount = BigInt(default=0)  # minor units, approved and later orders (segment job)
    last_order_at = Timestamptz(null=True, default=None)
    created_by_id = BigInt(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class CustomerContact(Table, tablename="customer_contact"):
    """A person at the customer (the customer itself for a private person)."""

    id: Serial  # created by Piccolo; declared for type checkers

    customer = ForeignKey(Customer, on_delete=OnDelete.cascade, index=True)
    partner = ForeignKey(Partner, on_delete=OnDelete.cascade)  # for the duplicate checks
    name = Varchar(length=100)
    title = Varchar(length=100, default="")
    phone = Varchar(length=40, default="")
    phone_key = Varchar(length=40, default="")  # digits only
    email = Varchar(length=200, default="")  # lower-case
    wechat = Varchar(length=60, default="")
    position = Integer(default=0)  # 0 = primary
    created_at = Timestamptz()


class Interaction(Table, tablename="customer_interaction"):
    """One contact with a customer; with `followup_on` it is also a follow-up, open until a
    later contact with the customer is logged or someone marks it done."""

    id: Serial  # created by Piccolo; declared for type checkers

    customer = ForeignKey(Customer, on_delete=OnDelete.cascade, index=True)
    partner = ForeignKey(Partner, on_delete=OnDelete.cascade)  # figures without a join
    user = ForeignKey(User, null=True, on_delete=OnDelete.set_null)  # who logged it
    user_name = Varchar(length=120, default="")
    channel = Varchar(length=20, choices=Channel)
    direction = Varchar(length=10, choices=Direction, default=Direction.OUTBOUND)
    occurred_at = Timestamptz()
    summary = Text()
    outcome = Varchar(length=20, choices=Outcome, default=Outcome.NONE)
    followup_on = Date(null=True, default=None)
    assignee = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    followup_done_at = Timestamptz(null=True, default=None)
    followup_done_by_id = BigInt(null=True, default=None)
    source = Varchar(length=20, default="portal")  # portal, api, import, demo
    created_at = Timestamptz()


class CustomerSettings(Table, tablename="customer_settings"):
    """The partner admin's choices for the customers domain (one row per partner)."""

    id: Serial  # created by Piccolo; declared for type checkers

    partner = ForeignKey(Partner, on_delete=OnDelete.cascade, unique=True)
    members_see_all = Boolean(default=True)  # False: members see only customers they own
    updated_by_id = BigInt(null=True, default=None)
    updated_at = Timestamptz()


class CustomerUserSettings(Table, tablename="customer_user_settings"):
    """One user's choices for the customers domain (the daily follow-up digest)."""

    id: Serial  # created by Piccolo; declared for type checkers

    user = ForeignKey(User, on_delete=OnDelete.cascade, unique=True)
    daily_digest = Boolean(default=True)
    updated_at = Timestamptz()


class FollowupDigest(Table, tablename="followup_digest"):
    """The follow-up digest of one user for one day: unique (user, sent_on), so a job run twice
    or two workers send it once."""

    id: Serial  # created by Piccolo; declared for type checkers

    user = ForeignKey(User, on_delete=OnDelete.cascade)
    sent_on = Date()
    followups = Integer(default=0)
    email_id = BigInt(null=True, default=None)
    created_at = Timestamptz()


class CustomerImport(Table, tablename="customer_import"):
    """An uploaded customer file, parsed and kept here until it is confirmed or discarded (so a
    preview survives restarts and several processes)."""

    id: Serial  # created by Piccolo; declared for type checkers

    partner = ForeignKey(Partner, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    filename = Varchar(length=200)
    status = Varchar(length=10, choices=ImportStatus, default=ImportStatus.PENDING)
    headers = JSON(default=[])  # the file's header texts, in order
    mapping = JSON(default={})  # header index (as text) -> field name
    rows = JSON(default=[])  # [[line, [cell, ...]], ...]
    on_duplicate = Varchar(length=10, choices=Duplicates, default=Duplicates.SKIP)
    created = Integer(default=0)
    merged = Integer(default=0)
    skipped = Integer(default=0)
    created_at = Timestamptz()
    done_at = Timestamptz(null=True, default=None)
