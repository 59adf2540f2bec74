"""Delivery statuses of the monthly report, limits and defaults of the scorecard."""

from __future__ import annotations

from enum import StrEnum

from portal.lib.i18n import N_


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # the reconciler, the CLI or "send again" created or reset the row
    SENDING = "sending"  # a job holds the lease and renders or sends (lease_until says how long)
    SENT = "sent"  # every recipient got the e-mail (sent_at set)
    FAILED = "failed"  # attempts ran out (last_error says why); "send again" retries
    NO_ADDRESS = "no_address"  # nobody to send to: no admin, no report recipient, no contact
    # e-mail; preparing the month again sends it once an address exists ("send again" cannot)


DELIVERY_LABELS = {
    DeliveryStatus.PENDING: N_("Pending"),
    DeliveryStatus.SENDING: N_("Sending"),
    DeliveryStatus.SENT: N_("Sent"),
    DeliveryStatus.FAILED: N_("Failed"),
    DeliveryStatus.NO_ADDRESS: N_("No recipient"),
}
DELIVERY_TONES = {
    DeliveryStatus.PENDING: "pending",
    DeliveryStatus.SENDING: "info",
    DeliveryStatus.SENT: "success",
    DeliveryStatus.FAILED: "danger",
    DeliveryStatus.NO_ADDRESS: "warning",
}

# A sender holds a claimed delivery for REPORT_LEASE_SECONDS (10 minutes; deliveries.lease()):
# rendering + sending one report takes seconds, and a dead worker frees the row after the lease.
MAX_ATTEMPTS = 8  # attempts beyond this mark the row failed
MAX_RECIPIENTS = 10  # extra report recipients per partner
MAX_NOTE_LENGTH = 4000
TREND_PERIODS = 12
HISTORY_MONTHS = 36  # rollups kept fresh by the nightly job
