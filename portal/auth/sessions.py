"""Sign-in: throttling, browser sessions in our own table, and API tokens.

A new random token is issued at every sign-in (no session fixation); only its SHA-256 is stored.
Sessions end on idle timeout, absolute expiry, sign-out, password change, user disabled or partner
suspended; the last four also revoke the user's API tokens for good. Throttling counts failures in the database so every app process sees the same numbers.
"""

from __future__ import annotations

import datetime as dt

from piccolo.custom_types import Combinable

from portal.auth import queries, throttle
from portal.auth.constants import PartnerStatus
from portal.auth.schemas import CurrentUser
from portal.auth.tables import ApiToken, AuthSession, User
from portal.auth.throttle import Throttled as Throttled  # re-exported for callers
from portal.core import audit
from portal.lib.clock import now
from portal.lib.security import new_token, token_hash, verify_password
from portal.settings import get_settings

TOUCH_EVERY = dt.timedelta(seconds=60)  # write last_seen_at at most once a minute per session


def normalise_email(email: str) -> str:
    return email.strip().lower()


def login_limits(email: str, ip: str) -> list[tuple[str, int]]:
    """The sign-in keys and their limits: the account, and the client address."""
    settings = get_settings()
    return [
        (f"acct:{normalise_email(email)}", settings.login_max_failures_per_account),
        (f"ip:{ip}", settings.login_max_failures_per_ip),
    ]


def login_window() -> dt.timedelta:
    return dt.timedelta(minutes=get_settings().login_window_minutes)


async def check_throttle(email: str, ip: str) -> None:
    """Raise Throttled when the account or the IP already had too many failures in the window."""
    await throttle.check(login_limits(email, ip), login_window())


async def authenticate(email: str, password: str, ip: str, purpose: str = "login") -> int | None:
    """The user id when e-mail and password match an active user of an active partner.

    Unknown e-mail, wrong password, disabled user and suspended partner all give None (the caller
    shows one message); raises Throttled, checking nothing, when over the limit.
    """
    email = normalise_email(email)
    # counted before the slow password check, so parallel guesses cannot all get through
    attempt_ids = await throttle.take(login_limits(email, ip), login_window())
    row = (
        await User.select(
            User.id, User.email, User.password_hash, User.is_active, User.partner.status
        )
        .where(User.email == email)
        .first()
    )
    ok = await verify_password(row["password_hash"] if row else None, password)
    usable = bool(
        ok and row and row["is_active"] and row["partner.status"] in (None, PartnerStatus.ACTIVE)
    )
    if usable:
        await throttle.clear(attempt_ids)
    await audit.record(
        f"{purpose}.success" if usable else f"{purpose}.failure",
        actor_email=email,
        ip=ip,
        target_type="user",
        target_id=row["id"] if row else None,
        detail="" if usable else ("unknown account" if not row else "refused"),
    )
    if not usable or row is None:
        return None
    return int(row["id"])


async def start_session(user_id: int, ip: str, user_agent: str) -> str:
    """A fresh session for the user; returns the cookie token (never stored in clear)."""
    settings = get_settings()
    token = new_token()
    moment = now()
    await AuthSession.insert(
        AuthSession(
            token_hash=token_hash(token),
            user=user_id,
            created_at=moment,
            last_seen_at=moment,
            expires_at=moment + dt.timedelta(hours=settings.session_absolute_hours),
            ip=ip[:64],
            user_agent=user_agent[:300],
        )
    )
    await User.update({User.last_login_at: moment}).where(User.id == user_id)
    return token


def _current_user(row: dict, **extra: object) -> CurrentUser:
    return CurrentUser(
        id=row["id"],
        email=row["email"],
        name=row["name"],
        role=row["role"],
        partner_id=row["partner.id"],
        partner_name=row["partner.name"] or "",
        partner_status=row["partner.status"] or "",
        can_sales=row["can_sales"],
        can_purchasing=row["can_purchasing"],
        locale=row["locale"] or "",
        **extra,  # type: ignore[arg-type]
    )


def _usable(row: dict) -> bool:
    return bool(row["is_active"]) and row["partner.status"] in (None, PartnerStatus.ACTIVE)


async def user_for_session(token: str, ip: str = "") -> CurrentUser | None:
    """The user behind a session cookie, or None when unknown, idle, expired or revoked.

    One statement per request (session, user and partner joined); a second only to drop an
    expired session or, at most once a minute, to touch last_seen_at."""
    if not token or len(token) > 100:
        return None
    settings = get_settings()
    moment = now()
    row = await queries.session_row(token_hash(token))
    if row is None:
        return None
    idle_limit = row["last_seen_at"] + dt.timedelta(minutes=settings.session_idle_minutes)
    if row["expires_at"] <= moment or idle_limit <= moment:
        await AuthSession.delete().where(AuthSession.id == row["session_id"])
        return None
    if not _usable(row):
        return None
    if moment - row["last_seen_at"] > TOUCH_EVERY:
        await AuthSession.update({AuthSession.last_seen_at: moment}).where(
            AuthSession.id == row["session_id"]
        )
    return _current_user(row, session_id=row["session_id"], ip=ip)


