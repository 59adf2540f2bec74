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

from portal.communications.feedback import queries
from portal.communications.feedback.constants import AnswerScope, QuestionKind
from portal.communications.feedback.requests import get_request, list_questions
from portal.communications.feedback.schemas import ResultFilters
from portal.communications.figures import FeedbackFigures, nps_score
from portal.lib import clock
from portal.lib.i18n import current_locale, localized, to_local
from portal.lib.i18n import gettext as _
from portal.lib.spreadsheets import workbook
from portal.partners.constants import province_name
from portal.partners.tiers import tier_names

TEXTS_SHOWN = 200


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
    addressed_row = await queries.addressed(request_id, filters)
    responses_row = await queries.responded(request_id, filters)
    per_user = row["answer_scope"] == AnswerScope.USER
    denominator = int(addressed_row["users" if per_user else "partners"] or 0)
    answered = int(responses_row["n"] or 0)
    values = await queries.value_counts(request_id, filters)
    counts: dict[int, dict[int, int]] = {}
    for v in values:
        counts.setdefault(int(v["question"]), {})[int(v["value"])] = int(v["n"])
    multi_ids = [q["id"] for q in questions if q["kind"] == QuestionKind.MULTI]
    multi: dict[int, dict[int, int]] = {qid: {} for qid in multi_ids}
    if multi_ids:
        for a in await queries.chosen(request_id, multi_ids, filters):
            bucket = multi[int(a["question"])]
            for c in _choices(a["choices"]):
                bucket[c] = bucket.get(c, 0) + 1
    text_ids = [q["id"] for q in questions if q["kind"] == QuestionKind.TEXT]
    texts: dict[int, list[dict[str, Any]]] = {qid: [] for qid in text_ids}
    text_totals: dict[int, int] = {}
    if text_ids:
        for t in await queries.texts(request_id, text_ids, filters):
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
        "addressed_partners": int(addressed_row["partners"] or 0),
        "responses": answered,
        "responding_partners": int(responses_row["partners"] or 0),
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
    rows = await queries.recipients_for_filters(request_id, partner_ids)
    return {
        "tiers": sorted({r["tier_code"] for r in rows if r["tier_code"]}),
        "regions": sorted({r["province"] for r in rows if r["province"]}),
        "partners": [(int(r["partner"]), f"{r['code']} {r['name']}") for r in rows],
    }


async def trend(series: str, partner_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """NPS, CSAT average and response count per request of a series, oldest first (in scope)."""
    if not series:
        return []
    rows = await queries.series_scores(series, partner_ids)
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
    response_counts = await queries.series_responses(series, partner_ids)
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
    responses = await queries.export_responses(request_id, filters)
    answers = await queries.export_answers(request_id, filters)
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
    out: dict[int, dict[str, Any]] = {}
    for r in await queries.received_by_partner(lo, hi, ids):
        out.setdefault(int(r["partner"]), {}).update(
            requests_received=int(r["received"]), requests_answered=int(r["answered"] or 0)
        )
    scores: dict[int, dict[str, dict[int, int]]] = {}
    for r in await queries.scores_by_partner(lo, hi, ids):
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
