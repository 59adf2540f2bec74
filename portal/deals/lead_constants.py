"""Lead statuses, offer outcomes, sources, routing defaults (线索分发)."""

from __future__ import annotations

from enum import StrEnum

from portal.lib.i18n import N_

NUMBER_PREFIX = "LD"  # LD-2026-000123: the year the lead came in, then its row id
DEFAULT_CAPACITY = 10  # open leads a partner holds at once unless the vendor sets another number
MAX_CAPACITY = 10_000
ROUTE_BATCH = 5_000  # leads read per routing pass
MAX_REASON = 1_000


class LeadStatus(StrEnum):
    NEW = "new"  # came in, not (or no longer) offered to a partner: waits for routing
    OFFERED = "offered"  # offered to one partner, waiting for its answer until due_at
    ACCEPTED = "accepted"  # the partner took it: it is one of the partner's customers
    DECLINED = "declined"  # every eligible partner declined it (the vendor decides what next)
    EXPIRED = "expired"  # the last eligible partner let it time out
    CONVERTED = "converted"  # the partner registered a deal for it


# Leads a partner is working on: what its capacity counts.
OPEN = (LeadStatus.OFFERED, LeadStatus.ACCEPTED)
# Leads the vendor may send to routing again (by hand, from the console).
REROUTABLE = (LeadStatus.NEW, LeadStatus.DECLINED, LeadStatus.EXPIRED)


class Outcome(StrEnum):
    OPEN = ""  # still waiting for the partner
    ACCEPTED = "accepted"
    DECLINED = "declined"
    TIMED_OUT = "timed_out"


class LeadSource(StrEnum):
    CONSOLE = "console"  # typed in by vendor staff
    IMPORT = "import"  # a CSV/XLSX file imported in the console
    API = "api"  # POST /api/v1/leads (the vendor's website form, a call centre)
    WEBSITE = "website"
    CALL_CENTRE = "call_centre"
    EXHIBITION = "exhibition"
    CAMPAIGN = "campaign"  # an end customer's response to a campaign
    OTHER = "other"


STATUS_LABELS = {
    LeadStatus.NEW: N_("Waiting for routing"),
    LeadStatus.OFFERED: N_("Offered"),
    LeadStatus.ACCEPTED: N_("Accepted"),
    LeadStatus.DECLINED: N_("Declined by all"),
    LeadStatus.EXPIRED: N_("Not accepted in time"),
    LeadStatus.CONVERTED: N_("Deal registered"),
}
STATUS_TONES = {
    LeadStatus.NEW: "info",
    LeadStatus.OFFERED: "warning",
    LeadStatus.ACCEPTED: "success",
    LeadStatus.DECLINED: "danger",
    LeadStatus.EXPIRED: "muted",
    LeadStatus.CONVERTED: "success",
}
OUTCOME_LABELS = {
    Outcome.OPEN: N_("Waiting for an answer"),
    Outcome.ACCEPTED: N_("Accepted"),
    Outcome.DECLINED: N_("Declined"),
    Outcome.TIMED_OUT: N_("Timed out"),
}
SOURCE_LABELS = {
    LeadSource.CONSOLE: N_("Entered by the vendor"),
    LeadSource.IMPORT: N_("Imported file"),
    LeadSource.API: N_("API"),
    LeadSource.WEBSITE: N_("Website form"),
    LeadSource.CALL_CENTRE: N_("Call centre"),
    LeadSource.EXHIBITION: N_("Exhibition"),
    LeadSource.CAMPAIGN: N_("Campaign response"),
    LeadSource.OTHER: N_("Other"),
}
