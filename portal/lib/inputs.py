"""Text that comes in: one place that refuses NUL and strips other control characters.

`input_guard` (an ASGI middleware on every route) refuses with 400 a NUL byte anywhere in the path,
the query string, a url-encoded form or a JSON body, and any control character other than tab,
newline and carriage return in the query string or a JSON body, before a handler or the database
sees it (PostgreSQL cannot store NUL in text; openpyxl cannot write control characters). Forms read
through `lib.forms.read_form` get `clean_text` on every value, which does the same per field.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from litestar.exceptions import ClientException
from litestar.types import ASGIApp, HTTPReceiveMessage, Receive, Scope, Send

from portal.lib.i18n import gettext as _

# C0 controls and DEL except tab (9), newline (10) and carriage return (13)
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_JSON_CONTROL_RE = re.compile(
    rb"\\u00(?:0[0-8bcefBCEF]|1[0-9a-fA-F]|7[fF])|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
)
# bodies larger than this are uploads (multipart) or refused by the size limit anyway
_MAX_CHECKED_BODY = 4 * 1024 * 1024


def has_nul(value: str) -> bool:
    return "\x00" in value


def clean_text(value: str) -> str:
    """A submitted value without control characters other than tab and newline (CRLF -> LF)."""
    return CONTROL_RE.sub("", value.replace("\r\n", "\n")).replace("\r", "\n")


def _refuse() -> ClientException:
    return ClientException(detail=_("The request contains characters that are not allowed."))


def _query_refused(raw: bytes) -> bool:
    decoded = unquote_to_bytes(raw.replace(b"+", b" "))
    return CONTROL_RE.search(decoded.decode("latin-1")) is not None


def input_guard(app: ASGIApp) -> ASGIApp:
    """Refuse NUL (and control characters in queries and JSON) before any handler runs."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        if "\x00" in scope.get("path", "") or b"%00" in scope.get("raw_path", b""):
            raise _refuse()
        if _query_refused(scope.get("query_string", b"")):
            raise _refuse()
        content_type = ""
        length = 0
        for name, value in scope.get("headers", []):
            if name == b"content-type":
                content_type = value.decode("latin-1").split(";")[0].strip().lower()
            elif name == b"content-length" and value.isdigit():
                length = int(value)
        is_json = content_type == "application/json" or content_type.endswith("+json")
        is_form = content_type == "application/x-www-form-urlencoded"
        if not (is_json or is_form) or length > _MAX_CHECKED_BODY:
            await app(scope, receive, send)
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if is_json and _JSON_CONTROL_RE.search(body):
            raise _refuse()
        if is_form and b"\x00" in unquote_to_bytes(body):
            raise _refuse()
        replayed = False

        async def replay() -> HTTPReceiveMessage:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}  # type: ignore[return-value]
            return await receive()  # type: ignore[return-value]

        await app(scope, replay, send)

    return middleware
