"""Demo knowledge base for `portal demo-data`: categories and a dozen articles in Chinese and
English (portal/support/demo.py loads them; skipped when articles exist)."""

from __future__ import annotations

from portal.auth.schemas import CurrentUser
from portal.support import kb
from portal.support.schemas import ArticleForm
from portal.support.tables import KbArticle, KbCategory

KB_CATEGORIES = [
    ("SETUP", "安装与配置", "Installation and setup", 1),
    ("TROUBLE", "故障排查", "Troubleshooting", 2),
    ("ORDER", "订单与物流", "Orders and delivery", 3),
    ("BILLING", "发票与结算", "Invoices and billing", 4),
    ("WARRANTY", "质保与退换", "Warranty and returns", 5),
]

# (category, title_zh, title_en, body_zh, body_en, keywords)
ARTICLES: list[tuple[str, str, str, str, str, str]] = [
    (
        "SETUP",
        "如何将网络摄像机恢复出厂设置",
        "How to reset an IP camera to factory settings",
        "1. 保持摄像机通电。\n2. 用针按住复位孔 15 秒，直到指示灯闪烁。\n3. 等待约 2 分钟重启，默认地址为 192.168.1.64，首次登录需设置新密码。\n注意：复位会清除所有配置，请提前导出配置文件。",
        "1. Keep the camera powered.\n2. Press and hold the reset pin for 15 seconds until the LED blinks.\n3. Wait about 2 minutes for the restart; the default address is 192.168.1.64 and you must set a new password on first login.\nNote: a reset clears every setting, so export the configuration first.",
        "reset 复位 password 密码 factory",
    ),
    (
        "SETUP",
        "录像机添加摄像机的三种方式",
        "Three ways to add cameras to an NVR",
        "在录像机“通道管理”中可：① 一键添加同网段设备；② 手动输入 IP、端口和密码；③ 使用 PoE 口即插即用。若显示“离线”，请检查密码与协议（私有协议/ONVIF）。",
        "In the NVR's channel management you can: 1) add every device on the subnet with one click; 2) enter IP, port and password by hand; 3) plug cameras into the PoE ports. If a channel shows offline, check the password and the protocol (private or ONVIF).",
        "NVR 录像机 channel 通道 ONVIF offline 离线",
    ),
    (
        "TROUBLE",
        "摄像机夜间频繁掉线怎么办",
        "Camera drops offline at night",
        "夜间开启红外后功耗上升，常见原因是 PoE 供电不足或网线过长。请确认交换机 PoE 预算、网线不超过 100 米，并在摄像机“节能模式”中关闭“夜间降频”。",
        "At night the infrared LEDs raise the power draw; the usual causes are an insufficient PoE budget or a cable that is too long. Check the switch's PoE budget, keep cables under 100 m, and disable 'night down-clocking' in the camera's energy saving mode.",
        "offline 掉线 night 夜间 PoE power 供电",
    ),
    (
        "TROUBLE",
        "升级固件失败的处理",
        "A firmware upgrade fails",
        "请使用与型号完全一致的固件包，升级时不要断电。若进度停在 80%，请通过 TFTP 恢复：将电脑地址设为 192.168.1.128，运行 TFTP 工具后给设备重新上电。",
        "Use the firmware package for the exact model and never cut the power during an upgrade. If progress stops at 80 %, recover through TFTP: set the PC to 192.168.1.128, start the TFTP tool and power-cycle the device.",
        "firmware 固件 upgrade 升级 TFTP",
    ),
    (
        "TROUBLE",
        "门禁一体机无法识别人脸",
        "Access terminal does not recognise faces",
        "检查安装高度（1.4–1.6 米）、避免逆光；在人脸库中重新采集照片，照片需正脸、无遮挡。仍无法识别时请导出日志并开工单。",
        "Check the mounting height (1.4-1.6 m) and avoid back light; re-enrol the photo in the face library (frontal, unobstructed). If recognition still fails, export the log and open a case.",
        "face 人脸 access 门禁 recognition 识别",
    ),
    (
        "ORDER",
        "订单发货时间与物流查询",
        "When orders ship and how to track them",
        "审批通过的订单在 2 个工作日内出库。发货后订单详情页会显示承运商和运单号，也可在“我的订单”中查看物流状态。",
        "Approved orders leave the warehouse within 2 working days. After shipment the order page shows the carrier and tracking number; you can also follow the status under 'My orders'.",
        "shipping 发货 tracking 物流 运单 delivery",
    ),
    (
        "ORDER",
        "到货破损或少件如何处理",
        "Damaged or missing items on delivery",
        "请在签收后 48 小时内拍照（外箱、面单、破损处）并开“订单/物流”类工单，关联对应订单。我们会在 1 个工作日内安排补发或退货。",
        "Within 48 hours of delivery, take photos (outer box, label, damage) and open an 'Order / delivery' case linked to the order. We arrange a replacement or a return within one working day.",
        "damaged 破损 missing 少件 delivery 到货",
    ),
    (
        "BILLING",
        "发票开具时间与抬头修改",
        "When invoices are issued and changing the invoice title",
        "增值税专用发票在每月 5 日前开具上月已发货订单。如需修改抬头或税号，请在 3 日前开“发票与结算”类工单。",
        "VAT invoices for last month's shipped orders are issued before the 5th of each month. To change the invoice title or tax number, open a 'Billing' case before the 3rd.",
        "invoice 发票 tax 税号 title 抬头",
    ),
    (
        "BILLING",
        "信用额度与付款周期",
        "Credit limit and payment terms",
        "信用额度按合作伙伴等级核定，下单时占用、收款后释放。付款周期一般为月结 30 天，逾期会暂停新订单审批。",
        "The credit limit depends on the partner tier; orders use it and payments release it. Terms are usually 30 days end of month; overdue amounts pause the approval of new orders.",
        "credit 信用 额度 payment 付款",
    ),
    (
        "WARRANTY",
        "产品质保政策",
        "Product warranty policy",
        "摄像机与录像机整机质保 3 年，硬盘与配件 1 年。质保期内非人为损坏免费维修或更换，请提供序列号与故障描述。",
        "Cameras and recorders carry a 3-year warranty, hard disks and accessories 1 year. Within warranty, failures not caused by misuse are repaired or replaced free of charge; give the serial number and a description of the fault.",
        "warranty 质保 repair 维修 RMA serial 序列号",
    ),
    (
        "WARRANTY",
        "如何申请返修（RMA）",
        "How to request a repair (RMA)",
        "开“质量投诉”类工单并注明序列号、故障现象和照片。审核通过后我们会发送返修单号，请将设备寄往上海中心仓，外箱注明返修单号。",
        "Open a 'Quality complaint' case with the serial number, the symptoms and photos. Once approved we send an RMA number; ship the device to the Shanghai central warehouse with the RMA number on the box.",
        "RMA 返修 repair quality 质量",
    ),
    (
        "SETUP",
        "交换机 PoE 预算计算方法",
        "Working out a switch's PoE budget",
        "将所有受电设备的最大功耗相加，再预留 20% 余量。例如 8 台 6.5W 红外摄像机需要约 63W，建议选用 PoE 预算不低于 65W 的交换机。",
        "Add up the maximum power draw of every powered device and keep 20 % headroom. Eight 6.5 W infrared cameras need about 63 W, so choose a switch with a PoE budget of at least 65 W.",
        "PoE budget 预算 switch 交换机 power 功耗",
    ),
]


async def load_articles(admin: CurrentUser | None) -> int:
    """The categories and published articles, written by `admin` (none without one)."""
    if await KbArticle.exists():
        return 0
    codes = {
        r["code"]: int(r["id"]) for r in await KbCategory.select(KbCategory.id, KbCategory.code)
    }
    for code, zh, en, position in KB_CATEGORIES:
        if code in codes:
            continue
        rows = await KbCategory.insert(
            KbCategory(code=code, name_zh=zh, name_en=en, position=position)
        ).returning(KbCategory.id)
        codes[code] = int(rows[0]["id"])
    if admin is None:
        return 0
    for category, title_zh, title_en, body_zh, body_en, keywords in ARTICLES:
        await kb.save_article(
            admin,
            ArticleForm(
                title_zh=title_zh,
                title_en=title_en,
                body_zh=body_zh,
                body_en=body_en,
                keywords=keywords,
                category_id=codes[category],
                status="published",  # type: ignore[arg-type]
            ),
        )
    return len(ARTICLES)
