"""Users, their sessions, API tokens, login attempts, password resets and invitations."""

from piccolo.columns import (
    BigInt,
    Boolean,
    ForeignKey,
    LazyTableReference,
    OnDelete,
    Serial,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from portal.auth.constants import Role


class User(Table, tablename="portal_user"):
    """A person who signs in: vendor staff (partner is null) or a partner's staff."""

    id: Serial  # created by Piccolo; declared for type checkers

    email = Varchar(length=254, unique=True, index=True)  # stored lower-case
    name = Varchar(length=120)
    password_hash = Varchar(length=200)
    role = Varchar(length=20, choices=Role, index=True)
    partner: ForeignKey = ForeignKey(
        LazyTableReference("Partner", app_name="partners"),
        null=True,
        on_delete=OnDelete.restrict,
        index=True,
    )
    can_sales = Boolean(default=False)
    can_purchasing = Boolean(default=False)
    locale = Varchar(length=10, default="")  # "" = follow the browser
    phone = Varchar(length=40, default="")
    title = Varchar(length=80, default="")
    is_active = Boolean(default=True, index=True)
    created_at = Timestamptz()
    last_login_at = Timestamptz(null=True, default=None)
    password_changed_at = Timestamptz()


class AuthSession(Table, tablename="auth_session"):
    """A signed-in browser; only the SHA-256 of its random token is stored."""

    id: Serial  # created by Piccolo; declared for type checkers

    token_hash = Varchar(length=64, unique=True, index=True)
    user = ForeignKey(User, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz()
    last_seen_at = Timestamptz()
    expires_at = Timestamptz()  # absolute expiry; idle expiry is last_seen_at + idle timeout
    ip = Varchar(length=64, default="")
    user_agent = Varchar(length=300, default="")


class ApiToken(Table, tablename="api_token"):
    """A bearer token for the JSON API; only its hash is stored, the prefix is shown in lists."""

    id: Serial  # created by Piccolo; declared for type checkers

    user = ForeignKey(User, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=100)
    prefix = Varchar(length=12)
    token_hash = Varchar(length=64, unique=True, index=True)
    created_at = Timestamptz()
    last_used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class LoginAttempt(Table, tablename="login_attempt"):
    """One sign-in or token request, keyed by account and by IP; shared by every process."""

    id: Serial  # created by Piccolo; declared for type checkers

    key = Varchar(length=300, index=True)  # "acct:<email>" or "ip:<address>"
    attempted_at = Timestamptz(index=True)
    succeeded = Boolean(default=False)


class PasswordReset(Table, tablename="password_reset"):
    """A one-time password reset link."""

    id: Serial  # created by Piccolo; declared for type checkers

    user = ForeignKey(User, on_delete=OnDelete.cascade, index=True)
    token_hash = Varchar(length=64, unique=True, index=True)
    created_at = Timestamptz()
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class Invitation(Table, tablename="invitation"):
    """An e-mailed link that lets a new colleague create an account with a preset role."""

    id: Serial  # created by Piccolo; declared for type checkers

    email = Varchar(length=254, index=True)
    name = Varchar(length=120, default="")
    role = Varchar(length=20, choices=Role)
    partner: ForeignKey = ForeignKey(
        LazyTableReference("Partner", app_name="partners"),
        null=True,
        on_delete=OnDelete.cascade,
        index=True,
    )
    can_sales = Boolean(default=False)
    can_purchasing = Boolean(default=False)
    token_hash = Varchar(length=64, unique=True, index=True)
    invited_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    expires_at = Timestamptz()
    accepted_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)
    accepted_user_id = BigInt(null=True, default=None)
