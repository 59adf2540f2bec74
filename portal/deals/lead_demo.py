"""Demo leads: three routing rules, leads waiting for alice's company (华东智联, Shanghai), one
it accepted (ready to become a deal), one passed on by 岭南优品 to the next partner with
its reason, one that timed out, and one no rule places. Idempotent: skipped once rules exist."""

from __future__ import annotations

import datetime as dt

from portal.deals import lead_answers, lead_rules, leads
from portal.deals.demo import VENDOR, _actor
from portal.deals.lead_routing import route_leads
from portal.deals.lead_schemas import RuleForm
from portal.deals.lead_tables import Lead, LeadOffer, LeadRule
from portal.lib.clock import now
from portal.orders.tables import Category
from portal.partners.tables import Tier

# name, position, provinces, category code, kind, lowest tier code, same province
RULES = [
    ("华东经销商 East China dealers", 10, "SH,ZJ,JS,AH", "", "dealer", "", True),
    ("华南 South China", 20, "GD,GX,FJ,HI", "", "", "", True),
    ("北方与西部分销商 North and west distributors", 30, "BJ,TJ,HE,SD,SC,CQ", "", "distributor", "gold", False),
]  # fmt: skip
# company, contact, phone, province, city, product line, source, note
LEADS = [
    ("上海浦江物业管理有限公司", "刘经理", "021-6485 2210", "SH", "上海", "CAM", "website", "12 个小区的监控升级，预算约 60 万。"),
    ("上海临港智造园区发展有限公司", "孙工", "13801762233", "SH", "上海", "NET", "call_centre", "新园区网络，三期共 40 栋楼。"),
    ("上海静安国际学校", "Ms. Grace Lin", "13916620078", "SH", "上海", "ACS", "exhibition", "门禁考勤系统，暑假前完成。"),
    ("上海虹桥商务酒店", "黄总", "13761105566", "SH", "上海", "CAM", "website", ""),
]  # fmt: skip
ACCEPTED = (
    "上海徐汇口腔医院",
    "吴主任",
    "13611901234",
    "SH",
    "上海",
    "CAM",
    "website",
    "门诊楼 30 路摄像机。",
)
PASSED_ON = (
    "广州番禺制衣厂",
    "何厂长",
    "13922001188",
    "GD",
    "广州",
    "CAM",
    "call_centre",
    "厂区 80 路监控。",
)
TIMED_OUT = ("苏州吴中电子有限公司", "钱经理", "13862107788", "JS", "苏州", "ACS", "website", "")
NOWHERE = ("Singapore Marina Logistics Pte Ltd", "Mr. Tan", "+65 6222 8899", "INTL", "", "NET", "website", "Asks for a distributor in Singapore.")  # fmt: skip


def _data(spec: tuple[str, ...]) -> leads.LeadData:
    company, contact, phone, province, city, interest, source, note = spec
    return leads.LeadData(
        company=company,
        contact_name=contact,
        phone=phone,
        province=province,
        city=city,
        product_interest=interest,
        source=source,
        note=note,
    )


async def load_leads_demo() -> dict[str, int]:
    if await LeadRule.exists():
        return {"leads": 0}
    vendor = await _actor(VENDOR)
    alice = await _actor("alice@partner-a.demo")
    carol = await _actor("carol@partner-b.demo")
    if vendor is None or alice is None or carol is None:
        return {"leads": 0}
    categories = {c["code"]: c["id"] for c in await Category.select(Category.id, Category.code)}
    tiers = {t["code"]: t["id"] for t in await Tier.select(Tier.id, Tier.code)}
    for name, position, provinces, category, kind, tier, same in RULES:
        await lead_rules.save_rule(
            vendor,
            RuleForm(
                name=name,
                position=position,
                provinces=provinces,
                category_id=categories.get(category),
                partner_kind=kind,
                min_tier_id=tiers.get(tier),
                same_province=same,
                is_active=True,
            ),
        )
    if alice.partner_id is not None:
        await lead_rules.set_capacity(vendor, alice.partner_id, 15)
    specs = [*LEADS, ACCEPTED, PASSED_ON, TIMED_OUT, NOWHERE]
    known = {s[5] for s in specs} & set(categories)
    data = [_data(s) for s in specs]
    for d in data:
        if d.product_interest not in known:
            d.product_interest = ""
    ids = await leads.insert_leads(vendor, data, categories, via="demo")
    by_company = dict(zip([s[0] for s in specs], ids, strict=True))
    await route_leads(ids, actor=vendor)
    # alice's company took one lead (its page offers to register a deal for it)
    await lead_answers.accept_lead(alice, by_company[ACCEPTED[0]])
    # 岭南优品 passes the Guangzhou lead on; it goes to the other Guangdong partner
    passed = by_company[PASSED_ON[0]]
    row = await Lead.select(Lead.partner).where(Lead.id == passed).first()
    if row and row["partner"] == carol.partner_id:
        await lead_answers.decline_lead(carol, passed, "我们在番禺没有安装团队。")
    # the Suzhou lead was not answered in time and no other Jiangsu dealer is left
    late = now() - dt.timedelta(hours=1)
    await Lead.update({Lead.due_at: late}).where(Lead.id == by_company[TIMED_OUT[0]])
    await LeadOffer.update({LeadOffer.due_at: late}).where(
        LeadOffer.lead == by_company[TIMED_OUT[0]]
    )
    await lead_answers.expire_offers()
    return {"leads": len(ids)}
