"""The permission matrix of every communications page and API route, for every persona.

alice = admin of partner A, bob = member of A (sales only), carol = admin of B, vera = vendor
admin, manny = channel manager of A, anon = not signed in. {a} = a campaign addressed to A only,
{both} = one addressed to all, {fa}/{fboth} = their files, {ra} = a feedback request for A only.
"""

from __future__ import annotations

import pytest

from tests.communications.factories import make_campaign, make_request, png_bytes
from tests.matrix import row, wrong_answers

PARTNER_PAGE = {"alice": 200, "bob": 200, "carol": 200, "vera": 403, "manny": 403, "anon": 303}
A_ONLY = {"alice": 200, "bob": 200, "carol": 404, "vera": 403, "manny": 403, "anon": 303}
USER_PAGE = {"alice": 200, "bob": 200, "carol": 200, "vera": 200, "manny": 200, "anon": 303}
CONSOLE_PAGE = {"alice": 403, "bob": 403, "carol": 403, "vera": 200, "manny": 200, "anon": 303}
ADMIN_PAGE = {"alice": 403, "bob": 403, "carol": 403, "vera": 200, "manny": 403, "anon": 303}
API_READ = {"alice": 200, "bob": 200, "carol": 200, "vera": 200, "manny": 200, "anon": 401}
API_A_ONLY = {"alice": 200, "bob": 200, "carol": 404, "vera": 200, "manny": 200, "anon": 401}


MATRIX = [
    row("/campaigns/", **PARTNER_PAGE),
    row("/campaigns/{both}", **PARTNER_PAGE),
    row("/campaigns/{a}", **A_ONLY),
    row("/campaigns/{a}/files/{fa}", **A_ONLY),
    row("/campaigns/{a}/files/{fa}/preview", **A_ONLY),
    row("/campaigns/{both}/files/{fboth}", **PARTNER_PAGE),
    row("/notifications/", **USER_PAGE),
    row("/notifications/count", **USER_PAGE),
    row("/feedback/", **PARTNER_PAGE),
    row("/feedback/{ra}", **A_ONLY),
    row("/console/campaigns/", **CONSOLE_PAGE),
    row("/console/campaigns/new", **ADMIN_PAGE),
    row("/console/campaigns/{a}", **CONSOLE_PAGE),
    row("/console/campaigns/{a}/reach", **CONSOLE_PAGE),
    row("/console/campaigns/{a}/files/{fa}", **CONSOLE_PAGE),
    row("/console/feedback/", **CONSOLE_PAGE),
    row("/console/feedback/new", **ADMIN_PAGE),
    row("/console/feedback/settings", **ADMIN_PAGE),
    row("/console/feedback/{ra}", **CONSOLE_PAGE),
    row("/console/feedback/{ra}/results", **CONSOLE_PAGE),
    row("/console/feedback/{ra}/export", **CONSOLE_PAGE),
    row("/api/v1/campaigns", **API_READ),
    row("/api/v1/campaigns/{a}", **API_A_ONLY),
    row("/api/v1/feedback-requests", **API_READ),
]


@pytest.fixture
async def world(alice, carol, vera):
    from portal.communications import campaigns
    from portal.communications.tables import CampaignFile

    a = await make_campaign(
        vera.current, audience="partners", values=[str(alice.partner_id)], files=0
    )
    await campaigns.add_material(vera.current, a, png_bytes(), "banner.png")
    both = await make_campaign(vera.current)
    fa = (await CampaignFile.select(CampaignFile.id).where(CampaignFile.campaign == a).first())[
        "id"
    ]
    fboth = (
        await CampaignFile.select(CampaignFile.id).where(CampaignFile.campaign == both).first()
    )["id"]
    ra = await make_request(vera.current, audience="partners", values=[str(alice.partner_id)])
    return {"a": a, "both": both, "fa": fa, "fboth": fboth, "ra": ra}


@pytest.mark.parametrize(("path", "expected"), [pytest.param(p, e, id=p) for p, e in MATRIX])
async def test_communications_permission_matrix(
    as_user, world, alice, bob, carol, vera, manny, path, expected
):
    personas = {
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "vera": vera,
        "manny": manny,
        "anon": None,
    }
    url = path.format(**world)
    wrong = await wrong_answers(as_user, personas, url, expected)
    assert not wrong, f"GET {url}: " + ", ".join(wrong)
