"""Sample contexts for the lead pages and the lead e-mail (rendered in both languages by
tests/test_templates.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.template_samples import ALICE, NOW

EMAIL_SAMPLES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "lead_offered": [
        (
            name,
            {
                "name": ALICE.name,
                "count": len(companies),
                "companies": companies,
                "number": "LD-2026-000012",
                "due_at": NOW + dt.timedelta(hours=24),
                "link": "https://portal.example/leads/12",
            },
        )
        for name, companies in (
            ("one", ["杭州线索科技有限公司"]),
            ("several", ["杭州线索科技有限公司", "宁波 <b> 制造"]),
        )
    ]
}

SAMPLES: dict[str, list[tuple[str, dict[str, Any]]]] = {}
