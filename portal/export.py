"""`portal export-data --partner CODE`: one partner's data as a ZIP of JSON, plus its stored files.

For a partner leaving the programme or a data-subject request. Rows are read through the tenant
wall (`tenancy.partner_scope` with a user of that partner), so no other partner's row can enter
the archive: a table with a partner column is filtered on it; a table without one is exported
when it hangs off an exported row (order lines of its orders, messages of its cases ...), found
by following foreign keys. Vendor-wide tables (catalog, campaigns, tiers) are not partner data.
Credentials (password and token hashes) and sign-in plumbing (sessions, tokens) are left out.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from piccolo.table import Table

from portal.auth.constants import Role
from portal.auth.schemas import CurrentUser
from portal.lib import storage
from portal.lib.clock import now
from portal.partners.tables import Partner
from portal.piccolo_conf import APP_REGISTRY
from portal.tenancy import partner_scope

SKIPPED_TABLES = {"auth_session", "api_token", "password_reset", "login_attempt"}
SECRET_COLUMNS = {"password_hash", "token_hash", "request_hash", "reply_token"}
FILE_COLUMNS = {"storage_key", "pdf_key", "key"}  # in tables that describe stored files


@dataclass
class ExportResult:
    partner_code: str
    tables: dict[str, int] = field(default_factory=dict)
    files: int = 0
    missing_files: list[str] = field(default_factory=list)


def _tables() -> list[type[Table]]:
    return [t for app in APP_REGISTRY.app_configs.values() for t in app.table_classes]


def _partner_column(table: type[Table]) -> Any:
    for column in table._meta.columns:
        name = column._meta.name
        if name in {"partner", "partner_id"} and table._meta.tablename != "partner":
            return column
    return None


def _owned_parent(table: type[Table], exported: dict[str, list[int]]) -> Any:
    """The first foreign key of `table` pointing at an exported partner-owned table."""
    for column in table._meta.foreign_key_columns:
        target = column._foreign_key_meta.resolved_references._meta.tablename
        if target in exported:
            return column
    return None


def _file_column(table: type[Table]) -> str | None:
    names = {c._meta.name for c in table._meta.columns}
    if not ({"filename", "content_type", "pdf_size", "size"} & names):
        return None
    return next((n for n in ("storage_key", "pdf_key", "key") if n in names), None)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


def _clean(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: _jsonable(v) for k, v in row.items() if k not in SECRET_COLUMNS} for row in rows]


async def export_partner(
    code: str, progress: Callable[[str, int, int], None] | None = None
) -> tuple[bytes, ExportResult]:
    """The ZIP archive of one partner (by code); raises LookupError for an unknown code."""

    partner = await Partner.select().where(Partner.code == code).first()
    if partner is None:
        raise LookupError(code)
    pid = int(partner["id"])
    # the export reads as a user of that partner would: the tenant wall decides
    actor = CurrentUser(
        id=0,
        email="export",
        name="portal export-data",
        role=Role.PARTNER_ADMIN,
        partner_id=pid,
        partner_status=str(partner["status"]),
    )
    tables = [t for t in _tables() if t._meta.tablename not in SKIPPED_TABLES]
    exported: dict[str, list[int]] = {"partner": [pid]}
    data: dict[str, list[dict[str, Any]]] = {"partner": _clean([partner])}
    result = ExportResult(code)
    pending = [t for t in tables if t._meta.tablename != "partner"]
    done = 0
    # direct tables first, then children of exported rows until nothing new hangs off them
    while pending:
        progressed = False
        for table in list(pending):
            column = _partner_column(table)
            if column is not None:
                where = partner_scope(actor, column)
            else:
                parent = _owned_parent(table, exported)
                if parent is None:
                    continue
                where = parent.is_in(
                    exported[parent._foreign_key_meta.resolved_references._meta.tablename] or [0]
                )
            rows = await table.select().where(where).order_by(table._meta.primary_key)
            name = table._meta.tablename
            data[name] = _clean(rows)
            exported[name] = [int(r["id"]) for r in rows]
            pending.remove(table)
            progressed = True
            done += 1
            if progress:
                progress(name, done, len(tables))
        if not progressed:
            break  # the rest are vendor-wide tables (catalog, campaigns, tiers ...)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in sorted(data.items()):
            if not rows:
                continue
            result.tables[name] = len(rows)
            archive.writestr(f"tables/{name}.json", json.dumps(rows, ensure_ascii=False, indent=1))
        by_name = {t._meta.tablename: t for t in tables}
        keys = [
            row[col]
            for name, rows in data.items()
            if name in by_name and (col := _file_column(by_name[name]))
            for row in rows
            if row.get(col)
        ]
        for index, key in enumerate(keys, 1):
            try:
                archive.writestr(f"files/{key}", await storage.read_file(key))
                result.files += 1
            except FileNotFoundError:
                result.missing_files.append(key)
            if progress:
                progress(f"files/{key}", index, len(keys))
        archive.writestr(
            "manifest.json",
            json.dumps(
                {
                    "partner": {"id": pid, "code": code, "name": partner["name"]},
                    "exported_at": now().isoformat(),
                    "tables": result.tables,
                    "files": result.files,
                    "missing_files": result.missing_files,
                    "format": "tables/<table>.json: a list of rows (column: value); "
                    "files/<storage key>: the stored file those rows name",
                },
                ensure_ascii=False,
                indent=1,
            ),
        )
    return buffer.getvalue(), result
