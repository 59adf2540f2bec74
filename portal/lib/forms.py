"""Reading HTML forms into msgspec Structs with every field's error at once, in the user's language."""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar, get_args, get_origin

import msgspec

from portal.lib.i18n import gettext as _
from portal.lib.inputs import clean_text, has_nul, parse_id, parse_int

T = TypeVar("T", bound=msgspec.Struct)

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class FormError(Exception):
    """A service refuses input; `errors` maps field names to messages ("" = whole form)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class NotFound(Exception):
    """The row does not exist or lies outside the user's tenant scope (shown as 404 by app.py).
    Defined here, below every domain, so that `id_filter` can raise it; `portal.tenancy`, where
    the access helpers raise it, re-exports it."""


def id_filter(value: Any) -> int | None:
    """A query or form parameter naming a row by id: None when empty, the id, or 404 for a value no
    row can have (an id in other digits or past the range is as unknown as a missing one)."""
    if value is None or not str(value).strip():
        return None
    number = parse_id(value)
    if number is None:
        raise NotFound()
    return number


def id_list(values: Any) -> list[int]:
    """Several ids (checkboxes of a bulk action): 404 when any cannot be an id."""
    return [n for n in (id_filter(v) for v in values) if n is not None]


def _is_optional(tp: Any) -> bool:
    origin = get_origin(tp)
    return origin in (typing.Union, types.UnionType) and type(None) in get_args(tp)


def _base_type(tp: Any) -> Any:
    if get_origin(tp) is typing.Annotated:
        return _base_type(get_args(tp)[0])
    if _is_optional(tp):
        inner = [a for a in get_args(tp) if a is not type(None)]
        return _base_type(inner[0]) if len(inner) == 1 else tp
    return tp


# a text field this short is one line (names, subjects, titles): CR/LF in it is refused
ONE_LINE_MAX = 200


def _one_line(tp: Any) -> bool:
    try:
        info: Any = msgspec.inspect.type_info(tp)
    except TypeError:
        return False
    if isinstance(info, msgspec.inspect.UnionType):
        info = next((t for t in info.types if isinstance(t, msgspec.inspect.StrType)), None)
    return (
        isinstance(info, msgspec.inspect.StrType)
        and info.max_length is not None
        and info.max_length <= ONE_LINE_MAX
    )


def text_error(raw: str, one_line: bool) -> str | None:
    """The message for a value that cannot be stored as typed, or None."""
    if has_nul(raw):
        return _("Contains characters that are not allowed.")
    if one_line and ("\n" in raw or "\r" in raw):
        return _("Enter a single line.")
    return None


def friendly(message: str, base: Any) -> str:
    """A msgspec error in words a user understands."""
    if m := re.search(r"length <= (\d+)", message):
        return _("At most %(n)s characters.", n=m.group(1))
    if m := re.search(r"length >= (\d+)", message):
        return _("At least %(n)s characters.", n=m.group(1))
    if m := re.search(r">= (-?\d+)", message):
        return _("Must be at least %(n)s.", n=m.group(1))
    if m := re.search(r"<= (-?\d+)", message):
        return _("Must be at most %(n)s.", n=m.group(1))
    if "Invalid enum value" in message:
        return _("Choose one of the options.")
    if base is int:
        return _("Enter a whole number.")
    if base is dt.date:
        return _("Enter a date as YYYY-MM-DD.")
    return _("Enter a valid value.")


def read_form(
    cls: type[T], data: Mapping[str, Any]
) -> tuple[T | None, dict[str, str], dict[str, Any]]:
    """(struct or None, errors by field, the submitted values for re-display)."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    converted: dict[str, Any] = {}
    getall = getattr(data, "getall", None)
    for field in msgspec.structs.fields(cls):
        base = _base_type(field.type)
        optional = _is_optional(field.type) or not field.required
        if base is bool:
            raw_bool = data.get(field.name)
            converted[field.name] = raw_bool in ("on", "true", "1", "yes", True)
            values[field.name] = converted[field.name]
            continue
        if get_origin(base) is list:
            items = list(getall(field.name, [])) if getall else list(data.get(field.name) or [])
            items = [
                clean_text(i).strip() if isinstance(i, str) and not has_nul(i) else i
                for i in items
                if i not in ("", None)
            ]
            if any(isinstance(i, str) and has_nul(i) for i in items):
                errors[field.name] = _("Contains characters that are not allowed.")
                continue
            values[field.name] = items
            try:
                converted[field.name] = msgspec.convert(items, field.type, strict=False)
            except msgspec.ValidationError as exc:
                errors[field.name] = friendly(str(exc), base)
            continue
        raw = data.get(field.name)
        if isinstance(raw, str):
            if message := text_error(raw.strip(), _one_line(field.type)):
                errors[field.name] = message
                values[field.name] = clean_text(raw)
                continue
            raw = clean_text(raw).strip()
        values[field.name] = raw if raw is not None else ""
        if raw in (None, ""):
            if _is_optional(field.type):
                converted[field.name] = None
            elif not field.required:
                continue  # the struct default applies
            elif base is str and optional:
                converted[field.name] = ""
            else:
                errors[field.name] = _("This field is required.")
            continue
        try:
            converted[field.name] = msgspec.convert(raw, field.type, strict=False)
        except msgspec.ValidationError as exc:
            errors[field.name] = friendly(str(exc), base)
            continue
        if field.name.endswith("email") and isinstance(converted[field.name], str):
            converted[field.name] = converted[field.name].lower()
            if not EMAIL_RE.match(converted[field.name]):
                errors[field.name] = _("Enter a valid e-mail address.")
    if errors:
        return None, errors, values
    return cls(**converted), {}, values


def struct_values(obj: msgspec.Struct) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in obj.__struct_fields__}


def optional_int(value: Any) -> int | None:
    """A query-string or form filter holding a count (days, a number of rows) as a whole number;
    None when empty or not a number in ASCII digits within range (a filter that cannot be read is
    ignored, never a 500). Ids use `lib.inputs.id_filter` (404) instead."""
    return parse_int(value)


def optional_date(value: Any) -> dt.date | None:
    """A query-string or form filter as an ISO date (2026-11-30); None when empty or invalid."""
    text = str(value).strip() if value is not None else ""
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None
