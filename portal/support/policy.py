"""The SLA policy as stored: the calendar (hours, holidays, time zone), the targets per priority
and tier, and the deadlines of a case computed from them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from portal.lib.clock import now
from portal.lib.inputs import parse_int
from portal.settings import get_settings
from portal.support import sla
from portal.support.constants import (
    DEFAULT_SECOND_BREACH_PERCENT,
    DEFAULT_TARGETS,
    DEFAULT_WARN_PERCENT,
)
from portal.support.tables import SlaTarget, SupportCalendar, SupportHoliday


@dataclass(frozen=True)
class Policy:
    """The calendar plus the ladder's percentages."""

    calendar: sla.Calendar
    warn_percent: int = DEFAULT_WARN_PERCENT
    second_breach_percent: int = DEFAULT_SECOND_BREACH_PERCENT


@dataclass(frozen=True)
class Deadlines:
    """The six instants of the ladder for one case, from a start and two targets."""

    fr_warn_at: dt.datetime
    fr_due_at: dt.datetime
    fr_second_at: dt.datetime
    res_warn_at: dt.datetime
    res_due_at: dt.datetime
    res_second_at: dt.datetime

    def as_columns(self) -> dict[str, dt.datetime]:
        return {
            "fr_warn_at": self.fr_warn_at,
            "fr_due_at": self.fr_due_at,
            "fr_second_at": self.fr_second_at,
            "res_warn_at": self.res_warn_at,
            "res_due_at": self.res_due_at,
            "res_second_at": self.res_second_at,
        }


LADDER_COLUMNS = (
    "fr_warn_at",
    "fr_due_at",
    "fr_second_at",
    "res_warn_at",
    "res_due_at",
    "res_second_at",
)


async def calendar_row() -> dict[str, Any]:
    """The stored calendar, or the defaults (settings' time zone, Mon-Fri 09:00-18:00)."""
    row = await SupportCalendar.select().order_by(SupportCalendar.id).first()
    if row is None:
        return {
            "id": None,
            "time_zone": get_settings().time_zone,
            "work_days": "0,1,2,3,4",
            "start_minute": 9 * 60,
            "end_minute": 18 * 60,
            "warn_percent": DEFAULT_WARN_PERCENT,
            "second_breach_percent": DEFAULT_SECOND_BREACH_PERCENT,
        }
    return row


def parse_work_days(value: str) -> frozenset[int]:
    return frozenset(d for x in value.split(",") if (d := parse_int(x, high=6)) is not None)


async def load_policy() -> Policy:
    """The calendar and ladder settings in force (two small queries)."""
    row = await calendar_row()
    days = await SupportHoliday.select(SupportHoliday.on, SupportHoliday.is_workday)
    calendar = sla.Calendar(
        time_zone=row["time_zone"],
        work_days=parse_work_days(row["work_days"]),
        start_minute=row["start_minute"],
        end_minute=row["end_minute"],
        holidays=frozenset(d["on"] for d in days if not d["is_workday"]),
        extra_workdays=frozenset(d["on"] for d in days if d["is_workday"]),
    )
    return Policy(calendar, row["warn_percent"], row["second_breach_percent"])


async def targets_for(priority: str, tier_id: int | None) -> tuple[int, int]:
    """(first response, resolution) business minutes: the tier's row, else the row without a
    tier, else the built-in defaults."""
    rows = await SlaTarget.select(
        SlaTarget.tier, SlaTarget.first_response_minutes, SlaTarget.resolution_minutes
    ).where(SlaTarget.priority == priority)
    by_tier = {r["tier"]: r for r in rows}
    row = by_tier.get(tier_id) if tier_id is not None else None
    row = row or by_tier.get(None)
    if row:
        return int(row["first_response_minutes"]), int(row["resolution_minutes"])
    return DEFAULT_TARGETS[priority]


def deadlines(
    policy: Policy, start: dt.datetime, first_response: int, resolution: int
) -> Deadlines:
    """The ladder's instants for targets counted from `start`."""
    cal = policy.calendar
    return Deadlines(
        fr_warn_at=sla.threshold(cal, start, first_response, policy.warn_percent),
        fr_due_at=sla.add_business_minutes(cal, start, first_response),
        fr_second_at=sla.threshold(cal, start, first_response, policy.second_breach_percent),
        res_warn_at=sla.threshold(cal, start, resolution, policy.warn_percent),
        res_due_at=sla.add_business_minutes(cal, start, resolution),
        res_second_at=sla.threshold(cal, start, resolution, policy.second_breach_percent),
    )


def time_left(policy: Policy, due: dt.datetime | None, at: dt.datetime | None = None) -> int | None:
    """Business minutes until `due` (negative: working minutes overdue); None without a due."""
    if due is None:
        return None
    moment = at or now()
    if due >= moment:
        return sla.business_minutes_between(policy.calendar, moment, due)
    return -sla.business_minutes_between(policy.calendar, due, moment)
