"""The raw SQL of feedback requests (issue 13: each domain's raw SQL in its own queries.py).

Plain SQL where the ORM cannot say it in one statement: the opening fan-out and the reminders
(INSERT ... SELECT over the audience), and the aggregates of the results page, the trend, the
export and the scorecard figures. `{}` marks an argument (Piccolo's placeholder); a filter or a
scope arrives as an SQL fragment with its arguments (`filter_sql`, `tenancy.partner_ids_sql`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from portal.communications.feedback.constants import AnswerScope, QuestionKind
from portal.communications.feedback.schemas import ResultFilters
from portal.communications.feedback.tables import FeedbackRequest
from portal.db import in_list, param, true
from portal.tenancy import partner_ids_sql

Rows = list[dict[str, Any]]
_raw = FeedbackRequest.raw


def filter_sql(filters: ResultFilters, alias: str) -> tuple[str, list[Any]]:
    """The results filters (tier, region, partner) and the reader's scope on `alias`'s columns."""
    sql = ""
    args: list[Any] = []
    if filters.tier:
        sql += f" AND {alias}.tier_code = {{}}"
        args.append(filters.tier)
    if filters.region:
        sql += f" AND {alias}.province = {{}}"
        args.append(filters.region)
    if filters.partner:
        sql += f" AND {alias}.partner = {{}}"
        args.append(filters.partner)
    scope_sql, scope_args = partner_ids_sql(filters.partner_ids, f"{alias}.partner")
    return sql + scope_sql, args + scope_args


# -- the opening fan-out and the reminders ---------------------------------------------------


async def freeze_audience(
    request_id: int, where: str, args: Sequence[Any], at: dt.datetime
) -> None:
    """The partners the audience rule `where` selects become the request's recipients, with
    the tier, region and number of active users they have now (the results' snapshot)."""
    await _raw(
        "INSERT INTO feedback_recipient (request, partner, tier_code, province, users,"  # noqa: S608
        f" addressed_at) SELECT {param('bigint')}, p.id, t.code, p.province,"
        " (SELECT COUNT(*) FROM portal_user u WHERE u.partner = p.id AND u.is_active = {}),"
        f" {param('timestamptz')} FROM partner p JOIN tier t ON t.id = p.tier WHERE "
        + where
        + " ON CONFLICT DO NOTHING",
        request_id,
        true(),
        at,
        *args,
    )


ADDRESSED_USERS_SQL = (
    'SELECT u.id AS "user" FROM portal_user u JOIN feedback_recipient r ON r.partner = u.partner'
    " WHERE r.request = {} AND u.is_active = {}"
)


async def addressed_users(request_id: int) -> list[int]:
    """The active users of the request's recipients."""
    rows = await _raw(ADDRESSED_USERS_SQL, request_id, true())
    return [int(r["user"]) for r in rows]


async def record_reminders(request_id: int, answer_scope: str, at: dt.datetime) -> list[int]:
    """A reminder row for every active addressee who has not answered (for a per-partner request:
    whose partner has not); returns the users reminded now (the unique pair keeps it once)."""
    key = "('u' || CAST(u.id AS TEXT))"  # respondent = 'u' || user id, in both dialects
    unanswered = "NOT EXISTS (SELECT 1 FROM feedback_response s WHERE s.request = r.request" + (  # noqa: S608
        " AND s.partner = u.partner)"
        if answer_scope == AnswerScope.PARTNER
        else ' AND s."user" = u.id AND s.respondent = ' + key + ")"
    )
    rows = await _raw(
        'INSERT INTO feedback_reminder (request, "user", sent_at)'  # noqa: S608
        f" SELECT r.request, u.id, {param('timestamptz')} FROM portal_user u"
        " JOIN feedback_recipient r ON r.partner = u.partner"
        " WHERE r.request = {} AND u.is_active = {} AND "
        + unanswered
        + ' ON CONFLICT DO NOTHING RETURNING "user"',
        at,
        request_id,
        true(),
    )
    return [int(r["user"]) for r in rows]


# -- results ---------------------------------------------------------------------------------


async def addressed(request_id: int, filters: ResultFilters) -> dict[str, Any]:
    """Partners and users addressed (within the filters)."""
    sql, args = filter_sql(filters, "r")
    rows = await _raw(
        "SELECT COUNT(*) AS partners, COALESCE(SUM(r.users), 0) AS users"  # noqa: S608
        " FROM feedback_recipient r WHERE r.request = {}" + sql,
        request_id,
        *args,
    )
    return rows[0]


async def responded(request_id: int, filters: ResultFilters) -> dict[str, Any]:
    """Responses and responding partners (within the filters)."""
    sql, args = filter_sql(filters, "s")
    rows = await _raw(
        "SELECT COUNT(*) AS n, COUNT(DISTINCT s.partner) AS partners FROM feedback_response s"  # noqa: S608
        " WHERE s.request = {}" + sql,
        request_id,
        *args,
    )
    return rows[0]


async def value_counts(request_id: int, filters: ResultFilters) -> Rows:
    """(question, value, n) of every scale and single-choice answer."""
    sql, args = filter_sql(filters, "s")
    return await _raw(
        "SELECT a.question, a.value, COUNT(*) AS n FROM feedback_answer a"  # noqa: S608
        " JOIN feedback_response s ON s.id = a.response"
        " WHERE s.request = {} AND a.value IS NOT NULL" + sql + " GROUP BY a.question, a.value",
        request_id,
        *args,
    )


async def chosen(request_id: int, question_ids: list[int], filters: ResultFilters) -> Rows:
    """(question, choices) of every answer to the multiple-choice questions."""
    sql, args = filter_sql(filters, "s")
    return await _raw(
        "SELECT a.question, a.choices FROM feedback_answer a"  # noqa: S608
        " JOIN feedback_response s ON s.id = a.response"
        " WHERE s.request = {} AND a.question IN (" + in_list(question_ids) + ")" + sql,
        request_id,
        *question_ids,
        *args,
    )


async def texts(request_id: int, question_ids: list[int], filters: ResultFilters) -> Rows:
    """The free-text answers, newest first, with the partner's name."""
    sql, args = filter_sql(filters, "s")
    return await _raw(
        "SELECT a.question, a.text, s.updated_at, p.name AS partner_name FROM feedback_answer a"  # noqa: S608
        " JOIN feedback_response s ON s.id = a.response JOIN partner p ON p.id = s.partner"
        " WHERE s.request = {} AND a.question IN ("
        + in_list(question_ids)
        + ") AND a.text <> ''"
        + sql
        + " ORDER BY s.updated_at DESC",
        request_id,
        *question_ids,
        *args,
    )


async def recipients_for_filters(request_id: int, partner_ids: list[int] | None) -> Rows:
    """Tier, region and partner of every recipient in scope (the filter menus)."""
    scope_sql, scope_args = partner_ids_sql(partner_ids, "r.partner")
    return await _raw(
        "SELECT r.tier_code, r.province, r.partner, p.name, p.code FROM feedback_recipient r"  # noqa: S608
        " JOIN partner p ON p.id = r.partner WHERE r.request = {}" + scope_sql + " ORDER BY p.code",
        request_id,
        *scope_args,
    )


async def series_scores(series: str, partner_ids: list[int] | None) -> Rows:
    """NPS and CSAT answer counts per request of a series and value."""
    scope_sql, scope_args = partner_ids_sql(partner_ids, "s.partner")
    return await _raw(
        "SELECT r.id, r.title_zh, r.title_en, r.opened_at, r.due_at, q.kind, a.value,"  # noqa: S608
        " COUNT(*) AS n FROM feedback_request r"
        " JOIN feedback_question q ON q.request = r.id"
        " JOIN feedback_answer a ON a.question = q.id"
        " JOIN feedback_response s ON s.id = a.response"
        " WHERE r.series = {} AND q.kind IN ({}, {}) AND a.value IS NOT NULL"
        + scope_sql
        + " GROUP BY r.id, r.title_zh, r.title_en, r.opened_at, r.due_at, q.kind, a.value",
        series,
        QuestionKind.NPS.value,
        QuestionKind.CSAT.value,
        *scope_args,
    )


async def series_responses(series: str, partner_ids: list[int] | None) -> dict[int, int]:
    """Responses per request of a series."""
    scope_sql, scope_args = partner_ids_sql(partner_ids, "s.partner")
    rows = await _raw(
        "SELECT s.request, COUNT(*) AS n FROM feedback_response s JOIN feedback_request r"  # noqa: S608
        " ON r.id = s.request WHERE r.series = {}" + scope_sql + " GROUP BY s.request",
        series,
        *scope_args,
    )
    return {int(r["request"]): int(r["n"]) for r in rows}


async def export_responses(request_id: int, filters: ResultFilters) -> Rows:
    """One row per response with its partner and respondent, by partner code."""
    sql, args = filter_sql(filters, "s")
    return await _raw(
        "SELECT s.id, p.code, p.name, s.tier_code, s.province, u.name AS user_name,"  # noqa: S608
        " u.email, s.submitted_at, s.updated_at FROM feedback_response s"
        ' JOIN partner p ON p.id = s.partner JOIN portal_user u ON u.id = s."user"'
        " WHERE s.request = {}" + sql + " ORDER BY p.code, s.id",
        request_id,
        *args,
    )


async def export_answers(request_id: int, filters: ResultFilters) -> Rows:
    """Every answer of the responses in the filters."""
    sql, args = filter_sql(filters, "s")
    return await _raw(
        "SELECT a.response, a.question, a.value, a.choices, a.text FROM feedback_answer a"  # noqa: S608
        " JOIN feedback_response s ON s.id = a.response WHERE s.request = {}" + sql,
        request_id,
        *args,
    )


async def response_counts(request_ids: list[int], partner_ids: list[int] | None) -> dict[int, int]:
    """Responses per request (the console list), within the reader's scope."""
    scope_sql, scope_args = partner_ids_sql(partner_ids, "partner")
    rows = await _raw(
        "SELECT request, COUNT(*) AS n FROM feedback_response WHERE request IN ("  # noqa: S608
        + in_list(request_ids)
        + ")"
        + scope_sql
        + " GROUP BY request",
        *request_ids,
        *scope_args,
    )
    return {int(r["request"]): int(r["n"]) for r in rows}


# -- scorecard figures and CSAT --------------------------------------------------------------


def _only(alias: str, ids: list[int] | None) -> str:
    return f" AND {alias}.partner IN ({in_list(ids)})" if ids is not None else ""


async def received_by_partner(lo: dt.datetime, hi: dt.datetime, ids: list[int] | None) -> Rows:
    """Per partner: requests addressed in [lo, hi) and those it answered."""
    return await _raw(
        "SELECT r.partner, COUNT(*) AS received, SUM(CASE WHEN EXISTS (SELECT 1 FROM"  # noqa: S608
        " feedback_response s WHERE s.request = r.request AND s.partner = r.partner)"
        " THEN 1 ELSE 0 END) AS answered FROM feedback_recipient r"
        " WHERE r.addressed_at >= {} AND r.addressed_at < {}"
        + _only("r", ids)
        + " GROUP BY r.partner",
        lo,
        hi,
        *(ids or []),
    )


async def scores_by_partner(lo: dt.datetime, hi: dt.datetime, ids: list[int] | None) -> Rows:
    """Per partner, kind (nps/csat) and value: answers submitted or changed in [lo, hi)."""
    return await _raw(
        "SELECT s.partner, q.kind, a.value, COUNT(*) AS n FROM feedback_answer a"  # noqa: S608
        " JOIN feedback_response s ON s.id = a.response"
        " JOIN feedback_question q ON q.id = a.question"
        " WHERE q.kind IN ({}, {}) AND a.value IS NOT NULL"
        " AND s.updated_at >= {} AND s.updated_at < {}"
        + _only("s", ids)
        + " GROUP BY s.partner, q.kind, a.value",
        QuestionKind.NPS.value,
        QuestionKind.CSAT.value,
        lo,
        hi,
        *(ids or []),
    )


async def csat_answer(subject: str, subject_id: int) -> int | None:
    """The latest 1-5 CSAT answer given for an order or a case."""
    rows = await _raw(
        "SELECT a.value FROM feedback_answer a"
        " JOIN feedback_question q ON q.id = a.question"
        " JOIN feedback_request r ON r.id = q.request"
        " WHERE r.subject = {} AND r.subject_id = {} AND q.kind = {} AND a.value IS NOT NULL"
        " ORDER BY a.id DESC LIMIT 1",
        subject,
        subject_id,
        QuestionKind.CSAT.value,
    )
    return int(rows[0]["value"]) if rows else None
