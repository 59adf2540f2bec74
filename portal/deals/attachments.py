"""Files attached to a deal registration (quotes, tenders, drawings): the partner attaches them
while the deal is open and removes them until the vendor has decided; both sides download them
through the deal's tenant door.

Every file is checked (size, and type by content) and stored by portal.lib.storage before any row
is written; a refused file stores nothing and writes nothing, and the files stored before it are
deleted again. Each change is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.core.audit import record
from portal.db import write_transaction
from portal.deals.access import get_deal_attachment_for_user, get_deal_for_user
from portal.deals.constants import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TYPES,
    FILES_REMOVABLE,
    MAX_ATTACHMENTS,
    OPEN,
)
from portal.deals.registration import NotAllowed, _seller
from portal.deals.tables import Deal, DealAttachment
from portal.lib import storage
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _

__all__ = ["Upload", "attach_files", "list_attachments", "remove_attachment"]


@dataclass(frozen=True)
class Upload:
    """A file from the deal page's form, before it is checked and stored."""

    filename: str
    data: bytes


async def list_attachments(deal_id: int) -> list[dict[str, Any]]:
    """The files of a deal (the caller has passed the deal's door), oldest first."""
    return await (
        DealAttachment.select(
            DealAttachment.id,
            DealAttachment.filename,
            DealAttachment.content_type,
            DealAttachment.size,
            DealAttachment.uploaded_by_name,
            DealAttachment.created_at,
        )
        .where(DealAttachment.deal == deal_id)
        .order_by(DealAttachment.id)
    )


async def _store(files: Sequence[Upload]) -> list[storage.StoredFile]:
    """Check and store every file, or none: FormError names the refused one."""
    stored: list[storage.StoredFile] = []
    for upload in files:
        try:
            stored.append(
                await storage.store_upload(
                    upload.data,
                    upload.filename,
                    prefix="deals",
                    allowed=ATTACHMENT_TYPES,
                    max_bytes=ATTACHMENT_MAX_BYTES,
                )
            )
        except storage.UploadRejected as exc:
            await _forget(stored)
            raise FormError({"files": exc.message}) from None
    return stored


async def _forget(stored: Sequence[storage.StoredFile]) -> None:
    for done in stored:
        await storage.delete_file(done.key)


async def attach_files(actor: CurrentUser, deal_id: int, files: Sequence[Upload]) -> list[int]:
    """Attach files to one of the actor's partner's open deals; the new rows' ids. Raises
    NotFound outside the wall, NotAllowed for a closed deal, FormError for a refused file or too
    many files (nothing is kept then)."""
    partner_id = _seller(actor)
    deal = await get_deal_for_user(actor, deal_id)
    if not files:
        raise FormError({"files": _("Choose a file to attach.")})
    if deal["status"] not in OPEN:
        raise NotAllowed(_("Files can be attached only while the deal is open."))
    held = await DealAttachment.count().where(DealAttachment.deal == deal_id)
    if held + len(files) > MAX_ATTACHMENTS:
        raise FormError({"files": _("At most %(n)s files per deal.", n=MAX_ATTACHMENTS)})
    stored = await _store(files)
    moment = now()
    try:
        async with write_transaction():
            rows = await DealAttachment.insert(
                *[
                    DealAttachment(
                        deal=deal_id,
                        key=f.key,
                        filename=f.filename,
                        content_type=f.content_type,
                        size=f.size,
                        sha256=f.sha256,
                        uploaded_by_id=actor.id,
                        uploaded_by_name=(actor.name or actor.email)[:200],
                        created_at=moment,
                    )
                    for f in stored
                ]
            ).returning(DealAttachment.id)
            ids = [int(r["id"]) for r in rows]
            for attachment_id, f in zip(ids, stored, strict=True):
                await record(
                    "deal.file_attached",
                    actor=actor,
                    partner_id=partner_id,
                    target_type="deal",
                    target_id=deal_id,
                    after={
                        "number": deal["number"],
                        "file": attachment_id,
                        "name": f.filename,
                        "size": f.size,
                    },
                )
    except BaseException:
        await _forget(stored)  # no row points at them
        raise
    return ids


async def remove_attachment(actor: CurrentUser, attachment_id: int) -> int:
    """Remove a file of one of the actor's partner's deals while the vendor has not decided
    (draft, waiting for review, information asked); the deal's id. NotFound outside the wall,
    NotAllowed once decided."""
    partner_id = _seller(actor)
    row = await get_deal_attachment_for_user(actor, attachment_id)
    deal_id = int(row["deal"])
    async with write_transaction():
        # the status read again inside the transaction: a review landing meanwhile wins
        deal = await Deal.select(Deal.status, Deal.number).where(Deal.id == deal_id).first()
        if deal is None or deal["status"] not in FILES_REMOVABLE:
            raise NotAllowed(_("Files can be removed only until the vendor has decided."))
        await DealAttachment.delete().where(DealAttachment.id == attachment_id)
        await record(
            "deal.file_removed",
            actor=actor,
            partner_id=partner_id,
            target_type="deal",
            target_id=deal_id,
            before={"number": deal["number"], "file": attachment_id, "name": row["filename"]},
        )
    await storage.delete_file(row["key"])
    return deal_id
