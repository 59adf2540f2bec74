"""Issue 12 point 8: a file below 1 KB shows its bytes ("0 KB" said nothing), in both languages."""

from __future__ import annotations

import pytest

from portal.lib.i18n import format_size, use_locale


@pytest.mark.parametrize(
    ("size", "en", "zh"),
    [
        (0, "0 bytes", "0 字节"),
        (1, "1 byte", "1 字节"),
        (812, "812 bytes", "812 字节"),
        (1024, "1 KB", "1 KB"),
        (250_000, "244 KB", "244 KB"),
        (1_572_864, "1.5 MB", "1.5 MB"),
    ],
)
def test_file_sizes_read_naturally(size, en, zh):
    with use_locale("en"):
        assert format_size(size) == en
    with use_locale("zh_CN"):
        assert format_size(size) == zh
