"""E-mail goes through a real SMTP server (aiosmtpd) and survives the server being down."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller

from portal.auth.services import request_password_reset
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
    from portal.core.email import queue_email

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
