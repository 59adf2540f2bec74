"""Performance: monthly rollups of order revenue, targets, score weights, the vendor's notes,
extra report recipients and the delivery row of each monthly PDF report.

Composite unique indexes (one row per partner and month / period / address) are created in the
second migration (performance_2026_11_27t00_30_00_000000), which both databases accept.
"""

from piccolo.columns import (
    BigInt,
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

from portal.partners.tables import Partner, Tier
from portal.performance.constants import DeliveryStatus


class MonthlyRollup(Table, tablename="performance_rollup"):
    """Revenue and orders of one partner in one month (local time), from approved and later
    orders by approval date; rewritten by `rollups.refresh_rollups` (unique per partner, month)."""

    id: Serial  # created by Piccolo; declared for type checkers

    partner = ForeignKey(Partner, on_delete=OnDelete.cascade, index=True)
    month = Date(index=True)  # first day of the month
    revenue_amount = BigInt(default=0)  # minor units
    order_count = Integer(default=0)
    computed_at = Timestamptz()


class PerformanceTarget(Table, tablename="performance_target"):
    """A partner's revenue target for one period (2026-10, 2026-Q4, 2026); unique per both."""

    id: Serial  # created by Piccolo; declared for type checkers

    partner = ForeignKey(Partner, on_delete=OnDelete.cascade, index=True)
    period = Varchar(length=10)
    revenue_target_amount = BigInt(default=0)  # minor units
    updated_by_id = BigInt(null=True, default=None)
    updated_at = Timestamptz()


class ScoreWeight(Table, tablename="performance_weight"):
    """The vendor's weight of one metric in the composite score (0-100; 0 leaves it out)."""

    id: Serial  # created by Piccolo; declared for type checkers

    metric = Varchar(length=40, unique=True)
    weight = Integer(default=0)
    updated_by_id = BigInt(null=True, default=None)
    updated_at = Timestamptz()


class VendorNote(Table, tablename="performance_note"):
    """The vendor's note to a partner for one period, printed in its report; unique per both."""

    id: Serial  # created by Piccolo; declared for type checkers

    partner = ForeignKey(Partner, on_delete=OnDelete.cascade, index=True)
    period = Varchar(length=10)
    body = Text(default="")
    updated_by_id = BigInt(null=True, default=None)
    updated_by_name = Varchar(length=120, default="")
    updated_at = Timestamptz()


class ReportRecipient(Table, tablename="report_recipient"):
    """An extra address a partner admin adds to receive the monthly report (besides admins)."""

    id: Serial  # created by Piccolo; declared for type checkers

    partner = ForeignKey(Partner, on_delete=OnDelete.cascade, index=True)
    email = Varchar(length=254)
    name = Varchar(length=120, default="")
    locale = Varchar(length=10, default="zh_CN")
    created_by_id = BigInt(null=True, default=None)
    created_at = Timestamptz()


class ReportDelivery(Table, tablename="report_delivery"):
    """The monthly report of one partner for one month: the source of truth for sending.

    Unique per (partner, period). A sender claims it with a conditional UPDATE that sets a lease;
    a killed worker's lease runs out and the row is claimable again. `sent_to` lists the addresses
    already served, so a retry after a half-sent batch never mails anyone twice.
    """

    id: Serial  # created by Piccolo; declared for type checkers

    partner = ForeignKey(Partner, on_delete=OnDelete.cascade, index=True)
    period = Varchar(length=10, index=True)
    status = Varchar(length=10, choices=DeliveryStatus, default=DeliveryStatus.PENDING, index=True)
    attempts = Integer(default=0)
    last_error = Text(default="")
    lease_until = Timestamptz(null=True, default=None)
    next_attempt_at = Timestamptz(null=True, default=None)
    sent_at = Timestamptz(null=True, default=None)
    sent_to = Text(default="")  # one address per line, as each e-mail is accepted
    resend_count = Integer(default=0)  # "send again": part of the Message-ID
    pdf_key = Varchar(length=200, default="")  # shared storage key (lib/storage), written once
    pdf_size = Integer(default=0)
    locale = Varchar(length=10, default="")
    created_at = Timestamptz()
    updated_at = Timestamptz()


class TierThreshold(Table, tablename="performance_tier_threshold"):
    """The vendor's quarterly revenue threshold of a tier for the scorecards (overrides the
    default on Tier; a month counts a third, a year four quarters). One row per tier."""

    id: Serial  # created by Piccolo; declared for type checkers

    tier = ForeignKey(Tier, on_delete=OnDelete.cascade, unique=True)
    quarterly_amount = BigInt(default=0)  # minor units
    updated_by_id = BigInt(null=True, default=None)
    updated_at = Timestamptz()
