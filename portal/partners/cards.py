"""Partner home-page cards: vendors see counts in their scope, partner users their own company."""

from __future__ import annotations

from portal.auth.constants import PartnerStatus
from portal.auth.invitations import list_open_invitations
from portal.auth.schemas import CurrentUser
from portal.lib.cards import Card
from portal.lib.i18n import format_money
from portal.lib.i18n import gettext as _
from portal.partners.constants import ApplicationStatus
from portal.partners.people import channel_manager_contact
from portal.partners.tables import Partner, PartnerApplication
from portal.partners.tiers import tier_label
from portal.tenancy import partner_scope


async def home_cards(user: CurrentUser) -> list[Card]:
    """Vendor: applications to review, partners by status. Partner: the company at a glance."""
    if user.is_vendor:
        scope = partner_scope(user, Partner.id)
        active = await Partner.count().where(scope & (Partner.status == PartnerStatus.ACTIVE))
        suspended = await Partner.count().where(scope & (Partner.status == PartnerStatus.SUSPENDED))
        cards = [
            Card(
                title=_("Partners"),
                items=[
                    (_("Active"), str(active), "/console/partners?status=active"),
                    (_("Suspended"), str(suspended), "/console/partners?status=suspended"),
                ],
                link="/console/partners",
                link_label=_("All partners"),
            )
        ]
        pending = await PartnerApplication.count().where(
            PartnerApplication.status == ApplicationStatus.PENDING
        )
        cards.append(
            Card(
                title=_("Partner applications"),
                items=[(_("Waiting for review"), str(pending), "/console/applications")],
                link="/console/applications",
                link_label=_("Review applications"),
                tone="attention" if pending else "ok",
            )
        )
        return cards
    if user.is_partner and user.partner_id is not None:
        partner = (
            await Partner.select(
                Partner.name,
                Partner.tier.name_zh,
                Partner.tier.name_en,
                Partner.credit_limit_amount,
                Partner.currency,
                Partner.channel_manager_id,
            )
            .where(Partner.id == user.partner_id)
            .first()
        )
        if partner is None:
            return []
        manager = await channel_manager_contact(partner["channel_manager_id"])
        items = [
            (_("Tier"), tier_label(partner), "/my-company"),
            (
                _("Credit limit"),
                format_money(partner["credit_limit_amount"], partner["currency"]),
                "",
            ),
        ]
        if manager:
            items.append((_("Your channel manager"), f"{manager['name']} · {manager['email']}", ""))
        cards = [
            Card(title=partner["name"], items=items, link="/my-company", link_label=_("My company"))
        ]
        if user.is_partner_admin:
            invites = await list_open_invitations(user.partner_id)
            cards.append(
                Card(
                    title=_("Colleagues"),
                    items=[(_("Open invitations"), str(len(invites)), "/my-company/users")],
                    link="/my-company/users",
                    link_label=_("Manage colleagues"),
                )
            )
        return cards
    return []
