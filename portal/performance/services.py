"""Performance: the verbs (targets, weights, notes, report recipients, recompute) and the reads
the console and the partner pages need. Figures themselves live in metrics.py (pure maths),
scorecards.py (leaderboard) and views.py (one scorecard); the PDF in reports.py, its delivery in
deliveries.py."""

from __future__ import annotations

import re
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.core.audit import record
from portal.db import write_transaction
from portal.lib import clock, spreadsheets
from portal.lib.cards import Card
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import format_money
from portal.lib.i18n import gettext as _
from portal.lib.money import AmountError, parse_amount
from portal.orders.imports import LIMITS, FileRefused, ImportResult
from portal.partners.tables import Partner
from portal.performance import metrics, rollups, views
from portal.performance.constants import HISTORY_MONTHS, MAX_NOTE_LENGTH, MAX_RECIPIENTS
from portal.performance.periods import Period, PeriodError
from portal.performance.scorecards import get_weights, tier_thresholds
from portal.performance.tables import (
    PerformanceTarget,
    ReportDelivery,
    ReportRecipient,
    ScoreWeight,
    TierThreshold,
    VendorNote,
)
from portal.tenancy import partner_scope

# Header spellings of a targets file -> column (matched by lib.spreadsheets.header_key).
TARGET_ALIASES = {
    "partner": "partner",
    "partner_code": "partner",
    "伙伴": "partner",
    "伙伴编码": "partner",
    "period": "period",
    "期间": "period",
    "target": "target",
    "目标": "target",
}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


async def set_target(actor: CurrentUser, partner_id: int, period: Period, amount: int) -> None:
    """Set (or with 0, clear) a partner's revenue target for a period; audited."""
    before = await (
        PerformanceTarget.select(PerformanceTarget.revenue_target_amount)
        .where(
            (PerformanceTarget.partner == partner_id) & (PerformanceTarget.period == period.code)
        )
        .first()
    )
    async with write_transaction():
        await _write_target(actor, partner_id, period.code, amount)
        await record(
            "performance.target_set",
            actor=actor,
            partner_id=partner_id,
            target_type="partner",
            target_id=partner_id,
            before={"period": period.code, "target": before and before["revenue_target_amount"]},
            after={"period": period.code, "target": amount},
        )


async def get_target(partner_id: int, period: str) -> dict[str, Any] | None:
    """The revenue target row of one partner and period, if set."""
    return await (
        PerformanceTarget.select(PerformanceTarget.revenue_target_amount)
        .where((PerformanceTarget.partner == partner_id) & (PerformanceTarget.period == period))
        .first()
    )


async def _write_target(actor: CurrentUser, partner_id: int, period: str, amount: int) -> None:
    await PerformanceTarget.delete().where(
        (PerformanceTarget.partner == partner_id) & (PerformanceTarget.period == period)
    )
    if amount > 0:
        await PerformanceTarget.insert(
            PerformanceTarget(
                partner=partner_id,
                period=period,
                revenue_target_amount=amount,
                updated_by_id=actor.id,
                updated_at=now(),
            )
        )


async def import_targets(actor: CurrentUser, filename: str, data: bytes) -> Any:
    """Targets from CSV/XLSX (columns partner = partner code, period, target in yuan).

    Every row is checked first; any bad row is reported with its line number and nothing is
    written. Clean files are written in one transaction and audited. Returns an ImportResult;
    raises FileRefused when the file cannot be read at all."""

    table = await spreadsheets.load_table(filename, data, limits=LIMITS, aliases=TARGET_ALIASES)
    if not table.header:
        raise FileRefused(_("The file is empty."))
    rows = table.records()
    result = ImportResult(kind="targets", rows=len(rows))
    codes = {r["code"]: int(r["id"]) for r in await Partner.select(Partner.id, Partner.code)}
    clean: list[tuple[int, str, int]] = []
    seen: dict[tuple[int, str], int] = {}
    for line, row in rows:
        code = row.get("partner", "")
        period_text = row.get("period", "")
        amount_text = row.get("target", "")
        problems = []
        partner_id = codes.get(code)
        if partner_id is None:
            problems.append(_("No partner has the code “%(code)s”.", code=code))
        try:
            period = Period.parse(period_text)
        except PeriodError:
            problems.append(_("Write the period as 2026-10, 2026-Q4 or 2026."))
            period = None
        try:
            amount = parse_amount(amount_text)
        except AmountError as exc:
            problems.append(_(str(exc)))
            amount = 0
        if partner_id is not None and period is not None:
            key = (partner_id, period.code)
            if key in seen:
                problems.append(_("Same partner and period as line %(n)s.", n=seen[key]))
            seen[key] = line
        if problems:
            result.add(line, " ".join(problems))
            continue
        assert partner_id is not None and period is not None
        clean.append((partner_id, period.code, amount))
    if result.error_count or not clean:
        if not clean and not result.error_count:
            result.add(1, _("The file has no rows."))
        return result
    async with write_transaction():
        for partner_id, period_code, amount in clean:
            await _write_target(actor, partner_id, period_code, amount)
        await record(
            "performance.targets_imported",
            actor=actor,
            target_type="file",
            detail=f"{filename}: {len(clean)} targets",
        )
    result.updated = len(clean)
    result.written = True
    return result


