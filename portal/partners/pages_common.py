"""Shared pieces of the partner controllers: access shorthands, choices, form reading."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.lib.forms import read_form, struct_values
from portal.lib.i18n import LANGUAGE_NAMES, current_locale
from portal.lib.i18n import gettext as _
from portal.lib.money import AmountError, minor_to_text, parse_amount
from portal.partners import access, services
from portal.partners.constants import PROVINCES, province_name
from portal.partners.schemas import (
    PartnerForm,
)

PUBLIC = {"access": Access.PUBLIC}
USER = {"access": Access.USER}
VENDOR = {"access": Access.VENDOR}
VENDOR_ADMIN = {"access": Access.VENDOR_ADMIN}
PARTNER = {"access": Access.PARTNER}
PARTNER_ADMIN = {"access": Access.PARTNER_ADMIN}

PER_PAGE = 25
FILTER_KEYS = ("q", "tier", "kind", "province", "status", "manager", "sort")


async def _partner_or_404(user: CurrentUser, partner_id: int) -> dict[str, Any]:
    return await access.get_partner_for_user(user, partner_id)


async def _options() -> dict[str, Any]:
    """Choices for partner selects, labelled in the current language."""
    locale = current_locale.get()
    tiers = await services.list_tiers()
    managers = await services.list_channel_managers()
    return {
        "tier_options": [(t["id"], services.tier_label(t)) for t in tiers],
        "tier_code_options": [(t["code"], services.tier_label(t)) for t in tiers],
        "manager_options": [(m["id"], m["name"]) for m in managers],
        "province_options": [(code, province_name(code, locale)) for code in PROVINCES],
        "province_names": {code: province_name(code, locale) for code in PROVINCES},
        "locale_options": list(LANGUAGE_NAMES.items()),
    }


def _read_partner_form(
    raw: Mapping[str, Any],
) -> tuple[dict[str, Any] | None, dict[str, str], dict[str, Any]]:
    """The full partner form as service data (credit limit typed in yuan, stored in fen)."""
    form, errors, values = read_form(PartnerForm, raw)
    try:
        credit = parse_amount(str(values.get("credit_limit") or "0"))
    except AmountError as exc:
        errors["credit_limit"] = _(str(exc))
    if form is None or errors:
        return None, errors, values
    data = struct_values(form)
    del data["credit_limit"]
    data["credit_limit_amount"] = credit
    data["kind"] = form.kind.value
    if data["joined_on"] is None:
        del data["joined_on"]  # new partners join today; an edit keeps the date
    return data, {}, values


def _partner_values(partner: dict[str, Any]) -> dict[str, Any]:
    """A partner row as the edit form shows it."""
    return {
        **partner,
        "tier_id": partner["tier"],
        "credit_limit": minor_to_text(partner["credit_limit_amount"]),
        "joined_on": partner["joined_on"].isoformat() if partner["joined_on"] else "",
        "tier_reason": "",
    }
