"""Replies by e-mail: one RFC 822 message becomes a public reply on its case.

The case is found by the token in the recipient address (support+<token>@domain, the Reply-To
of every case e-mail, issued per recipient), or else by In-Reply-To/References pointing at one of
our case e-mails. The sender must be the very user that address or e-mail was sent to, an active
user of the case's partner: vendor staff answer in the console (authorship never comes from mail
headers). When the MTA adds Authentication-Results, a failed DMARC or SPF check is refused.
Every refusal is recorded in the audit log.
Quoted text and signatures are stripped. Anything else is refused with a reason and nothing is
written; a message seen before (same Message-ID) is accepted once.
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

from portal.auth.sessions import _current_user
from portal.auth.tables import User
from portal.core import audit
from portal.core.tables import OutboundEmail
from portal.lib.forms import FormError
from portal.support.case_files import Upload
from portal.support.case_status import StatusConflict
from portal.support.cases import reply
from portal.support.constants import ATTACHMENT_MAX_BYTES, MAX_ATTACHMENTS, Channel
from portal.support.emails import token_user
from portal.support.tables import CaseEmail, CaseMessage, SupportCase
from portal.tenancy import NotFound

TOKEN_RE = re.compile(r"^[^+@\s]+\+([0-9a-f]{20})(-[0-9]{1,12}-[0-9a-f]{16})?@", re.IGNORECASE)
AUTH_FAIL_RE = re.compile(r"\b(dmarc|spf)\s*=\s*(fail|softfail)\b", re.IGNORECASE)
MAX_MESSAGE_BYTES = 25 * 1024 * 1024
QUOTE_HEADERS = [
    re.compile(r"^On .{5,200} wrote:\s*$"),
    re.compile(r"^在.{2,200}写道[:：]\s*$"),
    re.compile(r"^-{2,}\s*(Original Message|原始邮件)\s*-{2,}\s*$", re.IGNORECASE),
    re.compile(r"^(From|发件人)\s*[:：].+$"),
    re.compile(r"^_{10,}\s*$"),
]


class Refused(Exception):
    """The message cannot be added to a case; `reason` says why (logged, shown by the CLI)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Accepted:
    case_id: int
    message_id: int
    duplicate: bool = False


def parse(raw: bytes) -> EmailMessage:
    if len(raw) > MAX_MESSAGE_BYTES:
        raise Refused("message too large")
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def strip_quoted(text: str) -> str:
    """The new part of a reply: stops at the quote header, a '>' block or the signature."""
    kept: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        stripped = line.strip()
        if stripped.startswith(">") or any(p.match(stripped) for p in QUOTE_HEADERS):
            break
        if stripped == "--" or line == "-- ":
            break
        kept.append(line)
    return "\n".join(kept).strip()


def body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    if part.get_content_type() == "text/html":
        content = re.sub(r"<(br|/p|/div)[^>]*>", "\n", content, flags=re.IGNORECASE)
        content = re.sub(r"<blockquote.*", "", content, flags=re.IGNORECASE | re.DOTALL)
        content = re.sub(r"<[^>]+>", "", content)
        import html

        content = html.unescape(content)
    return str(content)


def attachments(message: EmailMessage) -> list[Upload]:
    out = []
    for part in message.iter_attachments():
        data = part.get_payload(decode=True) or b""
        if not isinstance(data, bytes) or not data or len(data) > ATTACHMENT_MAX_BYTES:
            continue
        out.append(Upload(part.get_filename() or "attachment", data))
    return out[:MAX_ATTACHMENTS]


