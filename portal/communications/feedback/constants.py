"""Feedback-request states, question kinds, answer scopes and the CSAT settings' defaults."""

from enum import StrEnum

from portal.lib.i18n import N_


class RequestStatus(StrEnum):
    DRAFT = "draft"  # created by vendor staff (or automatically for CSAT); questions editable
    SCHEDULED = "scheduled"  # vendor staff chose an opening time; the open job picks it up
    OPEN = "open"  # set by the open job; the audience answers until the due time
    CLOSED = "closed"  # vendor staff closed it early; no answers accepted


class QuestionKind(StrEnum):
    NPS = "nps"  # 0-10 "how likely are you to recommend"
    CSAT = "csat"  # 1-5 satisfaction
    SINGLE = "single"  # one of the options
    MULTI = "multi"  # any of the options
    TEXT = "text"  # free text


class AnswerScope(StrEnum):
    USER = "user"  # every partner user answers for themselves
    PARTNER = "partner"  # one answer per partner; any of its users may give or change it


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


# Settings kept in the communications_setting table, with their defaults.
SETTING_DEFAULTS = {"auto_csat_orders": True, "auto_csat_cases": True, "csat_days_open": 14}
