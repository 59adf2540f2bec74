"""All configuration, read once from environment variables; bad values fail loudly at start-up."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PROJECT_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PROJECT_DIR / "templates"
STATIC_DIR = PROJECT_DIR / "static"
LOCALES_DIR = PACKAGE_DIR / "locales"

SUPPORTED_LOCALES = ("zh_CN", "en")
MODES = ("demo", "dev", "test", "production")


class SettingsError(RuntimeError):
    """A setting is missing or malformed; the message names it."""


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be true or false, not {raw!r}")


def _int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be an integer, not {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, not {value}")
    return value


@dataclass(frozen=True)
class Settings:
    """The portal's configuration; see .env.example for every variable."""

    mode: str
    data_dir: Path
    database_url: str
    redis_url: str | None
    smtp_url: str | None
    mail_from: str
    secret_key: str
    base_url: str
    default_locale: str
    time_zone: str
    session_idle_minutes: int
    session_absolute_hours: int
    login_max_failures_per_account: int
    login_max_failures_per_ip: int
    login_window_minutes: int
    invitation_days: int
    password_reset_minutes: int
    argon2_profile: str
    run_jobs_in_process: bool
    # monthly performance reports: "<day of month> <HH:MM> <time zone>" (REPORT_SCHEDULE)
    report_schedule: tuple[int, int, int, str] = (1, 8, 0, "Asia/Shanghai")
    # uploaded files (portal.lib.storage): a local folder, or an S3-compatible bucket when set
    storage_dir: Path = Path("data/files")
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str = "us-east-1"
    s3_access_key_id: str = ""
    s3_secret_access_key: str = ""
    upload_max_mb: int = 50
    # support cases: Reply-To of case e-mails (support+<token>@domain), inbound mail secret,
    # days a partner may reopen a resolved case (after which it closes)
    support_reply_address: str = ""
    inbound_email_secret: str = ""
    support_reopen_days: int = 7
    # leads: working hours (Monday to Friday, TIME_ZONE) a partner has to accept an offered lead
    # before it goes to the next eligible partner (LEAD_ACCEPT_HOURS)
    lead_accept_hours: int = 24
    # PostgreSQL connections per process (DATABASE_POOL_SIZE) and the seconds an idle one is kept
    # before it is closed (DATABASE_POOL_IDLE_SECONDS), so a worker gives its batch's back
    db_pool_size: int = 10
    db_pool_idle_seconds: int = 60
    # request and job log lines: "text" (key=value) or "json" (LOG_FORMAT)
    log_format: str = "text"
    # leases and retries of the senders (REPORT_LEASE_SECONDS, EMAIL_LEASE_SECONDS: how long a
    # claimed row is left to a sender before another may take it; RETRY_BASE_SECONDS: the first
    # back-off after a failed send, doubling up to an hour) and SWEEP_SECONDS (0: the production
    # schedule, the outbox swept every minute and the reports reconciled every 5 minutes; N: both,
    # and due campaigns and surveys, every N seconds). The fault tests shorten them.
    report_lease_seconds: int = 600
    email_lease_seconds: int = 300
    retry_base_seconds: int = 30
    sweep_seconds: int = 0
    # test-only (refused in production): each report waits this long after its claim, before it
    # is rendered, so that the fault test can kill a worker mid-render (REPORT_RENDER_DELAY_SECONDS)
    report_render_delay_seconds: float = 0.0
    # `portal serve` behind a reverse proxy: the addresses whose X-Forwarded-For / -Proto count
    forwarded_allow_ips: str = "127.0.0.1"
    outbox_dir: Path = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "outbox_dir", self.data_dir / "outbox")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path:
        return Path(urlparse(self.database_url).path if "://" in self.database_url else "")

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


def _sqlite_path_from_url(url: str) -> Path:
    # sqlite:///relative/or/absolute.db ; sqlite:////abs/path.db
    rest = url.split("://", 1)[1]
    # sqlite:///data/x.db is relative; sqlite:////srv/x.db is absolute (the fourth slash stays)
    return Path(rest[1:] if rest.startswith("/") else rest)


def _report_schedule(raw: str) -> tuple[int, int, int, str]:
    """'1 08:00 Asia/Shanghai' -> (day, hour, minute, zone); raises SettingsError when malformed."""
    raw = raw.strip() or "1 08:00 Asia/Shanghai"
    match = re.fullmatch(r"(\d{1,2})\s+(\d{1,2}):(\d{2})\s+(\S+)", raw)
    problem = "REPORT_SCHEDULE must look like '1 08:00 Asia/Shanghai' (day 1-28, time, zone)"
    if not match:
        raise SettingsError(f"{problem}, not {raw!r}")
    day, hour, minute, zone = int(match[1]), int(match[2]), int(match[3]), match[4]
    if not (1 <= day <= 28 and hour < 24 and minute < 60):
        raise SettingsError(f"{problem}, not {raw!r}")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"REPORT_SCHEDULE: {zone!r} is not a known time zone") from None
    return day, hour, minute, zone


