"""Small helpers for the few set-based statements written as SQL (fan-outs, aggregates).

Parameters are Piccolo's `{}` placeholders. PostgreSQL cannot infer the type of a parameter that
only appears in a SELECT list (INSERT ... SELECT {}, ...), so those get an explicit cast there;
SQLite must not see the cast (CAST(... AS TIMESTAMPTZ) would turn a date string into a number).
"""

from __future__ import annotations

from typing import Any

from portal.db import is_sqlite


def param(pg_type: str) -> str:
    """A placeholder, cast on PostgreSQL: param("timestamptz") -> "{}::timestamptz"."""
    return "{}" if is_sqlite() else "{}::" + pg_type


def true() -> Any:
    """The value to compare a boolean column with (SQLite stores 1/0)."""
    return 1 if is_sqlite() else True


def in_list(values: list[Any]) -> str:
    """'{}, {}, {}' for an IN (...) list (at least one item)."""
    return ", ".join("{}" for _ in values) or "NULL"
