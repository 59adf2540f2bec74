"""Vendor-admin settings of the support desk: business hours and holidays, SLA targets,
teams, and routing rules."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from portal.auth.constants import Access
from portal.lib.forms import FormError, read_form
from portal.lib.i18n import current_locale
from portal.lib.i18n import gettext as _
from portal.partners.constants import PROVINCES, province_name
from portal.partners.tables import Tier
from portal.partners.tiers import tier_names
from portal.support import admin, services
from portal.support.pages import category_options, priority_options
from portal.support.policy import calendar_row, parse_work_days
from portal.web import current_user, page, redirect

ADMIN = {"access": Access.VENDOR_ADMIN}


def weekday_options() -> list[tuple[int, str]]:
    names = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday")]
    return [*enumerate(names), (5, _("Saturday")), (6, _("Sunday"))]


class SupportSettings(Controller):
    """Calendar, holidays and targets on one page; teams and rules on their own pages."""

    path = "/console/support"
    opt = ADMIN

    async def _settings(
        self,
        request: Request,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
        status_code: int = 200,
    ) -> Template:
        row = await calendar_row()
        defaults = {
            "time_zone": row["time_zone"],
            "start": admin.hhmm(row["start_minute"]),
            "end": admin.hhmm(row["end_minute"]),
            "work_days": sorted(parse_work_days(row["work_days"])),
            "warn_percent": row["warn_percent"],
            "second_breach_percent": row["second_breach_percent"],
        }
        return page(
            request,
            "console/support/settings.html",
            status_code=status_code,
            errors=errors or {},
            values={**defaults, **(values or {})},
            weekdays=weekday_options(),
            holidays=await admin.list_holidays(),
            targets=await admin.targets_table(),
            priority_options=dict(priority_options()),
        )

    @get("/settings", name="support_settings:show")
    async def show(self, request: Request) -> Template:
        return await self._settings(request)

    @post("/calendar", name="support_settings:calendar")
    async def calendar(self, request: Request) -> Template | Redirect:
        data = await request.form()
        form, errors, values = read_form(admin.CalendarForm, data)
        if form is not None:
            try:
                await admin.save_calendar(current_user(request), form)
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request,
                    "support_settings:show",
                    flash=("success", _("Business hours saved. New deadlines use them.")),
                )
        return await self._settings(request, errors, values, 400)

    @post("/holidays", name="support_settings:holiday_add")
    async def holiday_add(self, request: Request) -> Template | Redirect:
        data = await request.form()
        form, errors, values = read_form(admin.HolidayForm, data)
        if form is not None:
            try:
                await admin.add_holiday(current_user(request), form)
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request, "support_settings:show", flash=("success", _("Day added."))
                )
        return await self._settings(request, errors, {"holiday": values}, 400)

    @post("/holidays/{holiday_id:int}/delete", name="support_settings:holiday_delete")
    async def holiday_delete(self, request: Request, holiday_id: FromPath[int]) -> Redirect:
        await admin.delete_holiday(current_user(request), holiday_id)
        return redirect(request, "support_settings:show", flash=("info", _("Day removed.")))

    @post("/targets", name="support_settings:targets")
    async def targets(self, request: Request) -> Template | Redirect:
        data = await request.form()
        try:
            await admin.save_targets(current_user(request), dict(data.items()))
        except FormError as exc:
            return await self._settings(request, exc.errors, None, 400)
        return redirect(
            request,
            "support_settings:show",
            flash=("success", _("SLA targets saved. They apply to new cases.")),
        )

    async def _teams(
        self,
        request: Request,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
        status_code: int = 200,
    ) -> Template:
        staff = await services.vendor_choices()
        return page(
            request,
            "console/support/teams.html",
            status_code=status_code,
            errors=errors or {},
            values=values or {"is_active": True},
            teams=await admin.list_teams(),
            staff=staff,
            names={s["id"]: s["name"] or s["email"] for s in staff},
        )

    @get("/teams", name="support_settings:teams")
    async def teams(self, request: Request) -> Template:
        return await self._teams(request)

    @post("/teams", name="support_settings:team_create")
    async def team_create(self, request: Request) -> Template | Redirect:
        return await self._save_team(request, None)

    @post("/teams/{team_id:int}", name="support_settings:team_update")
    async def team_update(self, request: Request, team_id: FromPath[int]) -> Template | Redirect:
        return await self._save_team(request, team_id)

    async def _save_team(self, request: Request, team_id: int | None) -> Template | Redirect:
        data = await request.form()
        form, errors, values = read_form(admin.TeamForm, data)
        if form is not None:
            try:
                await admin.save_team(current_user(request), form, team_id)
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request, "support_settings:teams", flash=("success", _("Team saved."))
                )
        return await self._teams(request, errors, values, 400)

    async def _rules(
        self,
        request: Request,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
        status_code: int = 200,
    ) -> Template:
        staff = await services.vendor_choices()
        return page(
            request,
            "console/support/rules.html",
            status_code=status_code,
            errors=errors or {},
            values=values or {"position": 100},
            rules=await admin.list_rules(),
            tier_names=await tier_names(),
            province_name=lambda code: province_name(code, current_locale.get()),
            teams=await services.team_choices(),
            staff=staff,
            names={s["id"]: s["name"] or s["email"] for s in staff},
            tiers=await Tier.select(Tier.id, Tier.code, Tier.name_zh, Tier.name_en).order_by(
                Tier.rank
            ),
            provinces=sorted(PROVINCES.items()),
            category_options=category_options(),
            priority_options=priority_options(),
        )

    @get("/rules", name="support_settings:rules")
    async def rules(self, request: Request) -> Template:
        return await self._rules(request)

    @post("/rules", name="support_settings:rule_create")
    async def rule_create(self, request: Request) -> Template | Redirect:
        data = await request.form()
        form, errors, values = read_form(admin.RuleForm, data)
        if form is not None:
            try:
                await admin.save_rule(current_user(request), form)
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request, "support_settings:rules", flash=("success", _("Rule added."))
                )
        return await self._rules(request, errors, values, 400)

    @post("/rules/{rule_id:int}/delete", name="support_settings:rule_delete")
    async def rule_delete(self, request: Request, rule_id: FromPath[int]) -> Redirect:
        await admin.delete_rule(current_user(request), rule_id)
        return redirect(request, "support_settings:rules", flash=("info", _("Rule removed.")))


PAGES = [SupportSettings]
