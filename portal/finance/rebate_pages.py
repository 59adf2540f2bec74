"""Rebates (返利) in the console (programmes, their accruals per partner, settling) and in the JSON
API (GET /api/v1/rebates: the partner's programmes with its live figures)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.exceptions import HTTPException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from portal.auth.constants import Access
from portal.communications.campaigns import reads as campaign_reads
from portal.finance import rebate_rules, rebates
from portal.finance.access import get_partner_by_code_for_user
from portal.finance.constants import (
    REBATE_BASE_LABELS,
    REBATE_MODE_LABELS,
    RebateBase,
    RebateMode,
)
from portal.lib import clock
from portal.lib.forms import FormError, id_filter
from portal.lib.i18n import gettext as _
from portal.orders.catalog import list_categories
from portal.web import current_user, page, redirect

FIELDS = ("name", "period", "bands", "mode", "base", "tier_codes", "provinces", "partner_codes")


def mode_options() -> list[tuple[str, str]]:
    return [(m.value, _(REBATE_MODE_LABELS[m])) for m in RebateMode]


def base_options() -> list[tuple[str, str]]:
    return [(b.value, _(REBATE_BASE_LABELS[b])) for b in RebateBase]


class RebateConsole(Controller):
    path = "/console/finance/rebates"
    opt = {"access": Access.VENDOR}

    async def _index(
        self,
        request: Request,
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        categories = await list_categories()
        return page(
            request,
            "finance/console_rebates.html",
            status_code=status_code,
            programmes=await rebates.list_programmes(),
            values=values
            or {"mode": "retroactive", "base": "shipped", "bands": "500000:2, 1000000:3"},
            errors=errors or {},
            mode_options=mode_options(),
            base_options=base_options(),
            category_options=[(str(c["id"]), c["name"]) for c in categories],
            campaign_options=await campaign_reads.campaign_choices(),
        )

    @get("/", name="finance:console_rebates")
    async def index(self, request: Request) -> Template:
        return await self._index(request)

    @post("/", name="finance:console_rebate_create", opt={"access": Access.VENDOR_ADMIN})
    async def create(self, request: Request) -> Template | Redirect:
        data = await request.form()
        values = {
            k: str(data.get(k, "") or "")
            for k in (*FIELDS, "category_id", "growth_bonus", "campaign_id")
        }
        values["mode"] = values["mode"] or RebateMode.RETROACTIVE.value
        values["base"] = values["base"] or RebateBase.SHIPPED.value
        category = values["category_id"]
        try:
            programme_id = await rebates.create_programme(
                current_user(request),
                rebates.ProgrammeInput(
                    **{k: values[k] for k in FIELDS},
                    growth_bonus=values["growth_bonus"],
                    category_id=id_filter(category),
                    campaign_id=id_filter(values["campaign_id"]),
                ),
            )
        except FormError as exc:
            return await self._index(request, values, exc.errors, 400)
        await rebates.recompute_programme(await rebates.get_programme(programme_id))
        return redirect(
            request,
            "finance:console_rebate",
            flash=("success", _("Rebate programme created.")),
            programme_id=programme_id,
        )

    @get("/{programme_id:int}", name="finance:console_rebate")
    async def show(self, request: Request, programme_id: FromPath[int]) -> Template:
        programme = await rebates.get_programme(programme_id)
        return page(
            request,
            "finance/console_rebate.html",
            programme=programme,
            bands=rebate_rules.parse_bands(programme["bands"]),
            rows=await rebates.programme_rows(current_user(request), programme),
            can_settle=programme["status"] == "active" and clock.today() >= programme["ends_on"],
            campaign_title=(
                dict(await campaign_reads.campaign_choices()).get(str(programme["campaign_id"]))
                or f"#{programme['campaign_id']}"
                if programme["campaign_id"]
                else ""
            ),
        )

    @post(
        "/{programme_id:int}/settle",
        name="finance:console_rebate_settle",
        opt={"access": Access.VENDOR_ADMIN},
    )
    async def settle(self, request: Request, programme_id: FromPath[int]) -> Redirect:
        programme = await rebates.get_programme(programme_id)
        try:
            posted = await rebates.settle_programme(current_user(request), programme)
        except FormError as exc:
            return redirect(
                request,
                "finance:console_rebate",
                flash=("error", exc.errors.get("", "")),
                programme_id=programme_id,
            )
        return redirect(
            request,
            "finance:console_rebate",
            flash=("success", _("Settled: %(n)s credit notes posted.", n=posted)),
            programme_id=programme_id,
        )


class BandOut(msgspec.Struct, kw_only=True):
    threshold_amount: int
    rate_bp: int


class RebateOut(msgspec.Struct, kw_only=True):
    programme_id: int
    name: str
    period: str
    starts_on: dt.date
    ends_on: dt.date  # the first day after the period
    status: str  # active (accruing), settled
    mode: str  # retroactive, marginal
    base: str  # shipped, paid
    bands: list[BandOut]
    base_amount: int  # minor units so far
    earned_amount: int  # the rebate earned so far (minor units)
    rate_bp: int  # the band reached (0: none yet)
    next_rate_bp: int | None
    next_more_amount: int | None  # how much more base reaches the next band
    advice: str


class RebateListOut(msgspec.Struct, kw_only=True):
    items: list[RebateOut]


class RebateApi(Controller):
    path = "/rebates"
    opt = {"access": (Access.PARTNER_PURCHASING, Access.VENDOR)}

    @get("/", name="api:rebates")
    async def index(self, request: Request, partner_code: FromQuery[str] = "") -> RebateListOut:
        """The rebate programmes the partner takes part in, with its figures so far (vendor
        staff name the partner with ?partner_code=)."""
        user = current_user(request)
        if user.partner_id is not None:
            partner_id = user.partner_id
        else:
            if not partner_code:
                raise HTTPException(
                    status_code=422, detail=_("Name the partner: ?partner_code=P00001.")
                )
            partner_id = int((await get_partner_by_code_for_user(user, partner_code))["id"])
        items = []
        for r in await rebates.partner_rebates(partner_id):
            p = r["programme"]
            items.append(
                RebateOut(
                    programme_id=int(p["id"]),
                    name=p["name"],
                    period=p["period"],
                    starts_on=p["starts_on"],
                    ends_on=p["ends_on"],
                    status=p["status"],
                    mode=p["mode"],
                    base=p["base"],
                    bands=[
                        BandOut(threshold_amount=b.threshold_amount, rate_bp=b.rate_bp)
                        for b in r["bands"]
                    ],
                    base_amount=r["base_amount"],
                    earned_amount=r["earned_amount"],
                    rate_bp=r["rate_bp"],
                    next_rate_bp=r["next_rate_bp"],
                    next_more_amount=r["next_more_amount"],
                    advice=r["advice"],
                )
            )
        return RebateListOut(items=items)


PAGES = [RebateConsole]
API = [RebateApi]
