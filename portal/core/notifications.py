"""The notification centre (the bell): one row per user and event, read/unread.

`notify` is the door for every domain (campaigns, feedback, orders, cases, deals); it is idempotent
on (user, ref) through a unique index, so a job that runs twice never rings twice. The kinds a
person may turn off, and who did, are communications' (its notification settings), asked through
the `notice_wanted` hook.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from portal.core import queries
from portal.core.tables import Notification
from portal.lib import hooks
from portal.lib.clock import now

PER_PAGE = 30


def _row(
    user_id: int, *, kind: str, title_en: str, title_zh: str, link: str, ref: str, at: Any
) -> Notification:
    return Notification(
        user=int(user_id),
        kind=kind[:20],
        title_en=title_en[:300],
        title_zh=(title_zh or title_en)[:300],
        link=link[:500],
        dedup_key=ref[:120],
        created_at=at,
    )


async def notify(
    user_ids: Sequence[int], *, kind: str, title_en: str, title_zh: str, link: str, ref: str
) -> int:
    """One in-portal notification per user; returns how many were new (repeats are ignored).
    A kind people can turn off skips those who did."""
    ids = list(dict.fromkeys(int(u) for u in user_ids))
    if ids:
        ids = await hooks.notice_wanted(ids, kind)
    if not ids:
        return 0
    moment = now()
    inserted = 0
    for start in range(0, len(ids), 500):  # keeps each statement well under SQLite's limits
        rows = [
            _row(
                uid, kind=kind, title_en=title_en, title_zh=title_zh, link=link, ref=ref, at=moment
            )
            for uid in ids[start : start + 500]
        ]
        result = (
            await Notification.insert(*rows)
            .on_conflict(action="DO NOTHING")
            .returning(Notification.id)
        )
        inserted += len(result)
    return inserted


async def ring(
    user_id: int, *, kind: str, title_en: str, title_zh: str, link: str, ref: str
) -> bool:
    """One bell entry for one user who wants it (the caller asked), in the caller's transaction;
    False when that user's entry for `ref` rang already (so a retried job sends no second
    e-mail)."""
    new = (
        await Notification.insert(
            _row(
                user_id,
                kind=kind,
                title_en=title_en,
                title_zh=title_zh,
                link=link,
                ref=ref,
                at=now(),
            )
        )
        .on_conflict(action="DO NOTHING")
        .returning(Notification.id)
    )
    return bool(new)


async def ring_each(
    users_sql: str, *args: Any, kind: str, title_en: str, title_zh: str, link: str, ref: str
) -> None:
    """One bell entry for every user id the SELECT `users_sql` gives (its one column named
    "user"), in one statement and in the caller's transaction: the fan-out of a campaign or a
    survey to thousands of people. For kinds nobody can turn off; repeats are ignored."""
    await queries.ring_each(
        users_sql,
        args,
        kind=kind[:20],
        title_en=title_en[:300],
        title_zh=(title_zh or title_en)[:300],
        link=link[:500],
        ref=ref[:120],
        at=now(),
    )


async def unread_count(user_id: int) -> int:
    """Unread entries of one user (one indexed COUNT; shown on every page)."""
    return await Notification.count().where(
        (Notification.user == user_id) & Notification.read_at.is_null()
    )


async def list_notifications(
    user_id: int, *, unread_only: bool = False, page: int = 1, per_page: int = PER_PAGE
) -> tuple[list[dict[str, Any]], int]:
    """A user's notifications, newest first, with the total for paging."""
    where: Any = Notification.user == user_id
    if unread_only:
        where = where & Notification.read_at.is_null()
    total = await Notification.count().where(where)
    rows = (
        await Notification.select()
        .where(where)
        .order_by(Notification.id, ascending=False)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return rows, total


async def open_notification(user_id: int, notification_id: int) -> str | None:
    """Mark one of the user's notifications read and return its link; None if not theirs."""
    row = (
        await Notification.select(Notification.link, Notification.read_at)
        .where((Notification.id == notification_id) & (Notification.user == user_id))
        .first()
    )
    if row is None:
        return None
    if row["read_at"] is None:
        await Notification.update({Notification.read_at: now()}).where(
            Notification.id == notification_id
        )
    return str(row["link"] or "")


async def mark_all_read(user_id: int) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    changed = (
        await Notification.update({Notification.read_at: now()})
        .where((Notification.user == user_id) & Notification.read_at.is_null())
        .returning(Notification.id)
    )
    return len(changed)


async def mark_read_by_ref(user_id: int, ref: str) -> None:
    """Opening the thing itself (a campaign, a survey) also clears its bell entry."""
    await Notification.update({Notification.read_at: now()}).where(
        (Notification.user == user_id)
        & (Notification.dedup_key == ref)
        & Notification.read_at.is_null()
    )
