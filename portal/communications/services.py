"""The communications domain's public services: campaigns, the notification centre, feedback
requests and their results. Other domains import from here (see the cross-domain interfaces):
`notify`, `request_csat`, `csat_for`, `campaign_figures`, `feedback_figures`, `unread_count`.

The implementation is split by sub-topic: campaign_*.py, notifications.py, feedback_*.py,
csat.py, results.py; this module re-exports it and adds the home-page cards.
"""

from __future__ import annotations

from portal.auth.schemas import CurrentUser
from portal.communications.campaign_editing import (
    add_material,
    create_campaign,
    remove_material,
    update_campaign,
)
from portal.communications.campaign_publishing import (
    archive_campaign,
    publish_campaign,
    schedule_campaign,
)
from portal.communications.campaign_reads import (
    campaign_figures,
    list_campaigns_console,
    list_campaigns_for_user,
    reach,
    record_activity,
)
from portal.communications.csat import csat_for, request_csat
from portal.communications.feedback_answers import list_requests_for_user, submit_response
from portal.communications.feedback_delivery import (
    close_request,
    open_request,
    schedule_request,
    send_due_reminders,
)
from portal.communications.feedback_requests import (
    add_question,
    create_request,
    get_setting,
    remove_question,
    set_setting,
    update_request,
)
from portal.communications.figures import CampaignFigures, FeedbackFigures
from portal.communications.results import export_xlsx, feedback_figures, results, trend
from portal.core.notifications import (
    list_notifications,
    mark_all_read,
    notify,
    open_notification,
    unread_count,
)
from portal.lib.cards import Card
from portal.lib.i18n import gettext as _
from portal.lib.i18n import localized

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
