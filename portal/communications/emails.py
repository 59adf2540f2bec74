"""E-mails of this domain, rendered once per language and stored in bulk.

A campaign to 1,000 partners means thousands of identical messages: instead of rendering three
templates per user (queue_email), each language is rendered once and the rows are inserted in
batches in the caller's transaction, in exactly the format `portal.core.email.queue_email` writes
(the `deliver_email` job and the outbox sweeper send them). The recipients' greeting is therefore
generic; everything else (title, text, link) is in the recipient's language.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlparse

from portal.core.email import render_email
from portal.core.tables import OutboundEmail
from portal.lib import jobs
from portal.lib.clock import now
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


async def store_bulk(
    name: str, rendered: dict[str, tuple[str, str, str]], recipients: Sequence[tuple[str, str]]
) -> list[int]:
    """Insert one pending e-mail per (address, locale) inside the fan-out transaction; returns
    their ids, for `enqueue_delivery` after the commit."""
    domain = urlparse(get_settings().base_url).hostname or "portal.local"
    moment = now()
    rows = []
    for address, locale in recipients:
        subject, text, html = rendered.get(locale) or rendered["zh_CN"]
        rows.append(
            OutboundEmail(
                to_address=address,
                subject=subject,
                body_text=text,
                body_html=html,
                message_id=f"<{uuid.uuid4().hex}@{domain}>",
                kind=name,
                next_attempt_at=moment,
                created_at=moment,
            )
        )
    ids: list[int] = []
    for start in range(0, len(rows), BATCH):
        result = await OutboundEmail.insert(*rows[start : start + BATCH]).returning(
            OutboundEmail.id
        )
        ids.extend(int(r["id"]) for r in result)
    return ids


async def enqueue_delivery(email_ids: Sequence[int]) -> None:
    """After the commit: one `deliver_email` job per message (fixed job ids: no double sends)."""
    import asyncio

    ids = list(email_ids)
    for start in range(0, len(ids), 200):  # concurrent round trips to Redis, 200 at a time
        await asyncio.gather(
            *[
                jobs.enqueue("deliver_email", email_id, job_id=f"email:{email_id}")
                for email_id in ids[start : start + 200]
            ]
        )
