"""Zip archives read without trusting them: bounds on what a member may inflate to (zip bombs).

Used by the upload type check (portal.lib.storage) and the spreadsheet reader
(portal.lib.spreadsheets); both read the directory first and refuse before inflating anything.
"""

from __future__ import annotations

import zipfile
from collections.abc import Collection

# Zip bombs: a member may expand at most ZIP_MAX_RATIO times its compressed size (Apache POI's
# default for Office files, ZipSecureFile's minimum inflate ratio 0.01) once it is larger than
# ZIP_RATIO_GRACE (small parts compress as well as they like); [Content_Types].xml (a few KB in
# real files) is read up to CONTENT_TYPES_MAX_BYTES. zipfile itself never inflates a member beyond
# the size the archive declares for it, so declared sizes bound what reading can cost.
ZIP_MAX_RATIO = 100
ZIP_RATIO_GRACE = 1024 * 1024
ZIP_MAX_PART_BYTES = 512 * 1024 * 1024
ZIP_MAX_TOTAL_BYTES = 1024 * 1024 * 1024
CONTENT_TYPES_MAX_BYTES = 256 * 1024


class ZipRefused(ValueError):
    """An archive member would expand beyond the bounds; nothing more is inflated. `ratio` is
    True when a member expands too many times its compressed size (a zip bomb)."""

    def __init__(self, member: str, *, ratio: bool) -> None:
        super().__init__(member)
        self.member = member
        self.ratio = ratio


def check_zip(
    archive: zipfile.ZipFile,
    *,
    max_ratio: int = ZIP_MAX_RATIO,
    max_part_bytes: int = ZIP_MAX_PART_BYTES,
    max_total_bytes: int = ZIP_MAX_TOTAL_BYTES,
    streamed: Collection[str] = (),
) -> None:
    """Raises ZipRefused when a member declares more than `max_part_bytes`, all together more
    than `max_total_bytes`, or a member (except those `streamed` under their own limits, and the
    small ones) more than `max_ratio` times its compressed size. Reads only the directory."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if info.file_size > max_part_bytes or total > max_total_bytes:
            raise ZipRefused(info.filename, ratio=False)
        if info.filename in streamed or info.file_size <= ZIP_RATIO_GRACE:
            continue
        if info.file_size > max_ratio * max(info.compress_size, 1):
            raise ZipRefused(info.filename, ratio=True)


def read_member(archive: zipfile.ZipFile, name: str, max_bytes: int) -> bytes:
    """A member's bytes, inflating no more than `max_bytes` (+1): ZipRefused beyond."""
    with archive.open(name) as member:
        data = member.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ZipRefused(name, ratio=False)
    return data
