"""A rebate programme can point to the campaign that announces it: the console form offers the
campaigns, the programme page links to it, and the campaign's pages name the programme (the
partner sees what it has earned; a partner outside the programme sees nothing of it)."""

from __future__ import annotations

import pytest

from portal.finance import rebates
from portal.lib.forms import FormError
from tests.communications.factories import make_campaign
from tests.finance.factories import partner_code, shipped_order
from tests.finance.test_rebates import quarter
from tests.personas import post_form


async def test_a_programme_announced_by_a_campaign_shows_on_both_pages(as_user, alice, carol, vera):
    campaign_id = await make_campaign(
        vera.current, files=0, title="满额返利活动", title_en="Volume rebate drive"
    )
    order = await shipped_order(alice, vera)
    console = await as_user(vera)

    form = (await console.get("/console/finance/rebates/")).text
    created = await post_form(
        console,
        "/console/finance/rebates/",
        {
            "name": "Q 满额返利",
            "period": quarter(),
            "bands": f"{order['total'] / 200:.2f}:2",
            "partner_codes": await partner_code(alice.partner_id),
            "campaign_id": str(campaign_id),
        },
    )
    programme_id = int(created.headers["location"].rstrip("/").split("/")[-1])
    await rebates.recompute_accruals()

    assert "Volume rebate drive" in form  # the campaign is offered
    assert created.status_code == 303
    assert (await rebates.get_programme(programme_id))["campaign_id"] == campaign_id
    programme_page = (await console.get(f"/console/finance/rebates/{programme_id}")).text
    assert (
        f"/console/campaigns/{campaign_id}" in programme_page
        and "Volume rebate drive" in programme_page
    )
    console_campaign = (await console.get(f"/console/campaigns/{campaign_id}")).text
    assert f"/console/finance/rebates/{programme_id}" in console_campaign
    alice_page = (await (await as_user(alice)).get(f"/campaigns/{campaign_id}")).text
    earned = (order["total"] * 2 + 50) // 100
    assert "Rebate programme Q 满额返利" in alice_page
    assert f"{earned // 100:,}.{earned % 100:02d}" in alice_page
    carol_page = (await (await as_user(carol)).get(f"/campaigns/{campaign_id}")).text
    assert "Q 满额返利" not in carol_page  # carol's company is not in the programme


async def test_a_programme_cannot_point_to_a_campaign_that_does_not_exist(vera):
    with pytest.raises(FormError) as refused:
        await rebates.create_programme(
            vera.current,
            rebates.ProgrammeInput(
                name="返利", period=quarter(), bands="500000:2", campaign_id=999_999
            ),
        )
    assert "campaign_id" in refused.value.errors
