"""Piccolo app for support cases, the SLA calendar, teams, routing and the knowledge base."""

import os

from piccolo.conf.apps import AppConfig

from portal.support.tables import (
    CaseAttachment,
    CaseEmail,
    CaseEscalation,
    CaseEvent,
    CaseMessage,
    KbArticle,
    KbCategory,
    RoutingRule,
    SlaTarget,
    SupportCalendar,
    SupportCase,
    SupportHoliday,
    SupportTeam,
    SupportTeamMember,
)

APP_CONFIG = AppConfig(
    app_name="support",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[
        SupportCalendar,
        SupportHoliday,
        SlaTarget,
        SupportTeam,
        SupportTeamMember,
        RoutingRule,
        SupportCase,
        CaseMessage,
        CaseAttachment,
        CaseEvent,
        CaseEscalation,
        CaseEmail,
        KbCategory,
        KbArticle,
    ],
    migration_dependencies=["portal.partners.piccolo_app", "portal.auth.piccolo_app"],
    commands=[],
)
