"""Support cases with their messages, events, escalations and attachments; the SLA calendar,
targets, teams and routing rules; the knowledge base.

User ids (assignee, team lead, members, authors) are plain BigInt columns like elsewhere: users
are never deleted, only disabled. Constraints Piccolo cannot declare portably (composite unique
indexes, among them the one that makes an escalation step happen once per case, deadline and
level, and CHECK constraints) live in the second migration.
"""

from piccolo.columns import (
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    SmallInt,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from portal.auth.tables import User
from portal.partners.tables import Partner, Tier
from portal.support.constants import (
    ArticleStatus,
    CaseCategory,
    CasePriority,
    CaseStatus,
    Channel,
    Deadline,
    EventKind,
)


class SupportCalendar(Table, tablename="support_calendar"):
    """The business-hours calendar of the support desk (one row) and the escalation policy."""

    id: Serial  # created by Piccolo; declared for type checkers

    time_zone = Varchar(length=60, default="Asia/Shanghai")
    work_days = Varchar(length=20, default="0,1,2,3,4")  # Monday = 0
    start_minute = Integer(default=9 * 60)
    end_minute = Integer(default=18 * 60)
    warn_percent = Integer(default=80)  # warning to the assignee at this share of a target
    second_breach_percent = Integer(default=200)  # the vendor admins at this share
    updated_at = Timestamptz()
    updated_by_id = BigInt(null=True, default=None)


class SupportHoliday(Table, tablename="support_holiday"):
    """A day off on a working weekday, or (is_workday) a make-up working day on a weekend."""

    id: Serial  # created by Piccolo; declared for type checkers

    on = Date(unique=True)
    name = Varchar(length=100, default="")
    is_workday = Boolean(default=False)


class SlaTarget(Table, tablename="sla_target"):
    """First-response and resolution targets in business minutes for a priority, optionally for
    one tier (a tier row wins over the row without tier)."""

    id: Serial  # created by Piccolo; declared for type checkers

    priority = Varchar(length=10, choices=CasePriority)
    tier = ForeignKey(Tier, null=True, on_delete=OnDelete.cascade)
    first_response_minutes = Integer()
    resolution_minutes = Integer()
    updated_at = Timestamptz()


class SupportTeam(Table, tablename="support_team"):
    """A group of vendor staff that takes cases, with a lead who receives breaches."""

    id: Serial  # created by Piccolo; declared for type checkers

    name = Varchar(length=100, unique=True)
    lead_id = BigInt(null=True, default=None)
    is_active = Boolean(default=True)
    created_at = Timestamptz()


class SupportTeamMember(Table, tablename="support_team_member"):
    """A vendor user in a team (unique per team and user)."""

    id: Serial  # created by Piccolo; declared for type checkers

    team = ForeignKey(SupportTeam, on_delete=OnDelete.cascade, index=True)
    user_id = BigInt(index=True)


class RoutingRule(Table, tablename="routing_rule"):
    """Where new cases go: the first active rule (by position) whose conditions all match.

    Empty conditions match anything. The target is a team (balanced by least open cases) or one
    person."""

    id: Serial  # created by Piccolo; declared for type checkers

    position = Integer(default=0)
    name = Varchar(length=100, default="")
    category = Varchar(length=30, default="")
    priority = Varchar(length=10, default="")
    province = Varchar(length=10, default="")  # the partner's region
    tier = ForeignKey(Tier, null=True, on_delete=OnDelete.cascade)
    team = ForeignKey(SupportTeam, null=True, on_delete=OnDelete.cascade)
    assignee_id = BigInt(null=True, default=None)
    is_active = Boolean(default=True)
    created_at = Timestamptz()


class SupportCase(Table, tablename="support_case"):
    """A partner's case. The partner comes from the user who opened it (or, for staff, the
    partner chosen in the console); deadlines are UTC instants computed with the calendar."""

    id: Serial  # created by Piccolo; declared for type checkers

    number = Varchar(length=30, unique=True)
    partner = ForeignKey(Partner, on_delete=OnDelete.restrict, index=True)
    opened_by = ForeignKey(User, on_delete=OnDelete.restrict, index=True)
    opened_by_vendor = Boolean(default=False)
    # the partner user the case is for: the opener, or the contact staff chose for the partner
    requester = ForeignKey(User, on_delete=OnDelete.restrict, index=True)
    channel = Varchar(length=10, choices=Channel, default=Channel.PORTAL)
    category = Varchar(length=30, choices=CaseCategory, index=True)
    priority = Varchar(length=10, choices=CasePriority, index=True)
    status = Varchar(length=20, choices=CaseStatus, default=CaseStatus.NEW, index=True)
    subject = Varchar(length=200)
    description = Text()
    order_id = BigInt(null=True, default=None, index=True)
    end_customer_id = BigInt(null=True, default=None, index=True)
    team = ForeignKey(SupportTeam, null=True, on_delete=OnDelete.set_null, index=True)
    assignee_id = BigInt(null=True, default=None, index=True)
    reply_token = Varchar(length=40, unique=True)
    tier_code = Varchar(length=30, default="")
    # SLA targets (business minutes) and the ladder's instants, shifted after each pause
    first_response_target = Integer()
    resolution_target = Integer()
    fr_warn_at = Timestamptz(null=True, default=None)
    fr_due_at = Timestamptz(null=True, default=None)
    fr_second_at = Timestamptz(null=True, default=None)
    res_warn_at = Timestamptz(null=True, default=None)
    res_due_at = Timestamptz(null=True, default=None)
    res_second_at = Timestamptz(null=True, default=None)
    fr_level = SmallInt(default=0)  # highest escalation rung reached per deadline
    res_level = SmallInt(default=0)
    paused_at = Timestamptz(null=True, default=None)  # waiting on partner or resolved since
    paused_minutes = Integer(default=0)  # business minutes of earlier pauses; deadlines move
    first_responded_at = Timestamptz(null=True, default=None)
    first_response_minutes = Integer(null=True, default=None)  # business minutes
    resolved_at = Timestamptz(null=True, default=None)
    resolution_minutes = Integer(null=True, default=None)  # business minutes, pauses excluded
    resolved_within_sla = Boolean(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)
    vendor_replies = Integer(default=0)
    reopen_count = Integer(default=0)
    csat_request_id = BigInt(null=True, default=None)
    csat_score = SmallInt(null=True, default=None)
    created_at = Timestamptz(index=True)
    updated_at = Timestamptz()


class CaseMessage(Table, tablename="case_message"):
    """A public reply or an internal note (vendor only, never shown to partners)."""

    id: Serial  # created by Piccolo; declared for type checkers

    support_case = ForeignKey(SupportCase, on_delete=OnDelete.cascade, index=True)
    author_id = BigInt(null=True, default=None)
    author_name = Varchar(length=120, default="")
    author_is_vendor = Boolean(default=False)
    is_internal = Boolean(default=False)
    channel = Varchar(length=10, choices=Channel, default=Channel.PORTAL)
    body = Text()
    email_message_id = Varchar(length=300, null=True, default=None)  # inbound de-duplication
    created_at = Timestamptz()


class CaseAttachment(Table, tablename="case_attachment"):
    """A file uploaded with a case or a reply; stored by portal.lib.storage under `key`."""

    id: Serial  # created by Piccolo; declared for type checkers

    support_case = ForeignKey(SupportCase, on_delete=OnDelete.cascade, index=True)
    message = ForeignKey(CaseMessage, null=True, on_delete=OnDelete.cascade)
    key = Varchar(length=300)
    filename = Varchar(length=255)
    content_type = Varchar(length=100)
    size = BigInt()
    sha256 = Varchar(length=64)
    is_internal = Boolean(default=False)
    uploaded_by_id = BigInt(null=True, default=None)
    created_at = Timestamptz()


class CaseEvent(Table, tablename="case_event"):
    """One step of a case's life: the timeline. Internal steps (notes, escalations) are vendor
    only."""

    id: Serial  # created by Piccolo; declared for type checkers

    support_case = ForeignKey(SupportCase, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=20, choices=EventKind)
    from_status = Varchar(length=20, default="")
    to_status = Varchar(length=20, default="")
    actor_id = BigInt(null=True, default=None)
    actor_name = Varchar(length=120, default="")
    is_internal = Boolean(default=False)
    detail = Text(default="")
    message = ForeignKey(CaseMessage, null=True, on_delete=OnDelete.cascade)
    at = Timestamptz()
    # the e-mails about this step, queued by the notify_case_event job after the commit;
    # notified_at marks it done (set at insert for steps nobody is told about)
    notified_at = Timestamptz(null=True, default=None)
    notify_lease_until = Timestamptz(null=True, default=None)


class CaseEscalation(Table, tablename="case_escalation"):
    """One rung of the ladder reached by one case for one deadline; unique per (case, deadline,
    level), so the minute job can run twice and still escalate once."""

    id: Serial  # created by Piccolo; declared for type checkers

    support_case = ForeignKey(SupportCase, on_delete=OnDelete.cascade)
    deadline = Varchar(length=20, choices=Deadline)
    level = SmallInt()
    due_at = Timestamptz(null=True, default=None)
    at = Timestamptz(index=True)
    notified_at = Timestamptz(null=True, default=None)
    notify_lease_until = Timestamptz(null=True, default=None)


class CaseEmail(Table, tablename="case_email"):
    """An outgoing e-mail about a case (its outbox row carries the case's Reply-To); a reply that
    lost the Reply-To address still finds the case through In-Reply-To."""

    id: Serial  # created by Piccolo; declared for type checkers

    email_id = BigInt(unique=True)
    support_case = ForeignKey(SupportCase, on_delete=OnDelete.cascade, index=True)
    recipient_id = BigInt(null=True, default=None)


class KbCategory(Table, tablename="kb_category"):
    """A section of the knowledge base."""

    id: Serial  # created by Piccolo; declared for type checkers

    code = Varchar(length=40, unique=True)
    name_zh = Varchar(length=100)
    name_en = Varchar(length=100, default="")
    position = Integer(default=0)


class KbArticle(Table, tablename="kb_article"):
    """An article in Chinese and English; partners see only published ones."""

    id: Serial  # created by Piccolo; declared for type checkers

    category = ForeignKey(KbCategory, null=True, on_delete=OnDelete.set_null, index=True)
    title_zh = Varchar(length=200, default="")
    title_en = Varchar(length=200, default="")
    body_zh = Text(default="")
    body_en = Text(default="")
    keywords = Varchar(length=300, default="")
    status = Varchar(length=10, choices=ArticleStatus, default=ArticleStatus.DRAFT, index=True)
    source_case_id = BigInt(null=True, default=None)
    author_id = BigInt(null=True, default=None)
    views = Integer(default=0)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    published_at = Timestamptz(null=True, default=None)
