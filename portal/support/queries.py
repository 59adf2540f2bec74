"""The raw SQL of the support domain: case figures per partner, the backlog trend and the
escalation ladder's set-based writes. Parameters are Piccolo's `{}` placeholders; every other
piece of a statement is a constant of this module or of portal.support.constants."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from portal.support.constants import Deadline
from portal.support.tables import SupportCase

RUNNING = "status IN ('new', 'open')"
BATCH = 5000  # cases per statement: a catch-up after an outage goes in bounded steps


def _partner_filter(partner_ids: Sequence[int] | None) -> tuple[str, list[Any]]:
    if partner_ids is None:
        return "", []
    ids = [int(p) for p in partner_ids]
    return f" AND partner IN ({', '.join('{}' for _ in ids)})", ids


async def case_figure_rows(
    partner_ids: Sequence[int] | None, since: dt.datetime, until: dt.datetime
) -> list[dict[str, Any]]:
    """One row per partner with cases in [since, until): opened, resolved, met, breached,
    first-response and resolution totals, first-contact resolutions, CSAT total and count."""
    extra, ids = _partner_filter(partner_ids)
    r = "resolved_at >= {} AND resolved_at < {}"
    sql = (
        "SELECT partner,"  # noqa: S608 (constants and {} placeholders only)
        " SUM(CASE WHEN created_at >= {} AND created_at < {} THEN 1 ELSE 0 END) AS opened,"
        f" SUM(CASE WHEN {r} THEN 1 ELSE 0 END) AS resolved,"
        f" SUM(CASE WHEN {r} AND resolved_within_sla = {{}} THEN 1 ELSE 0 END) AS met,"
        f" SUM(CASE WHEN ({r} AND resolved_within_sla = {{}}) OR (resolved_at IS NULL"
        " AND status IN ('new', 'open', 'waiting_on_partner') AND res_due_at >= {}"
        " AND res_due_at < {}) THEN 1 ELSE 0 END) AS breached,"
        " SUM(CASE WHEN first_responded_at >= {} AND first_responded_at < {}"
        " THEN first_response_minutes ELSE 0 END) AS fr_total,"
        " SUM(CASE WHEN first_responded_at >= {} AND first_responded_at < {}"
        " THEN 1 ELSE 0 END) AS fr_count,"
        f" SUM(CASE WHEN {r} THEN resolution_minutes ELSE 0 END) AS res_total,"
        f" SUM(CASE WHEN {r} AND vendor_replies <= 1 AND reopen_count = 0"
        " THEN 1 ELSE 0 END) AS fcr,"
        " SUM(CASE WHEN closed_at >= {} AND closed_at < {} AND csat_score IS NOT NULL"
        " THEN csat_score ELSE 0 END) AS csat_total,"
        " SUM(CASE WHEN closed_at >= {} AND closed_at < {} AND csat_score IS NOT NULL"
        " THEN 1 ELSE 0 END) AS csat_count"
        " FROM support_case WHERE ((created_at >= {} AND created_at < {})"
        " OR (resolved_at >= {} AND resolved_at < {})"
        " OR (first_responded_at >= {} AND first_responded_at < {})"
        " OR (closed_at >= {} AND closed_at < {})"
        " OR (res_due_at >= {} AND res_due_at < {} AND resolved_at IS NULL))"
        f"{extra} GROUP BY partner"
    )
    span = [since, until]
    params: list[Any] = [
        *span,  # opened
        *span,  # resolved
        *span,
        True,  # met
        *span,
        False,
        *span,  # breached
        *span,
        *span,  # first response
        *span,  # resolution total
        *span,  # fcr
        *span,
        *span,  # csat
        *span,
        *span,
        *span,
        *span,
        *span,  # where
        *ids,
    ]
    return list(await SupportCase.raw(sql, *params))


async def backlog_row(
    partner_ids: Sequence[int] | None, points: Sequence[dt.datetime]
) -> dict[str, Any]:
    """Open cases at each instant of `points`: columns p0, p1, ... in one row."""
    extra, ids = _partner_filter(partner_ids)
    columns = ", ".join(
        f"SUM(CASE WHEN created_at <= {{}} AND (resolved_at IS NULL OR resolved_at > {{}})"
        f" AND (closed_at IS NULL OR closed_at > {{}}) THEN 1 ELSE 0 END) AS p{i}"
        for i in range(len(points))
    )
    params: list[Any] = []
    for point in points:
        params.extend([point, point, point])
    rows = await SupportCase.raw(
        f"SELECT {columns} FROM support_case WHERE created_at <= {{}}{extra}",  # noqa: S608 (constants and {} placeholders only)
        *params,
        max(points),
        *ids,
    )
    return rows[0] if rows else {}


async def raise_escalations(
    deadline: Deadline,
    level_column: str,
    extra: str,
    level: int,
    column: str,
    moment: dt.datetime,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One batch of one rung: a case_escalation row for each running case below `level` whose
    `column` instant passed (ON CONFLICT DO NOTHING: a second run is a no-op), then the cases'
    level raised. (inserted rows, raised cases); fewer than BATCH raised means the rung is done."""
    # The partial index predicate is repeated verbatim so both databases can use it;
    # ORDER BY + LIMIT makes the planner walk that index and stop at the first
    # instant still ahead (statistics cannot tell it how few entries are due).
    due = (
        f"SELECT id FROM support_case WHERE {RUNNING} AND {level_column} < {level}"  # noqa: S608
        f"{extra} AND {column} <= {{}} ORDER BY {column} LIMIT {BATCH}"
    )
    inserted = await SupportCase.raw(
        "INSERT INTO case_escalation"  # noqa: S608 (constants and {} placeholders only)
        " (support_case, deadline, level, due_at, at, notified_at,"
        " notify_lease_until)"
        f" SELECT id, '{deadline.value}', {level}, {column}, {{}}, NULL, NULL"
        f" FROM support_case WHERE id IN ({due})"
        " ON CONFLICT (support_case, deadline, level) DO NOTHING RETURNING id",
        moment,
        moment,
    )
    raised = await SupportCase.raw(
        f"UPDATE support_case SET {level_column} = {level}"  # noqa: S608
        f" WHERE id IN ({due}) RETURNING id",
        moment,
    )
    return list(inserted), list(raised)