async def set_weights(actor: CurrentUser, weights: dict[str, int]) -> None:
    """Store the composite score's weights (0-100 each, at least one positive); audited."""
    errors = {
        key: _("Enter a whole number from 0 to 100.")
        for key, value in weights.items()
        if key in metrics.BY_KEY and not 0 <= value <= 100
    }
    if errors:
        raise FormError(errors)
    if not any(v > 0 for k, v in weights.items() if k in metrics.BY_KEY):
        raise FormError({"revenue": _("Give at least one metric a weight above 0.")})
    before = await get_weights()
    moment = now()
    async with write_transaction():
        for key, value in weights.items():
            if key not in metrics.BY_KEY:
                continue
            await ScoreWeight.delete().where(ScoreWeight.metric == key)
            await ScoreWeight.insert(
                ScoreWeight(metric=key, weight=value, updated_by_id=actor.id, updated_at=moment)
            )
        await record(
            "performance.weights_changed",
            actor=actor,
            target_type="score_weights",
            before=before,
            after={k: v for k, v in weights.items() if k in metrics.BY_KEY},
        )


async def set_thresholds(actor: CurrentUser, amounts: dict[int, int]) -> None:
    """The quarterly revenue threshold per tier id for scorecards and advice; audited."""

    before = {int(t["id"]): t["quarterly_amount"] for t in await tier_thresholds()}
    unknown = [tier_id for tier_id in amounts if tier_id not in before]
    if unknown:
        raise FormError({f"tier_{unknown[0]}": _("Choose one of the options.")})
    moment = now()
    async with write_transaction():
        for tier_id, amount in amounts.items():
            await TierThreshold.delete().where(TierThreshold.tier == tier_id)
            await TierThreshold.insert(
                TierThreshold(
                    tier=tier_id, quarterly_amount=amount, updated_by_id=actor.id, updated_at=moment
                )
            )
        await record(
            "performance.thresholds_changed",
            actor=actor,
            target_type="tier_threshold",
            before={str(k): v for k, v in before.items()},
            after={str(k): v for k, v in amounts.items()},
        )


async def save_note(actor: CurrentUser, partner_id: int, period: Period, body: str) -> None:
    """The vendor's note for a partner and period (printed in the report); audited."""
    body = body.strip()
    if len(body) > MAX_NOTE_LENGTH:
        raise FormError({"body": _("Keep the note under %(n)s characters.", n=MAX_NOTE_LENGTH)})
    async with write_transaction():
        await VendorNote.delete().where(
            (VendorNote.partner == partner_id) & (VendorNote.period == period.code)
        )
        if body:
            await VendorNote.insert(
                VendorNote(
                    partner=partner_id,
                    period=period.code,
                    body=body,
                    updated_by_id=actor.id,
                    updated_by_name=actor.name,
                    updated_at=now(),
                )
            )
        await record(
            "performance.note_saved",
            actor=actor,
            partner_id=partner_id,
            target_type="partner",
            target_id=partner_id,
            after={"period": period.code, "length": len(body)},
        )


async def list_recipients(partner_id: int) -> list[dict[str, Any]]:
    return (
        await ReportRecipient.select()
        .where(ReportRecipient.partner == partner_id)
        .order_by(ReportRecipient.email)
    )


async def add_recipient(actor: CurrentUser, email: str, name: str, locale: str) -> None:
    """A partner admin adds an address for the monthly report (own partner only); audited."""
    assert actor.partner_id is not None
    address = email.strip().lower()
    errors: dict[str, str] = {}
    if not EMAIL.match(address) or len(address) > 254:
        errors["email"] = _("Enter a valid e-mail address.")
    if locale not in ("zh_CN", "en"):
        errors["locale"] = _("Choose one of the options.")
    existing = await list_recipients(actor.partner_id)
    if any(r["email"] == address for r in existing):
        errors["email"] = _("This address already receives the report.")
    elif len(existing) >= MAX_RECIPIENTS:
        errors["email"] = _("At most %(n)s extra recipients.", n=MAX_RECIPIENTS)
    if errors:
        raise FormError(errors)
    async with write_transaction():
        await ReportRecipient.insert(
            ReportRecipient(
                partner=actor.partner_id,
                email=address,
                name=name.strip()[:120],
                locale=locale,
                created_by_id=actor.id,
                created_at=now(),
            )
        )
        await record(
            "performance.recipient_added",
            actor=actor,
            partner_id=actor.partner_id,
            target_type="report_recipient",
            after={"email": address},
        )


