"""A home-page card: what each domain contributes to the home page (`portal/home.py` gathers them)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Card:
    """One tile on the home page. `items` are (label, value, link or "") rows."""

    title: str
    items: list[tuple[str, str, str]] = field(default_factory=list)
    link: str = ""
    link_label: str = ""
    tone: str = ""  # "", "attention" or "ok"
    empty: str = ""
