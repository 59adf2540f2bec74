"""The doors of feedback requests: the only way a handler reaches one.

Partner users reach a request only when their partner was addressed (a row in the recipient
table) and it is open or closed; otherwise NotFound, exactly as for an id that does not exist.
Vendor staff reach every one.
"""

from __future__ import annotations

from typing import Any

from portal.auth.schemas import CurrentUser
from portal.communications.feedback.constants import RequestStatus
from portal.communications.feedback.tables import FeedbackRecipient, FeedbackRequest
from portal.tenancy import NotFound


async def get_request_for_user(user: CurrentUser, request_id: int) -> dict[str, Any]:
    """An open or closed feedback request addressed to the user's partner (any for vendors)."""
    where: Any = FeedbackRequest.id == request_id
    if user.is_vendor:
        pass
    elif user.is_partner and user.partner_id is not None:
        where = (
            where
            & FeedbackRequest.status.is_in([RequestStatus.OPEN, RequestStatus.CLOSED])
            & FeedbackRequest.id.is_in(
                FeedbackRecipient.select(FeedbackRecipient.request).where(
                    (FeedbackRecipient.partner == user.partner_id)
                    & (FeedbackRecipient.request == request_id)
                )
            )
        )
    else:
        raise NotFound
    row = await FeedbackRequest.select().where(where).first()
    if row is None:
        raise NotFound
    return row


def requests_addressed_to(partner_id: int) -> Any:
    """The ids of the feedback requests addressed to one partner, as a sub-query (the console's
    partner filter; the caller passes a partner of the reader's scope, or -1 for none)."""
    return FeedbackRecipient.select(FeedbackRecipient.request).where(
        FeedbackRecipient.partner == partner_id
    )
