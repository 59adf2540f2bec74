"""Lead factories: routing rules, leads (routed at once, as the console and the API do)."""

from __future__ import annotations

import itertools
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.deals import lead_rules, leads
from portal.deals.lead_routing import route_leads
from portal.deals.lead_schemas import RuleForm

_seq = itertools.count(1)


async def make_rule(vendor: CurrentUser, **fields: Any) -> int:
    """An active rule; by default every lead, partners in the lead's province."""
    values: dict[str, Any] = {
        "name": f"规则 {next(_seq)}",
        "position": 10,
        "same_province": True,
        "is_active": True,
    }
    values.update(fields)
    return await lead_rules.save_rule(vendor, RuleForm(**values))


async def make_lead(
    vendor: CurrentUser, province: str = "SH", *, route: bool = True, **fields: Any
) -> int:
    n = next(_seq)
    data = leads.LeadData(
        company=fields.pop("company", f"线索客户 {n} 有限公司"),
        contact_name=fields.pop("contact_name", "王经理"),
        phone=fields.pop("phone", f"1380013{n:04d}"),
        province=province,
        **fields,
    )
    lead_id = await leads.create_lead(vendor, data)
    if route:
        await route_leads([lead_id], actor=vendor)
    return lead_id
