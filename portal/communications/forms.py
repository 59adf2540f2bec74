"""Vendor console form helpers: audience read/shown by code, schedule time in portal tz."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.auth.constants import Access
from portal.communications import audience as audience_rules
from portal.communications.constants import (
    AUDIENCE_LABELS,
    Audience,
)
from portal.communications.schemas import (
    ScheduleForm,
)
from portal.lib.forms import read_form
from portal.lib.i18n import current_locale
from portal.lib.i18n import gettext as _
from portal.partners.constants import PROVINCES, PartnerKind, province_name
from portal.partners.services import list_tiers, partner_codes, partner_ids_by_code
from portal.settings import get_settings

VENDOR = {"access": Access.VENDOR}
ADMIN = {"access": Access.VENDOR_ADMIN}
PER_PAGE = 30
AUDIENCE_FIELDS = {
    Audience.TIER: "tiers",
    Audience.KIND: "kinds",
    Audience.REGION: "regions",
    Audience.PARTNERS: "partner_codes",
}


async def audience_options() -> dict[str, Any]:
    """Choices for the audience fields, in the page's language."""

    zh = current_locale.get() == "zh_CN"
    tiers = await list_tiers()
    return {
        "audiences": [(a.value, _(AUDIENCE_LABELS[a])) for a in Audience],
        "tier_options": [(t["code"], t["name_zh"] if zh else t["name_en"]) for t in tiers],
        "kind_options": [
            (PartnerKind.DEALER.value, _("Dealer")),
            (PartnerKind.DISTRIBUTOR.value, _("Distributor")),
        ],
        "region_options": [(code, province_name(code, current_locale.get())) for code in PROVINCES],
    }


async def _codes_to_ids(raw: str) -> tuple[list[str], list[str]]:
    """Partner codes typed by the user -> (ids, unknown codes)."""

    codes = [
        c.strip().upper() for c in raw.replace(",", " ").replace("，", " ").split() if c.strip()
    ]
    if not codes:
        return [], []
    found = {code: str(i) for code, i in (await partner_ids_by_code(codes)).items()}
    return [found[c] for c in codes if c in found], [c for c in codes if c not in found]


async def _ids_to_codes(ids: list[str]) -> str:
    if not ids:
        return ""
    return " ".join(await partner_codes([int(i) for i in ids]))


async def read_audience(data: Any) -> tuple[str, list[str], dict[str, str], dict[str, Any]]:
    """(audience, values, errors, values for re-display) from the audience fields of a form."""
    audience = str(data.get("audience") or Audience.ALL)
    display: dict[str, Any] = {
        "audience": audience,
        "tiers": list(data.getall("tiers", [])),
        "kinds": list(data.getall("kinds", [])),
        "regions": list(data.getall("regions", [])),
        "partner_codes": str(data.get("partner_codes") or ""),
    }
    errors: dict[str, str] = {}
    if audience == Audience.PARTNERS:
        values, unknown = await _codes_to_ids(display["partner_codes"])
        if unknown:
            errors["audience_values"] = _(
                "Unknown partner codes: %(codes)s", codes=", ".join(unknown)
            )
    else:
        field = AUDIENCE_FIELDS.get(audience)  # type: ignore[call-overload]
        values = [str(v) for v in display.get(field, [])] if field else []
    return audience, values, errors, display


async def audience_display(row: dict[str, Any]) -> dict[str, Any]:
    """A stored audience as the form shows it."""
    values = audience_rules.parse_values(row["audience_values"])
    out: dict[str, Any] = {"audience": row["audience"], "tiers": [], "kinds": [], "regions": []}
    if row["audience"] == Audience.PARTNERS:
        out["partner_codes"] = await _ids_to_codes(values)
    elif row["audience"] in AUDIENCE_FIELDS:
        out[AUDIENCE_FIELDS[Audience(row["audience"])]] = values
    return out


async def describe_audience(row: dict[str, Any]) -> str:
    """The audience in words: "Partners in some tiers: Gold, Silver"."""
    label = _(AUDIENCE_LABELS.get(Audience(row["audience"]), row["audience"]))
    values = audience_rules.parse_values(row["audience_values"])
    if row["audience"] == Audience.ALL or not values:
        return label
    options = await audience_options()
    names: dict[str, str] = {
        Audience.TIER: dict(options["tier_options"]),
        Audience.KIND: dict(options["kind_options"]),
        Audience.REGION: dict(options["region_options"]),
    }.get(Audience(row["audience"]), {})
    if row["audience"] == Audience.PARTNERS:
        shown = (await _ids_to_codes(values)).split()
    else:
        shown = [names.get(v, v) for v in values]
    return f"{label}: {', '.join(shown)}"


async def form_data(data: Any) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    audience, values, errors, display = await read_audience(data)
    plain = {k: data.get(k) for k in data}
    plain["audience"] = audience
    plain["audience_values"] = values
    return plain, errors, display


def parse_schedule(data: Any) -> tuple[dt.datetime | None, dict[str, str]]:
    """'now' or a local date and time -> UTC datetime (None = now)."""
    if data.get("when") != "later":
        return None, {}
    form, errors, _values = read_form(ScheduleForm, data)
    if form is None:
        return None, errors
    hour, minute = (int(p) for p in form.publish_time.split(":"))
    if hour > 23 or minute > 59:
        return None, {"publish_time": _("Enter a time as HH:MM.")}
    local = dt.datetime.combine(form.publish_on, dt.time(hour, minute), tzinfo=get_settings().tz)
    return local.astimezone(dt.UTC), {}
