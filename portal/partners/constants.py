"""Partner kinds, statuses, application statuses and the provinces of mainland China."""

from enum import StrEnum


class PartnerKind(StrEnum):
    DEALER = "dealer"  # sells to end customers
    DISTRIBUTOR = "distributor"  # resells to dealers, buys in volume


class ApplicationStatus(StrEnum):
    PENDING = "pending"  # submitted through the public form
    APPROVED = "approved"  # vendor staff approved: a partner exists and its admin is invited
    DECLINED = "declined"  # vendor staff declined with a reason


# Tier codes of the default ladder (rank 1 is the top); vendors can rename them.
DEFAULT_TIERS = (
    ("platinum", "铂金", "Platinum", 1, 3_000_000_00),
    ("gold", "金牌", "Gold", 2, 1_200_000_00),
    ("silver", "银牌", "Silver", 3, 400_000_00),
    ("registered", "注册", "Registered", 4, 0),
)

# code -> (Chinese name, English name)
PROVINCES: dict[str, tuple[str, str]] = {
    "BJ": ("北京", "Beijing"),
    "TJ": ("天津", "Tianjin"),
    "HE": ("河北", "Hebei"),
    "SX": ("山西", "Shanxi"),
    "NM": ("内蒙古", "Inner Mongolia"),
    "LN": ("辽宁", "Liaoning"),
    "JL": ("吉林", "Jilin"),
    "HL": ("黑龙江", "Heilongjiang"),
    "SH": ("上海", "Shanghai"),
    "JS": ("江苏", "Jiangsu"),
    "ZJ": ("浙江", "Zhejiang"),
    "AH": ("安徽", "Anhui"),
    "FJ": ("福建", "Fujian"),
    "JX": ("江西", "Jiangxi"),
    "SD": ("山东", "Shandong"),
    "HA": ("河南", "Henan"),
    "HB": ("湖北", "Hubei"),
    "HN": ("湖南", "Hunan"),
    "GD": ("广东", "Guangdong"),
    "GX": ("广西", "Guangxi"),
    "HI": ("海南", "Hainan"),
    "CQ": ("重庆", "Chongqing"),
    "SC": ("四川", "Sichuan"),
    "GZ": ("贵州", "Guizhou"),
    "YN": ("云南", "Yunnan"),
    "XZ": ("西藏", "Tibet"),
    "SN": ("陕西", "Shaanxi"),
    "GS": ("甘肃", "Gansu"),
    "QH": ("青海", "Qinghai"),
    "NX": ("宁夏", "Ningxia"),
    "XJ": ("新疆", "Xinjiang"),
    "HK": ("香港", "Hong Kong"),
    "MO": ("澳门", "Macau"),
    "TW": ("台湾", "Taiwan"),
    "INTL": ("海外", "Outside China"),
}


def province_name(code: str, locale: str) -> str:
    """The province's name in the locale, or the code itself when unknown."""
    names = PROVINCES.get(code)
    if names is None:
        return code
    return names[0] if locale.startswith("zh") else names[1]
