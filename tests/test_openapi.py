"""The OpenAPI document is the API: /api/v1 only (no HTML page), and every operation documents
the error answers it can give with the body the server really sends."""

from __future__ import annotations


async def test_the_document_describes_the_json_api_only(client):
    document = (await client.get("/schema/openapi.json")).json()

    assert document["paths"], "no operation at all"
    assert [p for p in document["paths"] if not p.startswith("/api/v1/")] == []


async def test_every_operation_documents_its_errors_with_the_real_body(client):
    document = (await client.get("/schema/openapi.json")).json()
    body = document["components"]["schemas"]["ErrorBody"]

    assert body["required"] == ["error", "status"]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            assert {"400", "401", "403", "404"} <= codes, (method, path)
            if method in {"post", "put", "patch", "delete"}:
                assert {"409", "422"} <= codes, (method, path)
            error = operation["responses"]["404"]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/ErrorBody"}


async def test_an_error_the_document_promises_is_the_body_the_server_sends(client):
    answer = await client.get("/api/v1/orders/1", headers={"Authorization": "Bearer nope"})

    assert answer.status_code == 401
    assert set(answer.json()) >= {"error", "status"} and answer.json()["status"] == 401


async def test_a_method_an_operation_does_not_have_answers_405_naming_the_allowed_ones(client):
    answer = await client.request("TRACE", "/api/v1/orders")

    assert answer.status_code == 405
    assert {"GET", "POST"} <= {m.strip() for m in answer.headers["allow"].split(",")}
    assert answer.json()["status"] == 405
