"""Match keys of the conflict check, pure functions: one customer written many ways, one key.

"华东智联科技有限公司", "華東智聯 科技(有限公司)" is not promised (no traditional -> simplified
table), but full-width/half-width forms, case, spaces, punctuation and the legal-form suffixes
(有限公司, 股份有限公司, 有限责任公司, Co., Ltd., Inc., LLC ...) are: they fold to one key.
"""

from __future__ import annotations

import re
import unicodedata

# Longest first: "股份有限公司" must go before "有限公司" is tried.
CHINESE_SUFFIXES = ("股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "分公司", "公司")
# Whole words only, so that "Costco" keeps its "co".
ENGLISH_SUFFIXES = frozenset(
    {"co", "ltd", "limited", "inc", "llc", "corp", "corporation", "company", "gmbh", "plc"}
)
_DROP = re.compile(r"[\s\W_]+", re.UNICODE)
CREDIT_CODE_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")
# Public mail services say nothing about which company a contact works for.
PUBLIC_MAIL = frozenset(
    {
        "qq.com",
        "163.com",
        "126.com",
        "sina.com",
        "sohu.com",
        "yeah.net",
        "foxmail.com",
        "139.com",
        "aliyun.com",
        "gmail.com",
        "outlook.com",
        "hotmail.com",
        "yahoo.com",
        "icloud.com",
    }
)


def fold(text: str) -> str:
    """NFKC (full-width letters, digits and brackets become half-width), lower case."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def customer_key(name: str) -> str:
    """The name without case, width, spaces, punctuation or trailing legal-form suffixes."""
    words = [w for w in _DROP.split(fold(name)) if w]
    while len(words) > 1 and words[-1] in ENGLISH_SUFFIXES:
        words.pop()
    key = "".join(words)
    changed = True
    while changed:
        changed = False
        for suffix in CHINESE_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key = key[: -len(suffix)]
                changed = True
                break
    return key[:200]


def credit_code(code: str) -> str:
    """The 18-character unified social credit code, upper case without spaces ("" if none)."""
    return _DROP.sub("", fold(code)).upper()[:18]


def valid_credit_code(code: str) -> bool:
    return bool(CREDIT_CODE_RE.match(code))


def phone_key(phone: str) -> str:
    """Digits only, without +86 / 0086; "" for fewer than 7 digits (an extension is no match)."""
    digits = re.sub(r"\D", "", fold(phone))
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
            digits = digits[len(prefix) :]
    return digits[:40] if len(digits) >= 7 else ""


def email_domain(email: str) -> str:
    """The domain of a company address; "" for public mail services and malformed addresses."""
    address = fold(email).strip()
    if address.count("@") != 1:
        return ""
    domain = address.rsplit("@", 1)[1].strip(". ")
    if "." not in domain or domain in PUBLIC_MAIL:
        return ""
    return domain[:120]
