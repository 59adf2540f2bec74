"""Survey results: response rate, NPS with its distribution, CSAT average, choice counts, texts;
filtered by tier, region and partner (the snapshot taken when the request opened); the trend of
a series of repeated requests; the XLSX export; and the feedback figures for scorecards.

Everything is a handful of aggregate queries whatever the number of responses.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from portal.communications.feedback.constants import AnswerScope, QuestionKind
from portal.communications.feedback.requests import get_request, list_questions
from portal.communications.feedback.schemas import ResultFilters
from portal.communications.feedback.tables import FeedbackRequest
from portal.communications.figures import FeedbackFigures, nps_score
from portal.db import in_list
from portal.lib import clock
from portal.lib.i18n import current_locale, localized, to_local
from portal.lib.i18n import gettext as _
from portal.lib.spreadsheets import workbook
from portal.partners.constants import province_name
from portal.partners.tiers import tier_names
from portal.tenancy import partner_ids_sql

TEXTS_SHOWN = 200


def _filter_sql(filters: ResultFilters, alias: str) -> tuple[str, list[Any]]:
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


def _choices(raw: Any) -> list[int]:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw or "[]")
        except ValueError:
            return []
    return [int(c) for c in raw or []]


async def results(request_id: int, filters: ResultFilters) -> dict[str, Any]:
    """The results page's figures; NotFound for an unknown request."""
    row = await get_request(request_id)
    questions = await list_questions(request_id)
    rsql, rargs = _filter_sql(filters, "r")
    ssql, sargs = _filter_sql(filters, "s")
    addressed = await FeedbackRequest.raw(
        "SELECT COUNT(*) AS partners, COALESCE(SUM(r.users), 0) AS users"  # noqa: S608
        " FROM feedback_recipient r WHERE r.request = {}" + rsql,
        request_id,
        *rargs,
    )
    responses = await FeedbackRequest.raw(
        "SELECT COUNT(*) AS n, COUNT(DISTINCT s.partner) AS partners FROM feedback_response s"  # noqa: S608
        " WHERE s.request = {}" + ssql,
        request_id,
        *sargs,
    )
    per_user = row["answer_scope"] == AnswerScope.USER
    denominator = int(addressed[0]["users" if per_user else "partners"] or 0)
    answered = int(responses[0]["n"] or 0)
    values = await FeedbackRequest.raw(
        "SELECT a.question, a.value, COUNT(*) AS n FROM feedback_answer a"  # noqa: S608
        " JOIN feedback_response s ON s.id = a.response"
        " WHERE s.request = {} AND a.value IS NOT NULL" + ssql + " GROUP BY a.question, a.value",
        request_id,
        *sargs,
    )
    counts: dict[int, dict[int, int]] = {}
    for v in values:
        counts.setdefault(int(v["question"]), {})[int(v["value"])] = int(v["n"])
    multi_ids = [q["id"] for q in questions if q["kind"] == QuestionKind.MULTI]
    multi: dict[int, dict[int, int]] = {qid: {} for qid in multi_ids}
    if multi_ids:
        for a in await FeedbackRequest.raw(
            "SELECT a.question, a.choices FROM feedback_answer a"  # noqa: S608
            " JOIN feedback_response s ON s.id = a.response"
            " WHERE s.request = {} AND a.question IN (" + in_list(multi_ids) + ")" + ssql,
            request_id,
            *multi_ids,
            *sargs,
        ):
            bucket = multi[int(a["question"])]
            for c in _choices(a["choices"]):
                bucket[c] = bucket.get(c, 0) + 1
    text_ids = [q["id"] for q in questions if q["kind"] == QuestionKind.TEXT]
    texts: dict[int, list[dict[str, Any]]] = {qid: [] for qid in text_ids}
    text_totals: dict[int, int] = {}
    if text_ids:
        for t in await FeedbackRequest.raw(
            "SELECT a.question, a.text, s.updated_at, p.name AS partner_name FROM feedback_answer a"  # noqa: S608
            " JOIN feedback_response s ON s.id = a.response JOIN partner p ON p.id = s.partner"
            " WHERE s.request = {} AND a.question IN ("
            + in_list(text_ids)
            + ") AND a.text <> ''"
            + ssql
            + " ORDER BY s.updated_at DESC",
            request_id,
            *text_ids,
            *sargs,
        ):
            qid = int(t["question"])
            text_totals[qid] = text_totals.get(qid, 0) + 1
            if len(texts[qid]) < TEXTS_SHOWN:
                texts[qid].append(t)
    out_questions = []
    for q in questions:
        kind = QuestionKind(q["kind"])
        item: dict[str, Any] = {
            "id": q["id"],
            "kind": kind.value,
            "text": localized(q, "text"),
            "required": q["required"],
        }
        if kind == QuestionKind.NPS:
            dist = counts.get(q["id"], {})
            n = sum(dist.values())
            promoters = sum(c for v, c in dist.items() if v >= 9)
            detractors = sum(c for v, c in dist.items() if v <= 6)
            item.update(
                answers=n,
                distribution=[(v, dist.get(v, 0)) for v in range(11)],
                promoters=promoters,
                passives=n - promoters - detractors,
                detractors=detractors,
                nps=nps_score(promoters, detractors, n),
            )
        elif kind == QuestionKind.CSAT:
            dist = counts.get(q["id"], {})
            n = sum(dist.values())
            item.update(
                answers=n,
                distribution=[(v, dist.get(v, 0)) for v in range(1, 6)],
                average=(sum(v * c for v, c in dist.items()) / n) if n else None,
            )
        elif kind in (QuestionKind.SINGLE, QuestionKind.MULTI):
            dist = counts.get(q["id"], {}) if kind == QuestionKind.SINGLE else multi[q["id"]]
            labels = [_option_label(o) for o in q["options"]]
            item.update(
                answers=sum(dist.values()),
                options=[(label, dist.get(i, 0)) for i, label in enumerate(labels)],
            )
        else:
            item.update(texts=texts.get(q["id"], []), answers=text_totals.get(q["id"], 0))
        out_questions.append(item)
    return {
        "request": row,
        "addressed": denominator,
        "addressed_partners": int(addressed[0]["partners"] or 0),
        "responses": answered,
        "responding_partners": int(responses[0]["partners"] or 0),
        "response_rate": (answered / denominator) if denominator else None,
        "questions": out_questions,
    }


