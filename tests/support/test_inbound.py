"""Replies by e-mail: real RFC 822 messages built and parsed with the standard library."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from portal.core.tables import AuditEntry
from portal.settings import override
from portal.support import inbound
from portal.support.emails import recipient_token
from portal.support.tables import CaseMessage, SupportCase
from tests.support.factories import case_row, make_case


async def address(case_id: int, persona) -> str:
    """The reply address a case e-mail to this persona carries."""
    token = (await case_row(case_id))["reply_token"]
    return f"support+{recipient_token(token, persona.id)}@portal.test"


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


async def _vendor_reply_to(alice, vera):  # type: ignore[no-untyped-def]
    """A case of alice's with a vendor reply e-mailed to her: (case id, the stored e-mail row)."""
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
    return case_id, sent


async def test_a_reply_to_the_case_address_becomes_a_public_reply_without_the_quote(alice):
    case_id = await make_case(alice)
    accepted = await inbound.ingest(message(alice.email, await address(case_id, alice), QUOTED))

    saved = await CaseMessage.select().where(CaseMessage.id == accepted.message_id).first()
    assert accepted.case_id == case_id
    assert saved["body"] == "Firmware is 2.0.3, photo attached."
    assert saved["channel"] == "email" and saved["is_internal"] is False


async def test_the_same_message_twice_is_added_once(alice):
    case_id = await make_case(alice)
    raw = message(alice.email, await address(case_id, alice), "Thanks!")

    first = await inbound.ingest(raw)
    second = await inbound.ingest(raw)

    assert second.duplicate and second.message_id == first.message_id
    assert await CaseMessage.count().where(CaseMessage.support_case == case_id) == 1


async def test_a_sender_of_another_partner_is_refused_and_nothing_is_written(alice, carol):
    case_id = await make_case(alice)
    with pytest.raises(inbound.Refused):
        await inbound.ingest(message(carol.email, await address(case_id, alice), "Let me in"))

    assert await CaseMessage.count() == 0


async def test_an_unknown_token_or_sender_is_refused(alice):
    await make_case(alice)

    with pytest.raises(inbound.Refused):
        await inbound.ingest(message(alice.email, "support+00000000000000000000@portal.test", "Hi"))
    with pytest.raises(inbound.Refused):
        await inbound.ingest(message("stranger@else.test", "support@portal.test", "Hi"))


async def test_a_reply_that_lost_the_address_finds_its_case_through_in_reply_to(alice, vera):
    case_id, sent = await _vendor_reply_to(alice, vera)

    accepted = await inbound.ingest(
        message(alice.email, "support@portal.test", "2.0.3", In_Reply_To=sent["message_id"])
    )

    assert accepted.case_id == case_id


async def test_the_inbound_endpoint_needs_the_secret(client, alice):
    case_id = await make_case(alice)
    raw = message(alice.email, await address(case_id, alice), "By webhook")

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
    raw = message(alice.email, await address(case_id, alice), "From the MTA")

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


# --- impersonation (issue 14 point 1) ---------------------------------------------------------


async def _nothing_written_and_recorded(case_id: int, reason: str) -> None:
    by_mail = (CaseMessage.support_case == case_id) & (CaseMessage.channel == "email")
    assert await CaseMessage.count().where(by_mail) == 0
    case = await SupportCase.select().where(SupportCase.id == case_id).first()
    assert case["first_responded_at"] is None and case["vendor_replies"] == 0
    refusals = await AuditEntry.select(AuditEntry.detail).where(
        AuditEntry.action == "inbound_email.refused"
    )
    assert any(reason in r["detail"] for r in refusals), refusals


async def test_a_vendor_from_header_on_a_partner_address_is_refused(alice, vera):
    case_id = await make_case(alice)
    raw = message(vera.email, await address(case_id, alice), "Solved, closing. (not really)")

    with pytest.raises(inbound.Refused):
        await inbound.ingest(raw)

    await _nothing_written_and_recorded(case_id, "vendor")


async def test_a_colleague_cannot_answer_through_alices_address(alice, bob):
    case_id = await make_case(alice)

    with pytest.raises(inbound.Refused):
        await inbound.ingest(message(bob.email, await address(case_id, alice), "In her name"))

    await _nothing_written_and_recorded(case_id, "not the recipient")


async def test_the_bare_case_address_and_a_forged_tag_are_refused(alice):
    case_id = await make_case(alice)
    token = (await case_row(case_id))["reply_token"]
    forged = f"support+{token}-{alice.id}-0123456789abcdef@portal.test"

    for to in (f"support+{token}@portal.test", forged):
        with pytest.raises(inbound.Refused):
            await inbound.ingest(message(alice.email, to, "Hello"))

    await _nothing_written_and_recorded(case_id, "token")


async def test_failed_dmarc_or_spf_is_refused(alice):
    case_id = await make_case(alice)
    to = await address(case_id, alice)
    for n, result in enumerate(
        ["mx.portal.test; dmarc=fail (p=reject) header.from=partner-a.test", "mx; spf=fail"]
    ):
        raw = message(alice.email, to, "Hi", message_id=f"<a{n}@x>", Authentication_Results=result)
        with pytest.raises(inbound.Refused):
            await inbound.ingest(raw)
    await _nothing_written_and_recorded(case_id, "check failed")
    passed = "mx.portal.test; spf=pass; dmarc=pass header.from=partner-a.test"
    ok = message(alice.email, to, "Fine", message_id="<ok@x>", Authentication_Results=passed)
    assert (await inbound.ingest(ok)).case_id == case_id


async def test_in_reply_to_is_attributed_only_to_its_recipient(alice, bob, vera):
    _case_id, sent = await _vendor_reply_to(alice, vera)
    raw = message(bob.email, "support@portal.test", "2.0.3", In_Reply_To=sent["message_id"])

    with pytest.raises(inbound.Refused):
        await inbound.ingest(raw)

    assert await CaseMessage.count().where(CaseMessage.body == "2.0.3") == 0
