"""The permission matrix of every communications route, page and API, read and write, for every
persona.

alice = admin of partner A, bob = member of A (sales only), carol = admin of B, vera = vendor
admin, manny = channel manager of A, anon = not signed in. {ka} = a campaign addressed to A only,
{both} = one addressed to all, {fa}/{fboth} = their files, {ra} = a feedback request for A only
({nps}/{csat}/{q} its questions), {na} = a notification of alice.
"""

from __future__ import annotations

import pytest

from portal.communications.campaigns import editing as campaign_editing
from portal.communications.campaigns.responses import response_key
from portal.communications.campaigns.tables import CampaignFile
from portal.core.notifications import notify
from portal.core.tables import Notification
from tests.communications.factories import make_campaign, make_request, png_bytes, question_ids
from tests.matrix import LOGIN, World, clean_database, params, row, world_fixture, write

__all__ = ["clean_database"]

PARTNER_PAGE = {"alice": 200, "bob": 200, "carol": 200, "vera": 403, "manny": 403, "anon": LOGIN}
A_ONLY = {"alice": 200, "bob": 200, "carol": 404, "vera": 403, "manny": 403, "anon": LOGIN}
USER_PAGE = {"alice": 200, "bob": 200, "carol": 200, "vera": 200, "manny": 200, "anon": LOGIN}
CONSOLE_PAGE = {"alice": 403, "bob": 403, "carol": 403, "vera": 200, "manny": 200, "anon": LOGIN}
ADMIN_PAGE = {"alice": 403, "bob": 403, "carol": 403, "vera": 200, "manny": 403, "anon": LOGIN}
API_READ = {"alice": 200, "bob": 200, "carol": 200, "vera": 200, "manny": 200, "anon": 401}
API_A_ONLY = {"alice": 200, "bob": 200, "carol": 404, "vera": 200, "manny": 200, "anon": 401}
EVERYONE = {"alice": 200, "bob": 200, "carol": 200, "vera": 200, "manny": 200, "anon": 200}
NOBODY = {"alice": 404, "bob": 404, "carol": 404, "vera": 404, "manny": 404, "anon": 404}
EVERYONE_SENT = {n: 303 for n in EVERYONE}
REFUSED_400 = {n: 400 for n in EVERYONE}
RESPONSE = {
    "company": "矩阵响应客户有限公司",
    "contact_name": "王先生",
    "phone": "13800138000",
    "province": "ZJ",
}
ADMIN = {"alice": 403, "bob": 403, "carol": 403, "manny": 403, "anon": LOGIN}


MATRIX = [
    row("/campaigns/", **PARTNER_PAGE),
    row("/campaigns/{both}", **PARTNER_PAGE),
    row("/campaigns/{ka}", **A_ONLY),
    row("/campaigns/{ka}/files/{fa}", **A_ONLY),
    row("/campaigns/{ka}/files/{fa}/preview", **A_ONLY),
    row("/campaigns/{both}/files/{fboth}", **PARTNER_PAGE),
    # the end customers' response form: public while the campaign is published, else 404
    row("/campaigns/{both}/respond/{bothkey}", **EVERYONE),
    row("/campaigns/{both}/respond/{bothkey}/thanks", **EVERYONE),
    row("/campaigns/{kd}/respond/{kdkey}", **NOBODY),
    row("/campaigns/{both}/respond/{kdkey}", **NOBODY),  # another campaign's key
    row("/notifications/", **USER_PAGE),
    row("/notifications/count", **USER_PAGE),
    row("/notifications/settings", **USER_PAGE),
    row("/feedback/", **PARTNER_PAGE),
    row("/feedback/{ra}", **A_ONLY),
    row("/console/campaigns/", **CONSOLE_PAGE),
    row("/console/campaigns/new", **ADMIN_PAGE),
    row("/console/campaigns/{ka}", **CONSOLE_PAGE),
    row("/console/campaigns/{ka}/reach", **CONSOLE_PAGE),
    row("/console/campaigns/{kd}/publish", **ADMIN_PAGE),  # the confirmation step
    row("/console/campaigns/{ka}/files/{fa}", **CONSOLE_PAGE),
    row("/console/feedback/", **CONSOLE_PAGE),
    row("/console/feedback/new", **ADMIN_PAGE),
    row("/console/feedback/settings", **ADMIN_PAGE),
    row("/console/feedback/{ra}", **CONSOLE_PAGE),
    row("/console/feedback/{ra}/results", **CONSOLE_PAGE),
    row("/console/feedback/{ra}/export", **CONSOLE_PAGE),
    row("/api/v1/campaigns", **API_READ),
    row("/api/v1/campaigns/{ka}", **API_A_ONLY),
    row("/api/v1/feedback-requests", **API_READ),
]