def _option_label(option: dict[str, str]) -> str:
    return (
        (option.get("en") or option.get("zh") or "")
        if current_locale.get() == "en"
        else (option.get("zh") or option.get("en") or "")
    )


async def filter_choices(
    request_id: int, partner_ids: list[int] | None = None
) -> dict[str, list[Any]]:
    """Tiers, regions and partners present among the recipients in scope (the filter menus)."""
    scope_sql, scope_args = partner_ids_sql(partner_ids, "r.partner")
    rows = await FeedbackRequest.raw(
        "SELECT r.tier_code, r.province, r.partner, p.name, p.code FROM feedback_recipient r"  # noqa: S608
        " JOIN partner p ON p.id = r.partner WHERE r.request = {}" + scope_sql + " ORDER BY p.code",
        request_id,
        *scope_args,
    )
    return {
        "tiers": sorted({r["tier_code"] for r in rows if r["tier_code"]}),
        "regions": sorted({r["province"] for r in rows if r["province"]}),
        "partners": [(int(r["partner"]), f"{r['code']} {r['name']}") for r in rows],
    }


async def trend(series: str, partner_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """NPS, CSAT average and response count per request of a series, oldest first (in scope)."""
    if not series:
        return []
    scope_sql, scope_args = partner_ids_sql(partner_ids, "s.partner")
    rows = await FeedbackRequest.raw(
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
    by_request: dict[int, dict[str, Any]] = {}
    for r in rows:
        item = by_request.setdefault(
            int(r["id"]),
            {
                "id": int(r["id"]),
                "title": localized(r, "title"),
                "due_at": r["due_at"],
                "nps": {},
                "csat": {},
            },
        )
        item[r["kind"]][int(r["value"])] = item[r["kind"]].get(int(r["value"]), 0) + int(r["n"])
    responses = await FeedbackRequest.raw(
        "SELECT s.request, COUNT(*) AS n FROM feedback_response s JOIN feedback_request r"  # noqa: S608
        " ON r.id = s.request WHERE r.series = {}" + scope_sql + " GROUP BY s.request",
        series,
        *scope_args,
    )
    response_counts = {int(r["request"]): int(r["n"]) for r in responses}
    out = []
    for rid, item in sorted(by_request.items(), key=lambda kv: kv[1]["due_at"]):
        nps, csat = item.pop("nps"), item.pop("csat")
        n_nps = sum(nps.values())
        n_csat = sum(csat.values())
        item["nps"] = nps_score(
            sum(c for v, c in nps.items() if v >= 9),
            sum(c for v, c in nps.items() if v <= 6),
            n_nps,
        )
        item["csat"] = (sum(v * c for v, c in csat.items()) / n_csat) if n_csat else None
        item["responses"] = response_counts.get(rid, 0)
        out.append(item)
    return out


async def export_rows(request_id: int, filters: ResultFilters) -> tuple[list[str], list[list[Any]]]:
    """One row per response: partner, tier, region, who, when, then one column per question."""
    questions = await list_questions(request_id)
    ssql, sargs = _filter_sql(filters, "s")
    responses = await FeedbackRequest.raw(
        "SELECT s.id, p.code, p.name, s.tier_code, s.province, u.name AS user_name,"  # noqa: S608
        " u.email, s.submitted_at, s.updated_at FROM feedback_response s"
        ' JOIN partner p ON p.id = s.partner JOIN portal_user u ON u.id = s."user"'
        " WHERE s.request = {}" + ssql + " ORDER BY p.code, s.id",
        request_id,
        *sargs,
    )
    answers = await FeedbackRequest.raw(
        "SELECT a.response, a.question, a.value, a.choices, a.text FROM feedback_answer a"  # noqa: S608
        " JOIN feedback_response s ON s.id = a.response WHERE s.request = {}" + ssql,
        request_id,
        *sargs,
    )
    by_response: dict[int, dict[int, Any]] = {}
    options = {q["id"]: [_option_label(o) for o in q["options"]] for q in questions}
    kinds = {q["id"]: q["kind"] for q in questions}
    for a in answers:
        qid = int(a["question"])
        if kinds.get(qid) == QuestionKind.SINGLE and a["value"] is not None:
            labels = options[qid]
            cell: Any = labels[a["value"]] if a["value"] < len(labels) else a["value"]
        elif kinds.get(qid) == QuestionKind.MULTI:
            labels = options[qid]
            cell = "; ".join(labels[c] for c in _choices(a["choices"]) if c < len(labels))
        elif kinds.get(qid) == QuestionKind.TEXT:
            cell = a["text"]
        else:
            cell = a["value"]
        by_response.setdefault(int(a["response"]), {})[qid] = cell
    header = [
        _("Partner code"),
        _("Partner"),
        _("Tier"),
        _("Region"),
        _("Answered by"),
        _("E-mail"),
        _("Submitted"),
        _("Last changed"),
        *[f"Q{i}. {localized(q, 'text')}" for i, q in enumerate(questions, 1)],
    ]
    rows = []
    tiers, locale = await tier_names(), current_locale.get()
    for r in responses:
        cells = by_response.get(int(r["id"]), {})
        rows.append(
            [
                r["code"],
                r["name"],
                tiers.get(r["tier_code"], r["tier_code"]),  # words, not codes (issue 12 point 7)
                province_name(r["province"], locale),
                r["user_name"],
                r["email"],
                _naive(r["submitted_at"]),
                _naive(r["updated_at"]),
                *[cells.get(q["id"], "") for q in questions],
            ]
        )
    return header, rows


def _naive(value: Any) -> Any:
    """Excel has no time zones: local time of the portal, without tzinfo."""

    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return to_local(value).replace(tzinfo=None) if isinstance(value, dt.datetime) else value


async def export_xlsx(request_id: int, filters: ResultFilters) -> bytes:
    """The responses as an Excel workbook (cells escaped against formula injection)."""

    header, rows = await export_rows(request_id, filters)
    return workbook([(_("Responses"), header, rows)])


async def feedback_figures(
    partner_ids: Sequence[int] | None, start: dt.date, end: dt.date
) -> dict[int, FeedbackFigures]:
    """Per partner: requests addressed in [start, end), those answered, NPS and CSAT x100 of
    the answers submitted in the range."""
    lo = clock.day_start(start)
    hi = clock.day_start(end)
    ids = list(partner_ids) if partner_ids is not None else None
    if ids is not None and not ids:
        return {}
    only_r = f" AND r.partner IN ({in_list(ids)})" if ids is not None else ""
    only_s = f" AND s.partner IN ({in_list(ids)})" if ids is not None else ""
    extra = ids or []
    out: dict[int, dict[str, Any]] = {}
    for r in await FeedbackRequest.raw(
        "SELECT r.partner, COUNT(*) AS received, SUM(CASE WHEN EXISTS (SELECT 1 FROM"  # noqa: S608
        " feedback_response s WHERE s.request = r.request AND s.partner = r.partner)"
        " THEN 1 ELSE 0 END) AS answered FROM feedback_recipient r"
        " WHERE r.addressed_at >= {} AND r.addressed_at < {}" + only_r + " GROUP BY r.partner",
        lo,
        hi,
        *extra,
    ):
        out.setdefault(int(r["partner"]), {}).update(
            requests_received=int(r["received"]), requests_answered=int(r["answered"] or 0)
        )
    scores: dict[int, dict[str, dict[int, int]]] = {}
    for r in await FeedbackRequest.raw(
        "SELECT s.partner, q.kind, a.value, COUNT(*) AS n FROM feedback_answer a"  # noqa: S608
        " JOIN feedback_response s ON s.id = a.response"
        " JOIN feedback_question q ON q.id = a.question"
        " WHERE q.kind IN ({}, {}) AND a.value IS NOT NULL"
        " AND s.updated_at >= {} AND s.updated_at < {}"
        + only_s
        + " GROUP BY s.partner, q.kind, a.value",
        QuestionKind.NPS.value,
        QuestionKind.CSAT.value,
        lo,
        hi,
        *extra,
    ):
        kinds = scores.setdefault(int(r["partner"]), {"nps": {}, "csat": {}})
        kinds[r["kind"]][int(r["value"])] = int(r["n"])
    for pid, kinds in scores.items():
        nps, csat = kinds["nps"], kinds["csat"]
        n_csat = sum(csat.values())
        out.setdefault(pid, {}).update(
            nps=nps_score(
                sum(c for v, c in nps.items() if v >= 9),
                sum(c for v, c in nps.items() if v <= 6),
                sum(nps.values()),
            ),
            csat_avg_x100=round(sum(v * c for v, c in csat.items()) * 100 / n_csat)
            if n_csat
            else None,
        )
    return {pid: FeedbackFigures(**values) for pid, values in out.items()}
