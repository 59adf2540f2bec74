"""Partner forms (HTML), filters, and JSON API bodies."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec

from portal.auth.constants import Role
from portal.lib.inputs import ONE_LINE, Id
from portal.partners.constants import PartnerKind

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=ONE_LINE)]
Short = Annotated[str, msgspec.Meta(max_length=120)]


class PartnerForm(msgspec.Struct, kw_only=True):
    """Create/edit a partner in the console. credit_limit is typed in yuan, stored in fen."""

    name: Name
    name_en: Annotated[str, msgspec.Meta(max_length=200, pattern=ONE_LINE)] = ""
    kind: PartnerKind
    tier_id: Id
    province: Annotated[str, msgspec.Meta(min_length=1, max_length=10)]
    city: Annotated[str, msgspec.Meta(max_length=80)] = ""
    address: Annotated[str, msgspec.Meta(max_length=300)] = ""
    contact_name: Short = ""
    contact_phone: Annotated[str, msgspec.Meta(max_length=40)] = ""
    contact_email: Annotated[str, msgspec.Meta(max_length=254)] = ""
    credit_limit: Annotated[str, msgspec.Meta(max_length=30)] = "0"
    channel_manager_id: Id | None = None
    joined_on: dt.date | None = None
    locale: str = "zh_CN"
    notes: Annotated[str, msgspec.Meta(max_length=5000)] = ""
    tier_reason: Annotated[str, msgspec.Meta(max_length=500)] = ""


class NewPartner(msgspec.Struct, kw_only=True):
    """A partner to create, as services.create_partner takes it from the console, the API, an
    approved application and the demo (kind: a PartnerKind value; credit limit in minor units;
    no joining date: today)."""

    name: str
    kind: str
    tier_id: int
    province: str
    name_en: str = ""
    city: str = ""
    address: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    credit_limit_amount: int = 0
    channel_manager_id: int | None = None
    joined_on: dt.date | None = None
    locale: str = "zh_CN"
    notes: str = ""
    tier_reason: str = ""


class PartnerChanges(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """An edit of a partner as services.update_partner takes it from the console, the API and
    the tests: only the fields given (not UNSET) change; constructing it with a name that is no
    partner field fails at once (TypeError), never silently ignored."""

    name: str | msgspec.UnsetType = msgspec.UNSET
    name_en: str | msgspec.UnsetType = msgspec.UNSET
    kind: str | msgspec.UnsetType = msgspec.UNSET
    province: str | msgspec.UnsetType = msgspec.UNSET
    city: str | msgspec.UnsetType = msgspec.UNSET
    address: str | msgspec.UnsetType = msgspec.UNSET
    contact_name: str | msgspec.UnsetType = msgspec.UNSET
    contact_phone: str | msgspec.UnsetType = msgspec.UNSET
    contact_email: str | msgspec.UnsetType = msgspec.UNSET
    credit_limit_amount: int | msgspec.UnsetType = msgspec.UNSET
    channel_manager_id: int | msgspec.UnsetType | None = msgspec.UNSET
    locale: str | msgspec.UnsetType = msgspec.UNSET
    notes: str | msgspec.UnsetType = msgspec.UNSET
    joined_on: dt.date | msgspec.UnsetType | None = msgspec.UNSET
    tier_id: int | msgspec.UnsetType = msgspec.UNSET
    tier_reason: str | msgspec.UnsetType = msgspec.UNSET
    status: str | msgspec.UnsetType = msgspec.UNSET
    status_reason: str | msgspec.UnsetType = msgspec.UNSET

    def given(self) -> dict[str, Any]:
        """The fields given, by name."""
        return {
            name: getattr(self, name)
            for name in self.__struct_fields__
            if getattr(self, name) is not msgspec.UNSET
        }


class PartnerContactForm(msgspec.Struct, kw_only=True):
    """The part of a partner a channel manager may edit: where it is and whom to call."""

    city: Annotated[str, msgspec.Meta(max_length=80)] = ""
    address: Annotated[str, msgspec.Meta(max_length=300)] = ""
    contact_name: Short = ""
    contact_phone: Annotated[str, msgspec.Meta(max_length=40)] = ""
    contact_email: Annotated[str, msgspec.Meta(max_length=254)] = ""


class TierChangeForm(msgspec.Struct, kw_only=True):
    """Move a partner to another tier; the reason goes into the tier history."""

    tier_id: Id
    tier_reason: Annotated[str, msgspec.Meta(max_length=500)] = ""


class ReasonForm(msgspec.Struct, kw_only=True):
    """Suspend, re-activate or decline: a reason in words (the service says when it is required)."""

    reason: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class NotesForm(msgspec.Struct, kw_only=True):
    """The channel team's internal notes on a partner (the service checks the length)."""

    notes: str = ""


class InviteForm(msgspec.Struct, kw_only=True):
    """Invite a person by e-mail with a preset role (partner users or vendor staff)."""

    email: Annotated[str, msgspec.Meta(min_length=3, max_length=254)]
    name: Annotated[str, msgspec.Meta(max_length=120)] = ""
    role: Role
    can_sales: bool = False
    can_purchasing: bool = False


class MemberForm(msgspec.Struct, kw_only=True):
    """A partner admin changes a colleague's role, permissions or active flag."""

    role: Role
    can_sales: bool = False
    can_purchasing: bool = False
    is_active: bool = False


