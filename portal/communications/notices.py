"""Telling people what happened (issue 12, point 14): a bell entry and an e-mail per recipient and
event, in the recipient's language, unless they turned that kind off (notice_preferences).

Vendor staff hear of new orders to approve, new partner applications, new and escalated cases;
partner admins of their tier changes. A channel manager is told only of the partners assigned to
them (the scope of `tenancy.vendor_partner_ids`), vendor admins of all.

Exactly once per recipient: the bell row (unique per user and ref) and the e-mail are written in
one transaction, and the e-mail is stored only for the bell rows that were new, so a retried job
finds its bell rows and stores no second e-mail; delivery is enqueued after the commit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from portal.auth.constants import Role
from portal.auth.tables import User
from portal.communications import notice_preferences
from portal.communications.constants import NoticeKind
from portal.communications.emails import recipient_locale
from portal.core import email, notifications
from portal.db import write_transaction
from portal.lib import jobs
from portal.lib.i18n import current_locale, format_money, use_locale
from portal.lib.i18n import gettext as _
from portal.orders.constants import OrderStatus
from portal.orders.tables import Order, OrderEvent
from portal.partners.tables import Partner, PartnerApplication, TierChange
from portal.settings import get_settings
from portal.support.tables import SupportCase

# (title, lines) of one notice in the language that is current when it is called
Words = Callable[[], tuple[str, list[str]]]


async def vendor_staff_for(partner_id: int | None) -> list[int]:
    """Active vendor admins, and the channel manager of the partner (None: admins only)."""
    admins = await User.select(User.id).where(
        (User.role == Role.VENDOR_ADMIN) & (User.is_active == True)  # noqa: E712
    )
    ids = [int(r["id"]) for r in admins]
    if partner_id is not None:
        row = (
            await Partner.select(Partner.channel_manager_id).where(Partner.id == partner_id).first()
        )
        manager = row["channel_manager_id"] if row else None
        if manager and await User.exists().where(
            (User.id == manager) & (User.role == Role.CHANNEL_MANAGER) & (User.is_active == True)  # noqa: E712
        ):
            ids.append(int(manager))
    return sorted(set(ids))


async def partner_admins(partner_id: int) -> list[int]:
    rows = await User.select(User.id).where(
        (User.partner == partner_id) & (User.role == Role.PARTNER_ADMIN) & (User.is_active == True)  # noqa: E712
    )
    return [int(r["id"]) for r in rows]


def _in(locale: str, words: Words) -> tuple[str, list[str]]:
    with use_locale(locale):
        return words()


async def tell(
    user_ids: Sequence[int], *, kind: NoticeKind, ref: str, path: str, words: Words
) -> list[int]:
    """One bell entry and one e-mail per user who has not turned `kind` off; returns the ids of
    the e-mails stored now (none on a repeat). `words()` is called in each reader's language."""
    wanted = await notice_preferences.wanting(list(dict.fromkeys(user_ids)), kind)
    if not wanted:
        return []
    users = await User.select(
        User.id,
        User.email,
        User.name,
        User.locale,
        User.partner.locale.as_alias("partner_locale"),
    ).where(User.id.is_in(wanted) & (User.is_active == True))  # noqa: E712
    title_en, _lines = _in("en", words)
    title_zh, _lines = _in("zh_CN", words)
    base = get_settings().base_url
    email_ids: list[int] = []
    async with write_transaction():
        for user in sorted(users, key=lambda u: u["id"]):
            if not await notifications.ring(
                user["id"],
                kind=kind.value,
                title_en=title_en,
                title_zh=title_zh,
                link=path,
                ref=ref,
            ):
                continue  # told already (a retried job): no second e-mail
            locale = recipient_locale(user["locale"], user["partner_locale"])
            title, lines = _in(locale, words)
            with use_locale(locale):
                kind_label = _(notice_preferences.KIND_LABELS[kind])
                link_label = _("Open in the portal")
            email_ids.append(
                await email.queue_email(
                    user["email"],
                    "notice",
                    {
                        "name": user["name"],
                        "title": title,
                        "lines": lines,
                        "link": base + path,
                        "link_label": link_label,
                        "kind_label": kind_label,
                        "settings_link": base + "/notifications/settings",
                    },
                    locale,
                )
            )
    await email.enqueue_delivery(email_ids)
    return email_ids


# -- the events --------------------------------------------------------------------------------


