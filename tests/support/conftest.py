"""Fixtures for the support tests."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def make_user_fn() -> Any:
    """make_user_fn(email) -> a new active channel manager (vendor staff) persona."""
    from portal.auth.constants import Role
    from tests.factories import make_user

    async def factory(email: str, role: str = Role.CHANNEL_MANAGER) -> Any:
        return await make_user(role, None, email, email.split("@")[0].title())

    return factory
