"""The survey results page with 3,000 responses (NPS, CSAT, single and multiple choice, text),
p50/p99 over repeated requests, unfiltered and filtered by tier; the same for the XLSX export
and for the results service alone (the SQL part).

    .venv/bin/python -m bench.communications_results [--database sqlite|postgres|both]
                                                     [--responses 3000] [--runs 40]

Builds 1,000 partners with 3 users each in a temporary folder (SQLite) or the database
portal_bench_comms (PostgreSQL, dropped first), opens a survey for all of them and stores
3,000 answer sheets in bulk; the page is requested in process through the ASGI app (httpx),
signed in as a vendor admin, so the figures are the app's own time without a network.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import subprocess
import sys
import time

from bench.communications_publish import build_partners, prepare_env, vendor_admin
from portal.communications.feedback import delivery as feedback_delivery
from portal.communications.feedback import requests as feedback_requests

QUESTIONS = [
    ("nps", "推荐度", "Recommend", ""),
    ("csat", "满意度", "Satisfaction", ""),
    ("single", "渠道", "Channel", "线上 | Online\n门店 | Store\n项目 | Projects"),
    ("multi", "支持", "Support", "培训 | Training\n物料 | Material\n样机 | Demo\n技术 | Tech"),
    ("text", "建议", "Ideas", ""),
]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def store_answers(request_id: int, responses: int) -> None:
    """Answer sheets in bulk (what submit_response writes, without 3,000 round trips)."""
    from portal.auth.tables import User
    from portal.communications.feedback.requests import list_questions
    from portal.communications.feedback.tables import (
        FeedbackAnswer,
        FeedbackRecipient,
        FeedbackResponse,
    )
    from portal.lib.clock import now

    rng = random.Random(7)
    questions = {q["kind"]: q["id"] for q in await list_questions(request_id)}
    snapshot = {
        r["partner"]: r
        for r in await FeedbackRecipient.select().where(FeedbackRecipient.request == request_id)
    }
    users = (
        await User.select(User.id, User.partner).where(User.partner.is_not_null()).limit(responses)
    )
    moment = now()
    sheets = [
        FeedbackResponse(
            request=request_id,
            respondent=f"u{u['id']}",
            partner=u["partner"],
            user=u["id"],
            tier_code=snapshot[u["partner"]]["tier_code"],
            province=snapshot[u["partner"]]["province"],
            submitted_at=moment,
            updated_at=moment,
        )
        for u in users
    ]
    for start in range(0, len(sheets), 500):
        await FeedbackResponse.insert(*sheets[start : start + 500])
    ids = [r["id"] for r in await FeedbackResponse.select(FeedbackResponse.id)]
    answers = []
    for rid in ids:
        answers += [
            FeedbackAnswer(response=rid, question=questions["nps"], value=rng.randint(0, 10)),
            FeedbackAnswer(response=rid, question=questions["csat"], value=rng.randint(1, 5)),
            FeedbackAnswer(response=rid, question=questions["single"], value=rng.randint(0, 2)),
            FeedbackAnswer(
                response=rid,
                question=questions["multi"],
                choices=json.dumps(sorted(rng.sample(range(4), rng.randint(1, 3)))),
            ),
        ]
        if rng.random() < 0.3:
            answers.append(
                FeedbackAnswer(
                    response=rid, question=questions["text"], text=f"建议 {rid}：多做培训。"
                )
            )
    for start in range(0, len(answers), 1000):
        await FeedbackAnswer.insert(*answers[start : start + 1000])


async def timed(label: str, runs: int, call) -> None:  # type: ignore[no-untyped-def]
    await call()  # warm-up (templates compiled, caches filled)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - started) * 1000)
    print(
        f"  {label:<44} p50 {statistics.median(samples):8.1f} ms   p99 {pct(samples, 0.99):8.1f} ms"
    )


async def run(database: str, responses: int, runs: int) -> None:
    import logging

    import httpx

    from portal.app import create_app
    from portal.auth.sessions import start_session
    from portal.communications.feedback import results
    from portal.communications.feedback.schemas import (
        FeedbackRequestForm,
        QuestionForm,
        ResultFilters,
    )
    from portal.db import close_pool, start_pool
    from portal.lib import jobs
    from portal.lib.clock import now
    from portal.partners.setup import migrate_database
    from portal.web import session_cookie_name

    logging.getLogger("httpx").setLevel(logging.WARNING)
    await migrate_database(quiet=True)
    await start_pool()

    async def no_jobs(name: str, *args: object, job_id: str | None = None) -> None:
        return None  # invitations are not part of this measurement

    jobs.enqueue = no_jobs  # type: ignore[assignment]
    partners = max(1, responses // 3)
    print(f"[{database}] building {partners:,} partners x 3 users, {responses:,} responses ...")
    await build_partners(partners, 3)
    actor = await vendor_admin()
    import datetime as dt

    request_id = await feedback_requests.create_request(
        actor,  # type: ignore[arg-type]
        FeedbackRequestForm(
            title_zh="基准调查", due_on=dt.date.today() + dt.timedelta(days=30), series="bench"
        ),
    )
    for kind, zh, en, options in QUESTIONS:
        await feedback_requests.add_question(
            actor,  # type: ignore[arg-type]
            request_id,
            QuestionForm(kind=kind, text_zh=zh, text_en=en, options=options),  # type: ignore[arg-type]
        )
    await feedback_delivery.schedule_request(actor, request_id, now())  # type: ignore[arg-type]
    await feedback_delivery.open_request(request_id)
    await store_answers(request_id, responses)
    app = create_app(run_scheduler=False)
    token = await start_session(actor.id, "127.0.0.1", "bench")  # type: ignore[attr-defined]
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://bench.local") as client:
        client.cookies.set(session_cookie_name(), token)
        page = f"/console/feedback/{request_id}/results"
        first = await client.get(page)
        assert first.status_code == 200, first.status_code
        print(f"[{database}] {responses:,} responses, {runs} runs each")

        async def get(url: str) -> None:
            response = await client.get(url)
            assert response.status_code == 200

        await timed(
            "results service (SQL + maths)",
            runs,
            lambda: results.results(request_id, ResultFilters()),
        )
        await timed("results page", runs, lambda: get(page))
        await timed("results page filtered by tier (gold)", runs, lambda: get(page + "?tier=gold"))
        await timed(
            "XLSX export (all responses)",
            max(5, runs // 4),
            lambda: get(f"/console/feedback/{request_id}/export"),
        )
    await close_pool()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--responses", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    if args.database == "both":
        for database in ("sqlite", "postgres"):
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.communications_results",
                    "--database",
                    database,
                    "--responses",
                    str(args.responses),
                    "--runs",
                    str(args.runs),
                ],
                check=True,
            )
        return
    prepare_env(args.database)
    asyncio.run(run(args.database, args.responses, args.runs))


if __name__ == "__main__":
    main()
