"""Partner side: "My performance" (own scorecard, trend, target and tier progress, rank as a
band only), the monthly reports to download, and the extra report recipients (partner admins).
The partner always comes from the signed-in user, never from the URL."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template

from portal.auth.constants import Access
from portal.lib import clock
from portal.lib.forms import FormError, read_form
from portal.lib.i18n import gettext as _
from portal.performance import access, deliveries, drilldown, reports, services, views
from portal.performance.console import (
    _pdf_response,
    parse_month,
    partner_and_period,
    period_picker,
)
from portal.performance.constants import DELIVERY_LABELS, DELIVERY_TONES, MAX_RECIPIENTS
from portal.performance.periods import Period
from portal.performance.schemas import RecipientForm
from portal.web import current_user, not_found, page, redirect


class MyPerformance(Controller):
    """The partner's own scorecard and reports."""

    path = "/performance"
    opt = {"access": Access.PARTNER}

    @get("/", name="performance:mine")
    async def mine(
        self, request: Request, period: FromQuery[str] = "", kind: FromQuery[str] = ""
    ) -> Template:
        user = current_user(request)
        assert user.partner_id is not None
        chosen = views.parse_period(period, kind, clock.today())
        card = await views.scorecard(user.partner_id, chosen)
        return page(
            request,
            "performance/mine.html",
            **period_picker(chosen),
            card=card,
            links=drilldown.links(user, user.partner_id, chosen, card["window"]) if card else {},
            values={"period": chosen.code, "kind": chosen.kind.value},
        )

    @get("/figures/{metric:str}", name="performance:figure")
    async def figure(
        self,
        request: Request,
        metric: FromPath[str],
        period: FromQuery[str] = "",
        kind: FromQuery[str] = "",
    ) -> Template:
        """The rows behind one figure of the partner's own scorecard (never another's)."""
        user = current_user(request)
        assert user.partner_id is not None
        partner, chosen = await partner_and_period(user, user.partner_id, period, kind)
        context = await views.figure_page(user, user.partner_id, metric, chosen, request)
        return page(
            request,
            "performance/figure.html",
            partner=partner,
            back=f"/performance/?period={chosen.code}",
            **context,
        )

    @get("/reports", name="performance:reports")
    async def reports_list(self, request: Request) -> Template:
        user = current_user(request)
        assert user.partner_id is not None
        rows = await services.partner_reports(user.partner_id)
        known = {r["period"] for r in rows}
        latest = reports.report_month()
        # complete months without a delivery row can still be downloaded (rendered on demand)
        months = [latest.shift(-i) for i in range(12)]
        extra = [
            {"period": m.code, "status": "", "sent_at": None} for m in months if m.code not in known
        ]
        listed = sorted([*rows, *extra], key=lambda r: r["period"], reverse=True)
        for r in listed:
            r["label"] = Period.parse(r["period"]).label()
        return page(
            request,
            "performance/reports.html",
            rows=listed,
            labels={s.value: _(label) for s, label in DELIVERY_LABELS.items()},
            tones={s.value: tone for s, tone in DELIVERY_TONES.items()},
        )

    @get("/reports/{period:str}/pdf", name="performance:report_pdf")
    async def report_pdf(self, request: Request, period: FromPath[str]) -> Response[bytes]:
        """The stored report of a month (exactly what was e-mailed), or one rendered now."""

        user = current_user(request)
        assert user.partner_id is not None
        month = parse_month(period)
        if month is None or month.start > clock.today():  # no reports of future months
            raise not_found()
        partner = await access.get_partner_for_user(user, user.partner_id)
        row = await access.get_report_for_user(user, user.partner_id, month.code)
        data = await reports.stored_pdf(row["pdf_key"]) if row else None
        if data is None:
            try:
                data = await reports.render_report(user.partner_id, month)
            except LookupError:
                raise not_found() from None
        code = partner["code"]
        return _pdf_response(data, f"performance-{month.code}-{code}.pdf")

    @get("/recipients", name="performance:recipients", opt={"access": Access.PARTNER_ADMIN})
    async def recipients(self, request: Request) -> Template:
        user = current_user(request)
        assert user.partner_id is not None
        return await self._recipients_page(request, user.partner_id)

    async def _recipients_page(
        self, request: Request, partner_id: int, status_code: int = 200, **extra: object
    ) -> Template:
        partner = await access.get_partner_for_user(current_user(request), partner_id)
        admins = await deliveries.recipients(partner_id, partner["locale"] if partner else "zh_CN")
        extra_rows = await services.list_recipients(partner_id)
        extra_emails = {r["email"] for r in extra_rows}
        context: dict[str, object] = {
            "admins": [a for a in admins if a.email not in extra_emails],
            "extra": extra_rows,
            "max_recipients": MAX_RECIPIENTS,
            "values": {"locale": partner["locale"] if partner else "zh_CN"},
        }
        context.update(extra)
        return page(request, "performance/recipients.html", status_code=status_code, **context)

    @post("/recipients", name="performance:add_recipient", opt={"access": Access.PARTNER_ADMIN})
    async def add_recipient(self, request: Request) -> Redirect | Template:
        user = current_user(request)
        assert user.partner_id is not None
        form, errors, values = read_form(RecipientForm, await request.form())
        if form is not None:
            try:
                await services.add_recipient(user, form.email, form.name, form.locale)
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request,
                    "performance:recipients",
                    flash=(
                        "success",
                        _("%(email)s will receive the monthly report.", email=form.email),
                    ),
                )
        return await self._recipients_page(
            request, user.partner_id, status_code=400, errors=errors, values=values
        )

    @post(
        "/recipients/{recipient_id:int}/delete",
        name="performance:remove_recipient",
        opt={"access": Access.PARTNER_ADMIN},
    )
    async def remove_recipient(self, request: Request, recipient_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        if not await services.remove_recipient(user, recipient_id):
            raise not_found()
        return redirect(
            request, "performance:recipients", flash=("success", _("The recipient was removed."))
        )


PAGES = [MyPerformance]
