"""The daily follow-up digest: one per user and day, only when something is due, respects the
opt-out, in the recipient's language."""

from __future__ import annotations

import datetime as dt

from portal.core.tables import OutboundEmail
from portal.customers import emails, services
from portal.customers.jobs import send_followup_digest, send_followup_digests
from portal.customers.tables import FollowupDigest
from portal.lib import clock, jobs
from tests.customers.factories import log_contact, make_customer, set_followup


async def _due_for(persona, days: int = 0):
    customer_id = await make_customer(persona.current, "Digest Co")
    interaction = await log_contact(persona.current, customer_id, days_ago=3, followup_in_days=1)
    await set_followup(interaction, clock.today() - dt.timedelta(days=days), persona.id)


async def test_the_digest_lists_overdue_followups_and_is_sent_once_per_day(bob):
    await _due_for(bob, days=1)
    today = clock.today()

    first = await send_followup_digest({}, bob.id, today.isoformat())
    second = await send_followup_digest({}, bob.id, today.isoformat())

    assert first is not None and second is None
    mail = await OutboundEmail.select().where(OutboundEmail.id == first).first()
    assert mail["to_address"] == bob.email and "Digest Co" in mail["body_text"]
    assert await FollowupDigest.count() == 1


async def test_the_morning_job_enqueues_one_digest_per_user_with_something_due(bob, alice):
    await _due_for(bob)
    assert await send_followup_digests({}) == 1
    await jobs.drain()
    assert await FollowupDigest.count() == 1
    assert await send_followup_digests({}) == 0  # already sent today


async def test_no_digest_after_opting_out(bob):
    await _due_for(bob)
    await services.set_digest(bob.current, False)
    assert await emails.send_digest(bob.id, clock.today()) is None
    assert await OutboundEmail.count() == 0


async def test_the_digest_is_in_the_users_language(partner_a):
    from portal.auth.constants import Role
    from tests.factories import make_user

    zh = await make_user(
        Role.PARTNER_MEMBER, partner_a, "zh@a.test", can_sales=True, locale="zh_CN"
    )
    await _due_for(zh)
    email_id = await emails.send_digest(zh.id, clock.today())
    mail = await OutboundEmail.select().where(OutboundEmail.id == email_id).first()
    assert "年" in mail["subject"]  # a Chinese date: the e-mail was rendered in zh_CN
