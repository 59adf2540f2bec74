"""The PDF helper: WeasyPrint off the event loop, Chinese glyphs embedded, resources only from
the static folder or data: URLs."""

from __future__ import annotations

import io
import threading

from pypdf import PdfReader

from portal.lib import pdf


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_chinese_text_is_embedded_with_the_cjk_font():
    data = pdf.html_to_pdf(
        f"<html><body style=\"font-family: '{pdf.CJK_FONT}'\">华东智联科技有限公司 ¥1,234.56</body></html>"
    )

    assert data.startswith(b"%PDF")
    assert "华东智联科技有限公司" in _text(data)
    fonts = PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/Font"]
    names = [str(f.get_object()["/BaseFont"]) for f in fonts.values()]
    assert any("Noto-Sans-CJK-SC" in name for name in names), names


def test_remote_and_local_files_outside_static_are_not_fetched(tmp_path):
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    fetcher = pdf._fetcher_class()(allowed_protocols=("file", "data"))

    for url in ("http://169.254.169.254/latest/meta-data", secret.as_uri(), "file:///etc/passwd"):
        try:
            fetcher.fetch(url)
        except (pdf.ForbiddenResource, ValueError):
            continue
        raise AssertionError(f"{url} was fetched")


def test_static_files_and_data_urls_are_allowed():
    from portal.settings import STATIC_DIR

    fetcher = pdf._fetcher_class()(allowed_protocols=("file", "data"))

    css = fetcher.fetch((STATIC_DIR / "css" / "portal.css").as_uri())
    data = fetcher.fetch("data:text/plain;base64,aGk=")

    assert css.read() and data.read() == b"hi"


async def test_rendering_runs_off_the_event_loop_in_the_requested_language():
    seen: list[str] = []
    original = pdf.html_to_pdf

    def spy(html: str) -> bytes:
        seen.append(threading.current_thread().name)
        return original(html)

    pdf.html_to_pdf = spy  # type: ignore[assignment]
    try:
        data = await pdf.render_pdf("pdf/performance_report.html", _sample(), "zh_CN")
    finally:
        pdf.html_to_pdf = original  # type: ignore[assignment]

    assert seen and seen[0].startswith("pdf")
    assert "关键指标" in _text(data) or "Key figures" in _text(data)


def _sample() -> dict[str, object]:
    from tests.performance.template_samples import SAMPLES

    return dict(SAMPLES["pdf/performance_report.html"][0][1])
