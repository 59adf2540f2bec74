"""Case attachments: every file is checked and stored before any row is written, or none is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from portal.lib import storage
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.support.constants import ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES, MAX_ATTACHMENTS
from portal.support.tables import CaseAttachment


@dataclass(frozen=True)
class Upload:
    """A file from a form, the API or an e-mail, before it is checked and stored."""

    filename: str
    data: bytes


async def _store(files: Sequence[Upload]) -> list[Any]:
    """Check and store attachments before any row is written; FormError names the bad file."""
    if not files:
        return []
    if len(files) > MAX_ATTACHMENTS:
        raise FormError({"files": _("At most %(n)s files per message.", n=MAX_ATTACHMENTS)})

    stored = []
    for upload in files:
        try:
            stored.append(
                await storage.store_upload(
                    upload.data,
                    upload.filename,
                    prefix="cases",
                    allowed=ATTACHMENT_TYPES,
                    max_bytes=ATTACHMENT_MAX_BYTES,
                )
            )
        except storage.UploadRejected as exc:
            for done in stored:
                await storage.delete_file(done.key)
            raise FormError({"files": exc.message}) from None
    return stored


async def _save_attachments(
    case_id: int, message_id: int | None, stored: list[Any], actor_id: int, internal: bool
) -> None:
    moment = now()
    for f in stored:
        await CaseAttachment.insert(
            CaseAttachment(
                support_case=case_id,
                message=message_id,
                key=f.key,
                filename=f.filename,
                content_type=f.content_type,
                size=f.size,
                sha256=f.sha256,
                is_internal=internal,
                uploaded_by_id=actor_id,
                created_at=moment,
            )
        )
