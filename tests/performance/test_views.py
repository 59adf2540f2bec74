"""What vendor staff and partners see and change on the performance pages."""

from __future__ import annotations

import datetime as dt
import io
import threading

from openpyxl import load_workbook

from portal.core.tables import AuditEntry
from portal.lib import clock, spreadsheets
from portal.orders.jobs import notify_order_event
from portal.orders.tables import Order, OrderEvent
from portal.performance import views
from portal.performance.periods import Period
from portal.performance.rollups import REVENUE_STATUSES
from portal.performance.tables import PerformanceTarget, ReportRecipient, ScoreWeight, VendorNote
from tests.performance.factories import make_sale, make_target, refresh
from tests.personas import post_form


async def _october(partner_a: int, partner_b: int) -> None:
    await make_sale(partner_a, 480_000_00, dt.date(2026, 10, 8))
    await make_sale(partner_a, 20_000_00, dt.date(2026, 10, 20))
    await make_sale(partner_b, 90_000_00, dt.date(2026, 10, 9))
    await make_target(partner_a, "2026-10", 400_000_00)
    await refresh("2026-10")


async def test_vera_sees_every_partner_on_the_leaderboard_best_first(
    as_user, partner_a, partner_b, vera
):
    await _october(partner_a, partner_b)
    client = await as_user(vera)

    page = (await client.get("/console/performance/?period=2026-10")).text

    assert page.index("华东智联科技有限公司") < page.index("岭南优品贸易有限公司")
    assert "¥500,000.00" in page and "125%" in page


async def test_manny_sees_only_the_partners_he_manages(as_user, partner_a, partner_b, manny):
    await _october(partner_a, partner_b)
    client = await as_user(manny)

    page = (await client.get("/console/performance/?period=2026-10")).text

    assert "华东智联科技有限公司" in page
    assert "岭南优品贸易有限公司" not in page


async def test_the_leaderboard_sorts_by_any_metric_and_filters_by_tier(
    as_user, partner_a, partner_b, vera
):
    await _october(partner_a, partner_b)
    client = await as_user(vera)

    ascending = (await client.get("/console/performance/?period=2026-10&sort=revenue&dir=asc")).text
    silver = (await client.get("/console/performance/?period=2026-10&tier=silver")).text

    assert ascending.index("岭南优品") < ascending.index("华东智联")
    assert "岭南优品" in silver and "华东智联" not in silver


async def test_the_revenue_figure_opens_the_orders_it_sums(as_user, partner_a, partner_b, vera):
    await _october(partner_a, partner_b)
    await make_sale(partner_a, 7_000_00, dt.date(2026, 10, 21), "rejected", number="SO-REJ-1")
    await make_sale(partner_a, 9_000_00, dt.date(2026, 9, 30), "delivered", number="SO-SEP-1")
    client = await as_user(vera)
    scorecard = (await client.get(f"/console/performance/partners/{partner_a}?period=2026-10")).text
    link = scorecard.split('title="Open the orders behind this figure"')[0].rsplit('href="', 1)[1]
    link = link.split('"')[0].replace("&amp;", "&")

    orders = (await client.get(link)).text

    assert orders.count("SO-T-") == 2  # the two approved October orders of partner A
    assert "SO-REJ-1" not in orders and "SO-SEP-1" not in orders


async def test_the_scorecard_shows_trend_chart_target_and_tier_advice(
    as_user, partner_a, partner_b, vera
):
    await _october(partner_a, partner_b)
    client = await as_user(vera)

    page = (await client.get(f"/console/performance/partners/{partner_a}?period=2026-10")).text

    assert page.count("<rect") >= 12 and "<svg" in page  # the 12-month chart, server-made
    assert "Noto Sans CJK SC" in page
    assert "In October 2026: needed" in page and "more revenue to reach Platinum" in page


