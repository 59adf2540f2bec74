"""An end customer's response to a campaign (the public response form the partner passes on
with the campaign's material): checked here, then handed to the deals domain through
`hooks.campaign_lead`, which makes it a lead routed to a partner at once. Sending the same
response again makes no second lead (the provider answers the lead it already made)."""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from portal.communications.campaigns.constants import CampaignStatus
from portal.communications.campaigns.tables import Campaign
from portal.lib import hooks
from portal.lib.clock import today
from portal.lib.forms import EMAIL_RE, FormError
from portal.lib.i18n import gettext as _
from portal.partners.constants import PROVINCES
from portal.settings import get_settings
from portal.tenancy import NotFound


class ResponseForm(msgspec.Struct, kw_only=True):
    """What the end customer fills in; every field is checked by `respond`."""

    company: Annotated[str, Meta(max_length=200)] = ""
    contact_name: Annotated[str, Meta(max_length=120)] = ""
    phone: Annotated[str, Meta(max_length=40)] = ""
    email: Annotated[str, Meta(max_length=254)] = ""
    province: Annotated[str, Meta(max_length=10)] = ""
    city: Annotated[str, Meta(max_length=80)] = ""
    note: Annotated[str, Meta(max_length=2000)] = ""


def response_key(campaign_id: int) -> str:
    """The key in the campaign's response link: campaign ids run in sequence, so the link holds
    a keyed hash of the id (SECRET_KEY) and nobody posts leads to a campaign by counting."""
    return hmac.new(
        get_settings().secret_key.encode(),
        f"campaign-response:{campaign_id}".encode(),
        hashlib.sha256,
    ).hexdigest()[:20]


def response_path(campaign_id: int) -> str:
    """The public response form's path (the partner passes it on, with the base URL)."""
    return f"/campaigns/{campaign_id}/respond/{response_key(campaign_id)}"


def response_url(campaign: dict[str, Any]) -> str:
    """The response link to pass on for a campaign row, "" while it takes no responses."""
    if campaign.get("status") != CampaignStatus.PUBLISHED:
        return ""
    if campaign.get("ends_on") is not None and campaign["ends_on"] < today():
        return ""
    return get_settings().base_url.rstrip("/") + response_path(int(campaign["id"]))


async def open_campaign(campaign_id: int, key: str) -> dict[str, Any]:
    """A published campaign whose period has not ended (the ones taking responses), reached by
    its response link's key; NotFound for any other id or key, so a draft or archived campaign
    and a guessed link look like none."""
    if not hmac.compare_digest(response_key(campaign_id), key.lower()):
        raise NotFound
    # only the id and the period: the campaign's text is for partners, never shown publicly
    row = await (
        Campaign.select(Campaign.id, Campaign.ends_on)
        .where((Campaign.id == campaign_id) & (Campaign.status == CampaignStatus.PUBLISHED))
        .first()
    )
    if row is None or (row["ends_on"] is not None and row["ends_on"] < today()):
        raise NotFound
    return row


def check_response(form: ResponseForm) -> None:
    """FormError beside the fields for a response that cannot become a lead."""
    errors: dict[str, str] = {}
    for name in ("company", "contact_name"):
        if not getattr(form, name).strip():
            errors[name] = _("This field is required.")
    if not form.phone.strip() and not form.email.strip():
        errors["phone"] = _("Give a phone number or an e-mail address.")
    if form.email.strip() and not EMAIL_RE.match(form.email.strip()):
        errors["email"] = _("Enter a valid e-mail address.")
    if form.province not in PROVINCES:
        errors["province"] = _("Choose a province.")
    if errors:
        raise FormError(errors)


async def respond(campaign_id: int, key: str, form: ResponseForm) -> int:
    """The response as a lead; its id. FormError beside the fields for a response that cannot
    become a lead; NotFound for a campaign not taking responses."""
    await open_campaign(campaign_id, key)
    check_response(form)
    lead_id = await hooks.campaign_lead(campaign_id, msgspec.structs.asdict(form))
    if lead_id is None:
        raise FormError({"": _("Please correct the fields marked below.")})
    return int(lead_id)
