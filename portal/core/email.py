"""The one e-mail helper: render subject/text/HTML templates, store the message, send it later.

Messages are rows in outbound_email (portal.core.tables). `queue_email` renders and stores them;
the `deliver_email` job sends one with its fixed Message-ID, through SMTP_URL or, when unset, into
the outbox folder as an .eml file. A sweeper re-tries pending rows with back-off.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import time
import uuid
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import unquote, urlparse

from portal.core.tables import OutboundEmail
from portal.lib import jobs
from portal.lib.clock import now
from portal.lib.i18n import N_, use_locale
from portal.lib.i18n import gettext as _
from portal.settings import get_settings
from portal.templating import render

log = logging.getLogger("portal.email")

MAX_ATTEMPTS = 12

# What each kind of stored e-mail (its template name) is, in words for the outgoing-mail log.
KIND_LABELS = {
    "campaign_published": N_("Campaign"),
    "case_assigned": N_("Case assigned"),
    "case_escalation": N_("Case escalated"),
    "case_opened": N_("Case opened"),
    "case_reply": N_("Case reply"),
    "case_status": N_("Case status"),
    "deal_event": N_("Deal registration"),
    "feedback_reminder": N_("Survey reminder"),
    "feedback_request": N_("Survey invitation"),
    "followup_digest": N_("Follow-up digest"),
    "invitation": N_("Invitation"),
    "order_status": N_("Order status"),
    "password_reset": N_("Password reset"),
    "payment_reminder": N_("Payment reminder"),
    "report_monthly": N_("Monthly report"),
}

# Why a send failed, in words, by the type of the stored error ("Type: detail"), first match.
ERROR_WORDS = (
    (
        ("LeaseRanOut", "SMTPTimeoutError", "TimeoutError"),
        N_("The mail server did not answer in time"),
    ),
    (
        ("SMTPRecipientsRefused", "SMTPSenderRefused", "SMTPDataError", "SMTPResponseException"),
        N_("The mail server refused the message"),
    ),
    (("SMTPAuthenticationError",), N_("The mail server refused the portal's sign-in")),
    (
        (
            "SMTPConnectError",
            "SMTPServerDisconnected",
            "ConnectionRefusedError",
            "OSError",
            "gaierror",
        ),
        N_("The mail server could not be reached"),
    ),
    (("NothingToSend",), N_("The partner no longer exists")),
)


def kind_label(kind: str) -> str:
    """The kind of a stored e-mail in words ("" for a kind without a label: it is not shown)."""
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else ""


def error_words(error: str) -> str:
    """A stored send error ("ConnectionRefusedError: [Errno 111] ...") in the reader's words; the
    technical text stays available to staff beside it."""
    if not error:
        return ""
    kind = error.split(":", 1)[0].strip()
    if kind == "partner missing":
        kind = "NothingToSend"
    for kinds, words in ERROR_WORDS:
        if kind in kinds:
            return _(words)
    return _("Sending failed")


def lease() -> dt.timedelta:
    """How long a claimed e-mail is left to its sender (EMAIL_LEASE_SECONDS, 5 minutes)."""
    return dt.timedelta(seconds=get_settings().email_lease_seconds)


class LeaseRanOut(TimeoutError):
    """The SMTP server had not confirmed the message when the sender's lease was about to run out:
    the sender hangs up instead of going on talking while another sender may take the row over."""


def send_deadline(started: float, held: dt.timedelta) -> float:
    """The `time.monotonic()` instant a sender that took (or renewed) a lease of `held` at
    `started` stops talking to SMTP: four fifths of the lease, the rest a margin for the commit
    of the claim and clocks of other hosts. Without it a send slower than the lease (a held DATA,
    a CPU-starved worker) went on while another sender took the row over and sent it again."""
    return started + held.total_seconds() * 0.8


def backoff(attempts: int) -> dt.timedelta:
    """RETRY_BASE_SECONDS (30 s), then doubling per attempt: 1 min, 2 min ... capped at 1 h."""
    base = get_settings().retry_base_seconds
    return dt.timedelta(seconds=min(base * 2 ** min(max(attempts - 1, 0), 20), 3600))


def render_email(name: str, context: dict[str, object], locale: str) -> tuple[str, str, str]:
    """(subject, text, html) from templates/emails/<name>.subject.txt|.txt|.html."""
    with use_locale(locale):
        ctx = {**context, "base_url": get_settings().base_url}
        subject = " ".join(render(f"emails/{name}.subject.txt", ctx).split())
        text = render(f"emails/{name}.txt", ctx)
        html = render(f"emails/{name}.html", ctx)
    return subject, text, html


BATCH = 500  # rows per INSERT of queue_bulk: well under SQLite's parameter limit


async def queue_email(
    to: str, name: str, context: dict[str, object], locale: str, reply_to: str = ""
) -> int:
    """Render and store one e-mail; returns its id. Enqueue `deliver_email` after commit."""
    subject, text, html = render_email(name, context, locale)
    domain = urlparse(get_settings().base_url).hostname or "portal.local"
    row = OutboundEmail(
        to_address=to,
        subject=subject,
        body_text=text,
        body_html=html,
        message_id=f"<{uuid.uuid4().hex}@{domain}>",
        kind=name,
        reply_to=reply_to,
        next_attempt_at=now(),
        created_at=now(),
    )
    await row.save()
    return int(row.id)


async def queue_bulk(
    name: str, rendered: dict[str, tuple[str, str, str]], recipients: Sequence[tuple[str, str]]
) -> list[int]:
    """Store one pending e-mail per (address, locale) from messages rendered once per language
    (`rendered[locale] = (subject, text, html)`), in batches, inside the caller's transaction;
    returns their ids, for `enqueue_delivery` after the commit. Same rows as queue_email."""
    domain = urlparse(get_settings().base_url).hostname or "portal.local"
    moment = now()
    rows = []
    for address, locale in recipients:
        subject, text, html = rendered.get(locale) or rendered["zh_CN"]
        rows.append(
            OutboundEmail(
                to_address=address,
                subject=subject,
                body_text=text,
                body_html=html,
                message_id=f"<{uuid.uuid4().hex}@{domain}>",
                kind=name,
                next_attempt_at=moment,
                created_at=moment,
            )
        )
    ids: list[int] = []
    for start in range(0, len(rows), BATCH):
        result = await OutboundEmail.insert(*rows[start : start + BATCH]).returning(
            OutboundEmail.id
        )
        ids.extend(int(r["id"]) for r in result)
    return ids


async def enqueue_delivery(email_ids: Sequence[int]) -> None:
    """After the commit: one `deliver_email` job per message (fixed job ids: no double sends)."""
    ids = list(email_ids)
    for start in range(0, len(ids), 200):  # concurrent round trips to Redis, 200 at a time
        await asyncio.gather(
            *[
                jobs.enqueue("deliver_email", email_id, job_id=f"email:{email_id}")
                for email_id in ids[start : start + 200]
            ]
        )


async def retry(email_id: int) -> None:
    """Send a stored e-mail again: back to pending, due now, lease released (console "retry")."""
    await OutboundEmail.update(
        {
            OutboundEmail.status: "pending",
            OutboundEmail.lease_until: None,
            OutboundEmail.next_attempt_at: now(),
        }
    ).where(OutboundEmail.id == email_id)


def build_message(
    row: dict[str, object], attachments: Sequence[tuple[str, bytes, str]] = ()
) -> EmailMessage:  # type: ignore[assignment]
    msg = EmailMessage()
    msg["From"] = get_settings().mail_from
    msg["To"] = str(row["to_address"])
    msg["Subject"] = str(row["subject"])
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = str(row.get("message_id") or make_msgid())
    if row.get("reply_to"):
        msg["Reply-To"] = str(row["reply_to"])
    msg.set_content(str(row["body_text"]))
    if row.get("body_html"):
        msg.add_alternative(str(row["body_html"]), subtype="html")
    for filename, data, mime in attachments:
        maintype, subtype = mime.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg


async def send_message(msg: EmailMessage, until: float | None = None) -> None:
    """Send through SMTP_URL, or write an .eml file into the outbox folder (idempotent by id).
    `until` (a `time.monotonic()` instant, see send_deadline): hang up then and raise LeaseRanOut
    rather than finish a send the sender's lease no longer covers."""
    settings = get_settings()
    if not settings.smtp_url:
        _write_outbox(msg, settings.outbox_dir)
        return
    if until is None:
        await _smtp_send(msg, settings.smtp_url)
        return
    left = until - time.monotonic()
    if left <= 0:
        raise LeaseRanOut("the lease ran out before the message went to the SMTP server")
    try:
        async with asyncio.timeout(left):
            await _smtp_send(msg, settings.smtp_url)
    except TimeoutError as exc:
        if type(exc) is not TimeoutError:
            raise  # aiosmtplib's own timeouts keep their type and message
        raise LeaseRanOut(
            f"the SMTP server had not confirmed the message after {left:.1f} s, when the"
            " lease was about to run out"
        ) from None


