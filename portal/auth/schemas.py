"""The signed-in user as handlers and services see it, and the auth forms."""

from __future__ import annotations

import msgspec

from portal.auth.constants import PARTNER_ROLES, VENDOR_ROLES, Access, Permission, Role


class CurrentUser(msgspec.Struct, kw_only=True):
    """Who is making this request; built once per request from the session or API token."""

    id: int
    email: str
    name: str
    role: str
    partner_id: int | None = None
    partner_name: str = ""
    partner_status: str = ""
    can_sales: bool = False
    can_purchasing: bool = False
    locale: str = ""
    session_id: int | None = None  # None when signed in with an API token
    token_id: int | None = None
    ip: str = ""

    @property
    def is_vendor(self) -> bool:
        return self.role in VENDOR_ROLES

    @property
    def is_vendor_admin(self) -> bool:
        return self.role == Role.VENDOR_ADMIN

    @property
    def is_channel_manager(self) -> bool:
        return self.role == Role.CHANNEL_MANAGER

    @property
    def is_partner(self) -> bool:
        return self.role in PARTNER_ROLES and self.partner_id is not None

    @property
    def is_partner_admin(self) -> bool:
        return self.role == Role.PARTNER_ADMIN and self.partner_id is not None

    def has(self, permission: Permission | str) -> bool:
        """Partner admins hold every member permission."""
        if not self.is_partner:
            return False
        if self.is_partner_admin:
            return True
        if permission == Permission.SALES:
            return self.can_sales
        if permission == Permission.PURCHASING:
            return self.can_purchasing
        return False

    def allowed(self, access: Access | str) -> bool:
        """Whether this user passes a route's access declaration."""
        match access:
            case Access.PUBLIC | Access.USER:
                return True
            case Access.VENDOR:
                return self.is_vendor
            case Access.VENDOR_ADMIN:
                return self.is_vendor_admin
            case Access.PARTNER:
                return self.is_partner
            case Access.PARTNER_ADMIN:
                return self.is_partner_admin
            case Access.PARTNER_SALES:
                return self.has(Permission.SALES)
            case Access.PARTNER_PURCHASING:
                return self.has(Permission.PURCHASING)
        return False
