"""Random tokens, their hashes, argon2id password hashing (in a thread) and signed values."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import secrets
from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from portal.settings import get_settings

MIN_PASSWORD_LENGTH = 8


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    if get_settings().argon2_profile == "test":
        # Cheap parameters so the test suite stays fast; refused in production by settings.
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()  # argon2id, RFC 9106 low-memory profile


async def hash_password(password: str) -> str:
    """argon2id hash; slow on purpose, so it runs in a worker thread."""
    return await asyncio.to_thread(_hasher().hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; an unknown account is checked against a dummy hash."""
    target = password_hash or _dummy_hash()

    def check() -> bool:
        try:
            return _hasher().verify(target, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    ok = await asyncio.to_thread(check)
    return ok and password_hash is not None


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash(secrets.token_urlsafe(16))


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def token_hash(token: str) -> str:
    """SHA-256 of a high-entropy token: enough for lookup, useless to a thief of the table."""
    return hashlib.sha256(token.encode()).hexdigest()


def sign(value: Any) -> str:
    """JSON value + HMAC, for small cookies (flash messages, language)."""
    payload = base64.urlsafe_b64encode(json.dumps(value, ensure_ascii=False).encode()).decode()
    mac = hmac.new(get_settings().secret_key.encode(), payload.encode(), hashlib.sha256)
    return f"{payload}.{mac.hexdigest()[:32]}"


def unsign(signed: str | None) -> Any:
    """The value of a signed cookie, or None when missing or tampered with."""
    if not signed or "." not in signed:
        return None
    payload, mac = signed.rsplit(".", 1)
    expected = hmac.new(get_settings().secret_key.encode(), payload.encode(), hashlib.sha256)
    if not hmac.compare_digest(expected.hexdigest()[:32], mac):
        return None
    try:
        return json.loads(base64.urlsafe_b64decode(payload.encode()))
    except ValueError:
        return None
