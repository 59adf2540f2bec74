"""portal.lib.storage: type by content, size cap, nothing written on refusal, safe headers, S3."""

from __future__ import annotations

import io
import os
import shutil
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from portal.communications.campaigns.constants import MATERIAL_KINDS
from portal.lib import archives, storage
from portal.lib.i18n import use_locale
from portal.lib.storage import UploadRejected, download_headers, sniff, store_upload
from portal.settings import get_settings, override
from portal.support.constants import ATTACHMENT_TYPES
from tests.lib.spreadsheet_files import office_types, zip_bomb

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def ooxml(main: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/x" ContentType="application/vnd.openxmlformats-'
            f'officedocument.{main}"/></Types>',
        )
    return buf.getvalue()


@pytest.fixture(autouse=True)
def empty_storage() -> None:
    shutil.rmtree(get_settings().storage_dir, ignore_errors=True)


def stored_files() -> list[Path]:
    root = get_settings().storage_dir
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_sniff_recognises_kinds_by_their_bytes() -> None:
    assert sniff(PDF, "a.pdf") == "application/pdf"
    assert sniff(PNG, "a.PNG") == "image/png"
    assert sniff(b"\xff\xd8\xff\xe0rest", "photo.jpg") == "image/jpeg"
    assert sniff(b"GIF89a....", "a.gif") == "image/gif"
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ", "a.webp") == "image/webp"
    assert sniff(b"\x00\x00\x00\x18ftypmp42", "clip.mp4") == "video/mp4"
    assert sniff("名称,数量\n".encode(), "list.csv") == "text/csv"
    assert sniff(b"hello", "notes.txt") == "text/plain"


def test_sniff_tells_office_files_from_plain_zips() -> None:
    docx = ooxml("wordprocessingml.document.main+xml")
    assert sniff(
        docx,
        "offer.docx",
    ).endswith("wordprocessingml.document")
    assert sniff(ooxml("spreadsheetml.sheet.main+xml"), "p.xlsx").endswith("sheet")
    assert sniff(ooxml("presentationml.presentation.main+xml"), "k.pptx").endswith("presentation")
    assert sniff(docx, "offer.xlsx") is None
    assert sniff(docx, "offer.zip") is None  # a docx is not accepted as a plain zip
    assert sniff(b"PK\x03\x04garbage", "x.docx") is None


def test_sniff_refuses_a_name_that_lies_about_the_content() -> None:
    assert sniff(b"MZ\x90\x00binary", "brochure.pdf") is None
    assert sniff(PDF, "brochure.png") is None
    assert sniff(b"<html><script>", "page.html") is None
    assert sniff(PNG, "noextension") is None


async def test_store_upload_keeps_the_file_under_a_server_made_key() -> None:
    stored = await store_upload(PDF, "../../etc/价格表.pdf", prefix="campaigns", allowed={"pdf"})
    assert stored.key.startswith("campaigns/")
    assert "价格表" not in stored.key and ".." not in stored.key
    assert stored.filename == "价格表.pdf"
    assert stored.content_type == "application/pdf"
    assert stored.size == len(PDF)
    assert await storage.read_file(stored.key) == PDF


async def test_a_file_over_the_cap_is_refused_and_nothing_is_written() -> None:
    with pytest.raises(UploadRejected) as caught:
        await store_upload(PDF, "big.pdf", prefix="x", allowed={"pdf"}, max_bytes=10)
    assert "larger than the limit" in caught.value.message
    assert stored_files() == []


async def test_the_upload_cap_setting_applies_by_default() -> None:
    with override(upload_max_mb=1), pytest.raises(UploadRejected):
        await store_upload(b"%PDF-" + b"0" * (1024 * 1024), "big.pdf", prefix="x", allowed={"pdf"})


async def test_an_empty_file_or_a_refused_type_gets_a_clear_message() -> None:
    with pytest.raises(UploadRejected, match="empty"):
        await store_upload(b"", "a.pdf", prefix="x", allowed={"pdf"})
    with pytest.raises(UploadRejected, match="not an accepted type") as caught:
        await store_upload(PNG, "a.png", prefix="x", allowed={"pdf", "docx"})
    assert "PDF, Word" in caught.value.message
    assert stored_files() == []


async def test_the_rejection_message_follows_the_user_language() -> None:
    from portal.lib.i18n import use_locale

    with use_locale("zh_CN"), pytest.raises(UploadRejected) as caught:
        await store_upload(b"", "a.pdf", prefix="x", allowed={"pdf"})
    assert "a.pdf" in caught.value.message


async def test_delete_file_removes_it_and_is_safe_twice() -> None:
    stored = await store_upload(PNG, "logo.png", prefix="x", allowed={"png"})
    await storage.delete_file(stored.key)
    await storage.delete_file(stored.key)
    with pytest.raises(FileNotFoundError):
        await storage.read_file(stored.key)


async def test_a_key_cannot_escape_the_storage_folder() -> None:
    with pytest.raises(FileNotFoundError):
        await storage.read_file("../../settings/2026/01/x")