class StaffForm(msgspec.Struct, kw_only=True):
    """A vendor admin changes a staff member's role or active flag."""

    role: Role
    is_active: bool = False


class ApproveForm(msgspec.Struct, kw_only=True):
    """Approve an application: the new partner's tier and (optionally) its channel manager."""

    tier_id: Id
    channel_manager_id: Id | None = None


class ApplicationForm(msgspec.Struct, kw_only=True):
    """The public "Become a partner" form."""

    company_name: Name
    kind: PartnerKind
    province: Annotated[str, msgspec.Meta(min_length=1, max_length=10)]
    city: Annotated[str, msgspec.Meta(max_length=80)] = ""
    address: Annotated[str, msgspec.Meta(max_length=300)] = ""
    contact_name: Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
    contact_email: Annotated[str, msgspec.Meta(min_length=3, max_length=254)]
    contact_phone: Annotated[str, msgspec.Meta(max_length=40)] = ""
    website: Annotated[str, msgspec.Meta(max_length=200)] = ""
    message: Annotated[str, msgspec.Meta(max_length=5000)] = ""


class PartnerFilters(msgspec.Struct, kw_only=True):
    q: str = ""
    tier: str = ""
    kind: str = ""
    province: str = ""
    status: str = ""
    manager: int | None = None
    sort: str = "name"
    page: int = 1
    per_page: int = 25


class PartnerOut(msgspec.Struct, kw_only=True):
    """A partner in the JSON API; money in minor units (fen) with the currency."""

    id: int
    code: str
    name: str
    name_en: str
    kind: str
    tier: str
    province: str
    city: str
    address: str
    contact_name: str
    contact_phone: str
    contact_email: str
    credit_limit_amount: int
    currency: str
    channel_manager_id: int | None
    status: str
    joined_on: dt.date
    locale: str


class PartnerListOut(msgspec.Struct):
    items: list[PartnerOut]
    total: int
    page: int
    per_page: int


class PartnerCreateIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """POST /api/v1/partners. tier is a tier code (e.g. "gold"); credit limit in minor units."""

    name: Name
    kind: PartnerKind
    tier: Annotated[str, msgspec.Meta(min_length=1, max_length=30)]
    province: Annotated[str, msgspec.Meta(min_length=1, max_length=10)]
    name_en: Annotated[str, msgspec.Meta(max_length=200, pattern=ONE_LINE)] = ""
    city: Annotated[str, msgspec.Meta(max_length=80)] = ""
    address: Annotated[str, msgspec.Meta(max_length=300)] = ""
    contact_name: Short = ""
    contact_phone: Annotated[str, msgspec.Meta(max_length=40)] = ""
    contact_email: Annotated[str, msgspec.Meta(max_length=254)] = ""
    credit_limit_amount: Annotated[int, msgspec.Meta(ge=0, le=10**15)] = 0
    channel_manager_id: Id | None = None
    joined_on: dt.date | None = None
    locale: str = "zh_CN"


class PartnerPatchIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """PATCH /api/v1/partners/{id}: only the fields present change."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    name_en: Annotated[str, msgspec.Meta(max_length=200, pattern=ONE_LINE)] | msgspec.UnsetType = (
        msgspec.UNSET
    )
    kind: PartnerKind | msgspec.UnsetType = msgspec.UNSET
    tier: Annotated[str, msgspec.Meta(min_length=1, max_length=30)] | msgspec.UnsetType = (
        msgspec.UNSET
    )
    tier_reason: Annotated[str, msgspec.Meta(max_length=500)] | msgspec.UnsetType = msgspec.UNSET
    province: Annotated[str, msgspec.Meta(min_length=1, max_length=10)] | msgspec.UnsetType = (
        msgspec.UNSET
    )
    city: Annotated[str, msgspec.Meta(max_length=80)] | msgspec.UnsetType = msgspec.UNSET
    address: Annotated[str, msgspec.Meta(max_length=300)] | msgspec.UnsetType = msgspec.UNSET
    contact_name: Short | msgspec.UnsetType = msgspec.UNSET
    contact_phone: Annotated[str, msgspec.Meta(max_length=40)] | msgspec.UnsetType = msgspec.UNSET
    contact_email: Annotated[str, msgspec.Meta(max_length=254)] | msgspec.UnsetType = msgspec.UNSET
    credit_limit_amount: Annotated[int, msgspec.Meta(ge=0, le=10**15)] | msgspec.UnsetType = (
        msgspec.UNSET
    )
    channel_manager_id: Id | msgspec.UnsetType | None = msgspec.UNSET
    status: str | msgspec.UnsetType = msgspec.UNSET
    locale: str | msgspec.UnsetType = msgspec.UNSET


class AddressForm(msgspec.Struct, kw_only=True):
    """One address of the partner's address book (my company → delivery addresses)."""

    label: Annotated[str, msgspec.Meta(min_length=1, max_length=60, pattern=ONE_LINE)]
    address: Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
    recipient: Annotated[str, msgspec.Meta(max_length=120, pattern=ONE_LINE)] = ""
    phone: Annotated[str, msgspec.Meta(max_length=40, pattern=ONE_LINE)] = ""
    is_default: bool = False


class AddressOut(msgspec.Struct, kw_only=True):
    """GET /api/v1/delivery-addresses: pick one with delivery_address_id on POST /api/v1/orders."""

    id: int
    label: str
    recipient: str
    phone: str
    address: str
    is_default: bool
