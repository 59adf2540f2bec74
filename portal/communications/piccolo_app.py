"""Piccolo app for campaigns, material and feedback requests (the bell is core's)."""

import os

from piccolo.conf.apps import AppConfig

from portal.communications.campaigns.tables import (
    Campaign,
    CampaignActivity,
    CampaignDelivery,
    CampaignFile,
    CampaignRecipient,
)
from portal.communications.feedback.tables import (
    FeedbackAnswer,
    FeedbackQuestion,
    FeedbackRecipient,
    FeedbackReminder,
    FeedbackRequest,
    FeedbackResponse,
)
from portal.communications.tables import CommunicationSetting

APP_CONFIG = AppConfig(
    app_name="communications",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[
        Campaign,
        CampaignFile,
        CampaignRecipient,
        CampaignDelivery,
        CampaignActivity,
        FeedbackRequest,
        FeedbackQuestion,
        FeedbackRecipient,
        FeedbackResponse,
        FeedbackAnswer,
        FeedbackReminder,
        CommunicationSetting,
    ],
    migration_dependencies=["portal.partners.piccolo_app", "portal.auth.piccolo_app"],
    commands=[],
)