async def test_alice_sees_her_rank_as_a_band_but_no_other_partner(
    as_user, partner_a, partner_b, alice
):
    await _october(partner_a, partner_b)
    client = await as_user(alice)

    page = (await client.get("/performance/?period=2026-10")).text

    assert "Among all partners: top 50 %" in page
    assert "¥500,000.00" in page
    assert "岭南优品" not in page and "¥90,000.00" not in page
    assert "Rank 1 of" not in page


async def test_the_page_speaks_chinese_to_a_chinese_browser(as_user, partner_a, partner_b, alice):
    await _october(partner_a, partner_b)
    client = await as_user(alice)

    page = (
        await client.get("/performance/?period=2026-10", headers={"Accept-Language": "zh-CN"})
    ).text

    assert "2026年10月" in page


async def test_the_xlsx_export_has_the_same_figures_as_the_page(
    as_user, partner_a, partner_b, vera
):
    await _october(partner_a, partner_b)
    client = await as_user(vera)

    response = await client.get("/console/performance/export.xlsx?period=2026-10")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))

    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert rows[1][3] == "华东智联科技有限公司"
    revenue_column = rows[0].index("Revenue (¥)")
    assert rows[1][revenue_column] == 500_000


async def test_vera_sets_a_target_and_a_note_both_audited(as_user, partner_a, vera):
    client = await as_user(vera)

    target = await post_form(
        client,
        f"/console/performance/partners/{partner_a}/target",
        {"period": "2026-10", "target": "450,000"},
    )
    note = await post_form(
        client,
        f"/console/performance/partners/{partner_a}/note",
        {"period": "2026-10", "body": "继续加油！"},
    )

    assert target.status_code == note.status_code == 303
    stored = await PerformanceTarget.select().first()
    assert stored["revenue_target_amount"] == 450_000_00 and stored["period"] == "2026-10"
    assert (await VendorNote.select().first())["body"] == "继续加油！"
    actions = {r["action"] for r in await AuditEntry.select(AuditEntry.action)}
    assert {"performance.target_set", "performance.note_saved"} <= actions


async def test_a_bad_target_amount_changes_nothing(as_user, partner_a, vera):
    client = await as_user(vera)

    response = await post_form(
        client,
        f"/console/performance/partners/{partner_a}/target",
        {"period": "2026-10", "target": "lots"},
    )

    assert response.status_code == 303
    assert await PerformanceTarget.count() == 0


async def test_weights_out_of_range_are_shown_next_to_the_field_and_nothing_changes(as_user, vera):
    client = await as_user(vera)

    response = await post_form(client, "/console/performance/settings", {"revenue": "250"})

    assert response.status_code == 400
    assert "Enter a whole number from 0 to 100." in response.text
    assert await ScoreWeight.count() == 0


async def test_changed_weights_change_the_score_and_are_audited(
    as_user, partner_a, partner_b, vera
):
    await _october(partner_a, partner_b)
    client = await as_user(vera)
    weights = {"revenue": "0", "order_count": "100"}

    response = await post_form(client, "/console/performance/settings", weights)
    board = (await client.get("/console/performance/?period=2026-10&sort=score")).text

    assert response.status_code == 303
    assert await AuditEntry.exists().where(AuditEntry.action == "performance.weights_changed")
    assert '<span class="perf-pill">100</span>' in board  # two orders beat one


async def test_a_target_import_with_a_bad_row_reports_its_line_and_writes_nothing(
    as_user, partner_a, vera
):
    from portal.partners.tables import Partner

    code = (await Partner.select(Partner.code).where(Partner.id == partner_a).first())["code"]
    client = await as_user(vera)
    csv = f"partner,period,target\n{code},2026-Q4,1200000\nNOPE,2026-13,abc\n".encode()
    token = client.cookies.get("csrftoken") or ""
    if not token:
        await client.get("/login")
        token = client.cookies.get("csrftoken")

    response = await client.post(
        "/console/performance/targets/import",
        files={"file": ("targets.csv", csv, "text/csv")},
        data={"_csrf_token": token},
    )

    assert response.status_code == 400
    assert "No partner has the code" in response.text and ">3<" in response.text
    assert await PerformanceTarget.count() == 0


