"""Conditional GETs on the JSON API (issue 19, point 4): a weak ETag on every 200 JSON answer to a
GET, and 304 with no body when the client's If-None-Match names it.

The tag is a hash of the body the handler produced, so it changes with whatever the answer shows
(a write is visible on the very next request) and needs no version kept anywhere; the saving is
the transfer and the client's parsing, not the query. Two users with the same answer share a tag,
which tells neither anything (the body would be the same)."""

from __future__ import annotations

import hashlib
from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send

PREFIX = "/api/"


def weak_etag(body: bytes) -> str:
    return 'W/"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def matches(if_none_match: str, etag: str) -> bool:
    """Weak comparison (RFC 9110 13.1.2): any listed tag equal to ours once W/ is dropped, or *."""
    ours = etag.removeprefix("W/")
    for tag in if_none_match.split(","):
        tag = tag.strip()
        if tag == "*" or tag.removeprefix("W/") == ours:
            return True
    return False


def etag_middleware(app: ASGIApp) -> ASGIApp:
    """Buffer a GET's 200 JSON answer under /api/, tag it, answer 304 to a matching
    If-None-Match; everything else passes untouched."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope.get("method") != "GET"
            or not scope.get("path", "").startswith(PREFIX)
        ):
            await app(scope, receive, send)
            return
        if_none_match = ""
        for name, value in scope.get("headers", []):
            if name == b"if-none-match":
                if_none_match = value.decode("latin-1")
        start: Any = None  # the held http.response.start message
        chunks: list[bytes] = []

        async def buffered(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                json = any(
                    n.lower() == b"content-type" and b"json" in v.lower() for n, v in headers
                )
                tagged = any(n.lower() == b"etag" for n, v in headers)
                if message["status"] == 200 and json and not tagged:
                    start = message
                    return
                await send(message)
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            etag = weak_etag(body)
            headers = [
                (n, v) for n, v in start.get("headers", []) if n.lower() != b"content-length"
            ]
            headers.append((b"etag", etag.encode()))
            if if_none_match and matches(if_none_match, etag):
                keep = [(n, v) for n, v in headers if n.lower() != b"content-type"]
                not_modified: Any = {"type": "http.response.start", "status": 304, "headers": keep}
                await send(not_modified)
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            headers.append((b"content-length", str(len(body)).encode()))
            tagged_start: Any = {**start, "headers": headers}
            await send(tagged_start)
            await send({"type": "http.response.body", "body": body, "more_body": False})

        await app(scope, receive, buffered)

    return middleware
