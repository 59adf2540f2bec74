"""Pure value helpers for customers: match keys, tag text, translated labels; no database."""

from __future__ import annotations

import re

from portal.customers.constants import (
    CHANNEL_LABELS,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    OUTCOME_LABELS,
    SEGMENT_ACTIONS,
    SEGMENT_LABELS,
    SEGMENT_TONES,
    Channel,
    Outcome,
    Segment,
)
from portal.lib.i18n import gettext as _


def name_key(name: str) -> str:
    """Lower case without spaces and punctuation: "ACME Ltd." and "acme ltd" are one name."""
    return re.sub(r"[\s\.,;:'\"()（）·\-_/]+", "", name).lower()[:200]


def phone_key(phone: str) -> str:
    """Digits only, without China's +86 prefix on mobile numbers."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits[:40]


def parse_tags(value: str | list[str]) -> list[str]:
    """Tags from "a, b；c" or a list: trimmed, without commas, unique, at most MAX_TAGS."""
    items = value if isinstance(value, list) else re.split(r"[,，;；\n]+", value)
    out: list[str] = []
    for item in items:
        tag = item.replace(",", " ").strip()[:MAX_TAG_LENGTH]
        if tag and tag.lower() not in {t.lower() for t in out}:
            out.append(tag)
    return out[:MAX_TAGS]


def tags_text(tags: list[str]) -> str:
    return "," + ",".join(tags) + "," if tags else ""


def tags_list(text: str) -> list[str]:
    return [t for t in (text or "").split(",") if t]


def segment_label(segment: str) -> str:
    try:
        return _(SEGMENT_LABELS[Segment(segment)])
    except ValueError:
        return segment


def channel_label(channel: str) -> str:
    try:
        return _(CHANNEL_LABELS[Channel(channel)])
    except ValueError:
        return channel


def outcome_label(outcome: str) -> str:
    try:
        return _(OUTCOME_LABELS[Outcome(outcome)])
    except ValueError:
        return outcome


def segment_facts(segment: str) -> dict[str, str]:
    """Label, badge tone and suggested action of a segment."""
    try:
        seg = Segment(segment)
    except ValueError:
        return {"label": segment, "tone": "muted", "action": ""}
    return {
        "label": _(SEGMENT_LABELS[seg]),
        "tone": SEGMENT_TONES[seg],
        "action": _(SEGMENT_ACTIONS[seg]),
    }
