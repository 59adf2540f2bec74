"""The daily follow-up digest: one e-mail per user and day listing their overdue follow-ups, those
due today and those due this week, in the user's language.

Idempotent by a unique (user, sent_on) row: the digest row and the stored e-mail are written in one
transaction, so a job run twice (or by two workers) sends one e-mail; delivery is the
`deliver_email` job's, enqueued after the commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.auth.constants import PARTNER_ROLES
from portal.auth.tables import User
from portal.core.email import queue_email
from portal.customers.followups import bucket, followups_for_user
from portal.customers.preferences import wants_digest
from portal.customers.tables import CustomerUserSettings, FollowupDigest, Interaction
from portal.db import write_transaction
from portal.lib import jobs
from portal.lib.clock import now
from portal.settings import get_settings

MAX_ITEMS = 30  # per group in one e-mail; the rest are counted


async def digest_recipients(day: dt.date) -> list[int]:
    """Users with open follow-ups due by `day` who want the digest and have none for that day."""
    due = await (
        Interaction.select(Interaction.assignee)
        .where(
            Interaction.followup_done_at.is_null()
            & Interaction.followup_on.is_not_null()
            & (Interaction.followup_on <= day)
            & Interaction.assignee.is_not_null()
        )
        .distinct()
    )
    ids = {int(r["assignee"]) for r in due}
    if not ids:
        return []
    opted_out = {
        int(r["user"])
        for r in await CustomerUserSettings.select(CustomerUserSettings.user).where(
            CustomerUserSettings.user.is_in(list(ids))
            & (CustomerUserSettings.daily_digest == False)  # noqa: E712
        )
    }
    sent = {
        int(r["user"])
        for r in await FollowupDigest.select(FollowupDigest.user).where(
            FollowupDigest.user.is_in(list(ids)) & (FollowupDigest.sent_on == day)
        )
    }
    return sorted(ids - opted_out - sent)


async def send_digest(user_id: int, day: dt.date) -> int | None:
    """Queue the digest e-mail of one user for one day; the e-mail id, or None when there is
    nothing due, the user opted out or is disabled, or the digest was already queued."""
    user = await (
        User.select(
            User.email, User.name, User.locale, User.is_active, User.role, User.partner.locale
        )
        .where(User.id == user_id)
        .first()
    )
    if user is None or not user["is_active"] or user["role"] not in PARTNER_ROLES:
        return None
    if not await wants_digest(user_id):
        return None
    if await FollowupDigest.exists().where(
        (FollowupDigest.user == user_id) & (FollowupDigest.sent_on == day)
    ):
        return None
    rows = await followups_for_user(user_id, day)
    groups = bucket(rows, day)
    if not groups["overdue"] and not groups["today"]:
        return None
    base = get_settings().base_url
    for row in rows:
        row["link"] = f"{base}/customers/{row['customer']}"
    locale = user["locale"] or user["partner.locale"] or get_settings().default_locale
    context: dict[str, Any] = {
        "name": user["name"],
        "day": day,
        "overdue": groups["overdue"][:MAX_ITEMS],
        "today": groups["today"][:MAX_ITEMS],
        "week": groups["week"][:MAX_ITEMS],
        "counts": {k: len(v) for k, v in groups.items()},
        "link": f"{base}/customers/followups",
        "settings_link": f"{base}/customers/settings",
    }
    try:
        async with write_transaction():
            # The unique (user, sent_on) index makes a concurrent twin fail here, before mailing.
            await FollowupDigest.insert(
                FollowupDigest(user=user_id, sent_on=day, followups=len(rows), created_at=now())
            )
            email_id = await queue_email(user["email"], "followup_digest", context, locale)
            await FollowupDigest.update({FollowupDigest.email_id: email_id}).where(
                (FollowupDigest.user == user_id) & (FollowupDigest.sent_on == day)
            )
    except Exception:
        if await FollowupDigest.exists().where(
            (FollowupDigest.user == user_id) & (FollowupDigest.sent_on == day)
        ):
            return None  # the twin won
        raise
    await jobs.enqueue("deliver_email", email_id, job_id=f"email:{email_id}")
    return email_id
