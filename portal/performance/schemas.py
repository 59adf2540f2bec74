"""Forms and API shapes of the performance domain."""

from __future__ import annotations

import msgspec


class NoteForm(msgspec.Struct, kw_only=True):
    period: str
    body: str = ""


class TargetForm(msgspec.Struct, kw_only=True):
    period: str
    target: str = ""  # yuan, parsed with parse_amount; empty or 0 clears it


class RecipientForm(msgspec.Struct, kw_only=True):
    email: str
    name: str = ""
    locale: str = "zh_CN"


class KpiOut(msgspec.Struct, kw_only=True):
    key: str
    label: str
    value: int | float | None
    display: str
    previous: str
    change: str


class ScorecardOut(msgspec.Struct, kw_only=True):
    partner_id: int
    period: str
    revenue_amount: int
    target_amount: int | None
    score: int
    rank_band: str
    tier: str
    advice: list[str]
    kpis: list[KpiOut]


class BoardRowOut(msgspec.Struct, kw_only=True):
    partner_id: int
    code: str
    name: str
    tier: str
    score: int
    rank: int
    tier_rank: int
    revenue_amount: int
    order_count: int
    target_amount: int | None
    figures: dict[str, int | float | None]


class BoardOut(msgspec.Struct, kw_only=True):
    period: str
    total: int
    metrics: list[str]
    rows: list[BoardRowOut]
