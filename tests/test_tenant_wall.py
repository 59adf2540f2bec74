"""The tenant wall by construction: one door per domain (access.py), and no page, console or API
module queries a partner-owned table itself (it asks its domain's access or services)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from piccolo.table import Table

import portal.worker  # noqa: F401  (every table's module imported)

PORTAL = Path(__file__).resolve().parents[1] / "portal"
TRANSPORT = re.compile(
    r"^(pages|console|api|controllers)(_[a-z_]+)?\.py$|^[a-z_]+_(pages|console|api)\.py$|^home\.py$"
)
QUERIES = {"select", "update", "delete", "insert", "raw", "count", "exists", "objects"}


def _tables() -> list[type[Table]]:
    out: list[type[Table]] = []
    todo = list(Table.__subclasses__())
    while todo:
        table = todo.pop()
        out.append(table)
        todo.extend(table.__subclasses__())
    return out


def partner_owned() -> set[str]:
    """Tables with a reference to the partner (and the partner table itself)."""
    owned = {"Partner"}
    for table in _tables():
        for column in table._meta.foreign_key_columns:
            if column._foreign_key_meta.resolved_references.__name__ == "Partner":
                owned.add(table.__name__)
    return owned


def _modules() -> list[Path]:
    return [p for p in sorted(PORTAL.rglob("*.py")) if "piccolo_migrations" not in p.parts]


def test_every_tenant_door_is_in_its_domains_access_module() -> None:
    doors = [
        f"{path.relative_to(PORTAL)}:{node.lineno} {node.name}"
        for path in _modules()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and re.fullmatch(r"get_\w+_for_user", node.name)
        and path.name != "access.py"
    ]
    assert doors == []


def test_no_page_console_or_api_module_queries_a_partner_owned_table() -> None:
    owned = partner_owned()
    assert {"Order", "Customer", "SupportCase", "ReportDelivery"} <= owned  # the walk sees them
    found = [
        f"{path.relative_to(PORTAL)}:{node.lineno} {node.func.value.id}.{node.func.attr}"
        for path in _modules()
        if TRANSPORT.search(path.name)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id in owned
        and node.func.attr in QUERIES
    ]
    assert found == []
