"""A deal's files: attached by the partner, listed and downloaded on both sides, removed until the
vendor has decided, refused by the one upload check, audited, and listed in the API's detail."""

from __future__ import annotations

import pytest

from portal.core.tables import AuditEntry
from portal.deals import attachments, services
from portal.deals.tables import DealAttachment
from portal.lib import storage
from portal.lib.forms import FormError
from tests.deals.factories import make_deal
from tests.factories import bearer_headers
from tests.personas import post_form

PDF = b"%PDF-1.4 quote for the campus project"


async def _attach(actor, deal_id: int, name: str = "报价单.pdf") -> int:
    return (await attachments.attach_files(actor, deal_id, [attachments.Upload(name, PDF)]))[0]


async def test_alice_attaches_a_quote_both_sides_see_and_download_it(alice, vera, as_user):
    # given a submitted deal of alice's partner
    deal_id = await make_deal(alice.current, "附件客户有限公司", status="submitted")
    client = await as_user(alice)
    # when she attaches a quote on the deal page
    response = await post_form(
        client,
        f"/deals/{deal_id}/files",
        files={"files": ("报价单.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 303
    # then her deal page and the vendor's console page list it, and both download the bytes
    file_id = (await DealAttachment.select().first())["id"]
    mine = await client.get(f"/deals/{deal_id}")
    assert "报价单.pdf" in mine.text and f"/deals/files/{file_id}/remove" in mine.text
    staff = await as_user(vera)
    theirs = await staff.get(f"/console/deals/{deal_id}")
    assert "报价单.pdf" in theirs.text and "/remove" not in theirs.text
    for c in (client, staff):
        download = await c.get(f"/deals/files/{file_id}")
        assert download.status_code == 200 and download.content == PDF
        assert download.headers["content-disposition"].startswith("attachment;")
        assert download.headers["x-content-type-options"] == "nosniff"
    entry = await AuditEntry.select().where(AuditEntry.action == "deal.file_attached").first()
    assert (entry["partner_id"], str(entry["target_id"])) == (alice.partner_id, str(deal_id))


async def test_carol_cannot_download_alices_deal_file(alice, carol, as_user):
    deal_id = await make_deal(alice.current, status="submitted")
    file_id = await _attach(alice.current, deal_id)
    response = await (await as_user(carol)).get(f"/deals/files/{file_id}")
    assert response.status_code == 404


async def test_a_file_of_another_type_is_refused_beside_the_field_and_nothing_is_kept(
    alice, as_user
):
    deal_id = await make_deal(alice.current)
    client = await as_user(alice)
    response = await post_form(
        client,
        f"/deals/{deal_id}/files",
        files={"files": ("tool.exe", b"MZ\x90\x00binary", "application/octet-stream")},
    )
    assert response.status_code == 400
    assert 'id="e-f-deal-files"' in response.text and "tool.exe" in response.text
    assert await DealAttachment.count() == 0


async def test_a_refused_second_file_keeps_the_first_neither(alice, monkeypatch):
    deal_id = await make_deal(alice.current)
    deleted: list[str] = []
    real_delete = storage.delete_file

    async def spy(key: str) -> None:
        deleted.append(key)
        await real_delete(key)

    monkeypatch.setattr(storage, "delete_file", spy)
    with pytest.raises(FormError):
        await attachments.attach_files(
            alice.current,
            deal_id,
            [attachments.Upload("a.pdf", PDF), attachments.Upload("b.pdf", b"not a pdf")],
        )
    assert await DealAttachment.count() == 0
    assert len(deleted) == 1
    with pytest.raises(FileNotFoundError):
        await storage.read_file(deleted[0])


async def test_files_are_removable_until_the_vendor_decides(alice, vera, as_user):
    # given a submitted deal with two files
    deal_id = await make_deal(alice.current, status="submitted")
    first = await _attach(alice.current, deal_id, "old.pdf")
    second = await _attach(alice.current, deal_id, "new.pdf")
    client = await as_user(alice)
    # when she removes one before the review, it is gone (row, bytes) and audited
    key = (await DealAttachment.select().where(DealAttachment.id == first).first())["key"]
    response = await post_form(client, f"/deals/files/{first}/remove")
    assert response.status_code == 303
    assert [r["id"] for r in await DealAttachment.select(DealAttachment.id)] == [second]
    with pytest.raises(FileNotFoundError):
        await storage.read_file(key)
    assert await AuditEntry.count().where(AuditEntry.action == "deal.file_removed") == 1
    # then once approved the other one stays, and the page offers no remove button
    await services.approve_deal(vera.current, deal_id)
    with pytest.raises(services.NotAllowed):
        await attachments.remove_attachment(alice.current, second)
    response = await post_form(client, f"/deals/files/{second}/remove")
    assert response.status_code == 303 and await DealAttachment.count() == 1
    page = await client.get(f"/deals/{deal_id}")
    assert "new.pdf" in page.text and "/remove" not in page.text


async def test_a_closed_deal_takes_no_more_files(alice):
    deal_id = await make_deal(alice.current, status="submitted")
    await services.lose_deal(alice.current, deal_id, "价格")
    with pytest.raises(services.NotAllowed):
        await _attach(alice.current, deal_id)


async def test_the_api_detail_lists_the_files(client, alice):
    deal_id = await make_deal(alice.current, status="submitted")
    file_id = await _attach(alice.current, deal_id)
    headers = await bearer_headers(client, alice)
    body = (await client.get(f"/api/v1/deals/{deal_id}", headers=headers)).json()
    assert body["attachments"] == [
        {"name": "报价单.pdf", "size": len(PDF), "url": f"/deals/files/{file_id}"}
    ]
    listed = (await client.get("/api/v1/deals", headers=headers)).json()["items"][0]
    assert listed.get("attachments") is None
