"""Demo data for `portal demo-data` (idempotent: existing rows are kept, missing ones added)."""

from __future__ import annotations

from typing import Any

from rich.progress import Progress

from portal.auth.constants import DEMO_PASSWORD, Role
from portal.auth.invitations import invite
from portal.auth.schemas import CurrentUser
from portal.auth.services import create_user
from portal.auth.tables import Invitation, User
from portal.communications.demo import load_communications_demo
from portal.customers.demo import load_customers_demo
from portal.deals.demo import load_deals_demo
from portal.deals.lead_demo import load_leads_demo
from portal.finance.demo import load_finance_demo
from portal.lib import clock
from portal.lib.clock import now
from portal.orders.demo import load_orders_demo
from portal.orders.demo_history import load_order_history_demo
from portal.partners.addresses import add_address
from portal.partners.schemas import AddressForm, NewPartner
from portal.partners.services import create_partner, ensure_default_tiers, save_notes
from portal.partners.tables import DeliveryAddress, Partner, PartnerApplication, Tier
from portal.performance.demo import load_performance_demo
from portal.support.demo import load_support_demo

VENDOR_USERS = [
    ("admin@vendor.demo", "王立新 Wang Lixin", Role.VENDOR_ADMIN),
    ("manager@vendor.demo", "陈思远 Chen Siyuan", Role.CHANNEL_MANAGER),
    ("manager2@vendor.demo", "Emily Zhou 周颖", Role.CHANNEL_MANAGER),
]

# key, name, English name, kind, tier, province, city, contact, phone, credit (yuan), manager, locale
PARTNERS: list[tuple[Any, ...]] = [
    (
        "A",
        "华东智联科技有限公司",
        "East China Smart-Link Technology Co., Ltd.",
        "dealer",
        "gold",
        "SH",
        "上海",
        "张爱丽",
        "021-6288 1024",
        800_000,
        "manager@vendor.demo",
        "zh_CN",
    ),
    (
        "B",
        "岭南优品贸易有限公司",
        "Lingnan Premium Trading Co., Ltd.",
        "distributor",
        "silver",
        "GD",
        "广州",
        "林嘉欣",
        "020-3887 5510",
        500_000,
        "manager2@vendor.demo",
        "zh_CN",
    ),
    (
        "C",
        "北京恒信达商贸有限公司",
        "Beijing Hengxinda Commerce Co., Ltd.",
        "distributor",
        "platinum",
        "BJ",
        "北京",
        "刘建国",
        "010-8456 2231",
        3_000_000,
        "manager@vendor.demo",
        "zh_CN",
    ),
    (
        "D",
        "苏州工业园区新锐电子",
        "Suzhou Xinrui Electronics",
        "dealer",
        "silver",
        "JS",
        "苏州",
        "周婷",
        "0512-6761 8890",
        300_000,
        "manager@vendor.demo",
        "zh_CN",
    ),
    (
        "E",
        "杭州云启数码有限公司",
        "Hangzhou Yunqi Digital Co., Ltd.",
        "dealer",
        "gold",
        "ZJ",
        "杭州",
        "吴浩",
        "0571-8712 3344",
        900_000,
        "manager@vendor.demo",
        "zh_CN",
    ),
    (
        "F",
        "成都天府伟业科技",
        "Chengdu Tianfu Weiye Technology",
        "distributor",
        "gold",
        "SC",
        "成都",
        "黄晓明",
        "028-8532 7766",
        1_500_000,
        "manager2@vendor.demo",
        "zh_CN",
    ),
    (
        "G",
        "武汉江城鼎盛贸易",
        "Wuhan Jiangcheng Dingsheng Trading",
        "dealer",
        "registered",
        "HB",
        "武汉",
        "郑丽",
        "027-8765 4321",
        100_000,
        "manager2@vendor.demo",
        "zh_CN",
    ),
    (
        "H",
        "Shenzhen Bay Solutions Ltd.",
        "Shenzhen Bay Solutions Ltd.",
        "dealer",
        "platinum",
        "GD",
        "深圳",
        "Kevin Lau",
        "0755-2660 1188",
        2_500_000,
        "manager2@vendor.demo",
        "en",
    ),
    (
        "I",
        "青岛海纳百川实业",
        "Qingdao Haina Industrial",
        "distributor",
        "silver",
        "SD",
        "青岛",
        "孙强",
        "0532-8088 6655",
        600_000,
        "manager@vendor.demo",
        "zh_CN",
    ),
    (
        "J",
        "西安古都联创信息技术",
        "Xi'an Gudu Lianchuang IT",
        "dealer",
        "registered",
        "SN",
        "西安",
        "马丽娟",
        "029-8833 2200",
        80_000,
        None,
        "zh_CN",
    ),
    (
        "K",
        "厦门鹭岛星辰贸易",
        "Xiamen Ludao Xingchen Trading",
        "dealer",
        "silver",
        "FJ",
        "厦门",
        "蔡志明",
        "0592-5566 7788",
        250_000,
        "manager2@vendor.demo",
        "zh_CN",
    ),
    (
        "L",
        "Harbin Northern Star Distribution",
        "Harbin Northern Star Distribution",
        "distributor",
        "registered",
        "HL",
        "哈尔滨",
        "Anna Petrova",
        "0451-8222 9090",
        150_000,
        None,
        "en",
    ),
    (
        "M",
        "长沙湘江汇通商贸",
        "Changsha Xiangjiang Huitong Commerce",
        "dealer",
        "gold",
        "HN",
        "长沙",
        "谭伟",
        "0731-8456 1212",
        700_000,
        "manager@vendor.demo",
        "zh_CN",
    ),
    (
        "N",
        "重庆山城锦程科技",
        "Chongqing Shancheng Jincheng Tech",
        "distributor",
        "registered",
        "CQ",
        "重庆",
        "何静",
        "023-6378 5050",
        120_000,
        "manager2@vendor.demo",
        "zh_CN",
    ),
]

