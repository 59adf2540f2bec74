"""Deal registration: numbers, the conflict check and its normalisation, the review steps."""

from __future__ import annotations

import pytest

from portal.deals import matching, services
from portal.deals.tables import Deal, DealEvent
from portal.lib.clock import local_now
from portal.lib.forms import FormError
from portal.tenancy import NotFound
from tests.deals.factories import make_deal


def test_customer_names_written_many_ways_fold_to_one_key():
    key = matching.customer_key("华东智联科技有限公司")
    assert matching.customer_key("华东智联 科技（有限公司）") == key
    assert matching.customer_key("华东智联科技股份有限公司") == key
    assert matching.customer_key("ＡＣＭＥ　Co., Ltd.") == matching.customer_key("acme")
    assert matching.customer_key("Acme Inc.") == "acme"
    assert matching.customer_key("Costco") == "costco"


def test_phone_and_mail_keys():
    assert matching.phone_key("+86 138-0013-8000") == "13800138000"
    assert matching.email_domain("Zhang@ACME.com") == "acme.com"
    assert matching.email_domain("someone@qq.com") == ""  # a public mail service says nothing


async def test_the_number_comes_from_the_row_id(alice):
    deal_id = await make_deal(alice.current)
    row = await Deal.select(Deal.number).where(Deal.id == deal_id).first()
    assert row["number"] == f"DR-{local_now().year}-{deal_id:06d}"


async def test_a_second_partner_registering_the_same_customer_sees_a_conflict(alice, carol, vera):
    await make_deal(alice.current, "华东智联客户有限公司", status="submitted")
    second = await make_deal(carol.current, "华东智联客户 有限公司", status="draft")
    assert await services.submit_deal(carol.current, second) is True
    detail = await services.deal_detail(carol.current, second)
    assert "partner" in detail["conflict_text"]
    assert "华东智联科技" not in detail["conflict_text"]  # never who
    staff = await services.deal_detail(vera.current, second)
    assert [c["partner_name"] for c in staff["conflicts"]] == ["华东智联科技有限公司"]


async def test_other_products_or_the_same_partner_are_no_conflict(alice, bob, carol):
    await make_deal(alice.current, "同名客户有限公司", status="submitted")
    other_product = await make_deal(carol.current, "同名客户", sku="DEAL-NVR")
    assert await services.submit_deal(carol.current, other_product) is False
    colleague = await make_deal(bob.current, "同名客户")
    assert await services.submit_deal(bob.current, colleague) is False


async def test_the_same_credit_code_is_a_conflict_under_another_name(alice, carol):
    code = "91310000MA1FL8XQ3X"
    await make_deal(alice.current, "甲公司", status="submitted", credit_code=code)
    second = await make_deal(carol.current, "完全不同的名字", credit_code=code.lower())
    assert await services.submit_deal(carol.current, second) is True


async def test_approval_protects_for_90_days_and_tells_the_partner(alice, vera):
    deal_id = await make_deal(alice.current, status="submitted")
    until = await services.approve_deal(vera.current, deal_id)
    deal = await services.get_deal_for_user(alice.current, deal_id)
    assert deal["status"] == "approved"
    assert (until - deal["protection_from"]).days == 89
    kinds = [
        e["kind"]
        for e in await DealEvent.select().where(DealEvent.deal == deal_id).order_by(DealEvent.id)
    ]
    assert kinds == ["created", "submitted", "approved"]


async def test_declining_needs_a_reason(alice, vera):
    deal_id = await make_deal(alice.current, status="submitted")
    with pytest.raises(FormError):
        await services.decline_deal(vera.current, deal_id, " ")
    await services.decline_deal(vera.current, deal_id, "客户已由直销覆盖")
    assert (await services.get_deal_for_user(alice.current, deal_id))["status"] == "declined"


async def test_carol_cannot_reach_alices_deal(alice, carol):
    deal_id = await make_deal(alice.current)
    with pytest.raises(NotFound):
        await services.deal_detail(carol.current, deal_id)


async def test_only_one_extension_request(alice, vera):
    deal_id = await make_deal(alice.current, status="approved", vendor=vera.current)
    await services.request_extension(alice.current, deal_id, "客户预算下季度批复")
    with pytest.raises(services.NotAllowed):
        await services.request_extension(alice.current, deal_id, "again")
    before = (await services.get_deal_for_user(vera.current, deal_id))["protection_until"]
    after = await services.grant_extension(vera.current, deal_id, 30)
    assert (after - before).days == 30
