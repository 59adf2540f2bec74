"""The audit log is append-only and browsable by vendor admins."""

from __future__ import annotations

import pytest

from portal.core import audit
from portal.core.tables import AuditEntry
from tests.factories import PASSWORD
from tests.personas import post_form, sign_in


async def test_the_database_refuses_to_change_or_delete_audit_entries(alice):
    await audit.record("test.entry", actor=alice.current, detail="kept forever")
    with pytest.raises(Exception, match="append-only"):
        await AuditEntry.update({AuditEntry.detail: "rewritten"}).where(
            AuditEntry.action == "test.entry"
        )
    with pytest.raises(Exception, match="append-only"):
        await AuditEntry.delete().where(AuditEntry.action == "test.entry")
    kept = (
        await AuditEntry.select(AuditEntry.detail).where(AuditEntry.action == "test.entry").first()
    )
    assert kept["detail"] == "kept forever"


async def test_vera_filters_the_log_by_action_and_actor(make_client, alice, vera):
    anon = await make_client()
    await post_form(anon, "/login", {"email": alice.email, "password": "wrong-password"})
    await post_form(anon, "/login", {"email": alice.email, "password": PASSWORD})
    console = await make_client()
    await sign_in(console, vera)
    page = await console.get("/console/audit/", params={"action": "login.failure"})
    assert page.status_code == 200
    assert "Sign-in refused</strong>" in page.text and alice.email in page.text
    assert "Signed in</strong>" not in page.text


async def test_a_refused_page_is_audited(client, alice):
    await sign_in(client, alice)
    assert (await client.get("/console/audit/")).status_code == 403
    entry = await AuditEntry.select().where(AuditEntry.action == "permission.denied").first()
    assert entry["actor_email"] == alice.email and "/console/audit" in entry["detail"]
