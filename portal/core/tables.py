"""Cross-cutting tables: the append-only audit log, the e-mail outbox and the bell.

No foreign keys in the audit log on purpose: an audit entry must outlive whatever it mentions, so
it keeps ids and a snapshot of the actor's e-mail; database triggers refuse UPDATE and DELETE on it
(migration). A bell entry goes with its user (the one foreign key here, to auth's table by name,
as auth's User refers to partners' Partner: the table layer below does not import the one above).
"""

from piccolo.columns import (
    JSON,
    BigInt,
    ForeignKey,
    Integer,
    LazyTableReference,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table


class AuditEntry(Table, tablename="audit_log"):
    """Who did what to which record, when, from where, with the values before and after."""

    id: Serial  # created by Piccolo; declared for type checkers

    at = Timestamptz(index=True)
    actor_id = BigInt(null=True, default=None, index=True)
    actor_email = Varchar(length=254, default="")
    partner_id = BigInt(null=True, default=None, index=True)
    action = Varchar(length=60, index=True)
    target_type = Varchar(length=40, default="")
    target_id = Varchar(length=40, default="")
    ip = Varchar(length=64, default="")
    before = JSON(default="{}")
    after = JSON(default="{}")
    detail = Text(default="")


class OutboundEmail(Table, tablename="outbound_email"):
    """One rendered e-mail waiting for delivery; the row, not the queue, is the truth.

    A sender claims it with a conditional update (lease), sends it with its fixed Message-ID and
    marks it sent; a sweeper re-enqueues rows whose lease ran out, so nothing is lost when a worker
    dies and nothing is sent twice when two workers race.
    """

    id: Serial  # created by Piccolo; declared for type checkers

    to_address = Varchar(length=254, index=True)
    subject = Varchar(length=300)
    body_text = Text()
    body_html = Text(default="")
    message_id = Varchar(length=200, unique=True)
    kind = Varchar(length=60, default="", index=True)  # template name, for the console
    reply_to = Varchar(length=320, default="")  # e.g. a case's support+<token>@ address
    status = Varchar(length=12, default="pending", index=True)  # pending -> sent | failed
    attempts = Integer(default=0)
    last_error = Text(default="")
    lease_until = Timestamptz(null=True, default=None)
    next_attempt_at = Timestamptz(index=True)
    created_at = Timestamptz()
    sent_at = Timestamptz(null=True, default=None)


class Notification(Table, tablename="notification"):
    """One entry of a user's notification centre (the bell); `dedup_key` (the ref) makes notify()
    idempotent (unique with the user: an index made by the communications app's second migration,
    which created this table before it moved here; the rows never moved)."""

    id: Serial  # created by Piccolo; declared for type checkers

    user: ForeignKey = ForeignKey(
        LazyTableReference("User", app_name="auth"), on_delete=OnDelete.cascade
    )
    kind = Varchar(length=20)
    title_en = Varchar(length=300)
    title_zh = Varchar(length=300)
    link = Varchar(length=500, default="")
    dedup_key = Varchar(length=120)
    created_at = Timestamptz()
    read_at = Timestamptz(null=True, default=None)
