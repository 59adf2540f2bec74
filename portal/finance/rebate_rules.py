"""Rebate maths, pure: bands, retroactive and marginal rates, the growth bonus, the next band.

Rounding rule (the only one): amounts are integer minor units (fen), rates basis points; a
rebate is computed exactly in Decimal and rounded once, half up, to the fen, at the end
(`round_fen`). A marginal rebate sums its slices exactly before that one rounding.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from portal.finance.constants import RebateMode

PERIOD_RE = re.compile(r"^(\d{4})(?:-Q([1-4]))?$")


@dataclass(frozen=True)
class Band:
    threshold_amount: int  # minor units: the base from which the rate applies
    rate_bp: int


def round_fen(value: Decimal) -> int:
    """The one rounding of the rebates: half up to the fen."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_bands(text: str) -> list[Band]:
    """'50000000:200,100000000:300' -> bands ascending by threshold; ValueError when malformed,
    not ascending or a rate is not 1-10,000 bp."""
    bands = []
    for part in (text or "").split(","):
        if not part.strip():
            continue
        threshold, rate = part.split(":")
        bands.append(Band(int(threshold), int(rate)))
    if not bands:
        raise ValueError("no bands")
    for a, b in itertools.pairwise(bands):
        if b.threshold_amount <= a.threshold_amount:
            raise ValueError("bands not ascending")
    if any(not 0 < b.rate_bp <= 10_000 or b.threshold_amount < 0 for b in bands):
        raise ValueError("rate out of range")
    return bands


def bands_text(bands: list[Band]) -> str:
    return ",".join(f"{b.threshold_amount}:{b.rate_bp}" for b in bands)


def period_bounds(code: str) -> tuple[dt.date, dt.date]:
    """'2026-Q4' -> (2026-10-01, 2027-01-01); '2026' -> the year; ValueError otherwise."""
    m = PERIOD_RE.match(code or "")
    if not m or not 2000 <= int(m.group(1)) <= 2100:
        raise ValueError(code)
    year = int(m.group(1))
    if m.group(2) is None:
        return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    q = int(m.group(2))
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
    return start, end


def last_year(code: str) -> str:
    """The same period a year earlier ('2026-Q4' -> '2025-Q4')."""
    return f"{int(code[:4]) - 1}{code[4:]}"


def reached(base: int, bands: list[Band]) -> Band | None:
    """The highest band the base reaches, or None."""
    hit = None
    for band in bands:
        if base >= band.threshold_amount:
            hit = band
    return hit


def earned(
    base: int, bands: list[Band], mode: str, last_year_base: int = 0, bonus_bp: int = 0
) -> int:
    """The rebate on `base` (minor units): retroactive = the band reached on the whole base,
    marginal = each band's rate on the slice of the base within it; plus the growth bonus
    (bonus_bp on the growth over last year's base, when there was a base last year)."""
    exact = Decimal(0)
    if mode == RebateMode.MARGINAL:
        for i, band in enumerate(bands):
            upper = bands[i + 1].threshold_amount if i + 1 < len(bands) else None
            top = base if upper is None else min(base, upper)
            if top > band.threshold_amount:
                exact += Decimal(top - band.threshold_amount) * band.rate_bp / 10_000
    else:
        hit = reached(base, bands)
        if hit is not None:
            exact = Decimal(base) * hit.rate_bp / 10_000
    if bonus_bp and last_year_base > 0 and base > last_year_base:
        exact += Decimal(base - last_year_base) * bonus_bp / 10_000
    return round_fen(exact)


def next_band(base: int, bands: list[Band]) -> tuple[Band, int] | None:
    """The next band above the base and how much more base reaches it, or None at the top."""
    for band in bands:
        if base < band.threshold_amount:
            return band, band.threshold_amount - base
    return None
