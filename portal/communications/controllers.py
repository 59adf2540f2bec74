"""Communications pages and JSON API, registered in portal/routes.py: the campaigns
(communications.campaigns, with the end customers' public response form), the feedback requests and CSAT (communications.feedback) and the
notification centre with its settings (communications.bell)."""

from portal.communications.bell import NotificationPages
from portal.communications.campaigns.api import API as CAMPAIGN_API
from portal.communications.campaigns.console import CampaignConsole
from portal.communications.campaigns.pages import CampaignPages
from portal.communications.campaigns.response_pages import CampaignResponsePages
from portal.communications.feedback.api import API as FEEDBACK_API
from portal.communications.feedback.console import FeedbackConsole
from portal.communications.feedback.pages import FeedbackPages

PAGES = [
    CampaignPages,
    CampaignResponsePages,
    NotificationPages,
    FeedbackPages,
    CampaignConsole,
    FeedbackConsole,
]

API = [*CAMPAIGN_API, *FEEDBACK_API]

__all__ = ["API", "PAGES"]
