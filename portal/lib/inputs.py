"""Text that comes in: one place that refuses NUL and strips other control characters.

`input_guard` (an ASGI middleware on every route) refuses with 400 a NUL byte anywhere in the path,
the query string, a url-encoded form or a JSON body, and any control character other than tab,
newline and carriage return in the query string or a JSON body, before a handler or the database
sees it (PostgreSQL cannot store NUL in text; openpyxl cannot write control characters). Forms read
through `lib.forms.read_form` get `clean_text` on every value, which does the same per field.

Numbers too: `parse_int` / `parse_id` are the one parser for every id and whole number a request
carries (path segments, query filters, form fields; JSON bodies declare `Id` and `Meta` bounds).
ASCII digits only (`str.isdigit()` takes "²", `int()` takes "١" and "1_0"), and within the range
the columns hold: PostgreSQL's integer (2^31-1) is the one bound for ids on both backends, so an
id no row can have is refused before a query would fail with "out of range" (a 500).
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import unquote_to_bytes

import msgspec
from litestar.exceptions import ClientException
from litestar.params import Parameter
from litestar.routes import base as litestar_routes
from litestar.types import ASGIApp, HTTPReceiveMessage, Receive, Scope, Send

from portal.lib.i18n import gettext as _

# C0 controls and DEL except tab (9), newline (10) and carriage return (13)
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_JSON_CONTROL_RE = re.compile(
    rb"\\u00(?:0[0-8bcefBCEF]|1[0-9a-fA-F]|7[fF])|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
)
# bodies larger than this are uploads (multipart) or refused by the size limit anyway
_MAX_CHECKED_BODY = 4 * 1024 * 1024


# a one-line field of a JSON body (subject, name): no control character but tab, so no CR/LF (forms
# refuse CR/LF in any short field through lib.forms.read_form)
ONE_LINE = "^[^\\x00-\\x08\\x0a-\\x1f\\x7f]*$"

# PostgreSQL integer / serial: every id column. SQLite would take 2^63-1; one bound for both.
ID_MAX = 2**31 - 1
_ASCII_INT = re.compile(r"-?[0-9]{1,19}")

# a JSON or form field holding an id: outside the range it is refused by validation (400, the
# field named), and the OpenAPI document says so (minimum/maximum)
Id = Annotated[int, msgspec.Meta(ge=1, le=ID_MAX)]
# query parameters of the JSON API (Litestar reads bounds from Parameter, not from msgspec.Meta):
# out of range is a 400 naming the parameter, and the OpenAPI document gives the bounds
PageNo = Annotated[int, Parameter(ge=1, le=100_000)]
PerPage = Annotated[int, Parameter(ge=1, le=200)]
QueryId = Annotated[int | None, Parameter(ge=1, le=ID_MAX)]


def parse_int(value: Any, *, low: int = 0, high: int = ID_MAX) -> int | None:
    """`value` as a whole number written in ASCII digits (an optional leading minus), within
    low..high; None for anything else (empty, "²", "١", "1_0", "+1", "1.0", out of range)."""
    if value is None:
        return None
    text = str(value).strip()
    if not _ASCII_INT.fullmatch(text):
        return None
    number = int(text)
    return number if low <= number <= high else None


def parse_id(value: Any) -> int | None:
    """`value` as a row id (1..ID_MAX in ASCII digits), or None."""
    return parse_int(value, low=1, high=ID_MAX)


def _path_id(text: str) -> int:
    number = parse_id(text)
    if number is None:
        raise ValueError(text)  # Litestar's router answers 404 for a segment its parser refuses
    return number


# Litestar parses `{name:int}` path segments with int(): "١" would open row 1 and 10^20 reach the
# database. Every int segment of our routes is a row id, so the router uses parse_id instead (set
# before create_app builds the routes; tests/lib/test_numbers.py fails if Litestar stops using it).
litestar_routes.parsers_map[int] = _path_id


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
            elif name == b"content-length":
                # a length that cannot be read counts as too long to check: the app's limit applies
                declared = parse_int(value.decode("latin-1"), high=2**62)
                length = _MAX_CHECKED_BODY + 1 if declared is None else declared
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