def load_settings() -> Settings:
    """Build Settings from the environment; raises SettingsError naming the bad variable."""
    mode = os.environ.get("PORTAL_MODE", "demo").strip() or "demo"
    if mode not in MODES:
        raise SettingsError(f"PORTAL_MODE must be one of {', '.join(MODES)}, not {mode!r}")
    data_dir = Path(os.environ.get("PORTAL_DATA_DIR") or PROJECT_DIR / "data").resolve()

    database_url = os.environ.get("DATABASE_URL", "").strip()
    if not database_url:
        database_url = f"sqlite:///{data_dir / 'portal.db'}"
    scheme = database_url.split("://", 1)[0]
    if scheme not in {"sqlite", "postgres", "postgresql"}:
        raise SettingsError(
            f"DATABASE_URL must start with sqlite:// or postgresql://, not {scheme!r}"
        )
    if scheme == "sqlite":
        path = _sqlite_path_from_url(database_url)
        if not path.is_absolute():
            path = (Path.cwd() / path).resolve()
        database_url = f"sqlite:///{path}"

    redis_url = os.environ.get("REDIS_URL", "").strip() or None
    if redis_url and not redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError("REDIS_URL must start with redis://, rediss:// or unix://")
    smtp_url = os.environ.get("SMTP_URL", "").strip() or None
    if smtp_url and not smtp_url.startswith(("smtp://", "smtps://", "smtp+starttls://")):
        raise SettingsError("SMTP_URL must start with smtp://, smtps:// or smtp+starttls://")

    secret_key = os.environ.get("SECRET_KEY", "").strip()
    if not secret_key:
        if mode in {"demo", "dev", "test"}:
            secret_key = _dev_secret(data_dir)
        else:
            raise SettingsError("SECRET_KEY is required when PORTAL_MODE=production")
    elif len(secret_key) < 32:
        raise SettingsError("SECRET_KEY must be at least 32 characters")

    default_locale = os.environ.get("DEFAULT_LOCALE", "zh_CN")
    if default_locale not in SUPPORTED_LOCALES:
        raise SettingsError(f"DEFAULT_LOCALE must be one of {', '.join(SUPPORTED_LOCALES)}")
    time_zone = os.environ.get("TIME_ZONE", "Asia/Shanghai")
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"TIME_ZONE {time_zone!r} is not a known time zone") from None
    argon2_profile = os.environ.get("ARGON2_PROFILE", "test" if mode == "test" else "strong")
    if argon2_profile not in {"strong", "test"}:
        raise SettingsError("ARGON2_PROFILE must be strong or test")
    if argon2_profile == "test" and mode == "production":
        raise SettingsError("ARGON2_PROFILE=test is refused in production")

    return Settings(
        mode=mode,
        data_dir=data_dir,
        database_url=database_url,
        redis_url=redis_url,
        smtp_url=smtp_url,
        forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "").strip() or "127.0.0.1",
        mail_from=os.environ.get("MAIL_FROM", "Partner Portal <portal@localhost>"),
        secret_key=secret_key,
        base_url=os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
        default_locale=default_locale,
        time_zone=time_zone,
        session_idle_minutes=_int("SESSION_IDLE_MINUTES", 120, 1),
        session_absolute_hours=_int("SESSION_ABSOLUTE_HOURS", 24 * 7, 1),
        login_max_failures_per_account=_int("LOGIN_MAX_FAILURES_PER_ACCOUNT", 5, 1),
        login_max_failures_per_ip=_int("LOGIN_MAX_FAILURES_PER_IP", 30, 1),
        login_window_minutes=_int("LOGIN_WINDOW_MINUTES", 15, 1),
        invitation_days=_int("INVITATION_DAYS", 7, 1),
        password_reset_minutes=_int("PASSWORD_RESET_MINUTES", 60, 5),
        argon2_profile=argon2_profile,
        run_jobs_in_process=_bool("RUN_JOBS_IN_PROCESS", redis_url is None),
        report_schedule=_report_schedule(os.environ.get("REPORT_SCHEDULE", "")),
        storage_dir=Path(os.environ.get("STORAGE_DIR") or data_dir / "files").resolve(),
        s3_bucket=os.environ.get("S3_BUCKET", "").strip() or None,
        s3_endpoint_url=os.environ.get("S3_ENDPOINT_URL", "").strip() or None,
        s3_region=os.environ.get("S3_REGION", "").strip() or "us-east-1",
        s3_access_key_id=os.environ.get("S3_ACCESS_KEY_ID", "").strip(),
        s3_secret_access_key=os.environ.get("S3_SECRET_ACCESS_KEY", "").strip(),
        upload_max_mb=_int("UPLOAD_MAX_MB", 50, 1),
        support_reply_address=os.environ.get("SUPPORT_REPLY_ADDRESS", "").strip(),
        inbound_email_secret=os.environ.get("INBOUND_EMAIL_SECRET", "").strip(),
        support_reopen_days=_int("SUPPORT_REOPEN_DAYS", 7, 0),
        lead_accept_hours=_int("LEAD_ACCEPT_HOURS", 24, 1),
        db_pool_size=_int("DATABASE_POOL_SIZE", 10, 1),
        db_pool_idle_seconds=_int("DATABASE_POOL_IDLE_SECONDS", 60, 1),
        log_format=_choice("LOG_FORMAT", ("text", "json"), "text"),
        report_lease_seconds=_int("REPORT_LEASE_SECONDS", 600, 1),
        email_lease_seconds=_int("EMAIL_LEASE_SECONDS", 300, 1),
        retry_base_seconds=_int("RETRY_BASE_SECONDS", 30, 1),
        sweep_seconds=_sweep_seconds(),
        report_render_delay_seconds=_render_delay(mode),
    )


