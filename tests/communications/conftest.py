"""Every communications test starts with an empty file store."""

from __future__ import annotations

import shutil

import pytest


@pytest.fixture(autouse=True)
def empty_storage() -> None:
    from portal.settings import get_settings

    shutil.rmtree(get_settings().storage_dir, ignore_errors=True)
