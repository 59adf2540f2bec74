"""The raw SQL of core (issue 13: each domain's raw SQL in its own queries.py): the bell's
set-based fan-out. `{}` marks an argument (Piccolo's placeholder)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from portal.core.tables import Notification
from portal.db import param


async def ring_each(
    users_sql: str,
    args: Sequence[Any],
    *,
    kind: str,
    title_en: str,
    title_zh: str,
    link: str,
    ref: str,
    at: dt.datetime,
) -> None:
    """INSERT ... SELECT: a bell entry for every "user" the SELECT gives; repeats ignored."""
    text = param("varchar")
    await Notification.raw(
        'INSERT INTO notification ("user", kind, title_en, title_zh, link, dedup_key, created_at)'  # noqa: S608
        f' SELECT x."user", {text}, {text}, {text}, {text}, {text}, {param("timestamptz")}'
        # "WHERE 1 = 1": SQLite cannot tell ON CONFLICT from a join constraint after a bare FROM
        f" FROM ({users_sql}) x WHERE 1 = 1 ON CONFLICT DO NOTHING",
        kind,
        title_en,
        title_zh,
        link,
        ref,
        at,
        *args,
    )
