"""The tenant door for cases: the only way a handler or job reaches a case row.

Partner users see their own partner's cases; vendor admins every case; channel managers the cases
of their partners plus those assigned to them or to a team they belong to (routing may hand them
any partner's case). Anything else answers NotFound, so another partner's id looks like no case.
"""

from __future__ import annotations

from typing import Any

from piccolo.columns.combination import WhereRaw

from portal.auth.schemas import CurrentUser
from portal.support.tables import CaseAttachment, KbArticle, SupportCase, SupportTeamMember
from portal.tenancy import NotFound, partner_scope

CASE_COLUMNS = (
    *SupportCase.all_columns(exclude=[SupportCase.reply_token]),
    SupportCase.partner.name.as_alias("partner_name"),
    SupportCase.partner.code.as_alias("partner_code"),
    SupportCase.partner.locale.as_alias("partner_locale"),
    SupportCase.partner.province.as_alias("partner_province"),
    SupportCase.partner.channel_manager_id.as_alias("channel_manager_id"),
    SupportCase.requester.name.as_alias("requester_name"),
    SupportCase.requester.email.as_alias("requester_email"),
    SupportCase.team.name.as_alias("team_name"),
)


def case_scope(user: CurrentUser) -> Any:
    """The condition limiting support_case rows to what `user` may see."""
    if user.is_channel_manager:
        teams = SupportTeamMember.select(SupportTeamMember.team).where(
            SupportTeamMember.user_id == user.id
        )
        return (
            partner_scope(user, SupportCase.partner)
            | (SupportCase.assignee_id == user.id)
            | SupportCase.team.is_in(teams)  # type: ignore[arg-type]
        )
    return partner_scope(user, SupportCase.partner)


async def get_case_for_user(user: CurrentUser, case_id: int) -> dict[str, Any]:
    """The case with partner, requester and team names if `user` may see it; NotFound otherwise."""
    row = await (
        SupportCase.select(*CASE_COLUMNS)
        .where((SupportCase.id == case_id) & case_scope(user))
        .first()
    )
    if row is None:
        raise NotFound
    return row


async def get_article_for_user(user: CurrentUser, article_id: int) -> dict[str, Any]:
    """An article: vendor staff see drafts too, everyone else only published ones."""
    condition = (
        WhereRaw("1 = 1") if user.is_vendor else (KbArticle.status == "published")  # type: ignore[operator]
    )
    row = await (
        KbArticle.select(
            *KbArticle.all_columns(), KbArticle.category.name_zh, KbArticle.category.name_en
        )
        .where((KbArticle.id == article_id) & condition)
        .first()
    )
    if row is None:
        raise NotFound
    return row


async def get_attachment_for_user(user: CurrentUser, attachment_id: int) -> dict[str, Any]:
    """An attachment of a case the user may see; internal files only for vendor staff."""
    row = await CaseAttachment.select().where(CaseAttachment.id == attachment_id).first()
    if row is None or (row["is_internal"] and not user.is_vendor):
        raise NotFound
    await get_case_for_user(user, row["support_case"])
    return row


# The customer 360° rule (customers.access, through portal.lib.hooks.customer_shared_by): a
# partner shares an end customer with the vendor by attaching it to one of its support cases.
CUSTOMER_SHARED_BY_CASE = (
    'EXISTS (SELECT 1 FROM support_case sc WHERE sc.end_customer_id = "customer"."id"'
    ' AND sc.partner = "customer"."partner")'
)


async def case_numbers_for_user(user: CurrentUser, ids: list[int]) -> dict[int, str]:
    """id -> case number of the cases among `ids` that `user` may see (others are left out)."""
    if not ids:
        return {}
    rows = await SupportCase.select(SupportCase.id, SupportCase.number).where(
        SupportCase.id.is_in(ids) & case_scope(user)
    )
    return {int(r["id"]): str(r["number"]) for r in rows}
