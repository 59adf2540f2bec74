"""Campaign and feedback-request states, audience kinds, question kinds and notification kinds."""

from enum import StrEnum

from portal.lib.i18n import N_


class CampaignStatus(StrEnum):
    DRAFT = "draft"  # created by vendor staff; editable, invisible to partners
    SCHEDULED = "scheduled"  # vendor staff chose a publish time; the publish job picks it up
    PUBLISHED = "published"  # set once by the publish job; the audience is frozen
    ARCHIVED = "archived"  # vendor staff withdrew it; partners no longer see it


class RequestStatus(StrEnum):
    DRAFT = "draft"  # created by vendor staff (or automatically for CSAT); questions editable
    SCHEDULED = "scheduled"  # vendor staff chose an opening time; the open job picks it up
    OPEN = "open"  # set by the open job; the audience answers until the due time
    CLOSED = "closed"  # vendor staff closed it early; no answers accepted


class Audience(StrEnum):
    ALL = "all"  # every active partner
    TIER = "tier"  # partners in the chosen tiers
    KIND = "kind"  # dealers and/or distributors
    REGION = "region"  # partners in the chosen provinces
    PARTNERS = "partners"  # a hand-picked list of partners


class QuestionKind(StrEnum):
    NPS = "nps"  # 0-10 "how likely are you to recommend"
    CSAT = "csat"  # 1-5 satisfaction
    SINGLE = "single"  # one of the options
    MULTI = "multi"  # any of the options
    TEXT = "text"  # free text


class AnswerScope(StrEnum):
    USER = "user"  # every partner user answers for themselves
    PARTNER = "partner"  # one answer per partner; any of its users may give or change it


class ActivityKind(StrEnum):
    VIEW = "view"  # a partner user opened the campaign page
    PREVIEW = "preview"  # a partner user previewed a file in the browser
    DOWNLOAD = "download"  # a partner user downloaded a file


class NotificationKind(StrEnum):
    CAMPAIGN = "campaign"
    FEEDBACK = "feedback"
    ORDER = "order"
    CASE = "case"


AUDIENCE_LABELS = {
    Audience.ALL: N_("All partners"),
    Audience.TIER: N_("Partners in some tiers"),
    Audience.KIND: N_("Partners of some kinds"),
    Audience.REGION: N_("Partners in some regions"),
    Audience.PARTNERS: N_("Hand-picked partners"),
}
CAMPAIGN_STATUS_LABELS = {
    CampaignStatus.DRAFT: N_("Draft"),
    CampaignStatus.SCHEDULED: N_("Scheduled"),
    CampaignStatus.PUBLISHED: N_("Published"),
    CampaignStatus.ARCHIVED: N_("Archived"),
}
REQUEST_STATUS_LABELS = {
    RequestStatus.DRAFT: N_("Draft"),
    RequestStatus.SCHEDULED: N_("Scheduled"),
    RequestStatus.OPEN: N_("Open"),
    RequestStatus.CLOSED: N_("Closed"),
}
QUESTION_LABELS = {
    QuestionKind.NPS: N_("Recommendation (NPS 0–10)"),
    QuestionKind.CSAT: N_("Satisfaction (CSAT 1–5)"),
    QuestionKind.SINGLE: N_("Single choice"),
    QuestionKind.MULTI: N_("Multiple choice"),
    QuestionKind.TEXT: N_("Free text"),
}
# Material a campaign may carry (portal.lib.storage kinds).
MATERIAL_KINDS = frozenset(
    {"pdf", "png", "jpeg", "gif", "webp", "mp4", "pptx", "docx", "xlsx", "zip"}
)
PREVIEW_KINDS = frozenset({"pdf", "png", "jpeg", "gif", "webp"})
# Settings kept in the communications_setting table, with their defaults.
SETTING_DEFAULTS = {"auto_csat_orders": True, "auto_csat_cases": True, "csat_days_open": 14}


class NoticeKind(StrEnum):
    """What a person is told of by bell and e-mail (communications.notices); each can be turned
    off by its recipient on /notifications/settings."""

    ORDER_TO_APPROVE = "order_to_approve"  # vendor staff: a partner placed an order
    APPLICATION = "application"  # vendor admins: a company applied to become a partner
    CASE_OPENED = "case_opened"  # vendor staff: a partner opened a support case
    CASE_ESCALATED = "case_escalated"  # vendor staff: a case passed a deadline (bell only here)
    TIER_CHANGED = "tier_changed"  # partner admins: their company moved to another tier


NOTICE_LABELS = {
    NoticeKind.ORDER_TO_APPROVE: N_("Orders to approve"),
    NoticeKind.APPLICATION: N_("New partner applications"),
    NoticeKind.CASE_OPENED: N_("New support cases"),
    NoticeKind.CASE_ESCALATED: N_("Escalated support cases"),
    NoticeKind.TIER_CHANGED: N_("Tier changes of my company"),
}
VENDOR_NOTICES = (
    NoticeKind.ORDER_TO_APPROVE,
    NoticeKind.CASE_OPENED,
    NoticeKind.CASE_ESCALATED,
    NoticeKind.APPLICATION,
)
PARTNER_NOTICES = (NoticeKind.TIER_CHANGED,)
