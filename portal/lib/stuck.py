"""Rows that are stuck: claimed longer than their lease, or due long ago with nobody taking them.

The console's delivery log and e-mail log show such rows in red with `stuck_reason`; `portal
doctor` counts them. A stuck row is not lost (the reconciler or the outbox sweeper picks it up
again), but an operator should know that a worker died or that no worker is running.
"""

from __future__ import annotations

import datetime as dt

from portal.lib.clock import now
from portal.lib.i18n import gettext as _

# a due row nobody claimed for this long means no worker is consuming the queue
OVERDUE = dt.timedelta(minutes=15)


def stuck_reason(
    *,
    claimed: bool,
    lease_until: dt.datetime | None,
    due_at: dt.datetime | None,
    waiting: bool,
    moment: dt.datetime | None = None,
) -> str:
    """Why a row is stuck, in the current language; "" when it is not.

    `claimed`: a sender took the row (its lease is `lease_until`); `waiting`: it is due to be sent
    (pending) at `due_at`."""
    moment = moment or now()
    if claimed and lease_until is not None and lease_until < moment:
        minutes = int((moment - lease_until).total_seconds() // 60)
        return _(
            "Claimed longer than its lease: the lease ran out %(minutes)s min ago. The worker "
            "that took it stopped or died; the next reconciler run hands it to another worker.",
            minutes=minutes,
        )
    if waiting and not claimed and due_at is not None and due_at < moment - OVERDUE:
        minutes = int((moment - due_at).total_seconds() // 60)
        return _(
            "Due for %(minutes)s min and no worker has taken it: check that `portal worker` "
            "runs and uses the same REDIS_URL as the web servers.",
            minutes=minutes,
        )
    return ""


def delivery_stuck_reason(row: dict, moment: dt.datetime | None = None) -> str:
    """A monthly report delivery row (status sending = claimed, pending = waiting)."""
    return stuck_reason(
        claimed=row.get("status") == "sending",
        lease_until=row.get("lease_until"),
        due_at=row.get("next_attempt_at"),
        waiting=row.get("status") == "pending",
        moment=moment,
    )


def email_stuck_reason(row: dict, moment: dt.datetime | None = None) -> str:
    """An outgoing e-mail row (pending with a lease = claimed by a sender)."""
    pending = row.get("status") == "pending"
    return stuck_reason(
        claimed=pending and row.get("lease_until") is not None,
        lease_until=row.get("lease_until"),
        due_at=row.get("next_attempt_at"),
        waiting=pending,
        moment=moment,
    )
