"""The communications card of the partner home page: new campaigns and surveys waiting for an
answer."""

from __future__ import annotations

from portal.auth.schemas import CurrentUser
from portal.communications.campaigns.reads import list_campaigns_for_user
from portal.communications.feedback.answers import list_requests_for_user
from portal.lib.cards import Card
from portal.lib.i18n import gettext as _
from portal.lib.i18n import localized


async def home_cards(user: CurrentUser) -> list[Card]:
    """Partner users: new campaigns and surveys waiting for an answer."""
    if not user.is_partner:
        return []
    campaigns, _total = await list_campaigns_for_user(user, per_page=5)
    requests = [
        r for r in await list_requests_for_user(user) if r["can_answer"] and not r["answered"]
    ]
    items = [(localized(r, "title"), _("Please answer"), f"/feedback/{r['id']}") for r in requests]
    items += [
        (localized(c, "title"), _("New for you") if c["is_new"] else "", f"/campaigns/{c['id']}")
        for c in campaigns[: max(0, 5 - len(items))]
    ]
    return [
        Card(
            title=_("Campaigns & feedback"),
            items=items,
            link="/campaigns",
            link_label=_("All campaigns"),
            tone="attention" if requests else "",
            empty=_("No current campaigns."),
        )
    ]