async def find_case(message: EmailMessage) -> dict[str, object]:
    """The case and the user it wrote to, by the address token, else by In-Reply-To/References.

    Returns {"id", "partner", "recipient"}; Refused otherwise (an address without a valid
    recipient part counts as no address).
    """
    recipients = getaddresses(
        [
            str(v)
            for h in ("Delivered-To", "X-Original-To", "To", "Cc")
            for v in message.get_all(h, [])
        ]
    )
    for _name, address in recipients:
        match = TOKEN_RE.match(address.strip())
        if not match:
            continue
        if not match.group(2):
            raise Refused("the reply address has no recipient part (an old e-mail?)")
        user_id = token_user((match.group(1) + match.group(2)).lower())
        if user_id is None:
            raise Refused("the reply address token is not valid")
        row = (
            await SupportCase.select(SupportCase.id, SupportCase.partner)
            .where(SupportCase.reply_token == match.group(1).lower())
            .first()
        )
        if row:
            return {**row, "recipient": user_id}
    refs = " ".join(str(message.get(h, "")) for h in ("In-Reply-To", "References"))
    ids = re.findall(r"<[^<>\s]+>", refs)
    if ids:
        mail = (
            await OutboundEmail.select(OutboundEmail.id)
            .where(OutboundEmail.message_id.is_in(ids))
            .first()
        )
        if mail:
            link = (
                await CaseEmail.select(
                    CaseEmail.support_case.id,
                    CaseEmail.support_case.partner,
                    CaseEmail.recipient_id,
                )
                .where(CaseEmail.email_id == mail["id"])
                .first()
            )
            if link:
                return {
                    "id": link["support_case.id"],
                    "partner": link["support_case.partner"],
                    "recipient": link["recipient_id"],
                }
    raise Refused("no case token in the recipient address and no known In-Reply-To")


def check_authentication(message: EmailMessage) -> None:
    """Refuse a message the receiving MTA found failing DMARC or SPF."""
    for value in message.get_all("Authentication-Results", []):
        failed = AUTH_FAIL_RE.search(str(value))
        if failed:
            raise Refused(f"{failed.group(1).upper()} check failed ({failed.group(2).lower()})")


async def ingest(raw: bytes) -> Accepted:
    """Add one inbound e-mail to its case as a public reply; Refused writes nothing but the
    audit entry that records the refusal."""
    try:
        return await _ingest(raw)
    except Refused as exc:
        await audit.record(
            "inbound_email.refused", target_type="inbound_email", detail=exc.reason[:500]
        )
        raise


async def _ingest(raw: bytes) -> Accepted:
    message = parse(raw)
    check_authentication(message)
    case = await find_case(message)
    _name, sender = parseaddr(str(message.get("From", "")))
    if not sender:
        raise Refused("no sender address")
    row = await (
        User.select(
            User.id,
            User.email,
            User.name,
            User.role,
            User.partner.id,
            User.partner.name,
            User.partner.status,
            User.can_sales,
            User.can_purchasing,
            User.locale,
            User.is_active,
        )
        .where(User.email == sender.lower())
        .first()
    )
    if row is None or not row["is_active"]:
        raise Refused(f"sender {sender} is not a portal user")
    actor = _current_user(row)
    if not actor.is_partner:
        raise Refused(f"sender {sender} is vendor staff: vendor replies are written in the console")
    if row["id"] != case["recipient"]:
        raise Refused(f"sender {sender} is not the recipient this reply address was issued to")
    if actor.partner_id != case["partner"]:
        raise Refused(f"sender {sender} is not a user of the case's partner")
    if row["partner.status"] != "active":
        raise Refused(f"the partner of {sender} is not active")
    message_id = str(message.get("Message-ID", "")).strip() or None
    if message_id:
        seen = (
            await CaseMessage.select(CaseMessage.id, CaseMessage.support_case)
            .where(CaseMessage.email_message_id == message_id)
            .first()
        )
        if seen:
            return Accepted(int(seen["support_case"]), int(seen["id"]), duplicate=True)
    text = strip_quoted(body_text(message))
    if not text:
        raise Refused("the message has no new text above the quoted part")
    try:
        new_id = await reply(
            actor,
            int(case["id"]),  # type: ignore[call-overload]
            text,
            channel=Channel.EMAIL,
            files=attachments(message),
            email_message_id=message_id,
        )
    except NotFound:
        raise Refused(f"sender {sender} cannot see this case") from None
    except StatusConflict as exc:
        raise Refused(exc.message) from None
    except FormError as exc:
        raise Refused("; ".join(exc.errors.values())) from None
    return Accepted(int(case["id"]), new_id)  # type: ignore[call-overload]
