"""The raw SQL of the auth domain: the per-request lookup of the signed-in user (issue 19).

Hand-written joins rather than Piccolo selects: a select through the lazy User.partner reference
resolves it (Finder().get_app_configs()) on every column, ~6 times a request. The columns are
keyed as a Piccolo select would key them ("partner.id" ...), which sessions._current_user reads. Values are bound ({} placeholders), never formatted in.
"""

from __future__ import annotations

from typing import Any

from portal.auth.tables import ApiToken, AuthSession

USER_SQL = """u.id, u.email, u.name, u.role, u.can_sales, u.can_purchasing, u.locale, u.is_active,
 p.id AS "partner.id", p.name AS "partner.name", p.status AS "partner.status"
 FROM portal_user u LEFT JOIN partner p ON p.id = u.partner"""

# the session, its user and partner: one statement per signed-in request
SESSION_SQL = f"""SELECT s.id AS session_id, s.last_seen_at, s.expires_at, {USER_SQL}
 JOIN auth_session s ON s."user" = u.id WHERE s.token_hash = {{}}"""

# the same for a live API token
TOKEN_SQL = f"""SELECT t.id AS token_id, t.last_used_at, {USER_SQL}
 JOIN api_token t ON t."user" = u.id WHERE t.token_hash = {{}} AND t.revoked_at IS NULL"""


async def session_row(token_hash: str) -> dict[str, Any] | None:
    """The session with this token hash, its user and partner (None if there is none)."""
    found = await AuthSession.raw(SESSION_SQL, token_hash)
    return found[0] if found else None


async def token_row(token_hash: str) -> dict[str, Any] | None:
    """The live API token with this hash, its user and partner (None if there is none)."""
    found = await ApiToken.raw(TOKEN_SQL, token_hash)
    return found[0] if found else None