PARTNER_USERS = [
    ("A", "alice@partner-a.demo", "Alice Zhang 张爱丽", Role.PARTNER_ADMIN, True, True),
    ("A", "bob@partner-a.demo", "Bob Li 李博", Role.PARTNER_MEMBER, True, False),
    ("B", "carol@partner-b.demo", "Carol Lin 林嘉欣", Role.PARTNER_ADMIN, True, True),
    ("B", "dave@partner-b.demo", "Dave Huang 黄大伟", Role.PARTNER_MEMBER, False, True),
]

APPLICATIONS = [
    (
        "南京金陵博远科技有限公司",
        "dealer",
        "JS",
        "南京",
        "钱博远",
        "qian@boyuan.example",
        "025-8456 0011",
        "我们在南京地区有十年的IT渠道经验,希望成为贵司授权经销商。",
    ),
    (
        "Kunming Spring Trading Co.",
        "distributor",
        "YN",
        "昆明",
        "Lily Yang",
        "lily@spring-trading.example",
        "0871-6333 2211",
        "We cover 40 dealers in Yunnan and would like to distribute your products.",
    ),
]


# the channel team's notes on the console partner page (written by the partner's manager)
DEMO_NOTES = {
    "A": (
        "manager@vendor.demo",
        "2026 年目标：铂金。老板张总重视展会，每季度一次上门拜访；付款准时，可适当提高信用额度。",
    ),
    "B": (
        "manager2@vendor.demo",
        "Distributor in Guangzhou; weekly call on Mondays. Ask about the Q1 stock plan "
        "before approving large orders.",
    ),
}


async def _demo_notes(partner_ids: dict[str, int]) -> None:
    """Notes on partners A and B, through the audited service (kept when already written)."""
    for key, (email, text) in DEMO_NOTES.items():
        partner = await Partner.select().where(Partner.id == partner_ids[key]).first()
        manager = await User.select().where(User.email == email).first()
        if partner is None or manager is None or partner["notes"]:
            continue
        actor = CurrentUser(
            id=manager["id"], email=manager["email"], name=manager["name"], role=manager["role"]
        )
        await save_notes(actor, partner, text)


# partner A's delivery address book (label, recipient, phone, address, default)
DEMO_ADDRESSES = [
    ("上海总仓", "王建国", "021-5080 1234", "上海市浦东新区张江路 88 号 3 号库", True),
    ("杭州门店", "陈静", "0571-8765 4321", "浙江省杭州市西湖区文三路 199 号", False),
]


async def _demo_addresses(partner_id: int) -> int:
    """Partner A's address book, added by its admin through the audited service (once)."""
    if await DeliveryAddress.exists().where(DeliveryAddress.partner == partner_id):
        return 0
    admin = await User.select().where(User.email == "alice@partner-a.demo").first()
    if admin is None:
        return 0
    actor = CurrentUser(
        id=admin["id"],
        email=admin["email"],
        name=admin["name"],
        role=admin["role"],
        partner_id=partner_id,
    )
    for label, recipient, phone, address, default in DEMO_ADDRESSES:
        await add_address(
            actor,
            AddressForm(
                label=label, recipient=recipient, phone=phone, address=address, is_default=default
            ),
        )
    return len(DEMO_ADDRESSES)


# inviter, invited e-mail, name, role: open invitations on the colleagues and staff pages
DEMO_INVITATIONS = [
    ("alice@partner-a.demo", "sun.xiao@partner-a.demo", "孙晓 Sun Xiao", Role.PARTNER_MEMBER),
    ("admin@vendor.demo", "li.na@vendor.demo", "李娜 Li Na", Role.CHANNEL_MANAGER),
]


