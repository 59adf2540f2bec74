"""Uploaded files: type checked by content, stored under server-made keys, read back for downloads.

One module for every domain's files. The backend is a local folder (`STORAGE_DIR`, default
./data/files) or, when `S3_BUCKET` is set, an S3-compatible bucket spoken to through obstore, so
several app servers share the same files. `store_upload` refuses (UploadRejected, with a message
in the user's language) empty files, files over the cap and files whose bytes do not match an
allowed kind and the name's extension; a refused upload writes nothing. Archives (zip and the
Office formats) are refused when a member would expand too far (`check_zip`: a zip bomb), and the
one member the type check reads is inflated with a bound. Checking and hashing run in a worker
thread, off the event loop.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import hashlib
import io
import os
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import anyio.to_thread
import obstore
import obstore.exceptions
from obstore.store import S3Store

from portal.lib import clock
from portal.lib.archives import CONTENT_TYPES_MAX_BYTES, ZipRefused, check_zip, read_member
from portal.lib.i18n import gettext as _
from portal.settings import get_settings

if TYPE_CHECKING:  # a TypedDict of the type stubs only
    from obstore.store import S3Config


class UploadRejected(Exception):
    """An upload is refused; `message` is user-facing, in the current language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class StoredFile:
    """A file kept by the storage backend; `filename` is the sanitised original name (metadata)."""

    key: str
    filename: str
    content_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Kind:
    content_type: str
    extensions: tuple[str, ...]
    label: str


KINDS: dict[str, Kind] = {
    "pdf": Kind("application/pdf", (".pdf",), "PDF"),
    "png": Kind("image/png", (".png",), "PNG"),
    "jpeg": Kind("image/jpeg", (".jpg", ".jpeg"), "JPEG"),
    "gif": Kind("image/gif", (".gif",), "GIF"),
    "webp": Kind("image/webp", (".webp",), "WebP"),
    "mp4": Kind("video/mp4", (".mp4", ".m4v"), "MP4"),
    "pptx": Kind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (".pptx",),
        "PowerPoint",
    ),
    "docx": Kind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
        "Word",
    ),
    "xlsx": Kind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",), "Excel"
    ),
    "zip": Kind("application/zip", (".zip",), "ZIP"),
    "txt": Kind("text/plain", (".txt",), "Text"),
    "csv": Kind("text/csv", (".csv",), "CSV"),
}
IMAGE_KINDS = frozenset({"png", "jpeg", "gif", "webp"})
_BY_CONTENT_TYPE = {kind.content_type: name for name, kind in KINDS.items()}

# The main part each OOXML format must declare in [Content_Types].xml.
_OOXML_MAIN = {
    "docx": b"wordprocessingml.document.main+xml",
    "xlsx": b"spreadsheetml.sheet.main+xml",
    "pptx": b"presentationml.presentation.main+xml",
}


def kind_of(content_type: str) -> str | None:
    """The KINDS name for a content type, or None."""
    return _BY_CONTENT_TYPE.get(content_type)


def _extension(filename: str) -> str:
    return os.path.splitext(filename)[1].lower()


