"""Every test starts from a clean database: a canary proves it, on whichever backend runs.

Each canary first asserts that no canary row is left and that every table holds as many rows as
in the first canary this process ran, then writes its own row and a partner. There are more
canaries than test processes ever run (-n 2 in make test), so at least two of them run one after
the other in the same process, whatever xdist's distribution: a reset that leaves rows behind
(between two tests, or after a module sharing a matrix world) fails the later one loudly.

The snapshot the permission matrices rely on (tests/matrix.py) is checked here too.
"""

from __future__ import annotations

import pytest

from portal.auth.sessions import start_session
from portal.auth.tables import AuthSession
from portal.core import audit
from portal.core.tables import AuditEntry
from portal.partners.tables import Partner
from tests.factories import make_partner
from tests.matrix import changed_tables, snapshot

CANARIES = 9
_first_counts: list[dict[str, int]] = []  # the row counts the first canary of this process saw


@pytest.mark.parametrize("n", range(CANARIES))
async def test_no_row_of_an_earlier_test_is_left(n):
    left = await AuditEntry.count().where(AuditEntry.action == "test.canary")
    counts = {t: rows for t, (rows, _checksum) in (await snapshot()).items()}
    if not _first_counts:
        _first_counts.append(counts)
    first = _first_counts[0]
    grown = {t: f"{first.get(t)} -> {c}" for t, c in counts.items() if c != first.get(t)}

    await audit.record("test.canary", target_type="canary", target_id=n)
    await make_partner(name=f"金丝雀 {n} 有限公司", name_en=f"Canary {n}")

    assert left == 0, "a canary row of an earlier test is still in the database"
    assert not grown, f"rows left by an earlier test: {grown}"


async def test_the_snapshot_sees_a_changed_value_of_the_same_length():
    partner = await make_partner(city="上海")
    before = await snapshot()

    await Partner.update({Partner.city: "北京"}).where(Partner.id == partner)

    assert changed_tables(before, await snapshot()) == ["partner"]


async def test_the_snapshot_ignores_session_bookkeeping_and_refusal_records(alice):
    await start_session(alice.id, "127.0.0.1", "pytest")
    before = await snapshot()

    await AuthSession.update({AuthSession.last_seen_at: AuthSession.created_at}, force=True)
    await audit.record("permission.denied", actor=alice.current, target_type="route")

    assert changed_tables(before, await snapshot()) == []
