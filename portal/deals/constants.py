"""Deal statuses and their transitions, pipeline stages, event kinds, protection periods."""

from __future__ import annotations

from enum import StrEnum

from portal.lib.i18n import N_

NUMBER_PREFIX = "DR"  # DR-2026-000123: the year the deal was registered, then its row id
PROTECTION_DAYS = 90  # default protection period granted on approval
MAX_PROTECTION_DAYS = 365
EXTENSION_DAYS = 30  # default extension granted on a partner's request
REMINDER_DAYS = (14, 3)  # reminders this many days before protection ends, once each
MAX_LINES = 50
MAX_ATTACHMENTS = 10  # files per deal
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = (
    "pdf",
    "png",
    "jpeg",
    "gif",
    "webp",
    "txt",
    "csv",
    "xlsx",
    "docx",
    "pptx",
    "zip",
)


class DealStatus(StrEnum):
    DRAFT = "draft"  # a partner user saved it, not yet sent to the vendor
    SUBMITTED = "submitted"  # a partner user submitted it; waits for the vendor's review
    INFO_REQUESTED = "info_requested"  # vendor staff asked for more information
    APPROVED = "approved"  # vendor staff approved it: protected until protection_until
    DECLINED = "declined"  # vendor staff declined it, with a reason
    EXPIRED = "expired"  # the protection job released it when the protection period ended
    WON = "won"  # the partner (or vendor staff) marked it won, with its orders
    LOST = "lost"  # the partner (or vendor staff) marked it lost, with a reason


# Registrations that hold a customer against other partners (the conflict check).
HOLDING = (DealStatus.SUBMITTED, DealStatus.INFO_REQUESTED, DealStatus.APPROVED)
OPEN = (DealStatus.DRAFT, DealStatus.SUBMITTED, DealStatus.INFO_REQUESTED, DealStatus.APPROVED)
EDITABLE = (DealStatus.DRAFT, DealStatus.INFO_REQUESTED)
CLOSED = (DealStatus.WON, DealStatus.LOST)
# The partner may remove a file while the vendor has not decided (a draft, or waiting for review
# or for the information asked): after a decision the files are part of what was decided on.
FILES_REMOVABLE = (DealStatus.DRAFT, DealStatus.SUBMITTED, DealStatus.INFO_REQUESTED)


class Stage(StrEnum):
    QUALIFIED = "qualified"
    PROPOSAL = "proposal"
    NEGOTIATION = "negotiation"


class EventKind(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    DECLINED = "declined"
    INFO_REQUESTED = "info_requested"
    STAGE = "stage"
    EXTENSION_REQUESTED = "extension_requested"
    EXTENDED = "extended"
    REMINDER = "reminder"
    EXPIRED = "expired"
    WON = "won"
    LOST = "lost"


# Events the partner is told about (bell and e-mail); the vendor's are rung in the bell only.
TO_PARTNER = (
    EventKind.APPROVED,
    EventKind.DECLINED,
    EventKind.INFO_REQUESTED,
    EventKind.EXTENDED,
    EventKind.REMINDER,
    EventKind.EXPIRED,
)
TO_VENDOR = (EventKind.SUBMITTED, EventKind.EXTENSION_REQUESTED)

STATUS_LABELS = {
    DealStatus.DRAFT: N_("Draft"),
    DealStatus.SUBMITTED: N_("Waiting for review"),
    DealStatus.INFO_REQUESTED: N_("Information requested"),
    DealStatus.APPROVED: N_("Protected"),
    DealStatus.DECLINED: N_("Declined"),
    DealStatus.EXPIRED: N_("Expired"),
    DealStatus.WON: N_("Won"),
    DealStatus.LOST: N_("Lost"),
}
STATUS_TONES = {
    DealStatus.DRAFT: "muted",
    DealStatus.SUBMITTED: "info",
    DealStatus.INFO_REQUESTED: "warning",
    DealStatus.APPROVED: "success",
    DealStatus.DECLINED: "danger",
    DealStatus.EXPIRED: "muted",
    DealStatus.WON: "success",
    DealStatus.LOST: "muted",
}
STAGE_LABELS = {
    Stage.QUALIFIED: N_("Qualified"),
    Stage.PROPOSAL: N_("Proposal"),
    Stage.NEGOTIATION: N_("Negotiation"),
}
EVENT_LABELS = {
    EventKind.CREATED: N_("Registered"),
    EventKind.UPDATED: N_("Changed"),
    EventKind.SUBMITTED: N_("Submitted for review"),
    EventKind.APPROVED: N_("Approved"),
    EventKind.DECLINED: N_("Declined"),
    EventKind.INFO_REQUESTED: N_("More information requested"),
    EventKind.STAGE: N_("Stage changed"),
    EventKind.EXTENSION_REQUESTED: N_("Extension requested"),
    EventKind.EXTENDED: N_("Protection extended"),
    EventKind.REMINDER: N_("Protection ends soon"),
    EventKind.EXPIRED: N_("Protection expired"),
    EventKind.WON: N_("Won"),
    EventKind.LOST: N_("Lost"),
}
# Board columns: the open stages, then the two outcomes.
BOARD_COLUMNS = (
    Stage.QUALIFIED,
    Stage.PROPOSAL,
    Stage.NEGOTIATION,
    DealStatus.WON,
    DealStatus.LOST,
)
