"""Navigation entries per role; each domain adds its own here (label msgid, path, access)."""

from __future__ import annotations

from dataclasses import dataclass

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.lib.i18n import N_
from portal.lib.i18n import gettext as _


@dataclass(frozen=True)
class NavItem:
    label: str  # English msgid, translated when rendered
    path: str
    access: Access
    section: str = "main"  # "main" or "admin"


NAV: list[NavItem] = [
    NavItem(N_("Home"), "/", Access.USER),
    # vendor console
    NavItem(N_("Partners"), "/console/partners", Access.VENDOR),
    NavItem(N_("Applications"), "/console/applications", Access.VENDOR),
    NavItem(N_("Orders"), "/console/orders", Access.VENDOR),
    NavItem(N_("Catalog & stock"), "/console/catalog", Access.VENDOR),
    NavItem(N_("Customer activity"), "/console/customers", Access.VENDOR),
    NavItem(N_("Performance"), "/console/performance", Access.VENDOR),
    NavItem(N_("Campaigns"), "/console/campaigns", Access.VENDOR),
    NavItem(N_("Feedback requests"), "/console/feedback", Access.VENDOR),
    NavItem(N_("Deal registrations"), "/console/deals", Access.VENDOR),
    NavItem(N_("Leads"), "/console/leads", Access.VENDOR),
    NavItem(N_("Support cases"), "/console/cases", Access.VENDOR),
    NavItem(N_("Knowledge base"), "/console/kb", Access.VENDOR),
    NavItem(N_("Receivables"), "/console/finance", Access.VENDOR),
    NavItem(N_("Statements"), "/console/finance/statements", Access.VENDOR),
    NavItem(N_("Report deliveries"), "/console/performance/deliveries", Access.VENDOR, "admin"),
    NavItem(N_("Vendor staff"), "/console/staff", Access.VENDOR_ADMIN, "admin"),
    NavItem(N_("Audit log"), "/console/audit", Access.VENDOR_ADMIN, "admin"),
    NavItem(N_("Outgoing e-mail"), "/console/emails", Access.VENDOR_ADMIN, "admin"),
    NavItem(N_("Support settings"), "/console/support/settings", Access.VENDOR_ADMIN, "admin"),
    # partner side
    NavItem(N_("Prices & stock"), "/catalog", Access.PARTNER_PURCHASING),
    NavItem(N_("Orders"), "/orders", Access.PARTNER_PURCHASING),
    NavItem(N_("Money & credit"), "/money", Access.PARTNER_PURCHASING),
    NavItem(N_("Customers"), "/customers", Access.PARTNER_SALES),
    NavItem(N_("Follow-ups"), "/customers/followups", Access.PARTNER_SALES),
    NavItem(N_("Deals"), "/deals", Access.PARTNER_SALES),
    NavItem(N_("Leads"), "/leads", Access.PARTNER_SALES),
    NavItem(N_("My performance"), "/performance", Access.PARTNER),
    NavItem(N_("Campaigns"), "/campaigns", Access.PARTNER),
    NavItem(N_("Feedback"), "/feedback", Access.PARTNER),
    NavItem(N_("Support cases"), "/cases", Access.PARTNER),
    NavItem(N_("Knowledge base"), "/kb", Access.PARTNER),
    NavItem(N_("My company"), "/my-company", Access.PARTNER),
    NavItem(N_("Colleagues"), "/my-company/users", Access.PARTNER_ADMIN),
]


def nav_for(user: CurrentUser | None, current_path: str = "/") -> list[dict[str, object]]:
    """The entries this user may open, translated, with the active one marked."""
    if user is None:
        return []
    items = []
    for item in NAV:
        if not user.allowed(item.access):
            continue
        active = (
            current_path == item.path
            if item.path == "/"
            else (current_path == item.path or current_path.startswith(item.path + "/"))
        )
        items.append(
            {"label": _(item.label), "path": item.path, "section": item.section, "active": active}
        )
    # the most specific match wins (e.g. /my-company/users over /my-company)
    actives = [i for i in items if i["active"]]
    if len(actives) > 1:
        best = max(actives, key=lambda i: len(str(i["path"])))
        for i in items:
            i["active"] = i is best
    return items
