"""Vendor console: campaigns (edit, material, schedule/publish, reach) and feedback requests
(edit, questions, open, results, export), plus the automatic-CSAT switches.

Vendor staff read everything; only vendor admins change anything (a channel manager's campaign
would reach partners that are not theirs). Reach and results rows stay within the user's scope.

The controllers live in campaign_console.py and feedback_console.py (helpers in
console_forms.py, charts in console_charts.py); this module lists them.
"""

from __future__ import annotations

from portal.communications.campaign_console import CampaignConsole
from portal.communications.console_charts import (
    add_charts,
)
from portal.communications.feedback_console import FeedbackConsole

PAGES = [CampaignConsole, FeedbackConsole]

__all__ = ["PAGES", "CampaignConsole", "FeedbackConsole", "add_charts"]
