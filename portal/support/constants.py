"""Case statuses and their transitions, categories, priorities, event kinds, deadlines, limits."""

from __future__ import annotations

from enum import StrEnum

from portal.lib.i18n import N_

CASE_NUMBER_PREFIX = "CS"  # CS-2026-000123: the year the case was opened, then its id


class CaseStatus(StrEnum):
    NEW = "new"  # opened by a partner user, by e-mail, by the API or by staff on their behalf
    OPEN = "open"  # vendor staff answered or took it; the partner replied to a waiting case
    WAITING = "waiting_on_partner"  # vendor staff asked the partner something; SLA clock paused
    RESOLVED = "resolved"  # vendor staff resolved it; the partner may reopen within N days
    CLOSED = "closed"  # the partner confirmed, staff closed it, or the reopen window passed


class CaseCategory(StrEnum):
    PRODUCT = "product_question"
    ORDER = "order_delivery"
    QUALITY = "quality_complaint"
    BILLING = "billing"
    TECHNICAL = "technical"
    OTHER = "other"


class CasePriority(StrEnum):
    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"


class Channel(StrEnum):
    PORTAL = "portal"
    EMAIL = "email"
    API = "api"


class EventKind(StrEnum):
    OPENED = "opened"
    ASSIGNED = "assigned"
    STATUS = "status"
    REPLY = "reply"  # a public reply (vendor or partner)
    NOTE = "note"  # an internal note (vendor only)
    ESCALATED = "escalated"  # a rung of the escalation ladder
    PRIORITY = "priority"
    REOPENED = "reopened"
    CSAT = "csat"


class Deadline(StrEnum):
    FIRST_RESPONSE = "first_response"
    RESOLUTION = "resolution"


# Rungs of the escalation ladder for one deadline.
WARNING = 1  # x % of the target used: a warning to the assignee
BREACH = 2  # the deadline passed: the team lead
SECOND_BREACH = 3  # another target's length passed: the vendor admins

# The clock runs only in these statuses; waiting and resolved pause it.
RUNNING = (CaseStatus.NEW, CaseStatus.OPEN)
ACTIVE = (CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.WAITING)  # open cases for queues

TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.NEW: frozenset(
        {CaseStatus.OPEN, CaseStatus.WAITING, CaseStatus.RESOLVED, CaseStatus.CLOSED}
    ),
    CaseStatus.OPEN: frozenset({CaseStatus.WAITING, CaseStatus.RESOLVED, CaseStatus.CLOSED}),
    CaseStatus.WAITING: frozenset({CaseStatus.OPEN, CaseStatus.RESOLVED, CaseStatus.CLOSED}),
    CaseStatus.RESOLVED: frozenset({CaseStatus.OPEN, CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset({CaseStatus.OPEN}),  # reopen, within the window only
}

STATUS_LABELS = {
    CaseStatus.NEW: N_("New"),
    CaseStatus.OPEN: N_("In progress"),
    CaseStatus.WAITING: N_("Waiting on partner"),
    CaseStatus.RESOLVED: N_("Resolved"),
    CaseStatus.CLOSED: N_("Closed"),
}
STATUS_TONES = {
    CaseStatus.NEW: "pending",
    CaseStatus.OPEN: "info",
    CaseStatus.WAITING: "muted",
    CaseStatus.RESOLVED: "success",
    CaseStatus.CLOSED: "muted",
}
CATEGORY_LABELS = {
    CaseCategory.PRODUCT: N_("Product question"),
    CaseCategory.ORDER: N_("Order / delivery"),
    CaseCategory.QUALITY: N_("Quality complaint"),
    CaseCategory.BILLING: N_("Billing"),
    CaseCategory.TECHNICAL: N_("Technical"),
    CaseCategory.OTHER: N_("Other"),
}
PRIORITY_LABELS = {
    CasePriority.URGENT: N_("Urgent"),
    CasePriority.HIGH: N_("High"),
    CasePriority.NORMAL: N_("Normal"),
    CasePriority.LOW: N_("Low"),
}
PRIORITY_TONES = {
    CasePriority.URGENT: "danger",
    CasePriority.HIGH: "warning",
    CasePriority.NORMAL: "info",
    CasePriority.LOW: "muted",
}
DEADLINE_LABELS = {
    Deadline.FIRST_RESPONSE: N_("First response"),
    Deadline.RESOLUTION: N_("Resolution"),
}
LEVEL_LABELS = {
    WARNING: N_("Warning to the assignee"),
    BREACH: N_("Breached: escalated to the team lead"),
    SECOND_BREACH: N_("Breached twice: escalated to the vendor admins"),
}

# Business minutes per priority when no SLA target row exists: (first response, resolution).
DEFAULT_TARGETS: dict[str, tuple[int, int]] = {
    CasePriority.URGENT: (60, 8 * 60),
    CasePriority.HIGH: (4 * 60, 2 * 9 * 60),
    CasePriority.NORMAL: (9 * 60, 5 * 9 * 60),
    CasePriority.LOW: (2 * 9 * 60, 10 * 9 * 60),
}
DEFAULT_WARN_PERCENT = 80
DEFAULT_SECOND_BREACH_PERCENT = 200  # the second rung: twice the target

MAX_SUBJECT = 200
MAX_BODY = 20_000
MAX_ATTACHMENTS = 5
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = ("pdf", "png", "jpeg", "gif", "webp", "txt", "csv", "xlsx", "docx", "zip")


class ArticleStatus(StrEnum):
    DRAFT = "draft"  # vendor staff are writing it; partners never see it
    PUBLISHED = "published"  # partners can search and read it


ARTICLE_STATUS_LABELS = {ArticleStatus.DRAFT: N_("Draft"), ArticleStatus.PUBLISHED: N_("Published")}