def _ooxml_kind(data: bytes) -> str | None:
    """docx/xlsx/pptx when the zip declares the matching main part; 'zip' for any other zip.
    Raises ZipRefused for an archive that would expand too far (see check_zip)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive)
            try:
                types = read_member(archive, "[Content_Types].xml", CONTENT_TYPES_MAX_BYTES)
            except KeyError:
                return "zip"
    except ZipRefused:
        raise
    # a damaged, encrypted or truncated zip is simply not an Office file: the type check then
    # refuses it by its other rules (these are the errors zipfile raises for such archives)
    except (zipfile.BadZipFile, ValueError, OSError, RuntimeError, NotImplementedError, EOFError):
        return None
    for name, marker in _OOXML_MAIN.items():
        if marker in types:
            return name
    return "zip"


def _is_text(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the sample's end is fine
        if exc.start < len(sample) - 4 or len(data) <= len(sample):
            return False
    return True


def _kind_by_magic(data: bytes, extension: str) -> str | None:
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:8] == b"ftyp":
        return "mp4"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _ooxml_kind(data)
    if _is_text(data):
        return "csv" if extension == ".csv" else "txt"
    return None


def sniff(data: bytes, filename: str) -> str | None:
    """The content type the bytes prove, when the filename's extension agrees; else None.
    Raises ZipRefused for an archive that would expand too far."""
    extension = _extension(filename)
    name = _kind_by_magic(data, extension)
    if name is None or extension not in KINDS[name].extensions:
        return None
    return KINDS[name].content_type


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def sanitise_filename(filename: str) -> str:
    """The original name without any path, control or reserved characters; at most 150 chars."""
    name = unicodedata.normalize("NFC", filename or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" ._")
    if not name:
        return "file"
    stem, ext = os.path.splitext(name)
    if len(name) > 150:
        name = stem[: 150 - len(ext)] + ext
    return name


def max_upload_bytes() -> int:
    return get_settings().upload_max_mb * 1024 * 1024


def allowed_label(allowed: Collection[str]) -> str:
    """'PDF, PNG, Word' for messages and the accept hint."""
    return ", ".join(kind.label for name, kind in KINDS.items() if name in allowed)


def accept_attribute(allowed: Collection[str]) -> str:
    """The <input type=file accept="..."> value for some kinds."""
    return ",".join(
        ext for name, kind in KINDS.items() if name in allowed for ext in kind.extensions
    )


def check_upload(
    data: bytes, filename: str, *, allowed: Collection[str], max_bytes: int | None = None
) -> str:
    """The content type of an acceptable upload; raises UploadRejected otherwise."""
    cap = max_bytes if max_bytes is not None else max_upload_bytes()
    if not data:
        raise UploadRejected(_("The file %(name)s is empty.", name=filename or "?"))
    if len(data) > cap:
        raise UploadRejected(
            _(
                "The file %(name)s is larger than the limit of %(mb)s MB.",
                name=filename,
                mb=_format_mb(cap),
            )
        )
    try:
        content_type = sniff(data, filename)
    except ZipRefused:
        raise UploadRejected(
            _(
                "The file %(name)s would expand far beyond its size when unpacked (a zip bomb?), "
                "so it was refused.",
                name=filename or "?",
            )
        ) from None
    if content_type is None or kind_of(content_type) not in allowed:
        raise UploadRejected(
            _(
                "The file %(name)s is not an accepted type (accepted: %(kinds)s), or its content "
                "does not match its name.",
                name=filename or "?",
                kinds=allowed_label(allowed),
            )
        )
    return content_type


def _format_mb(n_bytes: int) -> str:
    mb = n_bytes / (1024 * 1024)
    return f"{mb:.0f}" if mb >= 1 else f"{mb:.2f}"


def new_key(prefix: str, today: dt.date | None = None) -> str:
    """A server-made key "<prefix>/<yyyy>/<mm>/<random>"; never derived from the user's name."""
    day = today or clock.today()
    clean = "/".join(p for p in re.sub(r"[^a-z0-9/_-]", "", prefix.lower()).split("/") if p)
    return f"{clean or 'files'}/{day:%Y}/{day:%m}/{secrets.token_urlsafe(24)}"


async def store_upload(
    data: bytes,
    filename: str,
    *,
    prefix: str,
    allowed: Collection[str],
    max_bytes: int | None = None,
) -> StoredFile:
    """Check and keep an upload; raises UploadRejected (and writes nothing) when it is refused.
    The check and the hash run in a worker thread (CPU-bound on large files)."""
    content_type, digest = await anyio.to_thread.run_sync(
        functools.partial(_checked_digest, data, filename, allowed=allowed, max_bytes=max_bytes)
    )
    stored = StoredFile(
        key=new_key(prefix),
        filename=sanitise_filename(filename),
        content_type=content_type,
        size=len(data),
        sha256=digest,
    )
    await backend().put(stored.key, data, content_type)
    return stored


def _checked_digest(
    data: bytes, filename: str, *, allowed: Collection[str], max_bytes: int | None
) -> tuple[str, str]:
    content_type = check_upload(data, filename, allowed=allowed, max_bytes=max_bytes)
    return content_type, hashlib.sha256(data).hexdigest()


async def read_file(key: str) -> bytes:
    """The bytes under a key; raises FileNotFoundError when there is no such file."""
    return await backend().get(_checked_key(key))


async def delete_file(key: str) -> None:
    """Remove a file; a missing file is not an error (deleting twice is safe)."""
    await backend().delete(_checked_key(key))


