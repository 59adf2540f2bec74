"""Roles, member permissions and route access levels."""

from enum import StrEnum


class Role(StrEnum):
    VENDOR_ADMIN = (
        "vendor_admin"  # vendor staff with every right; created by create-admin or invitation
    )
    CHANNEL_MANAGER = "channel_manager"  # vendor staff; manages the partners assigned to them
    PARTNER_ADMIN = (
        "partner_admin"  # partner staff; manages the partner's own users, has every permission
    )
    PARTNER_MEMBER = "partner_member"  # partner staff; rights come from the permissions below


VENDOR_ROLES = frozenset({Role.VENDOR_ADMIN, Role.CHANNEL_MANAGER})
PARTNER_ROLES = frozenset({Role.PARTNER_ADMIN, Role.PARTNER_MEMBER})


class Permission(StrEnum):
    SALES = "sales"  # end customers and contact log
    PURCHASING = "purchasing"  # prices, stock and orders


class Access(StrEnum):
    """What a route declares in opt={"access": ...}; the app-wide guard enforces it."""

    PUBLIC = "public"  # anyone, signed in or not
    USER = "user"  # any signed-in user
    VENDOR = "vendor"  # vendor_admin or channel_manager
    VENDOR_ADMIN = "vendor_admin"
    PARTNER = "partner"  # any user of an active partner
    PARTNER_ADMIN = "partner_admin"
    PARTNER_SALES = "partner:sales"
    PARTNER_PURCHASING = "partner:purchasing"


class Locale(StrEnum):
    ZH_CN = "zh_CN"
    EN = "en"


class PartnerStatus(StrEnum):
    """A partner's status. It lives in auth because signing in depends on it."""

    ACTIVE = "active"  # created on approval or by vendor staff; users can sign in
    SUSPENDED = "suspended"  # set by vendor staff; every session of its users ends


DEMO_PASSWORD = "demo12345"  # noqa: S105 (the documented password of every demo account)
