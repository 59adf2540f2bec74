"""E-mails of this domain, rendered once per language: a campaign to 1,000 partners means
thousands of identical messages, so each language is rendered once (`render_per_locale`) and
`portal.core.email.queue_bulk` stores the rows in the caller's transaction. The recipients'
greeting is therefore generic; everything else (title, text, link) is in their language.
"""

from __future__ import annotations

from typing import Any

from portal.auth.tables import User
from portal.core.email import render_email
from portal.settings import get_settings

BATCH = 500


def recipient_locale(user_locale: str | None, partner_locale: str | None) -> str:
    """The user's own language, else the partner's, else the portal default."""
    for value in (user_locale, partner_locale):
        if value in ("zh_CN", "en"):
            return value
    return get_settings().default_locale


def render_per_locale(name: str, context_for: Any) -> dict[str, tuple[str, str, str]]:
    """(subject, text, html) per locale; `context_for(locale)` gives that language's context."""
    return {loc: render_email(name, context_for(loc), loc) for loc in ("zh_CN", "en")}


async def addresses(user_ids: list[int]) -> list[tuple[str, str]]:
    """(e-mail, locale) of active users, in batches (SQLite caps a statement's parameters)."""

    out: list[tuple[str, str]] = []
    for start in range(0, len(user_ids), 500):
        chunk = user_ids[start : start + 500]
        rows = await User.select(
            User.email, User.locale, User.partner.locale.as_alias("partner_locale")
        ).where(User.id.is_in(chunk) & (User.is_active == True))  # noqa: E712  (SQL, not Python)
        out.extend((r["email"], recipient_locale(r["locale"], r["partner_locale"])) for r in rows)
    return out
