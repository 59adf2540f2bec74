"""Console settings of the support desk (vendor admins): the business-hours calendar and its
holidays, SLA targets, teams and routing rules. Every change is audited."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
from msgspec import Meta

from portal.auth.constants import VENDOR_ROLES
from portal.auth.schemas import CurrentUser
from portal.auth.tables import User
from portal.core.audit import record
from portal.db import write_transaction
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.partners.tables import Tier
from portal.support.constants import DEFAULT_TARGETS, CaseCategory, CasePriority
from portal.support.policy import calendar_row
from portal.support.tables import (
    RoutingRule,
    SlaTarget,
    SupportCalendar,
    SupportHoliday,
    SupportTeam,
    SupportTeamMember,
)


class CalendarForm(msgspec.Struct, kw_only=True):
    time_zone: Annotated[str, Meta(max_length=60)]
    start: Annotated[str, Meta(pattern=r"^[0-9]{1,2}:[0-9]{2}$")]
    end: Annotated[str, Meta(pattern=r"^[0-9]{1,2}:[0-9]{2}$")]
    work_days: list[int] = []
    warn_percent: Annotated[int, Meta(ge=1, le=99)] = 80
    second_breach_percent: Annotated[int, Meta(ge=101, le=1000)] = 200


class HolidayForm(msgspec.Struct, kw_only=True):
    on: dt.date
    name: Annotated[str, Meta(max_length=100)] = ""
    is_workday: bool = False


class TeamForm(msgspec.Struct, kw_only=True):
    name: Annotated[str, Meta(min_length=2, max_length=100)]
    lead_id: int | None = None
    member_ids: list[int] = []
    is_active: bool = True


class RuleForm(msgspec.Struct, kw_only=True):
    name: Annotated[str, Meta(max_length=100)] = ""
    position: Annotated[int, Meta(ge=0, le=10_000)] = 100
    category: str = ""
    priority: str = ""
    province: Annotated[str, Meta(max_length=10)] = ""
    tier_id: int | None = None
    team_id: int | None = None
    assignee_id: int | None = None


def _minutes(value: str) -> int:
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


async def save_calendar(actor: CurrentUser, form: CalendarForm) -> None:
    errors: dict[str, str] = {}
    try:
        ZoneInfo(form.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        errors["time_zone"] = _("Enter a time zone such as Asia/Shanghai.")
    start, end = _minutes(form.start), _minutes(form.end)
    if not 0 <= start < end <= 24 * 60:
        errors["end"] = _("The working day must end after it starts.")
    days = sorted({d for d in form.work_days if 0 <= d <= 6})
    if not days:
        errors["work_days"] = _("Choose at least one working day.")
    if form.second_breach_percent <= 100:
        errors["second_breach_percent"] = _("Must be at least %(n)s.", n=101)
    if errors:
        raise FormError(errors)
    before = await calendar_row()
    values = {
        "time_zone": form.time_zone,
        "work_days": ",".join(str(d) for d in days),
        "start_minute": start,
        "end_minute": end,
        "warn_percent": form.warn_percent,
        "second_breach_percent": form.second_breach_percent,
    }
    async with write_transaction():
        if before.get("id") is None:
            await SupportCalendar.insert(
                SupportCalendar(**values, updated_at=now(), updated_by_id=actor.id)  # type: ignore[arg-type]
            )
        else:
            await SupportCalendar.update(
                {
                    **{getattr(SupportCalendar, k): v for k, v in values.items()},
                    SupportCalendar.updated_at: now(),
                    SupportCalendar.updated_by_id: actor.id,
                }
            ).where(SupportCalendar.id == before["id"])
        await record(
            "support.calendar_changed",
            actor=actor,
            target_type="support_calendar",
            before={k: before.get(k) for k in values},
            after=values,
        )


async def add_holiday(actor: CurrentUser, form: HolidayForm) -> None:
    if await SupportHoliday.exists().where(SupportHoliday.on == form.on):
        raise FormError({"on": _("This day is already in the calendar.")})
    async with write_transaction():
        await SupportHoliday.insert(
            SupportHoliday(on=form.on, name=form.name.strip(), is_workday=form.is_workday)
        )
        await record(
            "support.holiday_added",
            actor=actor,
            target_type="support_holiday",
            after={"on": form.on, "name": form.name, "is_workday": form.is_workday},
        )


async def delete_holiday(actor: CurrentUser, holiday_id: int) -> None:
    async with write_transaction():
        row = await SupportHoliday.select().where(SupportHoliday.id == holiday_id).first()
        if row is None:
            return
        await SupportHoliday.delete().where(SupportHoliday.id == holiday_id)
        await record(
            "support.holiday_removed",
            actor=actor,
            target_type="support_holiday",
            target_id=holiday_id,
            before={"on": row["on"], "name": row["name"]},
        )


async def list_holidays() -> list[dict[str, Any]]:
    return await SupportHoliday.select().order_by(SupportHoliday.on)


async def targets_table() -> list[dict[str, Any]]:
    """One row per priority and tier (None = every tier) with the stored or default targets."""

    stored = await SlaTarget.select()
    by_key = {(r["priority"], r["tier"]): r for r in stored}
    tiers = await Tier.select(Tier.id, Tier.code, Tier.name_zh, Tier.name_en).order_by(Tier.rank)
    out = []
    for priority in CasePriority:
        for tier in [None, *tiers]:
            tier_id = tier["id"] if tier else None
            row = by_key.get((priority.value, tier_id))
            default = DEFAULT_TARGETS[priority]
            out.append(
                {
                    "priority": priority.value,
                    "tier_id": tier_id,
                    "tier": tier,
                    "key": f"{priority.value}_{tier_id or 0}",
                    "first_response": row["first_response_minutes"]
                    if row
                    else (None if tier else default[0]),
                    "resolution": row["resolution_minutes"]
                    if row
                    else (None if tier else default[1]),
                }
            )
    return out


async def save_targets(actor: CurrentUser, data: dict[str, str]) -> None:
    """Targets from the console grid: fr_<priority>_<tier or 0> and res_<...> in minutes;
    an empty tier row means "as for every tier"."""
    rows = await targets_table()
    errors: dict[str, str] = {}
    wanted: list[tuple[str, int | None, int, int]] = []
    for row in rows:
        fr_raw = str(data.get(f"fr_{row['key']}", "")).strip()
        res_raw = str(data.get(f"res_{row['key']}", "")).strip()
        if not fr_raw and not res_raw and row["tier_id"] is not None:
            continue
        try:
            fr, res = int(fr_raw), int(res_raw)
        except ValueError:
            errors[f"fr_{row['key']}"] = _("Enter a whole number.")
            continue
        if fr <= 0 or res < fr:
            errors[f"fr_{row['key']}"] = _(
                "The first response must be positive and not later than the resolution."
            )
            continue
        wanted.append((row["priority"], row["tier_id"], fr, res))
    if errors:
        raise FormError(errors)
    async with write_transaction():
        await SlaTarget.delete(force=True)
        for priority, tier_id, fr, res in wanted:
            await SlaTarget.insert(
                SlaTarget(
                    priority=priority,
                    tier=tier_id,
                    first_response_minutes=fr,
                    resolution_minutes=res,
                    updated_at=now(),
                )
            )
        await record(
            "support.targets_changed",
            actor=actor,
            target_type="sla_target",
            after={f"{p}:{t or '*'}": f"{fr}/{res}" for p, t, fr, res in wanted},
        )


async def _vendor_ids(ids: list[int]) -> set[int]:
    if not ids:
        return set()
    rows = await User.select(User.id).where(
        User.id.is_in(ids) & User.role.is_in(list(VENDOR_ROLES))
    )
    return {int(r["id"]) for r in rows}


async def save_team(actor: CurrentUser, form: TeamForm, team_id: int | None = None) -> int:
    members = sorted(set(form.member_ids))
    known = await _vendor_ids([*members, *([form.lead_id] if form.lead_id else [])])
    if any(m not in known for m in members):
        raise FormError({"member_ids": _("Choose active members of the vendor staff.")})
    if form.lead_id is not None and form.lead_id not in known:
        raise FormError({"lead_id": _("Choose active members of the vendor staff.")})
    clash = SupportTeam.exists().where(SupportTeam.name == form.name.strip())
    if team_id is not None:
        clash = clash.where(SupportTeam.id != team_id)
    if await clash:
        raise FormError({"name": _("A team with this name exists already.")})
    async with write_transaction():
        if team_id is None:
            rows = await SupportTeam.insert(
                SupportTeam(
                    name=form.name.strip(),
                    lead_id=form.lead_id,
                    is_active=form.is_active,
                    created_at=now(),
                )
            ).returning(SupportTeam.id)
            team_id = int(rows[0]["id"])
        else:
            await SupportTeam.update(
                {
                    SupportTeam.name: form.name.strip(),
                    SupportTeam.lead_id: form.lead_id,
                    SupportTeam.is_active: form.is_active,
                }
            ).where(SupportTeam.id == team_id)
            await SupportTeamMember.delete().where(SupportTeamMember.team == team_id)
        for member in members:
            await SupportTeamMember.insert(SupportTeamMember(team=team_id, user_id=member))
        await record(
            "support.team_saved",
            actor=actor,
            target_type="support_team",
            target_id=team_id,
            after={"name": form.name, "lead_id": form.lead_id, "members": members},
        )
    return team_id


async def list_teams() -> list[dict[str, Any]]:
    teams = await SupportTeam.select().order_by(SupportTeam.name)
    members = await SupportTeamMember.select(SupportTeamMember.team, SupportTeamMember.user_id)
    by_team: dict[int, list[int]] = {}
    for m in members:
        by_team.setdefault(int(m["team"]), []).append(int(m["user_id"]))
    for team in teams:
        team["member_ids"] = by_team.get(team["id"], [])
    return teams


async def save_rule(actor: CurrentUser, form: RuleForm) -> int:
    errors: dict[str, str] = {}
    if form.category and form.category not in CaseCategory._value2member_map_:
        errors["category"] = _("Choose one of the options.")
    if form.priority and form.priority not in CasePriority._value2member_map_:
        errors["priority"] = _("Choose one of the options.")
    if (form.team_id is None) == (form.assignee_id is None):
        errors["team_id"] = _("Send the cases either to a team or to one person.")
    if form.assignee_id is not None and form.assignee_id not in await _vendor_ids(
        [form.assignee_id]
    ):
        errors["assignee_id"] = _("Choose an active member of the vendor staff.")
    if form.team_id is not None and not await SupportTeam.exists().where(
        SupportTeam.id == form.team_id
    ):
        errors["team_id"] = _("No such team.")
    if errors:
        raise FormError(errors)
    async with write_transaction():
        rows = await RoutingRule.insert(
            RoutingRule(
                name=form.name.strip(),
                position=form.position,
                category=form.category,
                priority=form.priority,
                province=form.province.strip().upper(),
                tier=form.tier_id,
                team=form.team_id,
                assignee_id=form.assignee_id,
                is_active=True,
                created_at=now(),
            )
        ).returning(RoutingRule.id)
        rule_id = int(rows[0]["id"])
        await record(
            "support.rule_added",
            actor=actor,
            target_type="routing_rule",
            target_id=rule_id,
            after=msgspec.structs.asdict(form),
        )
    return rule_id


async def delete_rule(actor: CurrentUser, rule_id: int) -> None:
    async with write_transaction():
        await RoutingRule.delete().where(RoutingRule.id == rule_id)
        await record(
            "support.rule_removed", actor=actor, target_type="routing_rule", target_id=rule_id
        )


async def list_rules() -> list[dict[str, Any]]:
    return await (
        RoutingRule.select(
            *RoutingRule.all_columns(),
            RoutingRule.team.name.as_alias("team_name"),
            RoutingRule.tier.code.as_alias("tier_code"),
        )
        .order_by(RoutingRule.position)
        .order_by(RoutingRule.id)
    )
