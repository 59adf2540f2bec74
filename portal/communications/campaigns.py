"""Campaigns: vendor verbs (create, edit, material, schedule, publish, archive), the publish
fan-out, partner reads with activity recording, and the reach figures.

Publishing is a job: `publish_campaign(campaign_id)` claims the campaign with a conditional UPDATE
(scheduled and due -> published) and, in the same transaction, freezes the audience into
campaign_recipient, tells every active user of those partners once (campaign_delivery, unique per
campaign and user), rings their bell and stores their e-mails. Either all of it commits or none,
so running the job twice publishes once.

The implementation is split by sub-topic: campaign_editing.py, campaign_publishing.py,
campaign_reads.py; this module re-exports it.
"""

from __future__ import annotations

from portal.communications.campaign_editing import (
    EDITABLE,
    MAX_FILES,
    add_material,
    create_campaign,
    get_campaign,
    list_files,
    remove_material,
    update_campaign,
)
from portal.communications.campaign_publishing import (
    archive_campaign,
    due_campaign_ids,
    enqueue_publish,
    publish_campaign,
    schedule_campaign,
    unschedule_campaign,
)
from portal.communications.campaign_reads import (
    campaign_figures,
    delivered_users,
    list_campaigns_console,
    list_campaigns_for_user,
    reach,
    recent_activity,
    record_activity,
)

__all__ = [
    "EDITABLE",
    "MAX_FILES",
    "add_material",
    "archive_campaign",
    "campaign_figures",
    "create_campaign",
    "delivered_users",
    "due_campaign_ids",
    "enqueue_publish",
    "get_campaign",
    "list_campaigns_console",
    "list_campaigns_for_user",
    "list_files",
    "publish_campaign",
    "reach",
    "recent_activity",
    "record_activity",
    "remove_material",
    "schedule_campaign",
    "unschedule_campaign",
    "update_campaign",
]
