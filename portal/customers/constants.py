"""Customer kinds, sizes, sources, contact channels, directions, outcomes, segments and limits."""

from __future__ import annotations

from enum import StrEnum

from portal.lib.i18n import N_


class CustomerKind(StrEnum):
    COMPANY = "company"  # a business end customer (the usual case)
    PERSON = "person"  # a private person


class CompanySize(StrEnum):
    UNKNOWN = ""  # not recorded
    MICRO = "micro"  # fewer than 10 people
    SMALL = "small"  # 10-99
    MEDIUM = "medium"  # 100-999
    LARGE = "large"  # 1,000 and more


class Source(StrEnum):
    EXHIBITION = "exhibition"  # met at a trade fair
    REFERRAL = "referral"  # recommended by someone
    WEBSITE = "website"  # came through the partner's website (also the API)
    VENDOR_LEAD = "vendor_lead"  # passed on by the vendor
    COLD_CALL = "cold_call"  # the partner's own prospecting
    EXISTING = "existing"  # an old customer entered later (imports)
    OTHER = "other"


class Channel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    WECHAT = "wechat"
    VISIT = "visit"  # on site, at the customer's or the partner's
    CHAT = "chat"  # online chat
    EXHIBITION = "exhibition"
    OTHER = "other"


class Direction(StrEnum):
    OUTBOUND = "outbound"  # the partner contacted the customer
    INBOUND = "inbound"  # the customer contacted the partner


class Outcome(StrEnum):
    NONE = ""  # not recorded
    INTERESTED = "interested"
    QUOTE = "quote"  # a quote was requested or sent
    ORDER = "order"  # the customer ordered
    NO_ANSWER = "no_answer"
    NOT_NOW = "not_now"
    LOST = "lost"
    SERVICE = "service"  # an after-sales or service matter


class Segment(StrEnum):
    """Written by portal.customers.segments (nightly job and after each change)."""

    HIGH_VALUE = "high_value"
    POTENTIAL = "potential"
    STEADY = "steady"
    AT_RISK = "at_risk"
    NEW = "new"
    DORMANT = "dormant"


class ImportStatus(StrEnum):
    PENDING = "pending"  # uploaded and parsed; waiting for mapping and confirmation
    DONE = "done"  # confirmed and written
    DISCARDED = "discarded"  # the user threw it away


class Duplicates(StrEnum):
    SKIP = "skip"  # keep the existing customer as it is
    MERGE = "merge"  # fill the existing customer's empty fields, add contact and tags


KIND_LABELS = {CustomerKind.COMPANY: N_("Company"), CustomerKind.PERSON: N_("Person")}
SIZE_LABELS = {
    CompanySize.UNKNOWN: N_("Unknown"),
    CompanySize.MICRO: N_("Fewer than 10 people"),
    CompanySize.SMALL: N_("10–99 people"),
    CompanySize.MEDIUM: N_("100–999 people"),
    CompanySize.LARGE: N_("1,000 people or more"),
}
SOURCE_LABELS = {
    Source.EXHIBITION: N_("Exhibition"),
    Source.REFERRAL: N_("Referral"),
    Source.WEBSITE: N_("Website"),
    Source.VENDOR_LEAD: N_("Vendor lead"),
    Source.COLD_CALL: N_("Own prospecting"),
    Source.EXISTING: N_("Existing customer"),
    Source.OTHER: N_("Other"),
}
CHANNEL_LABELS = {
    Channel.PHONE: N_("Phone"),
    Channel.EMAIL: N_("E-mail"),
    Channel.WECHAT: N_("WeChat"),
    Channel.VISIT: N_("Visit"),
    Channel.CHAT: N_("Online chat"),
    Channel.EXHIBITION: N_("Exhibition (channel)"),
    Channel.OTHER: N_("Other"),
}
DIRECTION_LABELS = {Direction.OUTBOUND: N_("Outbound"), Direction.INBOUND: N_("Inbound")}
OUTCOME_LABELS = {
    Outcome.NONE: N_("Not recorded"),
    Outcome.INTERESTED: N_("Interested"),
    Outcome.QUOTE: N_("Quote"),
    Outcome.ORDER: N_("Ordered"),
    Outcome.NO_ANSWER: N_("No answer"),
    Outcome.NOT_NOW: N_("Not now"),
    Outcome.LOST: N_("Lost"),
    Outcome.SERVICE: N_("Service matter"),
}
SEGMENT_LABELS = {
    Segment.HIGH_VALUE: N_("High value"),
    Segment.POTENTIAL: N_("Potential"),
    Segment.STEADY: N_("Steady"),
    Segment.AT_RISK: N_("At-risk"),
    Segment.NEW: N_("New customer"),
    Segment.DORMANT: N_("Dormant"),
}
# The suggested action per segment (after the customer-layer table of seeds/001).
SEGMENT_ACTIONS = {
    Segment.HIGH_VALUE: N_(
        "Keep close: a dedicated account manager, priority service, regular senior visits, "
        "early access to new products and tailored solutions."
    ),
    Segment.POTENTIAL: N_(
        "Develop: recommend products that fit, offer training or added services, and use "
        "promotions to raise order frequency and order value."
    ),
    Segment.STEADY: N_(
        "Serve to standard: standard products and support, and regular contact so the "
        "relationship stays warm."
    ),
    Segment.AT_RISK: N_(
        "Win back now: a named person calls to learn why orders dropped, then offers a "
        "special price or a solution to the problem."
    ),
    Segment.NEW: N_(
        "Onboard: introduce the products and how to use them, build trust early and encourage "
        "the second order."
    ),
    Segment.DORMANT: N_(
        "Re-activate or let go: a low-cost check-in (WeChat or e-mail) with an offer; stop "
        "spending sales time if there is no answer."
    ),
}
# Badge classes (badge-seg-*), coloured in static/css/customers.css.
SEGMENT_TONES = {segment: f"seg-{segment.value}" for segment in Segment}

MAX_TAGS = 20
MAX_TAG_LENGTH = 30
MAX_CONTACTS = 20
