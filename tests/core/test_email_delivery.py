"""E-mail goes through a real SMTP server (aiosmtpd) and survives the server being down."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller

from portal.auth.services import request_password_reset
from portal.core.email import LeaseRanOut, deliver, queue_email
from portal.core.tables import OutboundEmail
from portal.lib import clock, jobs
from portal.settings import override
from portal.worker import sweep_outbox


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )  # type: ignore[arg-type]
        return "250 OK"


class HoldingInbox(Inbox):
    """A server slower than the sender's lease: it keeps every message in DATA (no 250 yet) while
    `holding`; a message whose client hung up meanwhile is dropped (aiosmtpd cancels the
    handler), as an MTA that had not accepted it."""

    def __init__(self) -> None:
        super().__init__()
        self.holding = True
        self.waiting = 0

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.waiting += 1
        try:
            while self.holding:
                await asyncio.sleep(0.02)
        finally:
            self.waiting -= 1
        return await super().handle_DATA(server, session, envelope)


async def _reset_mail(user) -> int:  # type: ignore[no-untyped-def]
    context = {"name": user.name, "link": "http://x/reset", "minutes": 60}
    return await queue_email(user.email, "password_reset", context, "en")


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


async def test_password_reset_mail_arrives_over_smtp(smtp, alice):
    inbox, _controller, _port = smtp
    await request_password_reset(alice.email, "127.0.0.1")
    await jobs.drain()
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == alice.email
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "http://testserver.local/password-reset/" in body
    row = await OutboundEmail.select().first()
    assert row["status"] == "sent" and row["message_id"] == message["Message-ID"]


async def test_mail_waits_while_smtp_is_down_and_is_sent_once_when_back(smtp, alice, bob):
    inbox, controller, _port = smtp
    controller.stop()
    await request_password_reset(alice.email, "127.0.0.1")
    await request_password_reset(bob.email, "127.0.0.1")
    await jobs.drain()
    rows = await OutboundEmail.select(
        OutboundEmail.status, OutboundEmail.attempts, OutboundEmail.last_error
    )
    assert [r["status"] for r in rows] == ["pending", "pending"]
    assert all(r["attempts"] == 1 and r["last_error"] for r in rows)

    back = Controller(inbox, hostname="127.0.0.1", port=_port)  # the server comes back
    back.start()
    # back-off passed
    await OutboundEmail.update({OutboundEmail.next_attempt_at: clock.now()}).where(
        OutboundEmail.status == "pending"
    )
    await sweep_outbox({})
    await jobs.drain()
    await sweep_outbox({})  # a second sweep finds nothing left to send
    await jobs.drain()
    assert sorted(m["To"] for m in inbox.messages) == sorted([alice.email, bob.email])
    assert {r["status"] for r in await OutboundEmail.select(OutboundEmail.status)} == {"sent"}
    back.stop()


async def test_without_smtp_mail_lands_in_the_outbox_folder(alice):
    from portal.settings import get_settings

    await request_password_reset(alice.email, "127.0.0.1")
    await jobs.drain()
    files = list(get_settings().outbox_dir.glob("*.eml"))
    assert len(files) == 1
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert parsed["To"] == alice.email


async def test_reply_to_survives_a_retry_through_the_outbox_sweeper(smtp, alice):

    inbox, controller, port = smtp
    controller.stop()  # the first attempt fails
    email_id = await queue_email(
        alice.email,
        "password_reset",
        {"name": alice.name, "link": "http://x/reset", "minutes": 60},
        "en",
        reply_to="support+abc123@portal.test",
    )
    await jobs.enqueue("deliver_email", email_id)
    await jobs.drain()
    back = Controller(inbox, hostname="127.0.0.1", port=port)
    back.start()
    await OutboundEmail.update({OutboundEmail.next_attempt_at: clock.now()}).where(
        OutboundEmail.status == "pending"
    )
    await sweep_outbox({})  # the generic retry path
    await jobs.drain()
    back.stop()
    assert [m["Reply-To"] for m in inbox.messages] == ["support+abc123@portal.test"]


async def test_a_sender_hangs_up_before_its_lease_ends_so_a_slow_server_gets_the_mail_once(alice):
    # given an SMTP server that holds the message past the sender's (one second) lease
    inbox, port = HoldingInbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override(smtp_url=f"smtp://127.0.0.1:{port}", email_lease_seconds=1):
            row = {"id": await _reset_mail(alice)}  # stored, not queued: this test sends it

            # when the sender waits for the server's answer
            with pytest.raises(LeaseRanOut):
                await deliver(row["id"])
            for _ in range(100):  # the server notices the hang-up
                if not inbox.waiting:
                    break
                await asyncio.sleep(0.02)
            inbox.holding = False  # the server is quick again
            await asyncio.sleep(0.1)

            # then it hung up within its lease: the server dropped that message, the row is
            # free for the next sender (no lease kept) and says why, and the retry sends it once
            waited = await OutboundEmail.select().where(OutboundEmail.id == row["id"]).first()
            assert inbox.messages == []
            assert waited["status"] == "pending" and waited["lease_until"] is None
            assert "lease" in waited["last_error"]
            await OutboundEmail.update({OutboundEmail.next_attempt_at: clock.now()}).where(
                OutboundEmail.id == row["id"]
            )
            await sweep_outbox({})
            await jobs.drain()
    finally:
        controller.stop()
    assert [m["To"] for m in inbox.messages] == [alice.email]
    sent = await OutboundEmail.select(OutboundEmail.status).where(OutboundEmail.id == row["id"])
    assert sent == [{"status": "sent"}]


async def test_a_sender_stopped_mid_send_hangs_up_so_the_mail_it_hands_back_arrives_once(alice):
    # given a sender waiting for the server's answer to its DATA
    inbox, port = HoldingInbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override(smtp_url=f"smtp://127.0.0.1:{port}"):
            row = {"id": await _reset_mail(alice)}  # stored, not queued: this test sends it
            sending = asyncio.create_task(deliver(row["id"]))
            for _ in range(250):
                if inbox.waiting:
                    break
                await asyncio.sleep(0.02)
            assert inbox.waiting

            # when its worker stops (SIGTERM cancels the job), then the server answers
            sending.cancel()
            await asyncio.sleep(0.3)
            inbox.holding = False  # the server answers a connection still open
            with pytest.raises(asyncio.CancelledError):
                await sending
            await asyncio.sleep(0.1)

            # then the row was handed back at once and the server never got that copy: the
            # next sender's is the only one
            handed_back = await OutboundEmail.select().where(OutboundEmail.id == row["id"]).first()
            assert inbox.messages == []
            assert handed_back["status"] == "pending" and handed_back["lease_until"] is None
            assert await deliver(row["id"])
    finally:
        controller.stop()
    assert [m["To"] for m in inbox.messages] == [alice.email]
