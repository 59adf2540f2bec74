"""The wiring between layers: every hook is filled, every queued job name exists, and no portal
code is looked up by name (rename a function and the wiring stops importing, loudly)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from portal.lib import hooks, jobs
from portal.worker import JOB_FUNCTIONS, wire

PORTAL = Path(__file__).resolve().parents[2] / "portal"


def _sources() -> list[tuple[Path, str]]:
    return [
        (path, path.read_text(encoding="utf-8"))
        for path in sorted(PORTAL.rglob("*.py"))
        if "piccolo_migrations" not in path.parts
    ]


def test_every_hook_is_filled_once_wired() -> None:
    wire()
    wire()  # twice changes nothing
    empty = [hook.name for hook in hooks.ALL if not hook.filled]
    assert empty == []


def test_every_hook_in_the_module_is_listed() -> None:
    declared = {
        value.name
        for value in vars(hooks).values()
        if isinstance(value, hooks.Event | hooks.Provider | hooks.Fragments)
    }
    assert declared == {hook.name for hook in hooks.ALL}


def test_every_queued_job_name_is_a_registered_job() -> None:
    wire()
    registered = set(jobs.registered())
    assert registered == {fn.__name__ for fn in JOB_FUNCTIONS}
    queued: dict[str, str] = {}
    for path, text in _sources():
        for node in ast.walk(ast.parse(text)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute | ast.Name)
                and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id)
                == "enqueue"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                queued[node.args[0].value] = f"{path.relative_to(PORTAL)}:{node.lineno}"
    assert queued, "no enqueue() call found: the walk is broken"
    unknown = {name: where for name, where in queued.items() if name not in registered}
    assert unknown == {}


def test_an_unknown_job_is_refused_loudly() -> None:
    with pytest.raises(KeyError, match="no_such_job"):
        import asyncio

        asyncio.run(jobs.enqueue("no_such_job", 1))


async def test_an_unwired_provider_raises_instead_of_answering_nothing() -> None:
    provider: hooks.Provider[..., int] = hooks.Provider("example", "for this test")
    with pytest.raises(hooks.HookNotWired, match="example"):
        await provider()
    with pytest.raises(RuntimeError, match="already provided"):

        async def one() -> int:
            return 1

        async def two() -> int:
            return 2

        provider.provide(one)
        provider.provide(two)


def test_no_portal_code_is_looked_up_by_name() -> None:
    lookups = re.compile(r"importlib\.import_module|importlib\.util\.find_spec|__import__\(")
    found = [
        f"{path.relative_to(PORTAL)}:{n}"
        for path, text in _sources()
        for n, line in enumerate(text.splitlines(), 1)
        if lookups.search(line)
    ]
    assert found == []
