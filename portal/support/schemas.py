"""Input forms, filters and API shapes for cases and articles (msgspec Structs)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from msgspec import Meta

from portal.lib.inputs import ONE_LINE, Id
from portal.support.constants import (
    MAX_BODY,
    MAX_SUBJECT,
    ArticleStatus,
    CaseCategory,
    CasePriority,
    CaseStatus,
)

Subject = Annotated[str, Meta(min_length=3, max_length=MAX_SUBJECT, pattern=ONE_LINE)]
Body = Annotated[str, Meta(min_length=1, max_length=MAX_BODY)]


class CaseForm(msgspec.Struct, kw_only=True):
    """A new case (portal form, API, or staff on a partner's behalf)."""

    category: CaseCategory
    priority: CasePriority = CasePriority.NORMAL
    subject: Subject
    description: Annotated[str, Meta(min_length=4, max_length=MAX_BODY)]
    order_id: Id | None = None
    end_customer_id: Id | None = None


class StaffCaseForm(CaseForm, kw_only=True):
    """Staff open a case for a partner and name the partner user it is for."""

    partner_id: Id
    requester_id: Id | None = None


class ReplyForm(msgspec.Struct, kw_only=True):
    body: Body
    internal: bool = False
    then: str = ""  # vendor: "", "waiting_on_partner" or "resolved" after sending


class AssignForm(msgspec.Struct, kw_only=True):
    assignee_id: Id | None = None
    team_id: Id | None = None


class ReasonForm(msgspec.Struct, kw_only=True):
    reason: Annotated[str, Meta(max_length=2000)] = ""


class CaseFilters(msgspec.Struct, kw_only=True):
    status: str = ""  # "" = open cases (new, open, waiting), "all", or a status
    q: str = ""
    category: str = ""
    priority: str = ""
    partner_id: Id | None = None
    team_id: Id | None = None
    assignee: str = ""  # "", "me", "none" or a user id
    sla: str = ""  # "", "breached", "at_risk"
    page: int = 1
    per_page: int = 50


class ArticleForm(msgspec.Struct, kw_only=True):
    title_zh: Annotated[str, Meta(max_length=200)] = ""
    title_en: Annotated[str, Meta(max_length=200)] = ""
    body_zh: Annotated[str, Meta(max_length=MAX_BODY)] = ""
    body_en: Annotated[str, Meta(max_length=MAX_BODY)] = ""
    category_id: Id | None = None
    keywords: Annotated[str, Meta(max_length=300)] = ""
    status: ArticleStatus = ArticleStatus.DRAFT


# JSON API


class CaseIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    category: CaseCategory
    subject: Subject
    description: Annotated[str, Meta(min_length=4, max_length=MAX_BODY)]
    priority: CasePriority = CasePriority.NORMAL
    order_id: Id | None = None
    end_customer_id: Id | None = None
    partner_id: Id | None = None  # vendor staff only
    requester_id: Id | None = None  # vendor staff only


class ReplyIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    body: Body
    internal: bool = False  # vendor staff only
    status: CaseStatus | None = None  # vendor: waiting_on_partner or resolved after the reply


class MessageOut(msgspec.Struct, kw_only=True):
    id: int
    author: str
    from_vendor: bool
    internal: bool
    channel: str
    body: str
    created_at: dt.datetime


class DeadlineOut(msgspec.Struct, kw_only=True):
    due_at: dt.datetime | None
    met: bool | None
    business_minutes_left: int | None


class CaseOut(msgspec.Struct, kw_only=True):
    id: int
    number: str
    status: str
    category: str
    priority: str
    subject: str
    description: str
    partner_code: str
    partner_name: str
    requester: str
    assignee: str | None
    order_id: int | None
    end_customer_id: int | None
    channel: str
    created_at: dt.datetime
    updated_at: dt.datetime
    first_response: DeadlineOut
    resolution: DeadlineOut
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    csat: int | None
    messages: list[MessageOut] | None = None


class CaseListOut(msgspec.Struct, kw_only=True):
    items: list[CaseOut]
    total: int
    page: int
    per_page: int


class InboundAccepted(msgspec.Struct, kw_only=True):
    """An inbound e-mail stored as a reply on its case (duplicate: the same Message-ID before)."""

    case_id: int
    message_id: int
    duplicate: bool
