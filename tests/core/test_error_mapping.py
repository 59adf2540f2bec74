"""Errors are mapped once, in app.py: a NotFound or FormError that a handler lets through is a
404 or a readable 4xx for the user, never a 500."""

from __future__ import annotations

import httpx
from litestar import get
from litestar.params import FromPath

from portal.app import create_app
from portal.auth.constants import Access
from portal.lib.forms import FormError
from portal.tenancy import NotFound


@get("/api/v1/probe/{kind:str}", opt={"access": Access.PUBLIC}, sync_to_thread=False)
def api_probe(kind: FromPath[str]) -> None:
    raise NotFound if kind == "missing" else FormError({"name": "Name is required."})


@get("/probe/{kind:str}", opt={"access": Access.PUBLIC}, sync_to_thread=False)
def page_probe(kind: FromPath[str]) -> None:
    raise NotFound if kind == "missing" else FormError({"": "That cannot be done now."})


def _client() -> httpx.AsyncClient:
    app = create_app(run_scheduler=False)
    app.register(api_probe)
    app.register(page_probe)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver.local")


async def test_a_notfound_no_handler_converted_is_the_404_page_or_json() -> None:
    async with _client() as client:
        api = await client.get("/api/v1/probe/missing")
        page = await client.get("/probe/missing")
    assert api.status_code == 404
    assert api.json() == {"error": "Not found.", "status": 404}
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]


async def test_an_uncaught_form_error_is_422_json_with_the_fields_or_a_400_page() -> None:
    async with _client() as client:
        api = await client.get("/api/v1/probe/invalid")
        page = await client.get("/probe/invalid")
    assert api.status_code == 422
    assert api.json()["fields"] == {"name": "Name is required."}
    assert "Name is required." in api.json()["error"]
    assert page.status_code == 400
    assert "That cannot be done now." in page.text


def test_no_handler_converts_notfound_by_hand() -> None:
    """app.py maps NotFound once; `except NotFound: raise not_found()` is the 500 of tomorrow
    (the handler that forgets it), so none is written."""
    import ast
    from pathlib import Path

    portal = Path(__file__).resolve().parents[2] / "portal"
    found = []
    for path in sorted(portal.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ExceptHandler)
                and isinstance(node.type, ast.Name)
                and node.type.id == "NotFound"
                and len(node.body) == 1
                and isinstance(node.body[0], ast.Raise)
                and isinstance(node.body[0].exc, ast.Call)
                and getattr(node.body[0].exc.func, "id", "") == "not_found"
            ):
                found.append(f"{path.relative_to(portal)}:{node.lineno}")
    assert found == []


async def test_a_signed_in_user_meets_a_missing_page_in_their_layout_and_language(as_user, alice):
    """Issue 12 point 16: a path no route matches answered an anonymous English page."""
    from portal.auth.tables import User

    await User.update({User.locale: "zh_CN"}).where(User.id == alice.id)
    client = await as_user(alice)

    response = await client.get("/no-such-page")

    assert response.status_code == 404
    assert "页面未找到" in response.text
    assert alice.email in response.text  # the signed-in layout: who is signed in, the menu
    assert "<nav" in response.text