async def remove_recipient(actor: CurrentUser, recipient_id: int) -> bool:
    """Remove one of the partner's own extra recipients; False when it is not theirs."""
    assert actor.partner_id is not None
    row = await (
        ReportRecipient.select()
        .where((ReportRecipient.id == recipient_id) & (ReportRecipient.partner == actor.partner_id))
        .first()
    )
    if row is None:
        return False
    async with write_transaction():
        await ReportRecipient.delete().where(ReportRecipient.id == recipient_id)
        await record(
            "performance.recipient_removed",
            actor=actor,
            partner_id=actor.partner_id,
            target_type="report_recipient",
            target_id=recipient_id,
            before={"email": row["email"]},
        )
    return True


async def recompute(actor: CurrentUser | None, months: int = HISTORY_MONTHS) -> int:
    """Rewrite the rollups of the kept history now (console button, CLI); audited."""
    written = await rollups.refresh_rollups(rollups.recent_months(clock.today(), months))
    await record(
        "performance.rollups_recomputed",
        actor=actor,
        target_type="performance_rollup",
        detail=f"{months} months, {written} rows",
    )
    return written


async def list_deliveries(
    user: CurrentUser, period: str = "", status: str = "", page: int = 1, per_page: int = 50
) -> tuple[list[dict[str, Any]], int]:
    """Delivery rows the user may see (newest month first), with the partner's name."""
    where: list[Any] = [partner_scope(user, ReportDelivery.partner)]
    if period:
        where.append(ReportDelivery.period == period)
    if status:
        where.append(ReportDelivery.status == status)
    rows = await (
        ReportDelivery.select(
            *ReportDelivery.all_columns(),
            ReportDelivery.partner.name.as_alias("partner_name"),
            ReportDelivery.partner.code.as_alias("partner_code"),
        )
        .where(*where)
        .order_by(ReportDelivery.period, ascending=False)
        .order_by(ReportDelivery.partner.name)
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    )
    total = await ReportDelivery.count().where(*where)
    return rows, total


async def delivery_counts(user: CurrentUser, period: str) -> dict[str, int]:
    rows = await ReportDelivery.select(ReportDelivery.status).where(
        partner_scope(user, ReportDelivery.partner), ReportDelivery.period == period
    )
    out: dict[str, int] = {}
    for r in rows:
        out[r["status"]] = out.get(r["status"], 0) + 1
    return out


async def partner_reports(partner_id: int) -> list[dict[str, Any]]:
    """The partner's months with a report (every sent or prepared delivery), newest first."""
    return (
        await ReportDelivery.select(
            ReportDelivery.id,
            ReportDelivery.period,
            ReportDelivery.status,
            ReportDelivery.sent_at,
            ReportDelivery.pdf_size,
        )
        .where(ReportDelivery.partner == partner_id)
        .order_by(ReportDelivery.period, ascending=False)
    )


async def home_cards(user: CurrentUser) -> list[Card]:
    """Partners: this month's revenue and score band. Vendor staff: failed report deliveries."""

    if user.is_partner and user.partner_id is not None:
        period = Period.containing(clock.today())
        # the leaderboard row alone (not the whole scorecard: its comparisons, trend and note
        # cost a dozen statements the card does not show)
        board = await views.board_for(period, cached=True)
        row = board.row(user.partner_id)
        if row is None:
            return []
        band = metrics.rank_band(row.rank, board.total)
        # the running month, to date (the scorecard itself opens on the last closed month)
        running = _("%(period)s (to date)", period=period.label())
        revenue = int(row.figures.get("revenue") or 0)
        items = [(_("Revenue %(period)s", period=running), format_money(revenue), "")]
        if band:
            items.append((_("Score"), f"{row.score} · {band}", ""))
        return [
            Card(
                title=_("My performance"),
                items=items,
                link="/performance",
                link_label=_("Open my scorecard"),
            )
        ]
    if user.is_vendor:
        failed = await ReportDelivery.count().where(
            partner_scope(user, ReportDelivery.partner), ReportDelivery.status == "failed"
        )
        unaddressed = await ReportDelivery.count().where(
            partner_scope(user, ReportDelivery.partner), ReportDelivery.status == "no_address"
        )
        items = []
        if failed:
            items.append(
                (
                    _("Report deliveries failed"),
                    str(failed),
                    "/console/performance/deliveries?status=failed",
                )
            )
        if unaddressed:
            items.append(
                (
                    _("Reports with no recipient"),
                    str(unaddressed),
                    "/console/performance/deliveries?status=no_address",
                )
            )
        return [
            Card(
                title=_("Partner performance"),
                items=items,
                link="/console/performance",
                link_label=_("Open the leaderboard"),
                tone="attention" if items else "",
                empty=_("Every monthly report was delivered."),
            )
        ]
    return []
