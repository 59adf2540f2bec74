"""What campaigns and feedback requests share (the audience kinds), the kinds of bell entry,
and the notices a person can turn off."""

from enum import StrEnum

from portal.lib.i18n import N_


class Audience(StrEnum):
    ALL = "all"  # every active partner
    TIER = "tier"  # partners in the chosen tiers
    KIND = "kind"  # dealers and/or distributors
    REGION = "region"  # partners in the chosen provinces
    PARTNERS = "partners"  # a hand-picked list of partners


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
