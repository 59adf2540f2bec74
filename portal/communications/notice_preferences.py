"""Each user's notification preferences: the kinds of notice (bell entry and e-mail) they turned off.

Kept in the communication_setting key-value table, one row per user who turned something off
(key "notices-off:<user id>", value the list of kinds), so the preference needs no table of its
own; a user without a row gets every kind. Changes are audited.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from portal.auth.schemas import CurrentUser
from portal.communications.constants import (
    NOTICE_LABELS,
    PARTNER_NOTICES,
    VENDOR_NOTICES,
    NoticeKind,
)
from portal.communications.tables import CommunicationSetting
from portal.core.audit import record
from portal.db import write_transaction
from portal.lib.clock import now

KIND_LABELS = NOTICE_LABELS


def _key(user_id: int) -> str:
    return f"notices-off:{int(user_id)}"


def kinds_for(user: CurrentUser) -> tuple[NoticeKind, ...]:
    """The kinds a user can receive, so the settings page lists only those."""
    if user.is_vendor_admin:
        return VENDOR_NOTICES
    if user.is_channel_manager:
        return tuple(k for k in VENDOR_NOTICES if k != NoticeKind.APPLICATION)
    if user.is_partner_admin:
        return PARTNER_NOTICES
    return ()


def _parse(value: object) -> set[str]:
    if isinstance(value, str):
        try:
            value = json.loads(value or "[]")
        except ValueError:
            return set()
    return {str(v) for v in value} if isinstance(value, list) else set()


async def turned_off(user_id: int) -> set[str]:
    """The kinds the user turned off."""
    row = (
        await CommunicationSetting.select(CommunicationSetting.value)
        .where(CommunicationSetting.key == _key(user_id))
        .first()
    )
    return _parse(row["value"]) if row else set()


NOTICE_KINDS = frozenset(k.value for k in NoticeKind)


async def wanting(user_ids: Sequence[int], kind: str) -> list[int]:
    """The users among `user_ids` who have not turned `kind` off (order kept); every one of them
    for a kind nobody can turn off (a campaign, a survey, an order event of one's own)."""
    ids = [int(u) for u in user_ids]
    if kind not in NOTICE_KINDS:
        return ids
    off: set[int] = set()
    for start in range(0, len(ids), 500):  # SQLite caps a statement's parameters
        keys = [_key(u) for u in ids[start : start + 500]]
        rows = await CommunicationSetting.select(
            CommunicationSetting.key, CommunicationSetting.value
        ).where(CommunicationSetting.key.is_in(keys))
        off.update(int(r["key"].rsplit(":", 1)[1]) for r in rows if kind in _parse(r["value"]))
    return [u for u in ids if u not in off]


async def set_turned_off(actor: CurrentUser, kinds: Sequence[str]) -> None:
    """Store the kinds the user turned off (unknown kinds are dropped)."""
    allowed = {k.value for k in kinds_for(actor)}
    chosen = sorted({k for k in kinds if k in allowed})
    before = sorted(await turned_off(actor.id))
    async with write_transaction():
        updated = (
            await CommunicationSetting.update(
                {
                    CommunicationSetting.value: json.dumps(chosen),
                    CommunicationSetting.updated_at: now(),
                }
            )
            .where(CommunicationSetting.key == _key(actor.id))
            .returning(CommunicationSetting.id)
        )
        if not updated:
            await CommunicationSetting.insert(
                CommunicationSetting(key=_key(actor.id), value=json.dumps(chosen), updated_at=now())
            )
        if before != chosen:
            # "Profile changed" in the log: a label of its own belongs in core/audit.py's
            # ACTION_LABELS (another helper's file this session); the kinds are not codes there
            await record(
                "user.profile",
                actor=actor,
                partner_id=actor.partner_id,
                target_type="user",
                target_id=actor.id,
            )
