"""Attempt limits shared by every process (sign-in, token requests, password resets).

An attempt is counted *before* the slow work it guards (argon2, sending a mail): `take` inserts
one row per key and then counts the key's uncleared rows in the window, itself included. Each
statement commits on its own, so the k-th insert to commit sees at least k rows: of N parallel
attempts over any number of processes at most `limit` get through, whatever the timing. A refused
attempt removes its row again (being throttled does not prolong the lock); `clear` marks
attempts that succeeded, which then no longer count.

Keys are free-form strings with a prefix per use: "acct:<email>", "ip:<address>", ...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from portal.auth.tables import LoginAttempt
from portal.lib.clock import now


class Throttled(Exception):
    """Too many attempts for a key in the window; `minutes` until it lifts."""

    def __init__(self, minutes: int) -> None:
        super().__init__(minutes)
        self.minutes = minutes


def _minutes(window: dt.timedelta) -> int:
    return max(1, round(window.total_seconds() / 60))


async def _count(key: str, since: dt.datetime) -> int:
    return await LoginAttempt.count().where(
        (LoginAttempt.key == key)
        & (LoginAttempt.attempted_at > since)
        & (LoginAttempt.succeeded == False)  # noqa: E712 (Piccolo column comparison)
    )


async def take(limits: Sequence[tuple[str, int]], window: dt.timedelta) -> list[int]:
    """Count one attempt under each (key, limit); raise Throttled when any key is now over its
    limit. Returns the attempt ids, for `clear` when the attempt succeeds."""
    moment = now()
    rows = await LoginAttempt.insert(
        *[LoginAttempt(key=key, attempted_at=moment, succeeded=False) for key, _ in limits]
    ).returning(LoginAttempt.id)
    ids = [int(r["id"]) for r in rows]
    since = moment - window
    for key, limit in limits:
        if await _count(key, since) > limit:
            await LoginAttempt.delete().where(LoginAttempt.id.is_in(ids))
            raise Throttled(_minutes(window))
    return ids


async def clear(attempt_ids: Sequence[int]) -> None:
    """The attempts succeeded: they stop counting against their keys."""
    if attempt_ids:
        await LoginAttempt.update({LoginAttempt.succeeded: True}).where(
            LoginAttempt.id.is_in(list(attempt_ids))
        )


async def check(limits: Sequence[tuple[str, int]], window: dt.timedelta) -> None:
    """Raise Throttled when a key already reached its limit (a look, counts nothing)."""
    since = now() - window
    for key, limit in limits:
        if await _count(key, since) >= limit:
            raise Throttled(_minutes(window))


async def prune(older_than: dt.timedelta) -> None:
    await LoginAttempt.delete().where(LoginAttempt.attempted_at < now() - older_than)