WRITES = [
    # an end customer's response becomes a lead (its handling: tests/leads/test_campaign_leads.py)
    write("POST", "/campaigns/{both}/respond/{bothkey}", RESPONSE, **EVERYONE_SENT),
    write("POST", "/campaigns/{kd}/respond/{kdkey}", RESPONSE, **NOBODY),
    write("POST", "/campaigns/{both}/respond/{kdkey}", RESPONSE, **NOBODY),
    write("POST", "/campaigns/{both}/respond/{bothkey}", {"company": "缺联系人"}, **REFUSED_400),
    # the bell: everyone's own notifications only
    write(
        "POST",
        "/notifications/read-all",
        alice=303,
        bob=303,
        carol=303,
        vera=303,
        manny=303,
        anon=LOGIN,
    ),
    write(
        "POST",
        "/notifications/{na}/open",
        alice=303,
        bob=404,
        carol=404,
        vera=404,
        manny=404,
        anon=LOGIN,
    ),
    # a survey for partner A
    write(
        "POST",
        "/feedback/{ra}",
        {"q{nps}": "9", "q{csat}": "4"},
        alice=303,
        bob=303,
        carol=404,
        vera=403,
        manny=403,
        anon=LOGIN,
    ),
    write(
        "POST",
        "/api/v1/feedback-requests/{ra}/responses",
        {"answers": [{"question_id": "{nps}", "value": 9}, {"question_id": "{csat}", "value": 4}]},
        alice=201,
        bob=201,
        carol=404,
        vera=403,
        manny=403,
        anon=401,
    ),
    write(
        "POST",
        "/notifications/settings",
        alice=303,
        bob=303,
        carol=303,
        vera=303,
        manny=303,
        anon=LOGIN,
    ),
    # campaigns: vendor admins only
    write("POST", "/console/campaigns/new", vera=400, **ADMIN),
    write("POST", "/console/campaigns/{ka}", vera=400, **ADMIN),
    write("POST", "/console/campaigns/{ka}/archive", vera=303, **ADMIN),
    write("POST", "/console/campaigns/{ka}/files", vera=400, **ADMIN),
    write("POST", "/console/campaigns/{ka}/files/{fa}/delete", vera=303, **ADMIN),
    write("POST", "/console/campaigns/{ka}/publish", {"confirmed": "1"}, vera=400, **ADMIN),
    write("POST", "/console/campaigns/{kd}/publish", vera=200, **ADMIN),  # asks first: no change
    write("POST", "/console/campaigns/{ka}/unschedule", vera=303, **ADMIN),
    # surveys: vendor admins only
    write("POST", "/console/feedback/new", vera=400, **ADMIN),
    write("POST", "/console/feedback/settings", vera=400, **ADMIN),
    write("POST", "/console/feedback/{ra}", vera=400, **ADMIN),
    write("POST", "/console/feedback/{ra}/close", vera=303, **ADMIN),
    write("POST", "/console/feedback/{ra}/open", vera=400, **ADMIN),
    write("POST", "/console/feedback/{ra}/questions", vera=400, **ADMIN),
    write("POST", "/console/feedback/{ra}/questions/{q}/delete", vera=303, **ADMIN),
]


async def build(w: World) -> dict:
    vera, alice = w.personas["vera"].current, w.personas["alice"]
    ka = await make_campaign(vera, audience="partners", values=[str(alice.partner_id)], files=0)
    await campaign_editing.add_material(vera, ka, png_bytes(), "banner.png")
    both = await make_campaign(vera)
    kd = await make_campaign(vera, publish=False, files=0, title="草稿")
    fa = await CampaignFile.select(CampaignFile.id).where(CampaignFile.campaign == ka).first()
    fboth = await CampaignFile.select(CampaignFile.id).where(CampaignFile.campaign == both).first()
    ra = await make_request(vera, audience="partners", values=[str(alice.partner_id)])
    questions = await question_ids(ra)
    await notify(
        [alice.id], kind="matrix", title_en="Hello", title_zh="你好", link="/", ref="matrix:1"
    )
    na = await Notification.select(Notification.id).where(Notification.user == alice.id).first()
    return {
        "ka": ka,
        "kd": kd,
        "both": both,
        "fa": fa["id"],
        "fboth": fboth["id"],
        "ra": ra,
        "nps": questions["nps"],
        "csat": questions["csat"],
        "q": questions["single"],
        "na": na["id"],
        "bothkey": response_key(both),
        "kdkey": response_key(kd),
    }


world = world_fixture(build)


@pytest.fixture
def empty_storage() -> None:
    """The world's files stay for the whole module (tests/communications/conftest.py empties
    the file store before every other test)."""


@pytest.mark.parametrize("route", params(MATRIX + WRITES))
async def test_communications_permission_matrix(world, route):
    wrong = await world.wrong_answers(route)
    assert not wrong, f"{route.method} {world.url(route)}: " + "; ".join(wrong)
