"""Sample contexts for the core console pages (the audit log as people read it)."""

from __future__ import annotations

from typing import Any

from portal.web import Page
from tests.template_samples import NOW, VERA, page_context

PARAMS = {"action": "", "actor": "", "partner": "华东", "partner_id": "1", "since": "", "until": ""}
ENTRY: dict[str, Any] = {
    "id": 7,
    "at": NOW,
    "actor_email": "vera@vendor.test",
    "action": "partner.tier_change",
    "action_label": "Tier changed",
    "partner_id": 1,
    "partner_name": "华东智联科技有限公司",
    "partner_url": "/console/partners/1",
    "target": {"kind": "Partner", "text": "华东智联科技有限公司", "url": "/console/partners/1"},
    "changes": [{"field": "Tier", "before": "Gold", "after": "Platinum"}],
    "detail": "Q3 above target",
    "ip": "127.0.0.1",
}

SAMPLES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "console/audit.html": [
        (
            "entries",
            page_context(
                VERA,
                "/console/audit/",
                entries=[ENTRY, {**ENTRY, "partner_id": None, "partner_name": "", "target": {}}],
                actions=[("partner.tier_change", "Tier changed")],
                filtered_partner="华东智联科技有限公司",
                params=PARAMS,
                values=PARAMS,
                pager=Page(1, 50, 2),
            ),
        ),
        (
            "empty",
            page_context(
                VERA,
                "/console/audit/",
                entries=[],
                actions=[],
                filtered_partner="",
                params={**PARAMS, "partner_id": ""},
                values={**PARAMS, "partner_id": ""},
                pager=Page(1, 50, 0),
            ),
        ),
    ],
}
