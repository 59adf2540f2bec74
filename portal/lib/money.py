"""Money as integer minor units: parse user input with Decimal, never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from portal.lib.i18n import N_

MAX_AMOUNT_MINOR = 10**15  # 10 trillion yuan: far above any credit limit, far below BigInt


class AmountError(ValueError):
    """The text is not an amount; the message says why (English msgid, translated when shown)."""


def parse_amount(text: str | int | None, *, allow_negative: bool = False) -> int:
    """'50,000.5' -> 5000050 (minor units). Raises AmountError on anything else."""
    if text is None:
        raise AmountError(N_("Enter an amount."))
    if isinstance(text, int):
        value = Decimal(text)
    else:
        cleaned = text.strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
        if not cleaned:
            raise AmountError(N_("Enter an amount."))
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise AmountError(N_("Enter an amount such as 50000 or 1234.50.")) from None
    if not value.is_finite():
        raise AmountError(N_("Enter an amount such as 50000 or 1234.50."))
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise AmountError(N_("Use at most two decimal places."))
    if value < 0 and not allow_negative:
        raise AmountError(N_("The amount cannot be negative."))
    minor = int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if abs(minor) > MAX_AMOUNT_MINOR:
        raise AmountError(N_("The amount is too large."))
    return minor


def minor_to_text(minor: int | None) -> str:
    """5000050 -> '50000.50' (for form fields, no grouping)."""
    if minor is None:
        return ""
    return f"{Decimal(int(minor)).scaleb(-2):.2f}"
