"""Piccolo app for campaigns, material, notifications and feedback requests."""

import os

from piccolo.conf.apps import AppConfig

from portal.communications.tables import (
    Campaign,
    CampaignActivity,
    CampaignDelivery,
    CampaignFile,
    CampaignRecipient,
    CommunicationSetting,
    FeedbackAnswer,
    FeedbackQuestion,
    FeedbackRecipient,
    FeedbackReminder,
    FeedbackRequest,
    FeedbackResponse,
    Notification,
)

APP_CONFIG = AppConfig(
    app_name="communications",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[
        Campaign,
        CampaignFile,
        CampaignRecipient,
        CampaignDelivery,
        CampaignActivity,
        Notification,
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
