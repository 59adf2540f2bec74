"""Extension points between layers: a lower domain calls a hook, a higher domain fills it.

A module imports only from its own layer or below (the import contract in pyproject.toml). When
something low must reach something high — an order event rings the bell that communications owns,
the customer 360° page lists the support cases — the low side calls a hook declared here and the
high side's function is attached in one listed place: `portal.worker.wire()`, run when app.py,
cli.py or the worker starts. Nothing is looked up by name: rename a function and the wiring stops
importing. `tests/lib/test_hooks.py` checks that every hook here is filled once wired.

- `Event`: any number of subscribers, each awaited in turn (the caller decides what a failure
  means).
- `Provider`: exactly one implementation; calling an unfilled provider raises, loudly.
- `Fragments`: constant contributions (SQL conditions) gathered from several domains.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class HookNotWired(RuntimeError):
    """A provider was called before `portal.worker.wire()` filled it."""


class Event(Generic[P]):
    """Something happened in a lower domain; every subscriber is awaited in turn."""

    def __init__(self, name: str, doc: str) -> None:
        self.name = name
        self.doc = doc
        self._subscribers: list[Callable[P, Awaitable[Any]]] = []

    def subscribe(self, fn: Callable[P, Awaitable[Any]]) -> None:
        if fn not in self._subscribers:  # wiring twice (tests, reloads) subscribes once
            self._subscribers.append(fn)

    @property
    def filled(self) -> bool:
        return bool(self._subscribers)

    async def __call__(self, *args: P.args, **kwargs: P.kwargs) -> None:
        """Await every subscriber, each independent of the others: one failing does not keep
        the rest from running; the failures are raised afterwards (one, or an ExceptionGroup)."""
        errors: list[Exception] = []
        for fn in list(self._subscribers):
            try:
                await fn(*args, **kwargs)
            except Exception as exc:
                errors.append(exc)
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise ExceptionGroup(f"{self.name}: {len(errors)} subscribers failed", errors)


class Provider(Generic[P, R]):
    """A function a lower domain needs and a higher domain implements (exactly one)."""

    def __init__(self, name: str, doc: str) -> None:
        self.name = name
        self.doc = doc
        self._fn: Callable[P, Awaitable[R]] | None = None

    def provide(self, fn: Callable[P, Awaitable[R]]) -> None:
        if self._fn is not None and self._fn is not fn:
            raise RuntimeError(f"hook {self.name!r} is already provided by {self._fn!r}")
        self._fn = fn

    @property
    def filled(self) -> bool:
        return self._fn is not None

    async def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        if self._fn is None:
            raise HookNotWired(f"hook {self.name!r} is not wired: call portal.worker.wire()")
        return await self._fn(*args, **kwargs)


class Fragments:
    """Constant contributions (e.g. SQL conditions) that several domains add to."""

    def __init__(self, name: str, doc: str) -> None:
        self.name = name
        self.doc = doc
        self._values: list[str] = []

    def add(self, value: str) -> None:
        if value not in self._values:
            self._values.append(value)

    @property
    def filled(self) -> bool:
        return bool(self._values)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(self._values)


# -- partners ----------------------------------------------------------------------------------
partner_overview: Provider[..., dict[str, Any]] = Provider(
    "partner_overview",
    "(user, partner) -> the sections of the console partner page (score and trend, orders, "
    "credit, cases, customer activity, campaigns and surveys) for a partner the user may see "
    "(portal.partner360, at the console layer).",
)

# -- orders ------------------------------------------------------------------------------------
order_event_landed: Event[[int]] = Event(
    "order_event_landed",
    "An order event (submitted, approved, shipped, delivered ...) was committed: the id of the "
    "order_event row. Communications rings the bell and, after delivery, asks for a CSAT.",
)
customer_choices: Provider[..., list[tuple[int, str]]] = Provider(
    "customer_choices",
    "(user, limit) -> [(id, name)]: the end customers the user may pick in the cart (customers).",
)
customer_name_for_user: Provider[..., str] = Provider(
    "customer_name_for_user",
    "(user, customer_id) -> name, NotFound for a customer the user may not see (customers).",
)
deal_terms: Provider[..., Any] = Provider(
    "deal_terms",
    "(partner_id, deal_id) -> orders.deal_prices.DealTerms (id, number, customer_id, "
    "customer_name, prices {product_id: (unit_amount, registered quantity)}): the special prices "
    "vendor staff granted on the partner's protected deal, for an order placed against it; "
    "FormError on 'deal_id' (a readable message) for another partner's deal, one not approved or "
    "no longer protected (deals). Typed Any here only because lib sits below orders.",
)
campaign_lead: Provider[..., int | None] = Provider(
    "campaign_lead",
    "(campaign_id, fields: {'company', 'contact_name', 'phone', 'email', 'province', 'city', "
    "'product_interest', 'note'}) -> the id of the new lead, routed at once, or None when the "
    "response is not a usable lead (no company, contact, way to reach or province): an end "
    "customer's response to a campaign becomes a lead for the partners (deals).",
)
deal_choices: Provider[..., list[tuple[int, str]]] = Provider(
    "deal_choices",
    "(partner_id) -> [(id, 'DR-2026-000123 · project')]: the partner's protected deals an order "
    "may be placed against, for the cart (deals).",
)
credit_owed: Fragments = Fragments(
    "credit_owed",
    "SQL expressions, each with one {} per use of the partner id: money the partner owes beyond "
    "its open orders (finance: unpaid receivables of closed orders minus balance on account), "
    "added to the open order value in the credit check.",
)
order_hold: Provider[..., str | None] = Provider(
    "order_hold",
    "(partner_id) -> a sentence in the reader's language saying why the partner's new orders are "
    "refused, or None (finance: receivables overdue beyond the vendor's setting); the cart and "
    "place_order ask it beside the credit check.",
)
order_credit_offer: Provider[..., tuple[int, str] | None] = Provider(
    "order_credit_offer",
    "(partner_id) -> (unused rebate credit in minor units, its reason) the partner may deduct "
    "from its next order, or None (finance), for the cart.",
)
order_deduction: Provider[..., tuple[int, str]] = Provider(
    "order_deduction",
    "(actor, partner_id, order_id, order_number, total) -> (amount, reason): the partner's "
    "unused rebate credit used on the order, never above total or the credit, inside "
    "place_order's transaction; (0, '') when there is none (finance).",
)
order_deduction_return: Provider[..., int] = Provider(
    "order_deduction_return",
    "(actor, order_id) -> the part of the order's rebate deduction its shipments did not carry, "
    "given back to the account inside the rejection's or cancellation's transaction (finance).",
)

# -- partners, orders, support: people to tell -------------------------------------------------
alert: Event[[str, int]] = Event(
    "alert",
    "(kind, id) committed, that people must be told of by bell and e-mail in their language "
    "(communications' notices, each kind one can opt out of): 'application_submitted' "
    "(application id: vendor admins), 'tier_changed' (tier_change id: the partner's admins), "
    "'case_opened' (support_case id: the partner's channel manager and vendor admins). New "
    "orders to approve come through order_event_landed.",
)

# -- customers ---------------------------------------------------------------------------------
customer_cases: Provider[..., list[dict[str, Any]]] = Provider(
    "customer_cases",
    "(user, customer_id) -> the support cases of the customer the user may see, newest first, "
    "each with its translated status_label (support), for the 360° page.",
)
customer_deals: Provider[..., list[dict[str, Any]]] = Provider(
    "customer_deals",
    "(user, customer_id) -> the deal registrations of the customer the user may see, newest "
    "first, each with its translated status_label (deals), for the 360° page.",
)
customer_shared_by: Fragments = Fragments(
    "customer_shared_by",
    "SQL conditions, one per domain, true when the partner shared the customer with the vendor "
    'by attaching it to one of its records ("customer" is the outer table).',
)

# -- support ----------------------------------------------------------------------------------
notice_wanted: Provider[..., list[int]] = Provider(
    "notice_wanted",
    "(user_ids, kind) -> those of the users who have not turned that kind of notice off "
    "(communications' notification settings), for the bell (core.notifications.notify) and "
    "support's escalation e-mails.",
)
csat_score: Provider[..., int | None] = Provider(
    "csat_score", "(subject, subject_id) -> the 1-5 CSAT answer, if any (communications)."
)
request_csat: Provider[..., int | None] = Provider(
    "request_csat",
    "(subject, subject_id, partner_id, user_id, title_en, title_zh) -> the request id, once per "
    "subject; None when the console switch is off (communications).",
)

# -- communications ----------------------------------------------------------------------------
campaign_programmes: Provider[..., list[dict[str, Any]]] = Provider(
    "campaign_programmes",
    "(campaign_id, partner_id | None) -> the rebate programmes that point to the campaign, "
    "[{'id', 'name', 'period', 'status'}] and, for a partner, only those it takes part in with "
    "its 'earned_amount' (finance), for the campaign's pages.",
)

ALL: tuple[Event[Any] | Provider[Any, Any] | Fragments, ...] = (
    partner_overview,
    alert,
    order_event_landed,
    customer_choices,
    customer_name_for_user,
    deal_terms,
    deal_choices,
    campaign_lead,
    credit_owed,
    order_hold,
    order_credit_offer,
    order_deduction,
    order_deduction_return,
    customer_cases,
    customer_deals,
    customer_shared_by,
    notice_wanted,
    csat_score,
    request_csat,
    campaign_programmes,
)