async def user_for_api_token(token: str, ip: str = "") -> CurrentUser | None:
    """The user behind a bearer token, or None when unknown or revoked (one statement, plus the
    last_used_at touch at most once a minute)."""
    if not token or len(token) > 100:
        return None
    row = await queries.token_row(token_hash(token))
    if row is None or not _usable(row):
        return None
    moment = now()
    if row["last_used_at"] is None or moment - row["last_used_at"] > TOUCH_EVERY:
        await ApiToken.update({ApiToken.last_used_at: moment}).where(ApiToken.id == row["token_id"])
    return _current_user(row, token_id=row["token_id"], ip=ip)


async def end_session(session_id: int) -> None:
    await AuthSession.delete().where(AuthSession.id == session_id)


async def end_sessions(where: Combinable) -> int:
    """Delete the sessions matching a condition; returns how many ended."""
    rows = await AuthSession.delete().where(where).returning(AuthSession.id)
    return len(rows)


async def revoke_tokens(where: Combinable) -> int:
    """Revoke for good the live API tokens matching a condition; returns how many."""
    rows = (
        await ApiToken.update({ApiToken.revoked_at: now()})
        .where(where & ApiToken.revoked_at.is_null())
        .returning(ApiToken.id)
    )
    return len(rows)


async def end_user_sessions(user_id: int, except_session: int | None = None) -> int:
    """End every session of a user (optionally keeping the current one) and revoke every API token.

    Used on password change/reset, "end other sessions" and disabling: a withdrawn access must not
    survive in a token (re-enabling the user does not bring the tokens back). Returns the sessions.
    """
    condition: Combinable = AuthSession.user == user_id
    if except_session is not None:
        condition = condition & (AuthSession.id != except_session)
    await revoke_tokens(ApiToken.user == user_id)
    return await end_sessions(condition)


async def end_partner_sessions(partner_id: int) -> int:
    """End every session and revoke every API token of every user of a partner (suspended)."""
    user_ids = User.select(User.id).where(User.partner == partner_id)
    await revoke_tokens(ApiToken.user.is_in(user_ids))  # type: ignore[arg-type]
    rows = (
        await AuthSession.delete().where(AuthSession.user.is_in(user_ids)).returning(AuthSession.id)
    )  # type: ignore[arg-type]
    return len(rows)


async def list_sessions(user_id: int) -> list[dict]:
    return (
        await AuthSession.select(
            AuthSession.id,
            AuthSession.created_at,
            AuthSession.last_seen_at,
            AuthSession.ip,
            AuthSession.user_agent,
        )
        .where(AuthSession.user == user_id)
        .order_by(AuthSession.last_seen_at, ascending=False)
    )


async def create_api_token(user: CurrentUser, name: str) -> str:
    """A new bearer token for the user; the clear value is shown once and never stored."""
    token = "ppt_" + new_token(30)
    await ApiToken.insert(
        ApiToken(
            user=user.id,
            name=name.strip()[:100] or "API",
            prefix=token[:10],
            token_hash=token_hash(token),
            created_at=now(),
        )
    )
    await audit.record(
        "api_token.create",
        actor=user,
        partner_id=user.partner_id,
        target_type="user",
        target_id=user.id,
        after={"name": name},
    )
    return token


async def list_api_tokens(user_id: int) -> list[dict]:
    return (
        await ApiToken.select(
            ApiToken.id, ApiToken.name, ApiToken.prefix, ApiToken.created_at, ApiToken.last_used_at
        )
        .where((ApiToken.user == user_id) & ApiToken.revoked_at.is_null())
        .order_by(ApiToken.id, ascending=False)
    )


async def revoke_api_token(user: CurrentUser, token_id: int) -> bool:
    """Revoke one of the user's own tokens; False when it is not theirs (or already revoked)."""
    rows = await revoke_tokens((ApiToken.id == token_id) & (ApiToken.user == user.id))
    if rows:
        await audit.record(
            "api_token.revoke",
            actor=user,
            partner_id=user.partner_id,
            target_type="api_token",
            target_id=token_id,
        )
    return bool(rows)


async def prune_attempts(older_than: dt.timedelta = dt.timedelta(days=2)) -> None:
    await throttle.prune(older_than)
    await AuthSession.delete().where(AuthSession.expires_at < now())