async def order_event_landed(event_id: int) -> list[int]:
    """A submitted order waits for approval: vendor staff of that partner are told; the ids of
    the e-mails stored now."""
    event = (
        await OrderEvent.select(OrderEvent.order, OrderEvent.to_status)
        .where(OrderEvent.id == event_id)
        .first()
    )
    if event is None or event["to_status"] != OrderStatus.SUBMITTED:
        return []
    order = (
        await Order.select(
            Order.id,
            Order.number,
            Order.total_amount,
            Order.currency,
            Order.partner,
            Order.partner.name.as_alias("partner_name"),
        )
        .where(Order.id == event["order"])
        .first()
    )
    if order is None:
        return []

    def words() -> tuple[str, list[str]]:
        return (
            _("Order %(number)s waits for approval", number=order["number"]),
            [
                _(
                    "%(partner)s placed order %(number)s of %(amount)s; it waits for your"
                    " approval.",
                    partner=order["partner_name"],
                    number=order["number"],
                    amount=format_money(order["total_amount"], order["currency"]),
                )
            ],
        )

    return await tell(
        await vendor_staff_for(int(order["partner"])),
        kind=NoticeKind.ORDER_TO_APPROVE,
        ref=f"order-to-approve:{order['id']}",
        path=f"/console/orders/{order['id']}",
        words=words,
    )


async def alert(kind: str, object_id: int) -> None:
    """hooks.alert's subscriber: the work runs in a job (`send_notice`) after the caller's commit,
    under a fixed job id; the job itself is idempotent (tell)."""
    await jobs.enqueue("send_notice", kind, object_id, job_id=f"notice:{kind}:{object_id}")


async def send_notice(kind: str, object_id: int) -> list[int]:
    """Tell the people concerned of one committed event (see hooks.alert); the e-mail ids."""
    if kind == "application_submitted":
        return await _application_submitted(object_id)
    if kind == "tier_changed":
        return await _tier_changed(object_id)
    if kind == "case_opened":
        return await _case_opened(object_id)
    raise ValueError(f"unknown notice {kind!r}")


async def _application_submitted(application_id: int) -> list[int]:
    row = await PartnerApplication.select().where(PartnerApplication.id == application_id).first()
    if row is None:
        return []

    def words() -> tuple[str, list[str]]:
        return (
            _("New partner application: %(company)s", company=row["company_name"]),
            [
                _(
                    "%(name)s (%(email)s) applied for %(company)s to become a partner.",
                    name=row["contact_name"],
                    email=row["contact_email"],
                    company=row["company_name"],
                )
            ],
        )

    # an application belongs to no partner yet: vendor admins review it
    return await tell(
        await vendor_staff_for(None),
        kind=NoticeKind.APPLICATION,
        ref=f"application:{application_id}",
        path=f"/console/applications/{application_id}",
        words=words,
    )


async def _tier_changed(change_id: int) -> list[int]:
    row = (
        await TierChange.select(
            TierChange.partner,
            TierChange.reason,
            TierChange.from_tier.name_zh,
            TierChange.from_tier.name_en,
            TierChange.to_tier.name_zh,
            TierChange.to_tier.name_en,
            TierChange.to_tier.rank,
            TierChange.from_tier.rank,
        )
        .where(TierChange.id == change_id)
        .first()
    )
    if row is None:
        return []

    def words() -> tuple[str, list[str]]:
        zh = current_locale.get() == "zh_CN"
        new = row["to_tier.name_zh"] if zh else row["to_tier.name_en"]
        old = row["from_tier.name_zh"] if zh else row["from_tier.name_en"]
        lines = [
            _("Your company moved from %(old)s to %(new)s.", old=old or "—", new=new)
            if old
            else _("Your company is now %(new)s.", new=new)
        ]
        if row["reason"]:
            lines.append(_("Reason: %(reason)s", reason=row["reason"]))
        return _("Your tier is now %(tier)s", tier=new), lines

    return await tell(
        await partner_admins(int(row["partner"])),
        kind=NoticeKind.TIER_CHANGED,
        ref=f"tier-change:{change_id}",
        path="/my-company",
        words=words,
    )


async def _case_opened(case_id: int) -> list[int]:
    case = (
        await SupportCase.select(
            SupportCase.id,
            SupportCase.number,
            SupportCase.subject,
            SupportCase.partner,
            SupportCase.partner.name.as_alias("partner_name"),
        )
        .where(SupportCase.id == case_id)
        .first()
    )
    if case is None:
        return []

    def words() -> tuple[str, list[str]]:
        return (
            _("New case %(number)s: %(subject)s", number=case["number"], subject=case["subject"]),
            [
                _(
                    "%(partner)s opened case %(number)s: %(subject)s",
                    partner=case["partner_name"],
                    number=case["number"],
                    subject=case["subject"],
                )
            ],
        )

    return await tell(
        await vendor_staff_for(int(case["partner"])),
        kind=NoticeKind.CASE_OPENED,
        ref=f"case-opened:{case_id}",
        path=f"/console/cases/{case_id}",
        words=words,
    )