async def test_a_clean_target_import_writes_every_row(as_user, partner_a, vera):
    from portal.partners.tables import Partner

    code = (await Partner.select(Partner.code).where(Partner.id == partner_a).first())["code"]
    client = await as_user(vera)
    await client.get("/login")
    csv = f"partner,period,target\n{code},2026-Q4,1200000\n{code},2026-11,400000.50\n".encode()

    response = await client.post(
        "/console/performance/targets/import",
        files={"file": ("targets.csv", csv, "text/csv")},
        data={"_csrf_token": client.cookies.get("csrftoken")},
    )

    assert response.status_code == 303
    amounts = {r["period"]: r["revenue_target_amount"] for r in await PerformanceTarget.select()}
    assert amounts == {"2026-Q4": 1_200_000_00, "2026-11": 400_000_50}


async def test_alice_adds_and_removes_a_report_recipient(as_user, alice):
    client = await as_user(alice)

    added = await post_form(
        client, "/performance/recipients", {"email": "Boss@Partner-A.test", "locale": "en"}
    )
    bad = await post_form(client, "/performance/recipients", {"email": "nope", "locale": "en"})
    row = await ReportRecipient.select().first()
    removed = await post_form(client, f"/performance/recipients/{row['id']}/delete")

    assert added.status_code == 303 and row["email"] == "boss@partner-a.test"
    assert bad.status_code == 400 and "Enter a valid e-mail address." in bad.text
    assert removed.status_code == 303 and await ReportRecipient.count() == 0


async def test_carol_cannot_remove_alice_recipients(as_user, alice, carol):
    await post_form(await as_user(alice), "/performance/recipients", {"email": "x@a.test"})
    row = await ReportRecipient.select().first()

    response = await post_form(await as_user(carol), f"/performance/recipients/{row['id']}/delete")

    assert response.status_code == 404 and await ReportRecipient.count() == 1


async def test_the_api_answers_a_bad_period_with_a_readable_400(as_user, alice):
    client = await as_user(alice)

    response = await client.get("/api/v1/performance/scorecard?period=2026-13")

    assert response.status_code == 400
    assert "2026-10" in response.json()["error"]


async def test_the_home_page_shows_alice_her_revenue_and_vera_the_leaderboard(
    as_user, partner_a, partner_b, alice, vera
):
    from portal.lib import clock
    from portal.performance.periods import Period

    today = clock.today()
    await make_sale(partner_a, 12_345_00, today)
    await refresh(Period.containing(today).code)

    alice_home = (await (await as_user(alice)).get("/")).text
    vera_home = (await (await as_user(vera)).get("/")).text

    assert "My performance" in alice_home and "¥12,345.00" in alice_home
    assert "(to date)" in alice_home  # the running month is labelled as such
    assert "/console/performance" in vera_home


async def test_the_leaderboard_api_gives_the_same_revenue_as_the_page(
    as_user, partner_a, partner_b, vera
):
    await _october(partner_a, partner_b)

    body = (
        await (await as_user(vera)).get("/api/v1/performance/leaderboard?period=2026-10")
    ).json()

    first = body["rows"][0]
    assert body["total"] == 2 and first["partner_id"] == partner_a
    assert first["revenue_amount"] == 500_000_00 and first["target_amount"] == 400_000_00
    assert first["rank"] == 1 and "revenue" in body["metrics"]


