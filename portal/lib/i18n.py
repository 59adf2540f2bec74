"""Languages: the current locale lives in a ContextVar set per request (or per job).

gettext callables are installed once in the shared Jinja environment and read the ContextVar, so
translations are never swapped globally per request. Catalogs are compiled by `make install`
(pybabel compile); a missing .mo is compiled in memory from the .po so a fresh checkout still works.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from decimal import Decimal
from functools import cache, lru_cache
from io import BytesIO
from typing import Any

from babel import Locale as BabelLocale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from portal.settings import LOCALES_DIR, SUPPORTED_LOCALES, get_settings

current_locale: ContextVar[str] = ContextVar("current_locale", default="zh_CN")

LANGUAGE_NAMES = {"zh_CN": "简体中文", "en": "English"}


def localized(row: Mapping[str, Any], field: str, locale: str | None = None) -> str:
    """The text of a bilingual column pair (`{field}_zh`, `{field}_en`) in `locale` (default: the
    current one), falling back to the other language: the one helper for every such pair."""
    zh, en = row.get(f"{field}_zh") or "", row.get(f"{field}_en") or ""
    return str((zh or en) if (locale or current_locale.get()).startswith("zh") else (en or zh))


@cache
def translations(locale: str) -> NullTranslations:
    """The compiled catalog for a locale (English is the source language)."""
    if locale == "en":
        return NullTranslations()
    folder = LOCALES_DIR / locale / "LC_MESSAGES"
    mo = folder / "messages.mo"
    po = folder / "messages.po"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return Translations(fh, domain="messages")
    if po.exists():
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=locale)
        buf = BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        return Translations(buf, domain="messages")
    return NullTranslations()


def gettext(message: str, **variables: object) -> str:
    text = translations(current_locale.get()).gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: object) -> str:
    text = translations(current_locale.get()).ngettext(singular, plural, n)
    variables.setdefault("num", n)
    return text % variables


_ = gettext


def N_(message: str) -> str:
    """Marks a string for extraction; it is translated later, where it is shown."""
    return message


def normalise(value: str | None) -> str | None:
    """Map 'zh', 'zh-CN', 'zh_Hans', 'en-US' ... to a supported locale, or None."""
    if not value:
        return None
    value = value.strip().replace("-", "_")
    lower = value.lower()
    if lower.startswith("zh"):
        return "zh_CN"
    if lower.startswith("en"):
        return "en"
    return None


def from_accept_language(header: str | None) -> str | None:
    """The best supported locale in an Accept-Language header, by q-value."""
    if not header:
        return None
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        piece = part.strip()
        if not piece:
            continue
        lang, _sep, params = piece.partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        locale = normalise(lang)
        if locale and q > 0:
            choices.append((-q, index, locale))
    return sorted(choices)[0][2] if choices else None


def pick_locale(user_locale: str | None, cookie: str | None, accept_language: str | None) -> str:
    """User preference, then the language cookie, then the browser, then the default."""
    for candidate in (
        normalise(user_locale),
        normalise(cookie),
        from_accept_language(accept_language),
    ):
        if candidate in SUPPORTED_LOCALES:
            return candidate
    return get_settings().default_locale


@contextlib.contextmanager
def use_locale(locale: str) -> Iterator[None]:
    """Run a block (an e-mail, a PDF, a job) in a given locale."""
    token = current_locale.set(normalise(locale) or get_settings().default_locale)
    try:
        yield
    finally:
        current_locale.reset(token)


@lru_cache(maxsize=8)
def _parsed_locale(name: str) -> BabelLocale:
    return BabelLocale.parse(name)


def _babel_locale() -> BabelLocale:
    return _parsed_locale(current_locale.get())


@lru_cache(maxsize=64)
def _money_shape(locale: str, currency: str) -> tuple[str, str, str, str, str] | None:
    """How Babel writes a positive and a negative amount in this locale and currency, reduced to
    (prefix, suffix, negative prefix, group symbol, decimal symbol); None when the pattern is not the
    plain "prefix #,##0.00 suffix" shape (then every call goes through Babel).

    Babel's format_currency costs ~20 µs a call; a prices page formats 100 amounts. The shape is
    probed once with Babel itself, so the fast path writes exactly what Babel would."""
    babel_locale = _parsed_locale(locale)
    if babel_numbers.get_currency_precision(currency) != 2:
        return None
    probe = babel_numbers.format_currency(Decimal("1234567.89"), currency, locale=babel_locale)
    negative = babel_numbers.format_currency(Decimal("-1234567.89"), currency, locale=babel_locale)
    group = babel_numbers.get_group_symbol(babel_locale)
    decimal = babel_numbers.get_decimal_symbol(babel_locale)
    body = f"1{group}234{group}567{decimal}89"
    if probe.count(body) != 1 or negative.count(body) != 1:
        return None
    prefix, suffix = probe.split(body)
    neg_prefix, neg_suffix = negative.split(body)
    if neg_suffix != suffix:
        return None
    return prefix, suffix, neg_prefix, group, decimal


def format_money(amount_minor: int | None, currency: str = "CNY") -> str:
    """Integer minor units to a localised amount: 123456 CNY -> ¥1,234.56 (exactly as Babel)."""
    if amount_minor is None:
        return ""
    minor = int(amount_minor)
    shape = _money_shape(current_locale.get(), currency)
    if shape is None:
        value = Decimal(minor).scaleb(-2)
        return babel_numbers.format_currency(value, currency, locale=_babel_locale())
    prefix, suffix, neg_prefix, group, decimal = shape
    whole, cents = divmod(abs(minor), 100)
    text = f"{whole:,}"
    if group != ",":
        text = text.replace(",", group)
    return f"{neg_prefix if minor < 0 else prefix}{text}{decimal}{cents:02d}{suffix}"


def format_number(value: int | Decimal | float | None, digits: int | None = None) -> str:
    if value is None:
        return ""
    if digits is None and type(value) is int and _plain_grouping(current_locale.get()):
        return f"{value:,}"  # same as Babel for zh_CN and en (checked once per locale)
    if digits is not None:
        return babel_numbers.format_decimal(
            value, format=f"#,##0.{'0' * digits}" if digits else "#,##0", locale=_babel_locale()
        )
    return babel_numbers.format_decimal(value, locale=_babel_locale())


@lru_cache(maxsize=8)
def _plain_grouping(locale: str) -> bool:
    """True when Babel writes integers with "," every three digits and "-" (as in zh_CN and en)."""
    babel_locale = _parsed_locale(locale)
    return babel_numbers.format_decimal(-1234567, locale=babel_locale) == "-1,234,567"


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def text_language(text: str) -> str:
    """The language a person wrote `text` in, as far as the portal's two go: Chinese as soon as
    it holds Chinese characters, English otherwise."""
    return "zh_CN" if _CJK.search(text or "") else "en"


def format_size(size: int | None) -> str:
    """A file size for people: bytes below 1 KB ("512 B", "512 字节"), then whole KB, then MB
    with one decimal (integer arithmetic: 1 KB = 1,024 bytes)."""
    if size is None:
        return ""
    if size < 1024:
        return gettext("%(n)s bytes", n=format_number(size)) if size != 1 else gettext("1 byte")
    if size < 1024 * 1024:  # KB and MB are written so in Chinese too
        return f"{format_number((size + 512) // 1024)} KB"
    tenths = (size * 10 + 512 * 1024) // (1024 * 1024)
    return f"{format_number(Decimal(tenths) / 10, digits=1)} MB"


def format_percent(value: Decimal | float | None, digits: int = 0) -> str:
    if value is None:
        return ""
    fmt = "#,##0%" if digits == 0 else f"#,##0.{'0' * digits}%"
    return babel_numbers.format_percent(value, format=fmt, locale=_babel_locale())


def to_local(value: dt.datetime) -> dt.datetime:
    tz = get_settings().tz
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(tz)


def format_date(value: dt.date | dt.datetime | None) -> str:
    """The one date format of the reader's language: "Dec 3, 2026", "2026年12月3日"."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = to_local(value).date()
    return babel_dates.format_date(value, format="medium", locale=_babel_locale())


def format_datetime(value: dt.datetime | None) -> str:
    """The one date-and-time format of the reader's language, in the portal's time zone, to the
    minute: "Dec 3, 2026, 3:11 PM", "2026年12月3日 15:11". Pages, SLA times, e-mails and PDFs
    all use it (there were two: with seconds, and a numeric "12/3/26, 3:11 PM")."""
    if value is None:
        return ""
    local = to_local(value)
    locale = _babel_locale()
    date_text = babel_dates.format_date(local.date(), format="medium", locale=locale)
    time_text = babel_dates.format_time(local, format="short", locale=locale)
    return str(locale.datetime_formats["medium"]).format(time_text, date_text)


def format_timedelta(value: dt.timedelta) -> str:
    return babel_dates.format_timedelta(value, locale=_babel_locale(), add_direction=True)
