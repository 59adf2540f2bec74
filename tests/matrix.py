"""The persona permission matrix shared by every domain's tests/<domain>/test_permissions.py.

alice = admin of partner A, bob = member of A (sales only), carol = admin of B, vera = vendor
admin, manny = channel manager of A, anon = not signed in.
"""

from __future__ import annotations

from typing import Any

ALL = ("alice", "bob", "carol", "vera", "manny", "anon")


def row(path: str, **expected: int) -> tuple[str, dict[str, int]]:
    """One route and the status each persona must get (every persona named)."""
    assert set(expected) == set(ALL), path
    return path, expected


async def wrong_answers(
    as_user: Any, personas: dict[str, Any], url: str, expected: dict[str, int]
) -> list[str]:
    """GET `url` as every persona; the answers that differ from `expected` (a 303 must lead to
    the login page)."""
    wrong = []
    for name, persona in personas.items():
        client = await as_user(persona)
        response = await client.get(url)
        to_login = response.status_code != 303 or response.headers["location"].startswith("/login")
        if response.status_code != expected[name] or not to_login:
            wrong.append(f"{name}: {response.status_code} (expected {expected[name]})")
    return wrong
