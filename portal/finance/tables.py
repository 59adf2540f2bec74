"""Finance tables: the partner's finance profile (payment terms, 开票信息), receivables, payments,
their allocations, the append-only ledger and payment reminders.

Orders' rows are named by plain BigInt ids (shipment_id, order_id): orders are never deleted,
and finance only reads them. Constraints Piccolo cannot declare portably (CHECKs, the triggers
that make ledger_entry and payment_allocation append-only) live in the second migration.
"""

from piccolo.columns import (
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from portal.finance.constants import (
    DEFAULT_TERMS,
    LedgerKind,
    PaymentMethod,
    PaymentTerms,
    RebateBase,
    RebateMode,
    RebateStatus,
    StatementStatus,
)
from portal.partners.tables import Partner


class FinanceProfile(Table, tablename="finance_profile"):
    """A partner's payment terms (set by the vendor) and invoicing details (开票信息, edited by the
    partner admin). One row per partner; `postings` is bumped by every money posting, and that
    UPDATE is the lock that serialises one partner's allocations on PostgreSQL."""

    id: Serial  # created by Piccolo; declared for type checkers

    partner = ForeignKey(Partner, on_delete=OnDelete.cascade, unique=True)
    payment_terms = Varchar(length=20, choices=PaymentTerms, default=DEFAULT_TERMS)
    invoice_title = Varchar(length=200, default="")  # 发票抬头
    tax_number = Varchar(length=18, default="")  # 统一社会信用代码 / 纳税人识别号
    invoice_address = Varchar(length=300, default="")
    invoice_phone = Varchar(length=40, default="")
    bank_name = Varchar(length=200, default="")  # 开户行
    bank_account = Varchar(length=40, default="")  # 银行账号
    postings = BigInt(default=0)
    updated_at = Timestamptz()
    updated_by_id = BigInt(null=True, default=None)


class Receivable(Table, tablename="receivable"):
    """What a partner owes for one shipment: its lines at the order's unit prices, due by the
    partner's payment terms at the time. paid_amount grows only through payment allocations
    (CHECK 0 <= paid_amount <= amount); the invoice number is recorded by vendor staff."""

    id: Serial  # created by Piccolo; declared for type checkers

    partner = ForeignKey(Partner, on_delete=OnDelete.restrict, index=True)
    shipment_id = BigInt(unique=True)  # orders.Shipment: one receivable per shipment
    order_id = BigInt(index=True)
    order_number = Varchar(length=30)
    amount = BigInt()  # minor units
    paid_amount = BigInt(default=0)
    currency = Varchar(length=3, default="CNY")
    payment_terms = Varchar(length=20, choices=PaymentTerms, default=DEFAULT_TERMS)
    issued_on = Date()  # the shipment's day in the portal's time zone
    due_on = Date(index=True)
    paid_on = Date(null=True, default=None)  # the payment that settled the last of it
    # the part of the order's rebate deduction this shipment carries (amount is net of it)
    deducted_amount = BigInt(default=0)
    invoice_number = Varchar(length=40, default="")  # 发票号
    invoiced_on = Date(null=True, default=None)
    created_at = Timestamptz()


class Payment(Table, tablename="payment"):
    """Money received from a partner, recorded by vendor staff. A bank reference is unique, so
    the same bank line posted twice (or 64 times at once) is one payment."""

    id: Serial  # created by Piccolo; declared for type checkers

    partner = ForeignKey(Partner, on_delete=OnDelete.restrict, index=True)
    amount = BigInt()  # minor units, > 0
    allocated_amount = BigInt(default=0)  # the rest is balance on account
    # allocated by hand to receivables the vendor chose: the rest stays on account (settle
    # leaves it alone) instead of going to the oldest open receivables
    hand_allocated = Boolean(default=False)
    currency = Varchar(length=3, default="CNY")
    paid_on = Date()
    method = Varchar(length=20, choices=PaymentMethod, default=PaymentMethod.BANK_TRANSFER)
    bank_reference = Varchar(length=100, null=True, default=None, unique=True)
    note = Varchar(length=300, default="")
    recorded_by_id = BigInt(null=True, default=None)
    recorded_by_name = Varchar(length=120, default="")
    created_at = Timestamptz()


class PaymentAllocation(Table, tablename="payment_allocation"):
    """Part of a payment applied to a receivable; never updated or deleted."""

    id: Serial  # created by Piccolo; declared for type checkers

    payment = ForeignKey(Payment, on_delete=OnDelete.restrict, index=True)
    receivable = ForeignKey(Receivable, on_delete=OnDelete.restrict, index=True)
    amount = BigInt()
    at = Timestamptz()


class LedgerEntry(Table, tablename="ledger_entry"):
    """One posting on a partner's account, never updated or deleted (a correction is a new
    row). amount is signed: + the partner owes more (goods shipped), - less (a payment)."""

    id: Serial  # created by Piccolo; declared for type checkers

    partner = ForeignKey(Partner, on_delete=OnDelete.restrict, index=True)
    kind = Varchar(length=20, choices=LedgerKind)
    amount = BigInt()
    currency = Varchar(length=3, default="CNY")
    posted_on = Date(index=True)
    receivable = ForeignKey(Receivable, null=True, on_delete=OnDelete.restrict)
    payment = ForeignKey(Payment, null=True, on_delete=OnDelete.restrict)
    memo = Varchar(length=300, default="")
    actor_id = BigInt(null=True, default=None)
    at = Timestamptz()


class RebateDeduction(Table, tablename="rebate_deduction"):
    """Rebate credit used on an order (amount > 0, key "use:<order id>:<payment id>") or given
    back when the order was rejected or cancelled (amount < 0, key "return:..."); never updated
    or deleted. A credit note's allocated_amount counts its allocations and these rows."""

    id: Serial  # created by Piccolo; declared for type checkers

    key = Varchar(length=60, unique=True)
    partner = ForeignKey(Partner, on_delete=OnDelete.restrict, index=True)
    payment = ForeignKey(Payment, on_delete=OnDelete.restrict, index=True)  # the credit note
    order_id = BigInt(index=True)  # orders.Order
    order_number = Varchar(length=30)
    amount = BigInt()
    actor_id = BigInt(null=True, default=None)
    at = Timestamptz()


class PaymentReminder(Table, tablename="payment_reminder"):
    """One reminder e-mail per receivable and step ("<receivable id>:<step>" is unique)."""

    id: Serial  # created by Piccolo; declared for type checkers

    key = Varchar(length=60, unique=True)
    receivable = ForeignKey(Receivable, on_delete=OnDelete.cascade, index=True)
    step = Varchar(length=20)
    email_id = BigInt(null=True, default=None)
    sent_at = Timestamptz()


class Statement(Table, tablename="finance_statement"):
    """A partner's answer to its monthly statement (对账单): confirmed, or disputed with a comment
    and the support case it opened. The figures themselves are always read from the ledger;
    closing_amount keeps what the partner saw when answering. One row per partner and month
    ("<partner id>:<YYYY-MM>" is unique)."""

    id: Serial  # created by Piccolo; declared for type checkers

    key = Varchar(length=40, unique=True)
    partner = ForeignKey(Partner, on_delete=OnDelete.restrict, index=True)
    period = Varchar(length=7, index=True)  # 2026-10
    status = Varchar(length=20, choices=StatementStatus)
    closing_amount = BigInt()
    comment = Text(default="")
    disputed_entry_ids = Varchar(length=500, default="")  # ledger rows named, comma-separated
    case_id = BigInt(null=True, default=None)  # support case opened by a dispute
    answered_by_id = BigInt(null=True, default=None)
    answered_at = Timestamptz()


class FinanceSetting(Table, tablename="finance_setting"):
    """The vendor's finance settings, one row (key "vendor"), changed by vendor admins in the
    console: how many days past its due date a receivable may stay unpaid before the partner's
    new orders are refused (None: never)."""

    id: Serial  # created by Piccolo; declared for type checkers

    key = Varchar(length=20, unique=True, default="vendor")
    overdue_block_days = Integer(null=True, default=None)
    updated_by_id = BigInt(null=True, default=None)
    updated_at = Timestamptz()


class RebateProgramme(Table, tablename="rebate_programme"):
    """A rebate programme (返利) set up by vendor staff: a quarter or a year, who takes part
    (tier codes, provinces, partner ids; empty = everyone), the base, the bands
    ("threshold_minor:rate_bp" comma-separated, ascending), retroactive or marginal, and a growth
    bonus on the growth over the same period last year. Settled once, at its end."""

    id: Serial  # created by Piccolo; declared for type checkers

    name = Varchar(length=200)
    period = Varchar(length=7, index=True)  # 2026-Q4 or 2026
    starts_on = Date()
    ends_on = Date()  # the first day after the period
    base = Varchar(length=10, choices=RebateBase, default=RebateBase.SHIPPED)
    category_id = BigInt(null=True, default=None)  # orders.Category: only its products count
    tier_codes = Varchar(length=200, default="")
    provinces = Varchar(length=500, default="")
    partner_ids = Text(default="")
    bands = Varchar(length=500)
    mode = Varchar(length=12, choices=RebateMode, default=RebateMode.RETROACTIVE)
    growth_bonus_bp = Integer(default=0)
    campaign_id = BigInt(null=True, default=None)  # a campaign that announces it (optional)
    status = Varchar(length=10, choices=RebateStatus, default=RebateStatus.ACTIVE, index=True)
    created_by_id = BigInt(null=True, default=None)
    created_at = Timestamptz()
    settled_at = Timestamptz(null=True, default=None)


class RebateAccrual(Table, tablename="rebate_accrual"):
    """One change of a partner's accrued rebate in a programme, appended by the recompute job
    when the base or the amount earned moved; never updated or deleted. The latest row holds
    the current figures; earned_delta_amount rows add up to earned_amount."""

    id: Serial  # created by Piccolo; declared for type checkers

    programme = ForeignKey(RebateProgramme, on_delete=OnDelete.restrict, index=True)
    partner = ForeignKey(Partner, on_delete=OnDelete.restrict, index=True)
    base_amount = BigInt()
    last_year_amount = BigInt(default=0)
    earned_amount = BigInt()  # the total after this row
    earned_delta_amount = BigInt()
    at = Timestamptz()