def _sweep_seconds() -> int:
    value = _int("SWEEP_SECONDS", 0, 0)
    if value and (value > 30 or 60 % value):
        raise SettingsError(f"SWEEP_SECONDS must be 0 or divide 60 (at most 30), not {value}")
    return value


def _render_delay(mode: str) -> float:
    raw = os.environ.get("REPORT_RENDER_DELAY_SECONDS", "").strip()
    if not raw:
        return 0.0
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"REPORT_RENDER_DELAY_SECONDS must be a number, not {raw!r}") from None
    if value < 0 or (value and mode == "production"):
        raise SettingsError("REPORT_RENDER_DELAY_SECONDS is for tests (>= 0, never in production)")
    return value


def _choice(name: str, allowed: tuple[str, ...], default: str) -> str:
    value = os.environ.get(name, "").strip().lower() or default
    if value not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def masked_url(url: str | None) -> str:
    """A URL with its password replaced by ***, for logs and `portal doctor`."""
    if not url:
        return ""
    parsed = urlparse(url)
    if not parsed.password:
        return url
    netloc = parsed.netloc.rsplit("@", 1)[1]
    user = parsed.username or ""
    return parsed._replace(netloc=f"{user}:***@{netloc}").geturl()


def production_warnings(settings: Settings) -> list[str]:
    """What a production deployment should not run with (empty outside PORTAL_MODE=production)."""
    if settings.mode != "production":
        return []
    warnings = []
    if settings.is_sqlite:
        warnings.append("DATABASE_URL is SQLite: one machine only; use PostgreSQL in production")
    if not settings.smtp_url:
        warnings.append(f"SMTP_URL is not set: e-mail is written to files in {settings.outbox_dir}")
    if settings.base_url.startswith("http://"):
        warnings.append(
            f"PORTAL_BASE_URL {settings.base_url} is http://: cookies are not marked secure "
            "and e-mailed links are not encrypted; use https://"
        )
    return warnings


def _dev_secret(data_dir: Path) -> str:
    """A secret kept in the data folder, so every demo process shares it (CSRF, cookies)."""
    path = data_dir / ".secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        data_dir.mkdir(parents=True, exist_ok=True)
        value = secrets.token_urlsafe(48)
        try:
            with path.open("x") as fh:
                fh.write(value)
        except FileExistsError:
            return path.read_text().strip()
        return value


def _load_dotenv(path: Path) -> None:
    """Read KEY=value lines from .env into the environment; real variables win."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _sep, value = line.partition("=")
        key = key.strip().removeprefix("export ").strip()
        value = value.strip().strip('"').strip("'")
        os.environ.setdefault(key, value)


_current: Settings | None = None


def get_settings() -> Settings:
    """The process-wide settings, loaded on first use (.env in the checkout, then the environment)."""
    global _current
    if _current is None:
        if os.environ.get("PORTAL_MODE") != "test":
            _load_dotenv(PROJECT_DIR / ".env")
        _current = load_settings()
    return _current


@contextmanager
def override(**changes: object) -> Iterator[Settings]:
    """Replace some settings for a block (tests: SMTP_URL, REDIS_URL ...)."""
    global _current
    previous = get_settings()
    _current = replace(previous, **changes)  # type: ignore[arg-type]
    try:
        yield _current
    finally:
        _current = previous
