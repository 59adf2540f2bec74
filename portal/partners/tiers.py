"""Partner tiers: the ladder, its labels in the reader's language and each partner's history."""

from __future__ import annotations

import time
from typing import Any

from portal.lib.i18n import current_locale
from portal.partners.constants import DEFAULT_TIERS
from portal.partners.tables import Tier, TierChange

_tier_cache: tuple[float, list[dict[str, Any]]] = (0.0, [])
TIER_CACHE_SECONDS = 60  # tier names label price reasons; a rename shows within a minute


async def tier_names() -> dict[str, str]:
    """Tier code -> name in the current language (read at most once a minute per process)."""
    global _tier_cache
    loaded_at, rows = _tier_cache
    if time.monotonic() - loaded_at > TIER_CACHE_SECONDS:
        rows = await Tier.select(Tier.code, Tier.name_zh, Tier.name_en)
        _tier_cache = (time.monotonic(), rows)
    zh = current_locale.get().startswith("zh")
    return {t["code"]: (t["name_zh"] if zh else t["name_en"]) or t["code"] for t in rows}


def tier_label(row: dict[str, Any], prefix: str = "tier.") -> str:
    """The tier's name in the current language, from a row with (prefixed) name_zh/name_en."""
    zh = row.get(f"{prefix}name_zh") or row.get("name_zh") or ""
    en = row.get(f"{prefix}name_en") or row.get("name_en") or ""
    return zh if current_locale.get().startswith("zh") else en


async def list_tiers() -> list[dict[str, Any]]:
    """Every tier, top rank first."""
    return await Tier.select().order_by(Tier.rank)


async def tier_by_code(code: str) -> dict[str, Any] | None:
    """The tier with this code, or None."""
    return await Tier.select().where(Tier.code == code).first()


async def ensure_default_tiers() -> None:
    """Create the default ladder when the table is empty (migrate, demo, tests)."""

    if await Tier.count() > 0:
        return
    await Tier.insert(
        *[
            Tier(code=code, name_zh=zh, name_en=en, rank=rank, quarterly_threshold_amount=threshold)
            for code, zh, en, rank, threshold in DEFAULT_TIERS
        ]
    )


async def tier_history(partner_id: int) -> list[dict[str, Any]]:
    """A partner's tier changes, newest first, with who and why."""
    return (
        await TierChange.select(
            TierChange.id,
            TierChange.changed_at,
            TierChange.changed_by_name,
            TierChange.reason,
            TierChange.from_tier.name_zh,
            TierChange.from_tier.name_en,
            TierChange.to_tier.name_zh,
            TierChange.to_tier.name_en,
        )
        .where(TierChange.partner == partner_id)
        .order_by(TierChange.changed_at, ascending=False)
        .order_by(TierChange.id, ascending=False)
    )
