"""Feedback requests (surveys) with questions, audience, responses, answers and reminders.

Composite unique indexes and CHECK constraints live in the communications app's second
migration: one recipient row per (request, partner), one response per (request, respondent), one
answer per (response, question), one reminder per (request, user), answer values within 0..10.
"""

from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
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
from portal.communications.constants import Audience
from portal.communications.feedback.constants import AnswerScope, QuestionKind, RequestStatus
from portal.partners.tables import Partner


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
