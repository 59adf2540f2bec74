"""Feedback requests (surveys): vendor verbs, the opening fan-out, answering, reminders, and the
automatic CSAT requests after a delivered order or a closed case.

Opening is a job like publishing a campaign: `open_request(request_id)` claims the request with a
conditional UPDATE and, in the same transaction, freezes the audience (feedback_recipient), rings
the bell and stores the invitations. Reminders insert one feedback_reminder row per user and
request (unique) in the transaction that stores the e-mail, so a reminder goes out once.

The implementation is split by sub-topic: feedback_requests.py, feedback_delivery.py,
feedback_answers.py, csat.py; this module re-exports it.
"""

from __future__ import annotations

from portal.communications.csat import (
    csat_for,
    request_csat,
)
from portal.communications.feedback_answers import (
    can_answer,
    check_answers,
    list_requests_for_user,
    my_answers,
    open_count_for_user,
    respondent_key,
    submit_response,
)
from portal.communications.feedback_delivery import (
    close_request,
    due_request_ids,
    enqueue_open,
    open_request,
    remind,
    schedule_request,
    send_due_reminders,
)
from portal.communications.feedback_requests import (
    EDITABLE,
    MAX_TEXT,
    SCALE,
    add_question,
    create_request,
    due_at_for,
    get_request,
    get_setting,
    list_questions,
    parse_options,
    remove_question,
    set_setting,
    update_request,
)

__all__ = [
    "EDITABLE",
    "MAX_TEXT",
    "SCALE",
    "add_question",
    "can_answer",
    "check_answers",
    "close_request",
    "create_request",
    "csat_for",
    "due_at_for",
    "due_request_ids",
    "enqueue_open",
    "get_request",
    "get_setting",
    "list_questions",
    "list_requests_for_user",
    "my_answers",
    "open_count_for_user",
    "open_request",
    "parse_options",
    "remind",
    "remove_question",
    "request_csat",
    "respondent_key",
    "schedule_request",
    "send_due_reminders",
    "set_setting",
    "submit_response",
    "update_request",
]
