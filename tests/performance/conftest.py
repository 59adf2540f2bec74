"""Every performance test starts without a cached leaderboard."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def fresh_boards() -> Iterator[None]:
    from portal.performance import views

    views.forget_boards()
    yield
    views.forget_boards()
