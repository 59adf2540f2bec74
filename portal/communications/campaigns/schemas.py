"""Forms (input) and API structs of campaigns."""

from __future__ import annotations

import datetime as dt

import msgspec

from portal.communications.constants import Audience
from portal.communications.schemas import LongText, OptionalTitle, Title


class CampaignForm(msgspec.Struct, kw_only=True):
    title_zh: Title
    title_en: OptionalTitle = ""
    description_zh: LongText = ""
    description_en: LongText = ""
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    audience: Audience = Audience.ALL
    audience_values: list[str] = []


class FileOut(msgspec.Struct, kw_only=True):
    id: int
    filename: str
    content_type: str
    size: int
    download_url: str


class CampaignOut(msgspec.Struct, kw_only=True):
    id: int
    title: str
    title_zh: str
    title_en: str
    description: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    published_at: dt.datetime | None
    current: bool
    files: list[FileOut] = []


class CampaignListOut(msgspec.Struct, kw_only=True):
    items: list[CampaignOut]
    total: int
    page: int
    per_page: int
