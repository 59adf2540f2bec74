"""Background work: the job functions, arq's WorkerSettings, and the in-process scheduler.

With REDIS_URL, `portal worker` runs arq with the cron table below. Without it (the embedded
default), `portal serve` runs the same cron table in process (InProcessScheduler) and enqueue()
runs jobs as tasks. Either way the database holds the truth and every job is idempotent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from arq import Retry, cron
from arq.worker import Worker
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import WatchError

from portal import partner360
from portal.auth import sessions
from portal.communications import integrations, notice_preferences, notices
from portal.communications.feedback import csat
from portal.communications.jobs import (
    open_feedback_request,
    publish_campaign,
    publish_due_communications,
    send_feedback_reminders,
    send_notice,
)
from portal.core import email
from portal.customers import access as customer_access
from portal.customers import services as customer_services
from portal.customers.jobs import (
    recompute_customer_segments,
    send_followup_digest,
    send_followup_digests,
)
from portal.db import close_pool, resolve_foreign_keys, start_pool
from portal.deals import ordering as deal_ordering
from portal.deals import services as deal_services
from portal.deals.jobs import notify_deal_event, run_deal_protection
from portal.deals.lead_jobs import notify_lead_offers, run_lead_routing
from portal.deals.leads import lead_from_campaign
from portal.finance import deductions as finance_deductions
from portal.finance import holds as finance_holds
from portal.finance import integrations as finance_integrations
from portal.finance import queries as finance_queries
from portal.finance import rebates as finance_rebates
from portal.finance.jobs import (
    create_receivables,
    recompute_rebate_accruals,
    send_payment_reminders,
)
from portal.lib import clock, hooks, jobs
from portal.lib.logs import logged_job
from portal.orders import access as order_access
from portal.orders.jobs import notify_order_event, sweep_order_notifications
from portal.performance import rollups
from portal.performance.jobs import (
    reconcile_performance_reports,
    refresh_all_performance_rollups,
    refresh_performance_rollups,
    send_performance_report,
)
from portal.support import access as support_access
from portal.support import services as support_services
from portal.support.jobs import (
    check_case_deadlines,
    close_resolved_cases,
    notify_case_escalation,
    notify_case_event,
    request_case_csat,
    sweep_case_notifications,
)

log = logging.getLogger("portal.worker")


async def deliver_email(ctx: dict[str, Any], email_id: int) -> bool:
    """Send one stored e-mail; on SMTP failure arq retries with back-off (the row keeps the error)."""
    try:
        return await email.deliver(email_id)
    except Exception as exc:
        if ctx.get("inline"):
            raise
        tries = int(ctx.get("job_try", 1))
        if tries >= 8:
            raise  # the sweeper keeps trying on its own schedule
        raise Retry(defer=email.backoff(tries).total_seconds()) from exc


async def sweep_outbox(ctx: dict[str, Any]) -> int:
    """Re-enqueue pending e-mails whose back-off passed or whose sender died mid-lease."""
    due = await email.due_emails()
    for email_id, attempts in due:
        await jobs.enqueue("deliver_email", email_id, job_id=email_job_id(email_id, attempts))
    return len(due)


def email_job_id(email_id: int, attempts: int) -> str:
    """The sweeper's job id names the attempt it is for: one job per e-mail however often the
    sweep runs while it waits in the queue (a minute-stamped id queued another copy of every
    waiting e-mail each minute), and a new one once a sender claimed the row and died, since the
    dead sender's job keeps its id in arq until arq's own time-out."""
    return f"email:{email_id}" if not attempts else f"email:{email_id}:after-{attempts}"


async def prune_auth(ctx: dict[str, Any]) -> None:
    """Forget old login attempts and expired sessions."""
    await sessions.prune_attempts()


JOB_FUNCTIONS: list[Callable[..., Awaitable[Any]]] = [
    deliver_email,
    sweep_outbox,
    prune_auth,
    notify_order_event,
    sweep_order_notifications,
    send_followup_digests,
    send_followup_digest,
    recompute_customer_segments,
    publish_campaign,
    open_feedback_request,
    publish_due_communications,
    send_feedback_reminders,
    send_notice,
    check_case_deadlines,
    notify_case_event,
    notify_case_escalation,
    sweep_case_notifications,
    close_resolved_cases,
    request_case_csat,
    refresh_performance_rollups,
    refresh_all_performance_rollups,
    reconcile_performance_reports,
    send_performance_report,
    create_receivables,
    send_payment_reminders,
    recompute_rebate_accruals,
    notify_deal_event,
    run_deal_protection,
    run_lead_routing,
    notify_lead_offers,
]


def wire() -> None:
    """The one place where higher layers fill the hooks of lower ones (portal.lib.hooks) and
    every job is registered by name (portal.lib.jobs). Run at import of this module, which
    app.py, cli.py and the worker import; running it again changes nothing."""
    jobs.register(JOB_FUNCTIONS)
    # partners -> every domain: the sections of the console partner page (its 360° view)
    hooks.partner_overview.provide(partner360.partner_overview)
    # orders -> communications: the bell and the CSAT request after delivery
    hooks.order_event_landed.subscribe(integrations.order_event_landed)
    # orders -> communications: vendor staff told of an order waiting for approval
    hooks.order_event_landed.subscribe(notices.order_event_landed)
    # partners, support -> communications: applications, tier changes, new cases (bell + e-mail)
    hooks.alert.subscribe(notices.alert)
    # orders -> performance: the partner's rollup follows its orders (scorecard = drill-down)
    hooks.order_event_landed.subscribe(rollups.refresh_for_order_event)
    # orders -> finance: a shipment's receivable at once (the minute job catches up otherwise)
    hooks.order_event_landed.subscribe(finance_integrations.order_event_landed)
    # orders -> finance: the credit check counts unpaid receivables, less balance on account
    hooks.credit_owed.add(finance_queries.CREDIT_OWED_SQL)
    # orders -> finance: receivables overdue beyond the vendor's setting block new orders
    hooks.order_hold.provide(finance_holds.order_hold)
    # orders -> finance: unused rebate credit as a deduction on the next order (and back)
    hooks.order_credit_offer.provide(finance_deductions.offer)
    hooks.order_deduction.provide(finance_deductions.take)
    hooks.order_deduction_return.provide(finance_deductions.give_back)
    # orders -> customers: the end-customer picker of the cart and the API's customer id
    hooks.customer_choices.provide(customer_services.customer_choices)
    hooks.customer_name_for_user.provide(customer_access.get_customer_name_for_user)
    # orders -> deals: the special prices of a protected deal an order is placed against
    hooks.deal_terms.provide(deal_ordering.deal_terms)
    hooks.deal_choices.provide(deal_ordering.deal_choices)
    # customers -> orders, support: what shares a customer with the vendor; the 360° page's cases
    hooks.customer_shared_by.add(order_access.CUSTOMER_SHARED_BY_ORDER)
    hooks.customer_shared_by.add(support_access.CUSTOMER_SHARED_BY_CASE)
    hooks.customer_cases.provide(support_services.cases_for_customer_page)
    # customers -> deals: the 360° page's deal registrations
    hooks.customer_deals.provide(deal_services.deals_for_customer)
    # core, support -> communications: who turned a kind of notice off; the case CSAT
    hooks.notice_wanted.provide(notice_preferences.wanting)
    hooks.csat_score.provide(csat.csat_for)
    hooks.request_csat.provide(csat.request_csat)
    # communications -> deals: an end customer's campaign response becomes a routed lead
    hooks.campaign_lead.provide(lead_from_campaign)
    # communications -> finance: the rebate programmes a campaign announces, on its pages
    hooks.campaign_programmes.provide(finance_rebates.campaign_programmes)


wire()

# The report reconciler runs twice per lease (REPORT_LEASE_SECONDS = 10 minutes), so a row whose
# worker died is picked up within lease + 5 minutes, not "just after the next slot" as with a
# 10-minute period.
RECONCILE_MINUTES = set(range(3, 60, 5))
CRON_RESULT_S = 3600  # a cron slot's result is kept so that a second worker does not run it again

# (job, minutes) for the in-process scheduler; the arq cron table below mirrors it.
SCHEDULE: list[tuple[Callable[..., Awaitable[Any]], set[int] | None, set[int] | None]] = [
    (sweep_outbox, None, None),  # every minute
    (sweep_order_notifications, None, None),  # every minute
    (prune_auth, {17}, {3}),  # 03:17 UTC daily
    (send_followup_digests, {30}, {0}),  # 00:30 UTC = 08:30 Shanghai: follow-up digests
    (recompute_customer_segments, {23}, {19}),  # 19:23 UTC = 03:23 Shanghai: RFM segments
    (publish_due_communications, None, None),  # every minute: due campaigns and surveys
    (send_feedback_reminders, {47}, None),  # hourly: survey reminders
    (check_case_deadlines, None, None),  # every minute: the SLA escalation ladder
    (sweep_case_notifications, None, None),  # every minute
    (close_resolved_cases, {29}, None),  # hourly
    (refresh_performance_rollups, {7}, None),  # hourly: this and last month's rollups
    (refresh_all_performance_rollups, {41}, {18}),  # 18:41 UTC = 02:41 Shanghai, nightly
    (reconcile_performance_reports, RECONCILE_MINUTES, None),  # monthly reports
    (create_receivables, None, None),  # every minute: receivables for new shipments
    (send_payment_reminders, {30}, {1}),  # 01:30 UTC = 09:30 Shanghai: payment reminders
    (run_deal_protection, {13}, None),  # hourly: deal protection reminders and expiry
    (run_lead_routing, None, None),  # every minute: lead offers timed out, waiting leads routed
    (notify_lead_offers, None, None),  # every minute: offers not told yet (a worker died)
]


async def _startup(ctx: dict[str, Any]) -> None:
    resolve_foreign_keys()
    await start_pool()


async def _shutdown(ctx: dict[str, Any]) -> None:
    await jobs.close()
    await close_pool()


def _slot(fn: Any, **when: Any) -> Any:
    """An arq cron slot, run once however many workers there are (unique, result kept)."""
    return cron(fn, unique=True, keep_result=CRON_RESULT_S, **when)


def cron_table(sweep_seconds: int = 0) -> list[Any]:
    """arq's cron slots. SWEEP_SECONDS=N (tests) runs the outbox sweeper, the due campaigns and
    surveys and the report reconciler every N seconds instead of their production slots."""
    often: dict[str, Any] | None = (
        {"second": set(range(0, 60, sweep_seconds))} if sweep_seconds else None
    )
    return [
        _slot(sweep_outbox, **(often or {"second": 5}), run_at_startup=True),
        _slot(prune_auth, hour={3}, minute={17}),
        _slot(send_followup_digests, hour={0}, minute={30}),
        _slot(recompute_customer_segments, hour={19}, minute={23}),
        _slot(publish_due_communications, **(often or {"second": 20})),
        _slot(send_feedback_reminders, minute={47}),
        _slot(sweep_order_notifications, second=35),
        _slot(check_case_deadlines, second=15),
        _slot(sweep_case_notifications, second=45),
        _slot(close_resolved_cases, minute={29}),
        _slot(refresh_performance_rollups, minute={7}),
        _slot(refresh_all_performance_rollups, hour={18}, minute={41}),
        _slot(reconcile_performance_reports, **(often or {"minute": RECONCILE_MINUTES})),
        _slot(create_receivables, second=50),
        _slot(send_payment_reminders, hour={1}, minute={30}),
        _slot(recompute_rebate_accruals, minute={7, 22, 37, 52}),
        _slot(run_deal_protection, minute={13}),
        _slot(run_lead_routing, second=25),
        _slot(notify_lead_offers, second=55),
    ]


class WorkerSettings:
    """arq worker: `portal worker` (or `arq portal.worker.WorkerSettings`)."""

    functions = JOB_FUNCTIONS
    cron_jobs = cron_table()  # `portal worker` passes cron_table(SWEEP_SECONDS)
    on_startup = _startup
    on_shutdown = _shutdown
    poll_delay = 0.1
    max_jobs = 50
    job_timeout = 300
    max_tries = 10
    # No result is kept for one-off jobs: they run under fixed ids (report:<period>:partner-<id>,
    # email:<id>) that a sweeper queues again, and a kept result would make arq drop that
    # re-enqueue silently. Cron slots keep theirs (CRON_RESULT_S) so that two workers run a
    # slot once. The Redis target comes from REDIS_URL: `portal worker` passes redis_settings.
    keep_result = 0


class PortalWorker(Worker):
    """arq's Worker, riding out a Redis restart: redis-py retries single commands on a lost
    connection (worker_redis_settings), but a connection lost while arq watches a job's key
    raises WatchError out of its poll loop (arq 0.28, Worker.start_jobs), which stopped the
    worker; here the poll is tried again a second later, and the slot arq had counted for the
    job it never started is given back."""

    async def _poll_iteration(self) -> None:
        try:
            await super()._poll_iteration()
        except (WatchError, RedisConnectionError, OSError) as exc:
            log.warning(
                "Redis unavailable while polling (%s: %s); polling again", type(exc).__name__, exc
            )
            await asyncio.sleep(1)  # also lets finished jobs run their done-callbacks
            running = sum(1 for task in self.tasks.values() if not task.done())
            while self.job_counter > running:  # counted, semaphore taken, never started
                self.job_counter -= 1
                self.sem.release()


STOP_GRACE_S = 10  # `portal serve` stopping: running in-process jobs get this long, then are
# cancelled and hand their rows back (well inside systemd's TimeoutStopSec=30 for the web unit)


class InProcessScheduler:
    """Runs SCHEDULE inside the web process when no Redis is configured (the embedded default)."""

    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._loop())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await jobs.drain(grace=STOP_GRACE_S)

    async def _loop(self) -> None:
        first = True
        while True:
            moment = clock.now()
            for fn, minutes, hours in SCHEDULE:
                due = (minutes is None or moment.minute in minutes) and (
                    hours is None or moment.hour in hours
                )
                if due or (first and minutes is None):
                    try:
                        await logged_job(fn)({"inline": True, "job_try": 1})
                    except Exception:
                        log.exception("scheduled job %s failed", fn.__name__)
            first = False
            await asyncio.sleep(60 - clock.now().second + 0.5)
