"""Monthly PDF reports over real parts: aiosmtpd on loopback, pypdf on the attachment, a real
arq worker against Redis; SMTP down mid-batch, killed workers and re-runs send nobody twice."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import email.policy
import io
import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from pypdf import PdfReader

from portal.core.email import LeaseRanOut
from portal.lib import clock, jobs
from portal.lib.i18n import format_money, use_locale
from portal.partners.tables import Partner
from portal.performance import deliveries, reports
from portal.performance import jobs as perf_jobs
from portal.performance.constants import DeliveryStatus
from portal.performance.periods import Period
from portal.performance.tables import ReportDelivery, ReportRecipient
from portal.settings import get_settings, override
from tests.performance.factories import make_sale, make_target, refresh
from tests.personas import post_form

OCT = Period.parse("2026-10")


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)  # type: ignore[arg-type]
        )
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, Controller, int]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override(smtp_url=f"smtp://127.0.0.1:{port}"):
            yield inbox, controller, port
    finally:
        try:
            controller.stop()
        except AssertionError:
            pass


def _pdf_text(message: email.message.EmailMessage) -> str:
    attachment = next(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    reader = PdfReader(io.BytesIO(attachment.get_content()))
    return "\n".join(page.extract_text() for page in reader.pages)


async def _sales(partner_a: int, partner_b: int) -> None:
    await make_sale(partner_a, 456_789_12, dt.date(2026, 10, 8))
    await make_sale(partner_b, 123_000_00, dt.date(2026, 10, 9))
    await make_target(partner_a, "2026-10", 400_000_00)
    await refresh("2026-10")


async def test_the_report_arrives_with_a_pdf_naming_the_partner_and_the_console_revenue(
    smtp, as_user, partner_a, partner_b, alice, vera
):
    inbox, _controller, _port = smtp
    await _sales(partner_a, partner_b)
    console = (
        await (await as_user(vera)).get(f"/console/performance/partners/{partner_a}?period=2026-10")
    ).text
    await deliveries.ensure_deliveries(OCT, [partner_a])
    row = await ReportDelivery.select().first()

    outcome = await deliveries.send_report(row["id"])

    assert outcome == "sent" and len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == alice.email
    text = _pdf_text(message)
    with use_locale("zh_CN"):
        revenue = format_money(456_789_12)
    assert "华东智联科技有限公司" in text
    assert revenue in text and "¥456,789.12" in console
    assert "2026年10月" in text  # the partner's language: Chinese
    stored = await ReportDelivery.select().first()
    assert stored["status"] == "sent" and stored["sent_at"] is not None
    assert stored["sent_to"] == alice.email


async def test_extra_recipients_get_the_report_in_their_language(smtp, partner_a, partner_b, alice):
    inbox, _controller, _port = smtp
    await _sales(partner_a, partner_b)
    await ReportRecipient.insert(
        ReportRecipient(
            partner=partner_a,
            email="cfo@partner-a.test",
            locale="en",
            created_at=clock.now(),
        )
    )
    await deliveries.ensure_deliveries(OCT, [partner_a])

    await deliveries.send_report((await ReportDelivery.select().first())["id"])

    by_address = {m["To"]: m for m in inbox.messages}
    assert set(by_address) == {alice.email, "cfo@partner-a.test"}
    assert by_address["cfo@partner-a.test"]["Subject"].startswith("Performance report October 2026")
    assert by_address[alice.email]["Message-ID"] != by_address["cfo@partner-a.test"]["Message-ID"]


async def test_smtp_down_mid_batch_every_partner_still_gets_exactly_one_email(
    smtp, partner_a, partner_b, alice, carol, time_travel
):
    inbox, controller, port = smtp
    time_travel.move_to(reports.scheduled_at(OCT) + dt.timedelta(days=1))  # October's batch is due
    await _sales(partner_a, partner_b)
    await deliveries.ensure_deliveries(OCT)
    rows = await ReportDelivery.select().order_by(ReportDelivery.id)
    assert await deliveries.send_report(rows[0]["id"]) == "sent"
    controller.stop()  # the server goes away mid-batch
    with pytest.raises(OSError):
        await deliveries.send_report(rows[1]["id"])
    failed = await ReportDelivery.select().where(ReportDelivery.id == rows[1]["id"]).first()
    assert failed["status"] == "pending" and failed["last_error"] and failed["attempts"] == 1

    back = Controller(inbox, hostname="127.0.0.1", port=port)  # it comes back
    back.start()
    try:
        await ReportDelivery.update({ReportDelivery.next_attempt_at: clock.now()}, force=True)
        await perf_jobs.reconcile_performance_reports({})  # re-run of the whole month
        await jobs.drain()
        await perf_jobs.reconcile_performance_reports({})
        await jobs.drain()
    finally:
        back.stop()

    assert sorted(m["To"] for m in inbox.messages) == sorted([alice.email, carol.email])
    assert {r["status"] for r in await ReportDelivery.select(ReportDelivery.status)} == {"sent"}


async def test_a_worker_killed_mid_send_leaves_the_row_claimable_after_its_lease(
    partner_a, partner_b, alice
):
    await _sales(partner_a, partner_b)
    await deliveries.ensure_deliveries(OCT, [partner_a])
    row = await ReportDelivery.select().first()
    assert await deliveries.claim(row["id"]) is not None  # ... and the worker dies here

    busy = await deliveries.send_report(row["id"])
    await ReportDelivery.update(
        {ReportDelivery.lease_until: clock.now() - dt.timedelta(seconds=1)},
        force=True,
    )
    due = await deliveries.due_deliveries(OCT)
    sent = await deliveries.send_report(row["id"])

    assert busy == "busy" and [r["id"] for r in due] == [row["id"]] and sent == "sent"
    assert len(list(get_settings().outbox_dir.glob("*.eml"))) == 1


class SlowInbox(Inbox):
    """Keeps each message in DATA (no 250) while `holding`; drops it when the client hangs up."""

    holding = True

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        while self.holding:
            await asyncio.sleep(0.02)  # cancelled by aiosmtpd when the client hangs up
        return await super().handle_DATA(server, session, envelope)


async def test_a_report_the_server_holds_past_the_lease_is_sent_once_by_the_next_sender(
    partner_a, partner_b, alice
):
    # given an SMTP server slower than the sender's (one second) lease
    await _sales(partner_a, partner_b)
    await deliveries.ensure_deliveries(OCT, [partner_a])
    row = await ReportDelivery.select().first()
    inbox, port = SlowInbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override(smtp_url=f"smtp://127.0.0.1:{port}", report_lease_seconds=1):
            # when the sender waits for its answer, then the server is quick again
            with pytest.raises(LeaseRanOut):
                await deliveries.send_report(row["id"])
            await asyncio.sleep(0.3)
            inbox.holding = False
            await asyncio.sleep(0.1)
            waited = await ReportDelivery.select().where(ReportDelivery.id == row["id"]).first()
            await ReportDelivery.update({ReportDelivery.next_attempt_at: clock.now()}, force=True)
            again = await deliveries.send_report(row["id"])
    finally:
        controller.stop()

    # then the first sender hung up before another could take the row: alice gets one report
    assert waited["status"] == "pending" and "lease" in waited["last_error"]
    assert again == "sent" and [m["To"] for m in inbox.messages] == [alice.email]


async def test_a_half_sent_report_does_not_mail_the_first_recipient_again(
    smtp, partner_a, partner_b, alice
):
    inbox, _controller, _port = smtp
    await _sales(partner_a, partner_b)
    await deliveries.ensure_deliveries(OCT, [partner_a])
    row = await ReportDelivery.select().first()
    # a previous attempt reached alice, then died before the second address
    await ReportDelivery.update({ReportDelivery.sent_to: alice.email}, force=True)
    await ReportRecipient.insert(
        ReportRecipient(partner=partner_a, email="ops@partner-a.test", created_at=clock.now())
    )

    await deliveries.send_report(row["id"])

    assert [m["To"] for m in inbox.messages] == ["ops@partner-a.test"]


async def test_running_a_month_twice_sends_nothing_twice(smtp, partner_a, partner_b, alice, carol):
    inbox, _controller, _port = smtp
    await _sales(partner_a, partner_b)

    for _run in range(2):
        await deliveries.ensure_deliveries(OCT)
        for row in await ReportDelivery.select(ReportDelivery.id):
            await deliveries.send_report(row["id"])

    assert len(inbox.messages) == 2
    assert await ReportDelivery.count() == 2


async def test_the_reconciler_waits_for_the_scheduled_time_then_catches_up(
    partner_a, partner_b, alice, carol, time_travel
):
    await _sales(partner_a, partner_b)
    before = reports.scheduled_at(OCT) - dt.timedelta(minutes=1)
    after = reports.scheduled_at(OCT) + dt.timedelta(days=3)  # the cron slot was missed

    time_travel.move_to(before)
    early = await perf_jobs.reconcile_performance_reports({})
    rows_early = await ReportDelivery.count()
    time_travel.move_to(after)
    late = await perf_jobs.reconcile_performance_reports({})
    await jobs.drain()

    assert (early, rows_early) == (0, 0)
    assert late == 2
    assert {r["period"] for r in await ReportDelivery.select(ReportDelivery.period)} == {"2026-10"}
    assert len(list(get_settings().outbox_dir.glob("*.eml"))) == 2


async def test_the_default_schedule_is_eight_in_the_morning_shanghai_on_the_first():
    assert reports.scheduled_at(OCT) == dt.datetime(2026, 11, 1, 0, 0, tzinfo=dt.UTC)


async def test_send_again_mails_every_recipient_once_more_and_is_audited(
    smtp, as_user, partner_a, partner_b, alice, vera
):
    from portal.core.tables import AuditEntry

    inbox, _controller, _port = smtp
    await _sales(partner_a, partner_b)
    await deliveries.ensure_deliveries(OCT, [partner_a])
    row = await ReportDelivery.select().first()
    await deliveries.send_report(row["id"])

    response = await post_form(
        await as_user(vera), f"/console/performance/deliveries/{row['id']}/resend"
    )
    await jobs.drain()

    assert response.status_code == 303
    assert [m["To"] for m in inbox.messages] == [alice.email, alice.email]
    assert inbox.messages[0]["Message-ID"] != inbox.messages[1]["Message-ID"]
    assert await AuditEntry.exists().where(AuditEntry.action == "performance.report_resent")


async def test_a_partner_without_admin_or_recipient_gets_the_report_at_its_contact_address(
    smtp, partner_a, partner_b
):
    inbox, _controller, _port = smtp
    await _sales(partner_a, partner_b)
    await deliveries.ensure_deliveries(OCT, [partner_b])
    contact = await Partner.select(Partner.contact_email).where(Partner.id == partner_b).first()

    outcome = await deliveries.send_report((await ReportDelivery.select().first())["id"])

    assert outcome == "sent"
    assert [m["To"] for m in inbox.messages] == [contact["contact_email"]]
    assert (await ReportDelivery.select().first())["status"] == DeliveryStatus.SENT


async def test_a_partner_with_no_address_at_all_says_so_in_words_and_is_sent_once_one_exists(
    as_user, partner_a, partner_b, vera
):
    await _sales(partner_a, partner_b)
    await Partner.update({Partner.contact_email: ""}).where(Partner.id == partner_b)
    await deliveries.ensure_deliveries(OCT, [partner_b])
    delivery_id = (await ReportDelivery.select().first())["id"]

    outcome = await deliveries.send_report(delivery_id)

    row = await ReportDelivery.select().where(ReportDelivery.id == delivery_id).first()
    assert outcome == "no_address" and row["status"] == DeliveryStatus.NO_ADDRESS
    assert row["last_error"] == ""  # no English error text: the page says it in the reader's words
    client = await as_user(vera)
    english = await client.get("/console/performance/deliveries?period=2026-10")
    assert "No recipient: add one on the partner page" in english.text
    assert f"/console/partners/{partner_b}/edit" in english.text
    assert (
        f"/console/performance/deliveries/{delivery_id}/resend" not in english.text
    )  # no "send again"
    chinese = await client.get(
        "/console/performance/deliveries?period=2026-10", headers={"Accept-Language": "zh-CN"}
    )
    assert "无收件人" in chinese.text

    await Partner.update({Partner.contact_email: "boss@partner-b.test"}).where(
        Partner.id == partner_b
    )
    await post_form(client, "/console/performance/deliveries/prepare", {"period": "2026-10"})
    await jobs.drain()

    row = await ReportDelivery.select().where(ReportDelivery.id == delivery_id).first()
    assert row["status"] == DeliveryStatus.SENT and row["sent_to"] == "boss@partner-b.test"
    assert (
        len(list(get_settings().outbox_dir.glob(f"report-2026-10-partner-{partner_b}-*.eml"))) == 1
    )


async def test_alice_downloads_the_pdf_that_was_emailed(as_user, partner_a, partner_b, alice):
    await _sales(partner_a, partner_b)
    await deliveries.ensure_deliveries(OCT, [partner_a])
    row = await ReportDelivery.select().first()
    await deliveries.send_report(row["id"])
    stored = await reports.stored_pdf((await ReportDelivery.select().first())["pdf_key"])

    response = await (await as_user(alice)).get("/performance/reports/2026-10/pdf")

    assert response.status_code == 200 and response.content == stored
    assert "attachment" in response.headers["content-disposition"]


async def test_the_emailed_pdf_is_in_the_shared_storage_so_another_host_serves_it(
    as_user, partner_a, partner_b, alice, tmp_path
):
    # given a report sent by a worker on one host (its own PORTAL_DATA_DIR, shared STORAGE_DIR)
    await _sales(partner_a, partner_b)
    await deliveries.ensure_deliveries(OCT, [partner_a])
    shared = tmp_path / "shared-files"
    with override(storage_dir=shared, data_dir=tmp_path / "worker-host"):
        await deliveries.send_report((await ReportDelivery.select().first())["id"])
    key = (await ReportDelivery.select().first())["pdf_key"]
    emailed = [p for p in shared.rglob("*") if p.is_file()]
    assert key.startswith("reports/") and len(emailed) == 1
    assert not (tmp_path / "worker-host" / "reports").exists()

    # when alice downloads it from a web server on another host
    with override(storage_dir=shared, data_dir=tmp_path / "web-host"):
        response = await (await as_user(alice)).get("/performance/reports/2026-10/pdf")

    # then she gets the very bytes that were e-mailed, not a new rendering
    assert response.status_code == 200 and response.content == emailed[0].read_bytes()


async def test_the_arq_worker_sends_each_report_once_with_duplicate_jobs(
    partner_a, partner_b, alice, carol
):
    from arq.connections import RedisSettings, create_pool
    from arq.worker import Worker

    from portal.worker import WorkerSettings
    from tests.services import require_redis

    url = require_redis()
    redis = await create_pool(RedisSettings.from_dsn(url))
    await redis.flushdb()
    await redis.aclose()
    await _sales(partner_a, partner_b)
    await deliveries.ensure_deliveries(OCT)
    with override(redis_url=url):
        for row in await ReportDelivery.select():
            for job in ("a", "b"):  # a duplicate job (another id) must not send twice
                await jobs.enqueue(
                    "send_performance_report", row["id"], job_id=f"{job}:{row['id']}"
                )
        worker = Worker(
            functions=WorkerSettings.functions,
            redis_settings=RedisSettings.from_dsn(url),
            burst=True,
            max_jobs=1,  # one after the other: a duplicate running beside it would be retried later
            poll_delay=0.05,
            handle_signals=False,
        )
        await worker.main()
        await worker.close()
        await jobs.close()

    files = list(get_settings().outbox_dir.glob("*.eml"))
    assert len(files) == 2
    assert worker.jobs_failed == 0
    assert {r["status"] for r in await ReportDelivery.select(ReportDelivery.status)} == {"sent"}


async def test_vera_prepares_a_missed_month_from_the_console_and_it_is_audited(
    as_user, partner_a, partner_b, alice, carol, vera
):
    from portal.core.tables import AuditEntry

    await _sales(partner_a, partner_b)
    client = await as_user(vera)

    response = await post_form(
        client, "/console/performance/deliveries/prepare", {"period": "2026-10"}
    )
    await jobs.drain()
    future = await post_form(
        client, "/console/performance/deliveries/prepare", {"period": "2099-01"}
    )

    assert response.status_code == 303 and future.status_code == 303
    assert {r["status"] for r in await ReportDelivery.select(ReportDelivery.status)} == {"sent"}
    assert len(list(get_settings().outbox_dir.glob("*.eml"))) == 2
    assert await AuditEntry.exists().where(AuditEntry.action == "performance.reports_prepared")
    assert await ReportDelivery.count() == 2


async def test_a_job_finding_the_report_leased_by_a_dead_worker_comes_back_after_the_lease(
    partner_a, partner_b, alice
):
    from arq import Retry

    # given a report leased by a worker that then died (arq re-runs its job on another worker
    # before the 10-minute lease is over)
    await _sales(partner_a, partner_b)
    await deliveries.ensure_deliveries(OCT, [partner_a])
    row = await ReportDelivery.select().first()
    assert await deliveries.claim(row["id"]) is not None

    # when the re-run job finds the row leased
    with pytest.raises(Retry) as retried:
        await perf_jobs.send_performance_report({"job_try": 2}, row["id"])

    # then it is retried (within a minute, until the lease runs out) instead of reported done
    assert retried.value.defer_score == (perf_jobs.BUSY_RECHECK_S + 1) * 1000
    assert not list(get_settings().outbox_dir.glob("*.eml"))


async def test_a_report_job_cancelled_mid_render_hands_its_row_back_at_once(
    partner_a, partner_b, alice
):
    import asyncio

    # given a report being rendered by a worker
    await _sales(partner_a, partner_b)
    await deliveries.ensure_deliveries(OCT, [partner_a])
    row = await ReportDelivery.select().first()
    task = asyncio.create_task(deliveries.send_report(row["id"]))
    for _ in range(500):
        current = await ReportDelivery.select(ReportDelivery.status).first()
        if current["status"] == DeliveryStatus.SENDING:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)  # the claim has returned: the job is rendering (about a second)

    # when the worker is stopped (SIGTERM cancels the job)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    # then the row is pending again with no lease, and the next sender sends it at once
    after = await ReportDelivery.select().first()
    assert after["status"] == DeliveryStatus.PENDING and after["lease_until"] is None
    assert [r["id"] for r in await deliveries.due_deliveries(OCT)] == [row["id"]]
    assert await deliveries.send_report(row["id"]) == "sent"


async def test_the_reconciler_queues_a_finished_report_job_id_again(partner_a, partner_b, alice):
    """arq kept the result of a finished job under its fixed id for an hour and dropped every
    re-enqueue under that id; the reconciler said "queued" all the same."""
    from arq.connections import RedisSettings, create_pool
    from arq.worker import Worker

    from portal.worker import WorkerSettings
    from tests.services import require_redis

    url = require_redis()
    redis = await create_pool(RedisSettings.from_dsn(url))
    await redis.flushdb()
    await redis.aclose()
    await _sales(partner_a, partner_b)
    await deliveries.ensure_deliveries(OCT, [partner_a])
    row = await ReportDelivery.select().first()

    def worker() -> Worker:
        return Worker(
            functions=WorkerSettings.functions,
            redis_settings=RedisSettings.from_dsn(url),
            keep_result=WorkerSettings.keep_result,
            burst=True,
            poll_delay=0.05,
            handle_signals=False,
        )

    with override(redis_url=url):
        # given a job under the report's fixed id that found nothing to do and finished
        await ReportDelivery.update({ReportDelivery.status: DeliveryStatus.SENT}, force=True)
        queued = await jobs.enqueue(
            "send_performance_report", row["id"], job_id=deliveries.job_id("2026-10", partner_a)
        )
        run = worker()
        await run.main()
        await run.close()
        # when the row is due again and the reconciler queues the same id
        await ReportDelivery.update({ReportDelivery.status: DeliveryStatus.PENDING}, force=True)
        again = await deliveries.enqueue_due(OCT)
        run = worker()
        await run.main()
        await run.close()
        await jobs.close()

    # then the second enqueue went through and the report was sent once
    assert (queued, again) == (True, 1)
    assert (await ReportDelivery.select().first())["status"] == DeliveryStatus.SENT
    assert len(list(get_settings().outbox_dir.glob("*.eml"))) == 1
