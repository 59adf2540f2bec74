"""Demo customers for partners A and B: realistic Chinese and English names, contact people, a
year of contacts across every channel, due and overdue follow-ups, some of A's and B's orders
linked to customers, and customers in every segment. Idempotent: a partner that already has
customers is left alone. Deterministic (seeded), so every demo looks the same."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from portal.auth.tables import User
from portal.customers.constants import Direction, Outcome, Segment, Source
from portal.customers.segmentation import REVENUE_STATUSES, recompute_segments
from portal.customers.tables import Customer, CustomerContact, Interaction
from portal.customers.values import name_key, phone_key, tags_text
from portal.db import write_transaction
from portal.lib.clock import now
from portal.lib.i18n import to_local
from portal.orders.tables import Order

COMPANIES_ZH = [
    ("上海星河智能科技有限公司", "智能制造", "上海", "上海"), ("杭州云帆信息技术有限公司", "软件", "浙江", "杭州"),
    ("苏州恒达精密机械有限公司", "机械制造", "江苏", "苏州"), ("南京博远物流有限公司", "物流", "江苏", "南京"),
    ("宁波海润贸易有限公司", "贸易", "浙江", "宁波"), ("无锡锦程电子有限公司", "电子", "江苏", "无锡"),
    ("合肥新视界安防工程有限公司", "安防工程", "安徽", "合肥"), ("上海东方明珠酒店管理有限公司", "酒店", "上海", "上海"),
    ("嘉兴绿源农业科技有限公司", "农业", "浙江", "嘉兴"), ("常州天宇建材有限公司", "建材", "江苏", "常州"),
    ("温州瑞丰鞋业有限公司", "制造业", "浙江", "温州"), ("上海仁济医疗器械有限公司", "医疗", "上海", "上海"),
    ("绍兴华纺纺织有限公司", "纺织", "浙江", "绍兴"), ("扬州明德学校", "教育", "江苏", "扬州"),
    ("南通中联建设集团", "建筑", "江苏", "南通"), ("上海浦江物业服务有限公司", "物业", "上海", "上海"),
    ("湖州万家超市连锁有限公司", "零售", "浙江", "湖州"), ("芜湖奇瑞汽配有限公司", "汽车零部件", "安徽", "芜湖"),
    ("金华义乌小商品城商户协会", "商贸", "浙江", "金华"), ("上海陆家嘴金融信息服务有限公司", "金融", "上海", "上海"),
    ("广州天河数码城有限公司", "电子", "广东", "广州"), ("深圳南山创客空间有限公司", "科技", "广东", "深圳"),
    ("佛山美的家居有限公司", "家居", "广东", "佛山"), ("东莞长安五金制品厂", "五金", "广东", "东莞"),
    ("珠海格力配套有限公司", "制造业", "广东", "珠海"), ("中山古镇灯饰有限公司", "灯饰", "广东", "中山"),
    ("上海申通地铁设备有限公司", "轨道交通", "上海", "上海"), ("杭州西湖文旅集团", "文旅", "浙江", "杭州"),
    ("苏州工业园区第三幼儿园", "教育", "江苏", "苏州"), ("宁波港口仓储有限公司", "仓储", "浙江", "宁波"),
    ("南京鼓楼医院后勤中心", "医疗", "江苏", "南京"), ("昆山精工模具有限公司", "模具", "江苏", "昆山"),
    ("上海静安写字楼管理有限公司", "物业", "上海", "上海"), ("台州吉利配件有限公司", "汽车零部件", "浙江", "台州"),
    ("安庆皖江化工有限公司", "化工", "安徽", "安庆"), ("舟山海洋渔业合作社", "渔业", "浙江", "舟山"),
]  # fmt: skip
COMPANIES_EN = [
    ("Harbour View Hotel Shanghai", "Hospitality", "上海", "上海"),
    ("Suzhou Industrial Park Logistics Ltd.", "Logistics", "江苏", "苏州"),
    ("Bright Future International School", "Education", "浙江", "杭州"),
    ("Pacific Rim Trading Co.", "Trade", "广东", "深圳"),
    ("Greenfield Foods (Shanghai) Co., Ltd.", "Food", "上海", "上海"),
    ("Nordic Design Studio Hangzhou", "Design", "浙江", "杭州"),
    ("Atlas Engineering Services", "Engineering", "江苏", "南京"),
    ("Lotus Medical Clinic", "Healthcare", "广东", "广州"),
]
PERSONS = [
    ("王建国", "上海"),
    ("李晓梅", "杭州"),
    ("David Chen", "苏州"),
    ("赵敏", "广州"),
    ("Sarah Wu", "深圳"),
]
CONTACTS = ["王经理", "李总", "张工", "刘主任", "陈采购", "杨助理", "黄总监", "周经理", "吴工", "Kevin Zhang",
            "Lily Wang", "Michael Liu", "孙经理", "马总", "朱工"]  # fmt: skip
TITLES = [
    "采购经理",
    "总经理",
    "IT 主管",
    "行政主任",
    "Procurement Manager",
    "工程部经理",
    "Facility Manager",
]
TAGS = ["VIP", "2026 展会", "政府项目", "连锁", "老客户", "需要报价", "技术型", "价格敏感"]
SUMMARIES = [
    ("phone", "电话沟通新一代摄像机方案，客户要求下周提供报价。"),
    ("phone", "Called about the router upgrade; they want a quote for 20 units."),
    ("wechat", "微信发送产品手册和案例，客户表示感兴趣。"),
    ("wechat", "WeChat: sent the installation guide, answered two questions on PoE."),
    ("visit", "上门拜访，查看现场布线情况，约定下次演示。"),
    ("visit", "On-site visit with the IT manager: surveyed the warehouse, agreed on a demo."),
    ("email", "邮件发送正式报价单及付款条款。"),
    ("email", "E-mail: sent the formal quote and delivery schedule."),
    ("chat", "在线咨询售后问题，已远程协助解决。"),
    ("exhibition", "展会上交换名片，对门禁系统有兴趣。"),
    ("other", "通过朋友介绍认识，初步了解需求。"),
    ("phone", "回访上次安装效果，客户满意，提到二期项目。"),
]
CHANNEL_WEIGHTS = {
    "phone": 35,
    "wechat": 30,
    "visit": 12,
    "email": 12,
    "chat": 5,
    "exhibition": 3,
    "other": 3,
}
# Profiles: the activity a demo customer gets, so every segment appears.
PROFILES = ["high", "high", "potential", "potential", "potential", "steady", "steady", "steady",
            "at_risk", "at_risk", "new", "new", "dormant", "dormant"]  # fmt: skip


def _phone(rnd: random.Random) -> str:
    return f"1{rnd.choice('3589')}{rnd.randint(0, 9)}{rnd.randint(1000, 9999)}{rnd.randint(1000, 9999)}"


async def _partner_users(email: str) -> tuple[int | None, list[int]]:
    row = await User.select(User.partner).where(User.email == email).first()
    if row is None or row["partner"] is None:
        return None, []
    users = await User.select(User.id).where(
        (User.partner == row["partner"])
        & ((User.can_sales == True) | (User.role == "partner_admin"))  # noqa: E712
        & (User.is_active == True)  # noqa: E712
    )
    return int(row["partner"]), sorted({int(u["id"]) for u in users})


async def load_customers_demo() -> dict[str, int]:
    """Customers, contacts and contact logs for demo partners A and B (idempotent)."""
    created = {"customers": 0, "interactions": 0}
    for seed, email, count in ((7, "alice@partner-a.demo", 48), (11, "carol@partner-b.demo", 30)):
        partner_id, users = await _partner_users(email)
        if partner_id is None or not users:
            continue
        if await Customer.exists().where(Customer.partner == partner_id):
            continue
        made = await _load_partner(random.Random(seed), partner_id, users, count)
        created["customers"] += made[0]
        created["interactions"] += made[1]
        await recompute_segments(partner_id=partner_id)
    return created


async def _load_partner(
    rnd: random.Random, partner_id: int, users: list[int], count: int
) -> tuple[int, int]:
    moment = now()
    today = to_local(moment).date()
    names = (
        [(n, "company", i, r, c) for n, i, r, c in COMPANIES_ZH]
        + [(n, "company", i, r, c) for n, i, r, c in COMPANIES_EN]
        + [(n, "person", "", "", c) for n, c in PERSONS]
    )
    rnd.shuffle(names)
    user_names = {
        r["id"]: r["name"]
        for r in await User.select(User.id, User.name).where(User.id.is_in(users))
    }
    customers: list[dict[str, Any]] = []
    interactions = 0
    async with write_transaction():
        for n, (name, kind, industry, region, city) in enumerate(names[:count]):
            profile = PROFILES[n % len(PROFILES)]
            age_days = {"new": rnd.randint(3, 60), "dormant": rnd.randint(500, 700)}.get(
                profile, rnd.randint(200, 720)
            )
            created_at = moment - dt.timedelta(days=age_days, hours=rnd.randint(0, 12))
            owner = users[n % len(users)]
            tags = rnd.sample(TAGS, rnd.choice([0, 1, 1, 2]))
            if profile == "high":
                tags = ["VIP", *[t for t in tags if t != "VIP"]]
            contact_name = name if kind == "person" else rnd.choice(CONTACTS)
            phone = _phone(rnd)
            email = f"contact{n}@{'example' if rnd.random() < 0.5 else 'customer'}.cn"
            inserted = await Customer.insert(
                Customer(
                    partner=partner_id,
                    kind=kind,
                    name=name,
                    name_key=name_key(name),
                    industry=industry,
                    size=rnd.choice(["", "micro", "small", "medium", "large"])
                    if kind == "company"
                    else "",
                    region=region,
                    city=city,
                    source=rnd.choice([s.value for s in Source]),
                    owner=owner,
                    tags=tags_text(tags),
                    notes=rnd.choice(
                        [
                            "",
                            "",
                            "偏好微信沟通。",
                            "Prefers e-mail; decisions by the GM.",
                            "付款及时。",
                        ]
                    ),
                    contact_name=contact_name,
                    contact_phone=phone,
                    contact_email=email,
                    segment=Segment.NEW,
                    created_at=created_at,
                    updated_at=created_at,
                )
            ).returning(Customer.id)
            customer_id = int(inserted[0]["id"])
            contacts = [
                CustomerContact(
                    customer=customer_id,
                    partner=partner_id,
                    name=contact_name,
                    title="" if kind == "person" else rnd.choice(TITLES),
                    phone=phone,
                    phone_key=phone_key(phone),
                    email=email,
                    wechat=f"wx_{rnd.randint(10000, 99999)}" if rnd.random() < 0.6 else "",
                    position=0,
                    created_at=created_at,
                )
            ]
            if kind == "company" and rnd.random() < 0.4:
                second = _phone(rnd)
                contacts.append(
                    CustomerContact(
                        customer=customer_id,
                        partner=partner_id,
                        name=rnd.choice(CONTACTS),
                        title=rnd.choice(TITLES),
                        phone=second,
                        phone_key=phone_key(second),
                        email="",
                        wechat="",
                        position=1,
                        created_at=created_at,
                    )
                )
            await CustomerContact.insert(*contacts)
            interactions += await _contacts(
                rnd, partner_id, customer_id, profile, created_at, users, user_names, today
            )
            customers.append({"id": customer_id, "name": name, "profile": profile})
        await _link_orders(partner_id, customers, moment)
    return len(customers), interactions


async def _contacts(
    rnd: random.Random,
    partner_id: int,
    customer_id: int,
    profile: str,
    created_at: dt.datetime,
    users: list[int],
    user_names: dict[int, str],
    today: dt.date,
) -> int:
    """A history of contacts fitting the profile; the last one may leave a follow-up open."""
    moment = now()
    if profile == "dormant":
        days = sorted(rnd.sample(range(380, 480), 3), reverse=True)
    elif profile == "at_risk":
        days = sorted(rnd.sample(range(200, 360), 3), reverse=True)
    elif profile == "new":
        age = max((moment - created_at).days, 2)
        days = sorted(rnd.sample(range(0, age), min(2, age)), reverse=True)
    elif profile == "steady":
        days = sorted(rnd.sample(range(190, 300), 3), reverse=True)
    elif profile == "potential":
        days = sorted(rnd.sample(range(1, 120), rnd.randint(4, 8)), reverse=True)
    else:  # high value: a contact every few weeks for a year
        days = sorted(rnd.sample(range(1, 360), rnd.randint(10, 16)), reverse=True)
    channels = list(CHANNEL_WEIGHTS)
    weights = list(CHANNEL_WEIGHTS.values())
    rows = []
    for number, back in enumerate(days):
        channel = rnd.choices(channels, weights)[0]
        text = rnd.choice([s for c, s in SUMMARIES if c == channel] or [SUMMARIES[0][1]])
        at = moment - dt.timedelta(days=back, hours=rnd.randint(1, 9), minutes=rnd.randint(0, 59))
        user = rnd.choice(users)
        followup: dt.date | None = None
        done: dt.datetime | None = None
        if rnd.random() < 0.5:
            later = [moment - dt.timedelta(days=b) for b in days[number + 1 :]]
            # closed by the next contact (mostly on time: the follow-up was planned for about
            # then), or still open (due, overdue or later) when it is the last contact
            done = later[0] if later else None
            planned = to_local(done).date() if done else to_local(at).date()
            followup = planned + dt.timedelta(days=rnd.choice([-3, 0, 1, 2, 3, 5]))
            followup = max(followup, to_local(at).date() + dt.timedelta(days=1))
        rows.append(
            Interaction(
                customer=customer_id,
                partner=partner_id,
                user=user,
                user_name=user_names.get(user, ""),
                channel=channel,
                direction=rnd.choice([Direction.OUTBOUND] * 3 + [Direction.INBOUND]),
                occurred_at=at,
                summary=text,
                outcome=rnd.choice([o.value for o in Outcome]),
                followup_on=followup,
                assignee=user if followup else None,
                followup_done_at=done,
                source="demo",
                created_at=at,
            )
        )
    # open follow-ups for the demo's home card: some overdue, some today, some this week
    if rows and profile in ("high", "potential", "new", "at_risk"):
        last = rows[-1]
        last.followup_on = today + dt.timedelta(days=rnd.choice([-4, -1, 0, 0, 2, 5]))
        last.assignee = last.user
        last.followup_done_at = None
    if rows:
        await Interaction.insert(*rows)
    open_dates = [r.followup_on for r in rows if r.followup_on and r.followup_done_at is None]
    await Customer.update(
        {
            Customer.interaction_count: len(rows),
            Customer.last_contact_at: max((r.occurred_at for r in rows), default=None),
            Customer.next_followup_on: min(open_dates, default=None),
        }
    ).where(Customer.id == customer_id)
    return len(rows)


async def _link_orders(
    partner_id: int, customers: list[dict[str, Any]], moment: dt.datetime
) -> None:
    """Attach some of the partner's orders to customers, by profile: recent large orders to high
    value, a few recent ones to potential and new, older ones to at risk and dormant."""

    orders = await (
        Order.select(Order.id, Order.total_amount, Order.decided_at)
        .where(
            (Order.partner == partner_id)
            & Order.end_customer_id.is_null()
            & Order.status.is_in(REVENUE_STATUSES)
            & Order.decided_at.is_not_null()
        )
        .order_by(Order.total_amount, ascending=False)
    )
    recent = [o for o in orders if o["decided_at"] > moment - dt.timedelta(days=150)]
    year = [
        o
        for o in orders
        if moment - dt.timedelta(days=365) < o["decided_at"] <= moment - dt.timedelta(days=190)
    ]
    old = [
        o
        for o in orders
        if moment - dt.timedelta(days=700) < o["decided_at"] <= moment - dt.timedelta(days=400)
    ]
    wanted = {
        "high": (recent, 5),
        "potential": (recent, 2),
        "steady": (year, 1),
        "at_risk": (old, 4),
        "new": (recent, 1),
    }
    for customer in customers:
        pool, n = wanted.get(customer["profile"], ([], 0))
        # high value takes the largest orders, the others the smallest
        take = 0 if customer["profile"] == "high" else -1
        picked = [pool.pop(take) for _ in range(min(n, len(pool)))]
        if customer["profile"] == "new" and picked:  # a first order only
            picked = picked[:1]
        for order in picked:
            await Order.update(
                {Order.end_customer_id: customer["id"], Order.end_customer_name: customer["name"]}
            ).where(Order.id == order["id"])
