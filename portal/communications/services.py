"""The communications domain's public services: campaigns, the notification centre, feedback
requests and their results. Other domains import from here (see the cross-domain interfaces):
`notify`, `request_csat`, `csat_for`, `campaign_figures`, `feedback_figures`, `unread_count`.

The implementation is split by sub-topic: campaigns.py, notifications.py, feedback.py,
results.py; this module re-exports it and adds the home-page cards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.auth.schemas import CurrentUser
from portal.communications.campaigns import (
    add_material,
    archive_campaign,
    campaign_figures,
    create_campaign,
    list_campaigns_console,
    list_campaigns_for_user,
    publish_campaign,
    reach,
    record_activity,
    remove_material,
    schedule_campaign,
    update_campaign,
)
from portal.communications.feedback import (
    add_question,
    close_request,
    create_request,
    csat_for,
    get_setting,
    list_requests_for_user,
    open_request,
    remove_question,
    request_csat,
    schedule_request,
    send_due_reminders,
    set_setting,
    submit_response,
    update_request,
)
from portal.communications.figures import CampaignFigures, FeedbackFigures
from portal.communications.notifications import (
    list_notifications,
    mark_all_read,
    notify,
    open_notification,
    unread_count,
)
from portal.communications.results import export_xlsx, feedback_figures, results, trend
from portal.lib.i18n import gettext as _

if TYPE_CHECKING:
    from portal.home import Card

__all__ = [
    "CampaignFigures",
    "FeedbackFigures",
    "add_material",
    "add_question",
    "archive_campaign",
    "campaign_figures",
    "close_request",
    "create_campaign",
    "create_request",
    "csat_for",
    "export_xlsx",
    "feedback_figures",
    "get_setting",
    "home_cards",
    "list_campaigns_console",
    "list_campaigns_for_user",
    "list_notifications",
    "list_requests_for_user",
    "mark_all_read",
    "notify",
    "open_notification",
    "open_request",
    "publish_campaign",
    "reach",
    "record_activity",
    "remove_material",
    "remove_question",
    "request_csat",
    "results",
    "schedule_campaign",
    "schedule_request",
    "send_due_reminders",
    "set_setting",
    "submit_response",
    "trend",
    "unread_count",
    "update_campaign",
    "update_request",
]


async def home_cards(user: CurrentUser) -> list[Card]:
    """Partner users: new campaigns and surveys waiting for an answer."""
    from portal.communications.campaigns import localized
    from portal.home import Card

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
