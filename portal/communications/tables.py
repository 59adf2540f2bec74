"""Campaigns with their material, audience and activity; the notification centre; feedback
requests (surveys) with questions, audience, responses, answers and reminders; settings.
The bell (Notification) is core's (portal/core/tables.py).

Composite unique indexes and CHECK constraints live in the second migration: one recipient row
per (campaign, partner) and (request, partner), one delivery per (campaign, user), one
notification per (user, ref), one response per (request, respondent), one answer per (response,
question), one reminder per (request, user), and answer values within 0..10.
"""

from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from portal.auth.tables import User
from portal.communications.constants import (
    ActivityKind,
    AnswerScope,
    Audience,
    CampaignStatus,
    QuestionKind,
    RequestStatus,
)
from portal.partners.tables import Partner


class Campaign(Table, tablename="campaign"):
    """A vendor campaign: bilingual text, a period, an audience rule, and material files."""

    id: Serial  # created by Piccolo; declared for type checkers

    title_zh = Varchar(length=200)
    title_en = Varchar(length=200, default="")
    description_zh = Text(default="")
    description_en = Text(default="")
    starts_on = Date(null=True, default=None)
    ends_on = Date(null=True, default=None)  # after this day the campaign counts as past
    audience = Varchar(length=20, choices=Audience, default=Audience.ALL)
    audience_values = JSON(default="[]")  # tier codes, kinds, province codes or partner ids
    status = Varchar(length=20, choices=CampaignStatus, default=CampaignStatus.DRAFT, index=True)
    publish_at = Timestamptz(null=True, default=None)
    published_at = Timestamptz(null=True, default=None, index=True)
    reached_partners = Integer(default=0)
    reached_users = Integer(default=0)
    created_by_id = BigInt(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class CampaignFile(Table, tablename="campaign_file"):
    """One piece of material, kept by portal.lib.storage under a server-made key."""

    id: Serial  # created by Piccolo; declared for type checkers

    campaign = ForeignKey(Campaign, on_delete=OnDelete.cascade, index=True)
    storage_key = Varchar(length=200, unique=True)
    filename = Varchar(length=200)
    content_type = Varchar(length=120)
    size = BigInt()
    sha256 = Varchar(length=64)
    uploaded_by_id = BigInt(null=True, default=None)
    uploaded_at = Timestamptz()


class CampaignRecipient(Table, tablename="campaign_recipient"):
    """A partner addressed at publish time, with its tier and region then (exact reach figures)."""

    id: Serial  # created by Piccolo; declared for type checkers

    campaign = ForeignKey(Campaign, on_delete=OnDelete.cascade)
    partner = ForeignKey(Partner, on_delete=OnDelete.cascade, index=True)
    tier_code = Varchar(length=30, default="")
    province = Varchar(length=10, default="")
    addressed_at = Timestamptz()
    first_opened_at = Timestamptz(null=True, default=None)
    first_downloaded_at = Timestamptz(null=True, default=None)


class CampaignDelivery(Table, tablename="campaign_delivery"):
    """One partner user told about a campaign; inserted with the notification and the e-mail in
    one transaction, so each user is told exactly once however often the job runs."""

    id: Serial  # created by Piccolo; declared for type checkers

    campaign = ForeignKey(Campaign, on_delete=OnDelete.cascade)
    user = ForeignKey(User, on_delete=OnDelete.cascade, index=True)
    partner_id = BigInt()
    created_at = Timestamptz()


class CampaignActivity(Table, tablename="campaign_activity"):
    """Who opened a campaign or previewed/downloaded which file, and when; never updated."""

    id: Serial  # created by Piccolo; declared for type checkers

    campaign = ForeignKey(Campaign, on_delete=OnDelete.cascade)
    file = ForeignKey(CampaignFile, null=True, default=None, on_delete=OnDelete.set_null)
    partner = ForeignKey(Partner, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(User, on_delete=OnDelete.cascade)
    kind = Varchar(length=10, choices=ActivityKind)
    at = Timestamptz(index=True)


class FeedbackRequest(Table, tablename="feedback_request"):
    """A survey sent to an audience; `series` groups repeated requests for the trend."""

    id: Serial  # created by Piccolo; declared for type checkers

    title_zh = Varchar(length=200)
    title_en = Varchar(length=200, default="")
    intro_zh = Text(default="")
    intro_en = Text(default="")
    series = Varchar(length=60, default="", index=True)
    audience = Varchar(length=20, choices=Audience, default=Audience.ALL)
    audience_values = JSON(default="[]")
    answer_scope = Varchar(length=10, choices=AnswerScope, default=AnswerScope.USER)
    status = Varchar(length=20, choices=RequestStatus, default=RequestStatus.DRAFT, index=True)
    opens_at = Timestamptz(null=True, default=None)
    due_at = Timestamptz()
    reminder_days = Integer(default=2)  # 0 = no reminder
    opened_at = Timestamptz(null=True, default=None)
    subject = Varchar(length=20, default="")  # "order" / "case" for automatic CSAT requests
    subject_id = BigInt(null=True, default=None)
    created_by_id = BigInt(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class FeedbackQuestion(Table, tablename="feedback_question"):
    """One question; `options` is a list of {"zh": ..., "en": ...} for choice questions."""

    id: Serial  # created by Piccolo; declared for type checkers

    request = ForeignKey(FeedbackRequest, on_delete=OnDelete.cascade, index=True)
    position = Integer(default=0)
    kind = Varchar(length=10, choices=QuestionKind)
    text_zh = Varchar(length=500)
    text_en = Varchar(length=500, default="")
    options = JSON(default="[]")
    required = Boolean(default=True)


class FeedbackRecipient(Table, tablename="feedback_recipient"):
    """A partner addressed when the request opened, with its tier and region then."""

    id: Serial  # created by Piccolo; declared for type checkers

    request = ForeignKey(FeedbackRequest, on_delete=OnDelete.cascade)
    partner = ForeignKey(Partner, on_delete=OnDelete.cascade, index=True)
    tier_code = Varchar(length=30, default="")
    province = Varchar(length=10, default="")
    users = Integer(default=0)  # partner users addressed (for the response rate)
    addressed_at = Timestamptz()


class FeedbackResponse(Table, tablename="feedback_response"):
    """One answer sheet; `respondent` is "u<user id>" or "p<partner id>" by the request's scope."""

    id: Serial  # created by Piccolo; declared for type checkers

    request = ForeignKey(FeedbackRequest, on_delete=OnDelete.cascade)
    respondent = Varchar(length=30)
    partner = ForeignKey(Partner, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(User, on_delete=OnDelete.cascade)  # who last saved it
    tier_code = Varchar(length=30, default="")
    province = Varchar(length=10, default="")
    submitted_at = Timestamptz()
    updated_at = Timestamptz()


class FeedbackAnswer(Table, tablename="feedback_answer"):
    """The answer to one question: a score or option index, options chosen, or text."""

    id: Serial  # created by Piccolo; declared for type checkers

    response = ForeignKey(FeedbackResponse, on_delete=OnDelete.cascade)
    question = ForeignKey(FeedbackQuestion, on_delete=OnDelete.cascade, index=True)
    value = Integer(null=True, default=None)  # NPS 0-10, CSAT 1-5, single-choice index
    choices = JSON(default="[]")  # multiple-choice indexes
    text = Text(default="")


class FeedbackReminder(Table, tablename="feedback_reminder"):
    """A reminder e-mail queued for one user and request (same transaction as the e-mail); the
    unique pair makes it once only."""

    id: Serial  # created by Piccolo; declared for type checkers

    request = ForeignKey(FeedbackRequest, on_delete=OnDelete.cascade)
    user = ForeignKey(User, on_delete=OnDelete.cascade)
    sent_at = Timestamptz()


class CommunicationSetting(Table, tablename="communication_setting"):
    """Console switches of this domain (automatic CSAT on/off ...), one row per key."""

    id: Serial  # created by Piccolo; declared for type checkers

    key = Varchar(length=60, unique=True)
    value = JSON(default="null")
    updated_at = Timestamptz()
