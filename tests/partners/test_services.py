"""Partner services: scope, edits and who may make them, tiers, status, invitations, applications."""

from __future__ import annotations

import msgspec
import pytest

from portal.auth.constants import Role
from portal.auth.tables import Invitation
from portal.core.tables import AuditEntry, OutboundEmail
from portal.lib.forms import FormError
from portal.partners import applications, services
from portal.partners.access import get_partner_for_user
from portal.partners.constants import PartnerKind
from portal.partners.schemas import ApplicationForm, PartnerChanges, PartnerFilters
from portal.partners.tables import Partner, PartnerApplication, TierChange
from tests.factories import make_partner, tier_id

APPLICATION = ApplicationForm(
    company_name="新星电子",
    kind=PartnerKind.DEALER,
    province="GD",
    city="深圳",
    contact_name="周敏",
    contact_email="zhou@xinxing.test",
)


async def test_list_partners_is_scoped_to_the_channel_manager(manny, partner_a, partner_b):
    rows, total = await services.list_partners(manny.current, PartnerFilters())
    assert total == 1 and rows[0]["id"] == partner_a
    assert rows[0]["channel_manager_name"] == manny.name


async def test_partner_users_list_only_their_own_partner(alice, partner_a, partner_b):
    rows, total = await services.list_partners(alice.current, PartnerFilters())
    assert [r["id"] for r in rows] == [partner_a] and total == 1


async def test_counts_by_status_follow_the_scope(vera, manny, partner_a, partner_b):
    await Partner.update({Partner.status: "suspended"}).where(Partner.id == partner_b)
    assert await services.count_partners_by_status(vera.current) == {"active": 1, "suspended": 1}
    assert await services.count_partners_by_status(manny.current) == {"active": 1, "suspended": 0}


async def test_sorting_by_credit_limit_puts_the_largest_first(vera):
    small = await make_partner(credit_limit_amount=1)
    large = await make_partner(credit_limit_amount=10**9)
    rows, _total = await services.list_partners(vera.current, PartnerFilters(sort="credit"))
    assert [r["id"] for r in rows] == [large, small]


def test_channel_managers_may_edit_only_address_and_contact(vera, manny, alice):
    assert services.editable_fields(manny.current) == services.MANAGER_EDITABLE
    assert {"tier_id", "credit_limit_amount", "status"} <= services.editable_fields(vera.current)
    assert services.editable_fields(alice.current) == frozenset()


async def test_update_refuses_fields_the_actor_may_not_change(manny, partner_a):
    partner = await get_partner_for_user(manny.current, partner_a)
    with pytest.raises(FormError) as refused:
        await services.update_partner(
            manny.current, partner, PartnerChanges(credit_limit_amount=1, city="x")
        )
    assert set(refused.value.errors) == {"credit_limit_amount"}
    row = await Partner.select(Partner.city).where(Partner.id == partner_a).first()
    assert row["city"] == "上海"


async def test_update_audits_only_what_changed(vera, partner_a):
    partner = await get_partner_for_user(vera.current, partner_a)
    await services.update_partner(
        vera.current, partner, PartnerChanges(city="杭州", name=partner["name"])
    )
    entry = (
        await AuditEntry.select()
        .where(AuditEntry.action == "partner.update")
        .output(load_json=True)
        .first()
    )
    assert entry["before"] == {"city": "上海"} and entry["after"] == {"city": "杭州"}


async def test_change_tier_writes_history_and_audit(vera, partner_a):
    partner = await get_partner_for_user(vera.current, partner_a)
    await services.change_tier(vera.current, partner, await tier_id("platinum"), "Top seller")
    history = await services.tier_history(partner_a)
    assert history[0]["reason"] == "Top seller" and history[0]["to_tier.name_en"] == "Platinum"
    assert history[0]["from_tier.name_en"] == "Gold" and len(history) == 2
    assert await AuditEntry.exists().where(AuditEntry.action == "partner.tier_change")


async def test_changing_to_the_same_tier_writes_nothing(vera, partner_a):
    partner = await get_partner_for_user(vera.current, partner_a)
    await services.change_tier(vera.current, partner, partner["tier"], "")
    assert await TierChange.count().where(TierChange.partner == partner_a) == 1


async def test_only_vendor_admins_change_tiers_and_status(manny, partner_a):
    partner = await get_partner_for_user(manny.current, partner_a)
    with pytest.raises(FormError):
        await services.change_tier(manny.current, partner, await tier_id("platinum"), "why")
    with pytest.raises(FormError):
        await services.suspend_partner(manny.current, partner, "why")


async def test_a_suspended_partner_gets_no_invitations(vera, partner_a):
    await Partner.update({Partner.status: "suspended"}).where(Partner.id == partner_a)
    partner = await get_partner_for_user(vera.current, partner_a)
    with pytest.raises(FormError):
        await services.invite_partner_user(
            vera.current, partner, email="x@a.test", name="", role=Role.PARTNER_ADMIN
        )
    assert await Invitation.count() == 0


async def test_update_colleague_refuses_vendor_roles(alice, bob):
    colleague = {"id": bob.id}
    with pytest.raises(FormError) as refused:
        await services.update_colleague(
            alice.current,
            colleague,
            role=Role.VENDOR_ADMIN,
            can_sales=False,
            can_purchasing=False,
            is_active=True,
        )
    assert "role" in refused.value.errors


async def test_approve_creates_partner_history_and_invitation_mail(vera):
    application_id = await applications.submit_application(APPLICATION, "10.0.0.1", "zh_CN")
    partner_id = await applications.approve_application(
        vera.current, application_id, await tier_id("registered"), None
    )
    row = await PartnerApplication.select().where(PartnerApplication.id == application_id).first()
    assert (
        row["status"] == "approved"
        and row["partner"] == partner_id
        and row["reviewed_by_id"] == vera.id
    )
    assert await TierChange.count().where(TierChange.partner == partner_id) == 1
    mail = await OutboundEmail.select().where(OutboundEmail.kind == "invitation").first()
    assert mail["to_address"] == "zhou@xinxing.test"


async def test_approve_refuses_an_address_that_already_has_an_account(vera, alice):
    application_id = await applications.submit_application(
        msgspec.structs.replace(APPLICATION, contact_email=alice.email), "10.0.0.1", "en"
    )
    with pytest.raises(FormError):
        await applications.approve_application(vera.current, application_id, await tier_id(), None)
    assert await Partner.count() == 1  # only partner A


async def test_applications_are_limited_per_network(vera):
    for _ in range(5):
        await applications.submit_application(APPLICATION, "10.0.0.9", "en")
    with pytest.raises(FormError):
        await applications.submit_application(APPLICATION, "10.0.0.9", "en")
    assert await applications.count_applications() == {"pending": 5, "approved": 0, "declined": 0}
