"""/healthz and /readyz as a load balancer sees them: public JSON, 503 naming the failing check."""

from __future__ import annotations

import httpx

from portal.settings import override
from tests.operations.processes import closed_port, psql, scratch_database, serve


async def test_healthz_answers_anonymous_callers_with_json(client):
    response = await client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response.headers["cache-control"] == "no-store"


async def test_readyz_reports_each_dependency_and_skips_redis_when_not_configured(client):
    response = await client.get("/readyz")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "ok"
    assert body["checks"]["database"]["ok"] and body["checks"]["storage"]["ok"]
    assert body["checks"]["redis"] == {"ok": True, "skipped": "not configured"}


async def test_readyz_is_503_naming_redis_when_it_cannot_be_reached(client):
    with override(redis_url=f"redis://:secret@127.0.0.1:{closed_port()}/7"):
        response = await client.get("/readyz")
    body = response.json()
    assert response.status_code == 503 and body["status"] == "failing"
    assert body["failing"] == ["redis"]
    assert body["checks"]["redis"]["ok"] is False and "secret" not in response.text


async def test_readyz_is_503_naming_storage_when_the_folder_is_unusable(client, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with override(storage_dir=blocker / "files"):
        response = await client.get("/readyz")
    assert response.status_code == 503 and response.json()["failing"] == ["storage"]
    assert response.json()["checks"]["storage"]["error"] == "NotADirectoryError"


def test_readyz_of_a_running_server_names_the_database_when_it_goes_away():
    with scratch_database() as url, serve({"DATABASE_URL": url}) as server:
        base = server.url
        assert httpx.get(f"{base}/readyz", timeout=10).status_code == 200
        name = url.rsplit("/", 1)[1]
        # the database refuses new connections and the live ones are cut
        psql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        psql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        response = httpx.get(f"{base}/readyz", timeout=10)
        assert response.status_code == 503 and response.json()["failing"] == ["database"]
        assert httpx.get(f"{base}/healthz", timeout=10).status_code == 200  # still alive
        psql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        assert httpx.get(f"{base}/readyz", timeout=10).status_code == 200  # and back by itself


def test_portal_serve_says_at_start_up_that_redis_cannot_be_reached_and_serves_pages():
    env = {"REDIS_URL": f"redis://:hunter2@127.0.0.1:{closed_port()}/7"}
    with serve(env) as server:
        assert httpx.get(f"{server.url}/login", timeout=10).status_code == 200
        assert httpx.get(f"{server.url}/readyz", timeout=10).json()["failing"] == ["redis"]
        err = server.stop()
    warning = [line for line in err.splitlines() if line.startswith("Warning: Redis")]
    assert len(warning) == 1 and "cannot be reached" in warning[0]
    assert ":***@127.0.0.1" in warning[0] and "hunter2" not in err
