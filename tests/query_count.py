"""Count the statements the engine runs (a hook on run_querystring / run_ddl), for query budgets."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class Statements:
    def __init__(self) -> None:
        self.sql: list[str] = []

    @property
    def n(self) -> int:
        return len(self.sql)


@contextmanager
def count_queries() -> Iterator[Statements]:
    """Every statement run through the engine inside the block (transactions included)."""
    from portal.db import engine

    db = engine()
    seen = Statements()
    originals = {name: getattr(db, name) for name in ("run_querystring", "run_ddl")}

    def counted(original: Any) -> Any:
        async def run(query: Any, *args: Any, **kwargs: Any) -> Any:
            seen.sql.append(str(query))
            return await original(query, *args, **kwargs)

        return run

    for name, original in originals.items():
        setattr(db, name, counted(original))
    try:
        yield seen
    finally:
        for name in originals:
            delattr(db, name)  # back to the class's method