async def test_vera_changes_a_tier_threshold_and_the_advice_follows(
    as_user, partner_a, partner_b, vera
):
    from portal.partners.tables import Tier
    from portal.performance.tables import TierThreshold

    await _october(partner_a, partner_b)
    client = await as_user(vera)
    tiers = {t["code"]: t["id"] for t in await Tier.select(Tier.id, Tier.code)}
    form = {f"tier_{tid}": "0" for tid in tiers.values()}
    form[f"tier_{tiers['platinum']}"] = "1,800,000"  # 600,000 a month

    bad = await post_form(
        client, "/console/performance/thresholds", {**form, f"tier_{tiers['gold']}": "x"}
    )
    after_bad = await TierThreshold.count()
    saved = await post_form(client, "/console/performance/thresholds", form)
    page = (await client.get(f"/console/performance/partners/{partner_a}?period=2026-10")).text

    assert bad.status_code == 400 and after_bad == 0
    assert saved.status_code == 303 and await TierThreshold.count() == len(tiers)
    assert (
        "In October 2026: needed" in page and "¥100,000.00 more revenue to reach Platinum." in page
    )
    assert await AuditEntry.exists().where(AuditEntry.action == "performance.thresholds_changed")


def _revenue(page: str) -> str:
    return page.split('title="Open the orders behind this figure">')[1].split("<")[0]


async def test_the_scorecard_figure_follows_an_order_as_soon_as_its_event_lands(
    as_user, partner_a, partner_b, vera
):
    """The figure and the orders behind it agree without waiting for the hourly refresh: the
    order job that sends the status e-mail refreshes the partner's rollup first."""
    await _october(partner_a, partner_b)
    client = await as_user(vera)
    before = (await client.get(f"/console/performance/partners/{partner_a}?period=2026-10")).text
    order_id = await make_sale(partner_a, 1_234_00, dt.date(2026, 10, 25), number="SO-LATE-1")
    event = await OrderEvent.insert(
        OrderEvent(order=order_id, kind="approved", to_status="approved", at=clock.now())
    ).returning(OrderEvent.id)

    await notify_order_event({}, int(event[0]["id"]))

    after = (await client.get(f"/console/performance/partners/{partner_a}?period=2026-10")).text
    card = await views.scorecard(partner_a, Period.parse("2026-10"))
    orders = await Order.select(Order.total_amount).where(
        (Order.partner == partner_a) & Order.status.is_in(list(REVENUE_STATUSES))
    )
    assert card["revenue"] == sum(o["total_amount"] for o in orders)  # figure = rows behind it
    assert _revenue(after) != _revenue(before)
    assert "As of " in after


async def test_a_target_file_is_parsed_in_a_worker_thread_with_chinese_headers(
    as_user, partner_a, vera, monkeypatch
):
    from portal.partners.tables import Partner

    threads = []
    read_table = spreadsheets.read_table

    def recorded(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return read_table(*args, **kwargs)

    monkeypatch.setattr(spreadsheets, "read_table", recorded)
    code = (await Partner.select(Partner.code).where(Partner.id == partner_a).first())["code"]
    client = await as_user(vera)
    csv = f"伙伴编码,期间,目标\n{code},2026-Q4,1200000\n".encode("gb18030")

    response = await post_form(
        client,
        "/console/performance/targets/import",
        files={"file": ("targets.csv", csv, "text/csv")},
    )

    assert response.status_code == 303
    assert threads and threads[0] is not threading.main_thread()
    assert await PerformanceTarget.count() == 1


async def test_the_english_report_names_the_company_once_and_says_the_note_is_in_chinese(
    as_user, partner_a, vera
):
    """Issue 12 point 16: the English PDF's subtitle repeated the company name and kept the
    channel team's Chinese note without saying so."""
    import re

    from portal.performance import reports
    from portal.performance.periods import Period

    client = await as_user(vera)
    await post_form(
        client,
        f"/console/performance/partners/{partner_a}/note",
        {"period": "2026-10", "body": "继续加油！"},
    )

    english = await reports.report_html(partner_a, Period.parse("2026-10"), "en")
    chinese = await reports.report_html(partner_a, Period.parse("2026-10"), "zh_CN")

    cover = english[english.index('<section class="cover">') : english.index("</section>")]
    assert re.search(r"<h1>\s*Partner A\s*</h1>", cover) and cover.count("Partner A") == 1
    assert "As your channel team wrote it, in Chinese." in english and "继续加油！" in english
    assert "渠道团队撰写的原文" not in chinese and "继续加油！" in chinese