async def _invitations() -> int:
    """The demo's open invitations, once (an address invited before is left alone)."""
    added = 0
    for inviter, email, name, role in DEMO_INVITATIONS:
        if await Invitation.exists().where(Invitation.email == email):
            continue
        row = (
            await User.select(User.id, User.email, User.name, User.role, User.partner)
            .where(User.email == inviter)
            .first()
        )
        if row is None:
            continue
        actor = CurrentUser(
            id=row["id"],
            email=row["email"],
            name=row["name"],
            role=row["role"],
            partner_id=row["partner"],
        )
        await invite(
            actor=actor,
            email=email,
            name=name,
            role=role,
            partner_id=row["partner"],
            locale="zh_CN",
        )
        added += 1
    return added


async def load_demo(progress: bool = False) -> dict[str, int]:
    """Create whatever of the demo set is missing; returns counts of what was created."""
    created = {"users": 0, "partners": 0, "applications": 0}
    await ensure_default_tiers()
    tiers = {t["code"]: t["id"] for t in await Tier.select(Tier.id, Tier.code)}
    steps = len(VENDOR_USERS) + len(PARTNERS) + len(PARTNER_USERS) + len(APPLICATIONS)
    with Progress(disable=not progress, transient=True) as bar:
        task = bar.add_task("Demo data", total=steps)
        user_ids: dict[str, int] = {}
        for email, name, role in VENDOR_USERS:
            existing = await User.select(User.id).where(User.email == email).first()
            if existing:
                user_ids[email] = existing["id"]
            else:
                user_ids[email] = await create_user(
                    email=email, name=name, password=DEMO_PASSWORD, role=role
                )
                created["users"] += 1
            bar.advance(task)
        partner_ids: dict[str, int] = {}
        today = clock.today()
        for index, (
            key,
            name,
            name_en,
            kind,
            tier,
            province,
            city,
            contact,
            phone,
            credit,
            manager,
            locale,
        ) in enumerate(PARTNERS):
            existing = await Partner.select(Partner.id).where(Partner.name == name).first()
            if existing:
                partner_ids[key] = existing["id"]
            else:
                partner_ids[key] = await create_partner(
                    None,
                    NewPartner(
                        name=name,
                        name_en=name_en,
                        kind=kind,
                        tier_id=tiers[tier],
                        province=province,
                        city=city,
                        address=f"{city}市示范路{88 + index}号",
                        contact_name=contact,
                        contact_phone=phone,
                        contact_email=f"contact@partner-{key.lower()}.demo",
                        credit_limit_amount=credit * 100,
                        channel_manager_id=user_ids.get(manager) if manager else None,
                        joined_on=today.replace(year=today.year - 2 - index % 4, day=1),
                        locale=locale,
                        tier_reason="Demo data",
                    ),
                )
                created["partners"] += 1
            bar.advance(task)
        for key, email, name, role, sales, purchasing in PARTNER_USERS:
            if not await User.exists().where(User.email == email):
                await create_user(
                    email=email,
                    name=name,
                    password=DEMO_PASSWORD,
                    role=role,
                    partner_id=partner_ids[key],
                    can_sales=sales,
                    can_purchasing=purchasing,
                )
                created["users"] += 1
            bar.advance(task)
        for company, kind, province, city, contact, email, phone, message in APPLICATIONS:
            if not await PartnerApplication.exists().where(
                PartnerApplication.company_name == company
            ):
                await PartnerApplication.insert(
                    PartnerApplication(
                        company_name=company,
                        kind=kind,
                        province=province,
                        city=city,
                        contact_name=contact,
                        contact_email=email,
                        contact_phone=phone,
                        message=message,
                        locale="zh_CN" if "@boyuan" in email else "en",
                        created_at=now(),
                    )
                )
                created["applications"] += 1
            bar.advance(task)

        await _demo_notes(partner_ids)
        created["addresses"] = await _demo_addresses(partner_ids["A"])

    created["invitations"] = await _invitations()  # open ones, to be revoked (asks first)

    created.update(await load_orders_demo())  # catalog, prices, stock, orders in every status

    created["orders"] += await load_order_history_demo()  # 24 months per demo partner
    created.update(await load_performance_demo())  # targets, weights, notes, rollups

    created.update(await load_support_demo())  # SLA settings, teams, articles, cases

    created.update(await load_customers_demo())  # customers, contact logs, follow-ups, segments

    created.update(await load_communications_demo())  # campaigns with material, a survey

    finance = await load_finance_demo()  # invoicing details, orders, receivables, payments
    created["orders"] += finance.pop("orders")
    created.update(finance)
    created.update(await load_deals_demo())  # deals in every stage, a conflict, one expiring
    created.update(await load_leads_demo())  # routing rules, leads waiting for partner A
    if progress:
        print(
            f"Demo data ready: {created['partners']} partners, {created['users']} users, "
            f"{created['applications']} applications, {created['products']} products, "
            f"{created['orders']} orders added. Every password is {DEMO_PASSWORD}."
        )
    return created