def test_download_headers_force_an_attachment_with_the_chinese_name() -> None:
    headers = download_headers("产品手册 2026.pdf", "application/pdf")
    disposition = headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E4%BA%A7%E5%93%81%E6%89%8B%E5%86%8C%202026.pdf" in disposition
    assert 'filename="' in disposition
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_download_headers_strip_quotes_and_newlines_from_names() -> None:
    disposition = download_headers('a"b\r\nc.pdf', "application/pdf")["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert 'filename="a_b_c.pdf"' in disposition


S3_ENDPOINT = os.environ.get("TEST_S3_ENDPOINT", "http://127.0.0.1:9199")


async def test_files_round_trip_through_a_real_s3_compatible_server() -> None:
    import boto3  # comes with moto[server], the dev extra that runs the test server

    from tests.services import require

    host, port = S3_ENDPOINT.split("://")[1].split(":")
    require(
        f"S3-compatible server (`make test` starts moto_server; TEST_S3_ENDPOINT={S3_ENDPOINT})",
        host,
        int(port),
    )
    creds = {"s3_access_key_id": "testing", "s3_secret_access_key": "testing"}
    s3 = boto3.client(
        "s3",
        endpoint_url=S3_ENDPOINT,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    if "portal-test" not in {b["Name"] for b in s3.list_buckets().get("Buckets", [])}:
        s3.create_bucket(Bucket="portal-test")
    with override(s3_bucket="portal-test", s3_endpoint_url=S3_ENDPOINT, **creds):
        stored = await store_upload(PDF, "手册.pdf", prefix="campaigns", allowed={"pdf"})
        assert await storage.read_file(stored.key) == PDF
        # the bucket keeps the type the content proved (a download straight from it is a PDF)
        assert s3.head_object(Bucket="portal-test", Key=stored.key)["ContentType"] == (
            "application/pdf"
        )
        await storage.delete_file(stored.key)
        with pytest.raises(FileNotFoundError):
            await storage.read_file(stored.key)
        await storage.delete_file(stored.key)  # deleting twice is safe
    assert stored_files() == []


async def test_a_bucket_that_does_not_answer_is_an_error_not_a_missing_file() -> None:
    # an S3 endpoint that does not answer must not pass for "no such file": the readiness
    # check (health.check_storage) relies on it; nothing listens on port 1
    creds = {"s3_access_key_id": "testing", "s3_secret_access_key": "testing"}
    with override(s3_bucket="portal-test", s3_endpoint_url="http://127.0.0.1:1", **creds):
        with pytest.raises(OSError) as caught:
            await storage.read_file("campaigns/2026/11/abc")
    assert not isinstance(caught.value, FileNotFoundError)


# ---- zip bombs (issue 14 point 3) ----------------------------------------------------------

BOMB_MESSAGE = "would expand far beyond its size when unpacked"


@pytest.mark.parametrize(
    ("filename", "allowed", "data"),
    [
        ("logs.zip", ATTACHMENT_TYPES, lambda: zip_bomb()),
        ("offer.docx", ATTACHMENT_TYPES, lambda: zip_bomb(extra=office_types("docx"))),
        ("deck.pptx", MATERIAL_KINDS, lambda: zip_bomb(extra=office_types("pptx"))),
        ("types.xlsx", MATERIAL_KINDS, lambda: zip_bomb("[Content_Types].xml")),
    ],
    ids=["case attachment zip", "case attachment docx", "campaign pptx", "content types"],
)
async def test_a_zip_bomb_is_refused_without_being_inflated(filename, allowed, data) -> None:
    bomb = data()
    assert len(bomb) < 250_000  # 200 MB of zeros inside
    tracemalloc.start()
    try:
        with pytest.raises(UploadRejected, match=BOMB_MESSAGE) as caught:
            await store_upload(bomb, filename, prefix="x", allowed=allowed, max_bytes=10 << 20)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert filename in caught.value.message
    assert peak < 16 * 1024 * 1024  # the type check read the directory, not 200 MB
    assert stored_files() == []


async def test_a_content_types_part_is_read_only_up_to_its_bound() -> None:
    big = office_types("docx") + b"<!-- " + os.urandom(300_000).hex().encode() + b" -->"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", big)  # 900 KB that compress only ~2 times
    with pytest.raises(UploadRejected, match=BOMB_MESSAGE):
        await store_upload(buffer.getvalue(), "a.docx", prefix="x", allowed={"docx"})


def test_check_zip_reads_the_directory_only_and_spares_small_or_stored_members() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("small.txt", bytes(512 * 1024))  # 1000 times, but under the grace size
        archive.writestr("raw.bin", os.urandom(2 << 20), compress_type=zipfile.ZIP_STORED)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        archives.check_zip(archive)
        with pytest.raises(archives.ZipRefused):
            archives.check_zip(archive, max_total_bytes=1 << 20)


async def test_the_zip_bomb_refusal_is_translated() -> None:
    with use_locale("zh_CN"), pytest.raises(UploadRejected) as caught:
        await store_upload(zip_bomb(megabytes=20), "炸弹.zip", prefix="x", allowed={"zip"})
    assert "炸弹.zip" in caught.value.message and "expand" not in caught.value.message
