"""Replies by e-mail: real RFC 822 messages built and parsed with the standard library."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from portal.settings import override
from portal.support import inbound
from portal.support.tables import CaseMessage
from tests.support.factories import case_row, make_case


def message(
    sender: str, to: str, body: str, *, message_id: str = "<m1@mail.test>", **headers: str
) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Sender <{sender}>"
    msg["To"] = to
    msg["Subject"] = "Re: [CS-2026-000001] Camera"
    msg["Message-ID"] = message_id
    for key, value in headers.items():
        msg[key.replace("_", "-")] = value
    msg.set_content(body)
    return bytes(msg)


QUOTED = """Firmware is 2.0.3, photo attached.

On Thu, 26 Nov 2026 at 10:00, Support <support@portal.test> wrote:
> Which firmware version do you run?
> --
> Partner Portal
"""


async def test_a_reply_to_the_case_address_becomes_a_public_reply_without_the_quote(alice):
    case_id = await make_case(alice)
    token = (await case_row(case_id))["reply_token"]

    accepted = await inbound.ingest(message(alice.email, f"support+{token}@portal.test", QUOTED))

    saved = await CaseMessage.select().where(CaseMessage.id == accepted.message_id).first()
    assert accepted.case_id == case_id
    assert saved["body"] == "Firmware is 2.0.3, photo attached."
    assert saved["channel"] == "email" and saved["is_internal"] is False


async def test_the_same_message_twice_is_added_once(alice):
    case_id = await make_case(alice)
    token = (await case_row(case_id))["reply_token"]
    raw = message(alice.email, f"support+{token}@portal.test", "Thanks!")

    first = await inbound.ingest(raw)
    second = await inbound.ingest(raw)

    assert second.duplicate and second.message_id == first.message_id
    assert await CaseMessage.count().where(CaseMessage.support_case == case_id) == 1


async def test_a_sender_of_another_partner_is_refused_and_nothing_is_written(alice, carol):
    case_id = await make_case(alice)
    token = (await case_row(case_id))["reply_token"]

    with pytest.raises(inbound.Refused):
        await inbound.ingest(message(carol.email, f"support+{token}@portal.test", "Let me in"))

    assert await CaseMessage.count() == 0


async def test_an_unknown_token_or_sender_is_refused(alice):
    await make_case(alice)

    with pytest.raises(inbound.Refused):
        await inbound.ingest(message(alice.email, "support+00000000000000000000@portal.test", "Hi"))
    with pytest.raises(inbound.Refused):
        await inbound.ingest(message("stranger@else.test", "support@portal.test", "Hi"))


async def test_a_reply_that_lost_the_address_finds_its_case_through_in_reply_to(alice, vera):
    from portal.core.tables import OutboundEmail
    from portal.lib import jobs
    from portal.support import services

    case_id = await make_case(alice)
    await services.reply(vera.current, case_id, "Which firmware?")
    await jobs.drain()
    sent = (
        await OutboundEmail.select(OutboundEmail.message_id)
        .where((OutboundEmail.kind == "case_reply") & (OutboundEmail.to_address == alice.email))
        .first()
    )

    accepted = await inbound.ingest(
        message(alice.email, "support@portal.test", "2.0.3", In_Reply_To=sent["message_id"])
    )

    assert accepted.case_id == case_id


async def test_the_inbound_endpoint_needs_the_secret(client, alice):
    case_id = await make_case(alice)
    token = (await case_row(case_id))["reply_token"]
    raw = message(alice.email, f"support+{token}@portal.test", "By webhook")

    with override(inbound_email_secret="s3cret-value"):
        refused = await client.post(
            "/api/v1/inbound-email", content=raw, headers={"X-Inbound-Secret": "nope"}
        )
        accepted = await client.post(
            "/api/v1/inbound-email", content=raw, headers={"X-Inbound-Secret": "s3cret-value"}
        )
        junk = await client.post(
            "/api/v1/inbound-email",
            content=b"not a mail",
            headers={"X-Inbound-Secret": "s3cret-value"},
        )

    assert refused.status_code == 403
    assert accepted.status_code == 202 and accepted.json()["case_id"] == case_id
    assert junk.status_code == 422 and "error" in junk.json()


async def test_the_cli_reads_a_message_from_standard_input(alice):
    import asyncio
    import os
    import sys

    case_id = await make_case(alice)
    token = (await case_row(case_id))["reply_token"]
    raw = message(alice.email, f"support+{token}@portal.test", "From the MTA")

    async def cli(data: bytes) -> tuple[int, bytes]:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "portal.cli",
            "support",
            "ingest-email",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=dict(os.environ),
        )
        out, err = await proc.communicate(data)
        return proc.returncode or 0, out + err

    accepted = await cli(raw)
    refused = await cli(
        message("stranger@else.test", "support@portal.test", "spam", message_id="<x@y>")
    )

    assert accepted[0] == 0, accepted[1]
    assert await CaseMessage.exists().where(CaseMessage.body == "From the MTA")
    assert refused[0] == 67 and b"refused" in refused[1]


async def test_the_inbound_endpoint_is_closed_without_a_configured_secret(client):
    with override(inbound_email_secret=""):
        response = await client.post(
            "/api/v1/inbound-email", content=b"x", headers={"X-Inbound-Secret": ""}
        )

    assert response.status_code == 503
    assert "error" in response.json()