async def _smtp_send(msg: EmailMessage, smtp_url: str) -> None:
    """One SMTP conversation. On any failure or cancellation the connection is closed at once:
    aiosmtplib's `send` would politely QUIT and wait up to its timeout for the answer, keeping a
    DATA the server had not confirmed alive, so the server could still accept the message after
    the row was handed to another sender (the fault drill's duplicate campaign e-mail)."""
    import aiosmtplib

    url = urlparse(smtp_url)
    client = aiosmtplib.SMTP(
        hostname=url.hostname or "localhost",
        port=url.port or (465 if url.scheme == "smtps" else 25),
        username=unquote(url.username) if url.username else None,
        password=unquote(url.password) if url.password else None,
        use_tls=url.scheme == "smtps",
        start_tls=True if url.scheme == "smtp+starttls" else False,
        timeout=30,
    )
    try:
        await client.connect()
        await client.send_message(msg)
    except BaseException:
        client.close()  # hang up: the server drops a message it has not confirmed
        raise
    try:
        await client.quit()  # the message is accepted: a QUIT lost on the way changes nothing
    except (aiosmtplib.SMTPException, OSError):
        pass
    finally:
        client.close()


def _write_outbox(msg: EmailMessage, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    ident = str(msg["Message-ID"]).strip("<>").split("@")[0]
    path = folder / f"{ident}.eml"
    if path.exists():
        return
    tmp = folder / f".{ident}.tmp"
    tmp.write_bytes(bytes(msg))
    os.replace(tmp, path)


async def claim(email_id: int) -> dict[str, object] | None:
    """Take the lease on a pending e-mail; None when it is sent, failed or leased elsewhere."""
    moment = now()
    claimed = (
        await OutboundEmail.update(
            {
                OutboundEmail.lease_until: moment + lease(),
                OutboundEmail.attempts: OutboundEmail.attempts + 1,
            }
        )
        .where(
            (OutboundEmail.id == email_id)
            & (OutboundEmail.status == "pending")
            & ((OutboundEmail.lease_until.is_null()) | (OutboundEmail.lease_until < moment))
        )
        .returning(OutboundEmail.id)
    )
    if not claimed:
        return None
    return await OutboundEmail.select().where(OutboundEmail.id == email_id).first()


async def deliver(email_id: int) -> bool:
    """Send one stored e-mail once. True when sent now; raises when sending failed (also when the
    SMTP server has not confirmed it within the lease: LeaseRanOut, retried with back-off)."""
    started = time.monotonic()
    row = await claim(email_id)
    if row is None:
        return False
    try:
        await send_message(build_message(row), until=send_deadline(started, lease()))
    except asyncio.CancelledError:
        # worker stopping or job timed out: give the row back now rather than after its lease
        await OutboundEmail.update({OutboundEmail.lease_until: None}).where(
            (OutboundEmail.id == email_id) & (OutboundEmail.status == "pending")
        )
        raise
    except Exception as exc:
        attempts = int(row["attempts"])  # type: ignore[call-overload]
        failed = attempts >= MAX_ATTEMPTS
        await OutboundEmail.update(
            {
                OutboundEmail.status: "failed" if failed else "pending",
                OutboundEmail.last_error: f"{type(exc).__name__}: {exc}"[:2000],
                OutboundEmail.lease_until: None,
                OutboundEmail.next_attempt_at: now() + backoff(attempts),
            }
        ).where(OutboundEmail.id == email_id)
        raise
    await OutboundEmail.update(
        {
            OutboundEmail.status: "sent",
            OutboundEmail.sent_at: now(),
            OutboundEmail.lease_until: None,
            OutboundEmail.last_error: "",
        }
    ).where(OutboundEmail.id == email_id)
    return True


async def due_ids(limit: int = 500) -> list[int]:
    """Pending e-mails whose back-off has passed and whose lease (if any) ran out."""
    return [email_id for email_id, _attempts in await due_emails(limit)]


async def due_emails(limit: int = 500) -> list[tuple[int, int]]:
    """(id, attempts so far) of the e-mails `due_ids` gives, for the sweeper's job ids."""
    moment = now()
    rows = (
        await OutboundEmail.select(OutboundEmail.id, OutboundEmail.attempts)
        .where(
            (OutboundEmail.status == "pending")
            & (OutboundEmail.next_attempt_at <= moment)
            & ((OutboundEmail.lease_until.is_null()) | (OutboundEmail.lease_until < moment))
        )
        .order_by(OutboundEmail.id)
        .limit(limit)
    )
    return [(int(r["id"]), int(r["attempts"])) for r in rows]
