"""Support factories: cases, teams, routing rules, SLA targets, articles (ids back)."""

from __future__ import annotations

import itertools
from typing import Any

from portal.lib.clock import now
from portal.support import services
from portal.support.constants import CaseCategory, CasePriority
from portal.support.schemas import CaseForm
from portal.support.tables import (
    KbArticle,
    KbCategory,
    RoutingRule,
    SlaTarget,
    SupportCase,
    SupportTeam,
    SupportTeamMember,
)
from tests.factories import Persona

_seq = itertools.count(1)


async def make_case(
    persona: Persona,
    *,
    category: str = CaseCategory.TECHNICAL,
    priority: str = CasePriority.NORMAL,
    subject: str | None = None,
    description: str = "The camera loses its network connection every night.",
    **kwargs: Any,
) -> int:
    """A case opened by `persona` (vendor personas pass partner_id=...)."""
    n = next(_seq)
    form = CaseForm(
        category=CaseCategory(category),
        priority=CasePriority(priority),
        subject=subject or f"Case subject {n}",
        description=description,
        order_id=kwargs.pop("order_id", None),
        end_customer_id=kwargs.pop("end_customer_id", None),
    )
    return await services.open_case(persona.current, form, **kwargs)


async def case_row(case_id: int) -> dict[str, Any]:
    row = await SupportCase.select().where(SupportCase.id == case_id).first()
    assert row is not None
    return row


async def make_team(
    name: str | None = None, lead: Persona | None = None, members: list[Persona] = ()
) -> int:  # type: ignore[assignment]
    rows = await SupportTeam.insert(
        SupportTeam(
            name=name or f"Team {next(_seq)}",
            lead_id=lead.id if lead else None,
            is_active=True,
            created_at=now(),
        )
    ).returning(SupportTeam.id)
    team_id = int(rows[0]["id"])
    for member in members:
        await SupportTeamMember.insert(SupportTeamMember(team=team_id, user_id=member.id))
    return team_id


async def make_rule(position: int = 0, **fields: Any) -> int:
    rows = await RoutingRule.insert(
        RoutingRule(position=position, created_at=now(), **fields)
    ).returning(RoutingRule.id)
    return int(rows[0]["id"])


async def make_target(
    priority: str, first_response: int, resolution: int, tier: int | None = None
) -> int:
    rows = await SlaTarget.insert(
        SlaTarget(
            priority=priority,
            tier=tier,
            first_response_minutes=first_response,
            resolution_minutes=resolution,
            updated_at=now(),
        )
    ).returning(SlaTarget.id)
    return int(rows[0]["id"])


async def make_article(
    title_en: str = "Resetting a camera",
    body_en: str = "Hold the reset button for ten seconds.",
    *,
    status: str = "published",
    **fields: Any,
) -> int:
    category = fields.pop("category", None)
    if category is None:
        existing = await KbCategory.select(KbCategory.id).where(KbCategory.code == "GEN").first()
        if existing:
            category = existing["id"]
        else:
            rows = await KbCategory.insert(
                KbCategory(code="GEN", name_zh="常见问题", name_en="General", position=0)
            ).returning(KbCategory.id)
            category = rows[0]["id"]
    moment = now()
    rows = await KbArticle.insert(
        KbArticle(
            category=category,
            title_en=title_en,
            body_en=body_en,
            title_zh=fields.pop("title_zh", "重置摄像机"),
            body_zh=fields.pop("body_zh", "按住复位键十秒。"),
            status=status,
            created_at=moment,
            updated_at=moment,
            published_at=moment if status == "published" else None,
            **fields,
        )
    ).returning(KbArticle.id)
    return int(rows[0]["id"])
