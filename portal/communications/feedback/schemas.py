"""Forms (input), result filters and API structs of feedback requests and their answers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

from portal.communications.constants import Audience
from portal.communications.feedback.constants import AnswerScope, QuestionKind
from portal.communications.schemas import LongText, OptionalTitle, Title
from portal.lib.inputs import Id


class FeedbackRequestForm(msgspec.Struct, kw_only=True):
    title_zh: Title
    title_en: OptionalTitle = ""
    intro_zh: LongText = ""
    intro_en: LongText = ""
    series: Annotated[str, msgspec.Meta(max_length=60)] = ""
    audience: Audience = Audience.ALL
    audience_values: list[str] = []
    answer_scope: AnswerScope = AnswerScope.USER
    due_on: dt.date
    reminder_days: Annotated[int, msgspec.Meta(ge=0, le=30)] = 2


class QuestionForm(msgspec.Struct, kw_only=True):
    kind: QuestionKind
    text_zh: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    text_en: Annotated[str, msgspec.Meta(max_length=500)] = ""
    options: Annotated[str, msgspec.Meta(max_length=5000)] = ""  # one per line, "中文 | English"
    required: bool = False


class ResultFilters(msgspec.Struct, kw_only=True):
    tier: str = ""
    region: str = ""
    partner: int | None = None
    # The partners the reader may see (None: all), from `tenancy.vendor_partner_ids`.
    partner_ids: list[Id] | None = None


class QuestionOut(msgspec.Struct, kw_only=True):
    id: int
    kind: str
    text: str
    required: bool
    options: list[str] = []
    min: int | None = None
    max: int | None = None


class FeedbackRequestOut(msgspec.Struct, kw_only=True):
    id: int
    title: str
    intro: str
    status: str
    due_at: dt.datetime
    answer_scope: str
    answered: bool
    can_answer: bool
    questions: list[QuestionOut] = []


class FeedbackRequestListOut(msgspec.Struct, kw_only=True):
    items: list[FeedbackRequestOut]


class AnswerIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    question_id: Id
    value: Annotated[int, msgspec.Meta(ge=-1000, le=1000)] | None = None
    choices: Annotated[
        list[Annotated[int, msgspec.Meta(ge=0, le=1000)]], msgspec.Meta(max_length=100)
    ] = []
    text: Annotated[str, msgspec.Meta(max_length=20_000)] = ""


class ResponseIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    answers: Annotated[list[AnswerIn], msgspec.Meta(max_length=200)]


class ResponseOut(msgspec.Struct, kw_only=True):
    request_id: int
    response_id: int
    submitted_at: dt.datetime
    updated_at: dt.datetime
