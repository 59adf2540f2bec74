"""RFM scoring and the customer segment: pure integer maths, no database, no clock.

Inputs come from the customer's orders (approved and later, by approval date) and contacts.
Scores run from 1 (weak) to 5 (strong):

- R, recency: days since the latest order or contact:
  <= 30 → 5, <= 90 → 4, <= 180 → 3, <= 365 → 2, otherwise (or never) → 1.
- F, frequency: orders in the last 365 days plus one point per 4 contacts in that time:
  0 → 1, 1 → 2, 2–3 → 3, 4–7 → 4, 8 or more → 5.
- M, monetary: revenue of the last 365 days in minor units (CNY fen):
  0 → 1, < 10,000 yuan → 2, < 50,000 → 3, < 200,000 → 4, otherwise → 5.

Segment, first rule that matches:
1. dormant    — R = 1: no order or contact for more than a year.
2. at risk    — was valuable but is fading: revenue of the previous 365 days >= 50,000 yuan and
                either R <= 2 (nothing for 6 months) or this year's revenue is below half of it.
3. new        — first order within the last 90 days and only one order so far, or no order yet
                and the customer was entered within the last 90 days.
4. high value — R >= 4, F >= 4 and M >= 4.
5. potential  — R >= 3 and (F >= 3 or M >= 3): active, with room to order more or more often.
6. steady     — everyone else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal.customers.constants import Segment

YUAN = 100  # minor units per yuan
RECENCY_DAYS = (30, 90, 180, 365)  # upper bounds for scores 5, 4, 3, 2
FREQUENCY_POINTS = (1, 2, 4, 8)  # lower bounds for scores 2, 3, 4, 5
MONETARY_MINOR = (1, 10_000 * YUAN, 50_000 * YUAN, 200_000 * YUAN)  # lower bounds for 2..5
CONTACTS_PER_POINT = 4
AT_RISK_PREVIOUS_MINOR = 50_000 * YUAN
NEW_DAYS = 90


@dataclass(frozen=True)
class Activity:
    """What the segment depends on, for one customer at one day."""

    created_on: dt.date
    last_activity_on: dt.date | None  # latest order approval or contact
    first_order_on: dt.date | None
    orders_total: int = 0
    orders_year: int = 0  # orders approved in the last 365 days
    contacts_year: int = 0
    revenue_year: int = 0  # minor units, last 365 days
    revenue_previous_year: int = 0  # minor units, the 365 days before that


@dataclass(frozen=True)
class Scored:
    recency: int
    frequency: int
    monetary: int
    segment: Segment

    @property
    def code(self) -> str:
        return f"R{self.recency}F{self.frequency}M{self.monetary}"


def recency_score(days: int | None) -> int:
    if days is None:
        return 1
    for score, limit in zip((5, 4, 3, 2), RECENCY_DAYS, strict=True):
        if days <= limit:
            return score
    return 1


def frequency_score(orders: int, contacts: int) -> int:
    points = orders + contacts // CONTACTS_PER_POINT
    score = 1
    for candidate, bound in zip((2, 3, 4, 5), FREQUENCY_POINTS, strict=True):
        if points >= bound:
            score = candidate
    return score


def monetary_score(revenue_minor: int) -> int:
    score = 1
    for candidate, bound in zip((2, 3, 4, 5), MONETARY_MINOR, strict=True):
        if revenue_minor >= bound:
            score = candidate
    return score


def score(activity: Activity, today: dt.date) -> Scored:
    """The RFM scores and segment of one customer on `today`."""
    days = None if activity.last_activity_on is None else (today - activity.last_activity_on).days
    r = recency_score(days)
    f = frequency_score(activity.orders_year, activity.contacts_year)
    m = monetary_score(activity.revenue_year)
    return Scored(r, f, m, _segment(activity, today, r, f, m))


def _segment(activity: Activity, today: dt.date, r: int, f: int, m: int) -> Segment:
    recent_first_order = (
        activity.first_order_on is not None
        and (today - activity.first_order_on).days <= NEW_DAYS
        and activity.orders_total <= 1
    )
    recent_lead = activity.orders_total == 0 and (today - activity.created_on).days <= NEW_DAYS
    if r == 1 and not recent_lead:
        return Segment.DORMANT
    previous = activity.revenue_previous_year
    if previous >= AT_RISK_PREVIOUS_MINOR and (r <= 2 or activity.revenue_year * 2 < previous):
        return Segment.AT_RISK
    if recent_first_order or recent_lead:
        return Segment.NEW
    if r >= 4 and f >= 4 and m >= 4:
        return Segment.HIGH_VALUE
    if r >= 3 and (f >= 3 or m >= 3):
        return Segment.POTENTIAL
    return Segment.STEADY
