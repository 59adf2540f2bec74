"""Performance demo data (`portal demo-data`): targets for the demo partners, the default score
weights, a vendor note, and rollups computed from the order history. Idempotent."""

from __future__ import annotations

from typing import Any

from portal.auth.tables import User
from portal.lib import clock
from portal.lib.clock import now
from portal.orders.demo_history import _add_months, monthly_plan
from portal.partners.tables import Partner
from portal.performance import metrics, rollups
from portal.performance.constants import HISTORY_MONTHS
from portal.performance.periods import Period, PeriodKind
from portal.performance.tables import PerformanceTarget, ScoreWeight, VendorNote

TARGET_STRETCH = (1.10, 1.0, 1.15, 0.95, 1.05, 1.25, 1.0, 1.1)  # per demo partner


def _round_target(yuan: float) -> int:
    """Targets are round figures: to the next 10,000 yuan, in fen."""
    return int(-(-yuan // 10_000) * 10_000) * 100


async def load_performance_demo() -> dict[str, int]:
    """Targets (months and quarters of the last two years and this year), weights, a note,
    rollups. Returns counts of what was created."""
    today = clock.today()
    partners = await (
        Partner.select(Partner.id, Partner.code, Partner.tier.code.as_alias("tier_code"))
        .where(Partner.contact_email.like("%.demo"))
        .order_by(Partner.id)
    )
    created = {"targets": 0, "notes": 0}
    existing = {
        (int(r["partner"]), r["period"])
        for r in await PerformanceTarget.select(PerformanceTarget.partner, PerformanceTarget.period)
    }
    first = _add_months(today.replace(day=1), -24)
    moment = now()
    rows = []
    current = Period.containing(today, PeriodKind.QUARTER)
    quarters = [current.shift(i) for i in range(-8, 2)]
    for index, p in enumerate(partners):
        stretch = TARGET_STRETCH[index % len(TARGET_STRETCH)]
        for quarter in quarters:
            plans = {m: monthly_plan(index, p["tier_code"], m, first) for m in quarter.months}
            candidates = [(quarter.code, sum(plans.values()))] + [
                (Period.containing(m).code, plan) for m, plan in plans.items()
            ]
            for code, plan in candidates:
                if (int(p["id"]), code) in existing:
                    continue
                rows.append(
                    PerformanceTarget(
                        partner=int(p["id"]),
                        period=code,
                        revenue_target_amount=_round_target(plan * stretch),
                        updated_at=moment,
                    )
                )
    if rows:
        await PerformanceTarget.insert(*rows)
        created["targets"] = len(rows)
    if not await ScoreWeight.count():
        await ScoreWeight.insert(
            *[
                ScoreWeight(metric=m.key, weight=m.default_weight, updated_at=moment)
                for m in metrics.METRICS
            ]
        )
    admin = await User.select(User.id, User.name).where(User.email == "admin@vendor.demo").first()
    last_month = Period.containing(today).previous
    if partners and not await VendorNote.exists().where(VendorNote.period == last_month.code):
        await VendorNote.insert(
            *[
                VendorNote(
                    partner=int(p["id"]),
                    period=last_month.code,
                    body=NOTES[index % len(NOTES)],
                    updated_by_id=admin["id"] if admin else None,
                    updated_by_name=admin["name"] if admin else "",
                    updated_at=moment,
                )
                for index, p in enumerate(partners)
            ]
        )
        created["notes"] = len(partners)
    await rollups.refresh_rollups(rollups.recent_months(today, HISTORY_MONTHS))
    return created


NOTES: tuple[Any, ...] = (
    "感谢贵司本月的出色表现！年底备货季即将到来，建议提前锁定4K摄像机库存，渠道经理将在下周与您沟通季度返利方案。",
    "本月销售略低于目标，主要受节假日影响。建议加大中小企业客户的跟进力度，我们可提供联合营销支持。",
    "Thank you for a solid month. The new NVR series launches next quarter; ask your channel manager "
    "for demo units and the partner training schedule.",
    "本月增长势头良好，距离升级仅一步之遥。请关注本季度剩余时间的大项目，渠道团队全力支持。",
)