def download_headers(
    stored_filename: str, content_type: str, *, inline: bool = False
) -> dict[str, str]:
    """Headers for sending a stored file: attachment (or inline preview) with an RFC 5987 name."""
    name = sanitise_filename(stored_filename)
    ascii_name = (
        unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().replace('"', "")
    )
    ext = os.path.splitext(name)[1]
    if not ascii_name or ascii_name == ext or not os.path.splitext(ascii_name)[0].strip():
        ascii_name = f"download{ext.encode('ascii', 'ignore').decode()}"
    disposition = "inline" if inline else "attachment"
    return {
        "Content-Disposition": (
            f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
        ),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
        "Cache-Control": "private, max-age=0, must-revalidate",
    }


_KEY_RE = re.compile(r"^[a-z0-9_-]+(/[a-z0-9_-]+)*/[0-9]{4}/[0-9]{2}/[A-Za-z0-9_-]+$")


def _checked_key(key: str) -> str:
    """Keys come from our own rows, but a path must never escape the storage folder."""
    if not _KEY_RE.match(key):
        raise FileNotFoundError(key)
    return key


class LocalBackend:
    """Files under a folder; writes go through a temporary name and a rename (no half files)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / key

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(self._put, key, data)

    def _put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        os.replace(tmp, path)

    async def get(self, key: str) -> bytes:
        return await asyncio.to_thread(self._path(key).read_bytes)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, True)


class S3Backend:
    """An S3-compatible bucket (AWS, MinIO, Ceph ...) through obstore (the Rust `object_store`
    crate: request signing, retries with back-off, a pooled HTTP client). AWS itself is addressed
    virtual-hosted (bucket.s3.region.amazonaws.com), any other endpoint path-style."""

    def __init__(
        self,
        bucket: str,
        endpoint_url: str | None,
        region: str,
        access_key: str,
        secret_key: str,
        *,
        virtual_hosted: bool | None = None,
    ) -> None:
        self.bucket = bucket
        config: S3Config = {
            "region": region,
            "virtual_hosted_style_request": (
                endpoint_url is None if virtual_hosted is None else virtual_hosted
            ),
        }
        if endpoint_url:
            config["endpoint"] = endpoint_url.rstrip("/")
        if access_key or secret_key:
            # no keys set: obstore's own chain (AWS_* variables, instance or task role)
            config["access_key_id"] = access_key
            config["secret_access_key"] = secret_key
        self.store = S3Store(
            bucket,
            config=config,
            client_options={
                "allow_http": bool(endpoint_url and endpoint_url.startswith("http://")),
                "connect_timeout": dt.timedelta(seconds=5),
                "timeout": dt.timedelta(seconds=60),
            },
            # a few quick retries of connection errors and 5xx answers, not obstore's default
            # of ten over three minutes: a request (and the readiness check) waits on it
            retry_config={"max_retries": 3, "retry_timeout": dt.timedelta(seconds=10)},
        )

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        try:
            await obstore.put_async(
                self.store, key, data, attributes={"Content-Type": content_type}
            )
        except obstore.exceptions.BaseError as exc:
            raise OSError(f"S3 PUT {key}: {exc}") from exc

    async def get(self, key: str) -> bytes:
        try:
            result = await obstore.get_async(self.store, key)
            return bytes(await result.bytes_async())
        except obstore.exceptions.NotFoundError:
            raise FileNotFoundError(key) from None
        except obstore.exceptions.BaseError as exc:
            raise OSError(f"S3 GET {key}: {exc}") from exc

    async def delete(self, key: str) -> None:
        try:
            await obstore.delete_async(self.store, key)
        except obstore.exceptions.NotFoundError:
            return  # deleting twice is safe
        except obstore.exceptions.BaseError as exc:
            raise OSError(f"S3 DELETE {key}: {exc}") from exc


def backend() -> LocalBackend | S3Backend:
    """The configured backend (read from the settings on each call, so tests may override)."""
    settings = get_settings()
    if settings.s3_bucket:
        return _s3_backend(
            settings.s3_bucket,
            settings.s3_endpoint_url,
            settings.s3_region,
            settings.s3_access_key_id,
            settings.s3_secret_access_key,
        )
    return LocalBackend(settings.storage_dir)


@functools.lru_cache(maxsize=8)
def _s3_backend(
    bucket: str, endpoint_url: str | None, region: str, access_key: str, secret_key: str
) -> S3Backend:
    """One S3Backend per configuration, so its HTTP client keeps its connections open."""
    return S3Backend(bucket, endpoint_url, region, access_key, secret_key)
