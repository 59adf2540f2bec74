"""The key-value settings of communications (the CSAT switches, each user's notices turned off).

Campaigns' tables are in campaigns/tables.py, feedback requests' in feedback/tables.py, the bell
(Notification) in portal/core/tables.py; all but the bell belong to the one Piccolo app
"communications" (piccolo_app.py), whose migrations made them.
"""

from piccolo.columns import (
    JSON,
    Serial,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table


class CommunicationSetting(Table, tablename="communication_setting"):
    """Console switches of this domain (automatic CSAT on/off ...), one row per key."""

    id: Serial  # created by Piccolo; declared for type checkers

    key = Varchar(length=60, unique=True)
    value = JSON(default="null")
    updated_at = Timestamptz()
