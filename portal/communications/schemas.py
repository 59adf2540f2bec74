"""Field types shared by the campaign and feedback forms, and the schedule form of both."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


OptionalTitle = Annotated[str, msgspec.Meta(max_length=200)]


LongText = Annotated[str, msgspec.Meta(max_length=20_000)]


class ScheduleForm(msgspec.Struct, kw_only=True):
    publish_on: dt.date
    publish_time: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{1,2}:[0-9]{2}$")] = "09:00"
