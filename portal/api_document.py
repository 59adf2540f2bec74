"""The OpenAPI document of /api/v1 says what the server really answers and accepts (issue 14 point
10), so that a client generated from it works and schemathesis finds nothing to report: every
error status an operation can give with the real error body (`describe_api`, on the handlers),
and, on the rendered document (`ApiDocument`), request bodies as msgspec validates them, strings
without the control characters `lib.inputs.input_guard` refuses, `anyOf` where a number may be
whole (an integer matches both `integer` and `number`, which `oneOf` forbids), and the raw
inbound e-mail body with its secret header."""

from __future__ import annotations

import typing
from typing import Any

import msgspec
from litestar import Litestar, Request
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.plugins import JsonRenderPlugin


class FieldError(msgspec.Struct):
    field: str
    message: str


class ErrorBody(msgspec.Struct):
    """Every error of the JSON API: a readable message in the user's language and the status;
    `errors` lists the fields of a request that did not validate. Some answers add details
    (a refused order's `lines`, a duplicate customer's `duplicates`, a form's `fields`)."""

    error: str
    status: int
    errors: list[FieldError] | msgspec.UnsetType = msgspec.UNSET  # 400: fields of the wrong type
    fields: dict[str, str] | msgspec.UnsetType = msgspec.UNSET  # 422: field -> the rule it broke


API_ERRORS = {
    400: "The request is not valid (a field's type or format); `errors` names the fields.",
    401: "No valid bearer token (Authorization: Bearer <token> from POST /api/v1/auth/tokens).",
    403: "The token's user may not do this.",
    404: "No such record, or it belongs to another partner.",
    422: "The values were refused (a rule of the domain); `fields` or the message says which.",
}
API_WRITE_ERRORS = {
    409: "The record's state does not allow it (stock, credit, status, a duplicate).",
}


def _document_api_errors(app: Litestar) -> None:
    """Every operation of /api/v1 documents the error answers it can give, with the body the
    server really sends (ErrorBody), so that a client generated from the document works."""
    for route in app.routes:
        if not route.path.startswith("/api/"):
            continue
        for handler in getattr(route, "route_handlers", []):
            codes = dict(API_ERRORS)
            if set(handler.http_methods) & {"POST", "PUT", "PATCH", "DELETE"}:
                codes.update(API_WRITE_ERRORS)
            if handler.name == "api:tokens":
                codes[429] = "Too many failed attempts for this account or address."
            if handler.name == "api:inbound_email":
                codes[503] = "Inbound e-mail is not configured on this server."
            handler.responses = {
                code: ResponseSpec(
                    data_container=ErrorBody, description=text, generate_examples=False
                )
                for code, text in codes.items()
            } | dict(handler.responses or {})


# what input_guard lets through: no C0 control character except tab, newline and carriage return
NO_CONTROL = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$"
REF = "#/components/schemas/{name}"


def _structs(tp: Any, seen: set[type]) -> None:
    """Every msgspec Struct reachable from a type (nested fields, lists, unions, Annotated)."""
    if isinstance(tp, type) and issubclass(tp, msgspec.Struct):
        if tp in seen:
            return
        seen.add(tp)
        for hint in typing.get_type_hints(tp, include_extras=True).values():
            _structs(hint, seen)
        return
    for arg in typing.get_args(tp):
        _structs(arg, seen)


def _input_structs(app: Litestar) -> set[type]:
    """The Structs of every /api request body."""
    seen: set[type] = set()
    for route in app.routes:
        if not route.path.startswith("/api/"):
            continue
        for handler in getattr(route, "route_handlers", []):
            data = handler.parsed_fn_signature.parameters.get("data")
            if data is not None:
                _structs(data.annotation, seen)
    return seen


def _walk(node: Any, visit: Any) -> None:
    if isinstance(node, dict):
        visit(node)
        for value in node.values():
            _walk(value, visit)
    elif isinstance(node, list):
        for value in node:
            _walk(value, visit)


def _no_control(schema: dict[str, Any]) -> None:
    kinds = schema.get("type")
    is_string = kinds == "string" or (isinstance(kinds, list) and "string" in kinds)
    if is_string and not ({"pattern", "enum", "format", "const"} & schema.keys()):
        schema["pattern"] = NO_CONTROL


def _any_of_numbers(schema: dict[str, Any]) -> None:
    alternatives = schema.get("oneOf")
    if isinstance(alternatives, list):
        kinds = {a.get("type") for a in alternatives if isinstance(a, dict)}
        if {"integer", "number"} <= kinds:
            schema["anyOf"] = schema.pop("oneOf")


def _inbound_email(paths: dict[str, Any]) -> None:
    """The inbound e-mail endpoint reads a raw message, not JSON, and a shared secret, no token."""
    operation = paths.get("/api/v1/inbound-email", {}).get("post")
    if operation is None:
        return
    operation["requestBody"] = {
        "required": True,
        "description": "The whole RFC 822 message as the MTA received it (headers and body).",
        "content": {"message/rfc822": {"schema": {"type": "string", "format": "binary"}}},
    }
    operation["parameters"] = [
        {
            "name": "X-Inbound-Secret",
            "in": "header",
            "required": True,
            "description": "INBOUND_EMAIL_SECRET of the server; a wrong one answers 403.",
            "schema": {"type": "string", "pattern": NO_CONTROL},
        }
    ]
    operation["security"] = []


def complete(app: Litestar, document: dict[str, Any]) -> None:
    """Request bodies described by msgspec itself (the validator the server runs: bounds of list
    items and optional fields, `additionalProperties: false` where unknown fields are refused),
    strings without control characters, `anyOf` for int-or-float, the inbound e-mail body."""
    components = document.setdefault("components", {}).setdefault("schemas", {})
    inputs = sorted(_input_structs(app), key=lambda t: t.__name__)
    _refs, exact = msgspec.json.schema_components(inputs, ref_template=REF)
    for name, schema in exact.items():
        _walk(schema, _no_control)
        components[name] = schema
    paths = document.get("paths", {})
    for item in paths.values():
        for operation in item.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                _walk(parameter.get("schema"), _no_control)
    _walk(document, _any_of_numbers)
    _inbound_email(paths)


class ApiDocument(JsonRenderPlugin):
    """/schema/openapi.json: Litestar's document, completed once by `complete`."""

    def __init__(self) -> None:
        super().__init__()
        self._completed: int | None = None

    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        if self._completed != id(openapi_schema):  # Litestar builds the dict once and keeps it
            complete(request.app, openapi_schema)
            self._completed = id(openapi_schema)
        return super().render(request, openapi_schema)


def describe_api(app: Litestar) -> None:
    """Every /api operation documents its error answers (create_app calls it once)."""
    _document_api_errors(app)