async def insert_escalation_events(moment: dt.datetime) -> None:
    """The timeline entries of one run's steps, in one statement (vendor-only events)."""
    await SupportCase.raw(
        "INSERT INTO case_event (support_case, kind, from_status, to_status, actor_id,"
        " actor_name, is_internal, detail, message, at, notified_at, notify_lease_until)"
        " SELECT support_case, 'escalated', '', '', NULL, 'system', {}, deadline || ':' ||"
        " CAST(level AS VARCHAR(1)), NULL, at, at, NULL FROM case_escalation WHERE at = {}",
        True,
        moment,
    )


async def case_rows(
    partner_id: int, since: dt.datetime, until: dt.datetime
) -> list[dict[str, Any]]:
    """The partner's cases behind case_figure_rows for [since, until), one row per case with
    the same flags: opened, met, breached, and its CSAT score when answered in the period (the
    performance drill-down: a figure and its rows agree)."""
    r = "resolved_at >= {} AND resolved_at < {}"
    sql = (
        "SELECT id, number, subject, created_at,"  # noqa: S608 (constants and {} placeholders only)
        " CASE WHEN created_at >= {} AND created_at < {} THEN 1 ELSE 0 END AS opened,"
        f" CASE WHEN {r} AND resolved_within_sla = {{}} THEN 1 ELSE 0 END AS met,"
        f" CASE WHEN ({r} AND resolved_within_sla = {{}}) OR (resolved_at IS NULL"
        " AND status IN ('new', 'open', 'waiting_on_partner') AND res_due_at >= {}"
        " AND res_due_at < {}) THEN 1 ELSE 0 END AS breached,"
        " CASE WHEN closed_at >= {} AND closed_at < {} AND csat_score IS NOT NULL"
        " THEN csat_score ELSE NULL END AS csat"
        " FROM support_case WHERE partner = {} AND ((created_at >= {} AND created_at < {})"
        " OR (resolved_at >= {} AND resolved_at < {})"
        " OR (closed_at >= {} AND closed_at < {})"
        " OR (res_due_at >= {} AND res_due_at < {} AND resolved_at IS NULL))"
        " ORDER BY created_at, id"
    )
    span = [since, until]
    params: list[Any] = [
        *span,  # opened
        *span,
        True,  # met
        *span,
        False,
        *span,  # breached
        *span,  # csat
        partner_id,
        *span,
        *span,
        *span,
        *span,
    ]
    return list(await SupportCase.raw(sql, *params))
