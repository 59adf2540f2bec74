"""Tell clearly which system packages or services the portal (or its tests) is missing."""

from __future__ import annotations

import argparse
import ctypes.util
import os
import shutil
import socket
import subprocess
import sys

RUNTIME_APT = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk"
TEST_APT = "postgresql redis-server chromium poppler-utils"


def _lib(name: str) -> bool:
    return ctypes.util.find_library(name) is not None


def _cjk_font() -> bool:
    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(
        ["fc-list", ":lang=zh"], capture_output=True, text=True, check=False
    ).stdout
    return "Noto" in out or "CJK" in out


def _port(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runtime", action="store_true")
    parser.add_argument("--tests", action="store_true")
    args = parser.parse_args()
    problems: list[str] = []
    warnings: list[str] = []
    if args.runtime or args.tests:
        if not _lib("pango-1.0"):
            problems.append(
                "Pango is missing (Debian: libpango-1.0-0 libpangoft2-1.0-0); PDFs cannot be made."
            )
        if not _lib("harfbuzz-subset"):
            problems.append(
                "HarfBuzz subsetting is missing (Debian: libharfbuzz-subset0); Chinese PDFs take ~20 s instead of ~1 s."
            )
        if not _cjk_font():
            problems.append(
                "No CJK font (Debian: fonts-noto-cjk); Chinese text would vanish from PDFs."
            )
    if args.tests:
        ci = bool(os.environ.get("CI"))
        if not _port(5432):
            (problems if ci else warnings).append(
                "PostgreSQL is not running on 127.0.0.1:5432 (Debian: postgresql); the PostgreSQL run "
                "and its tests are skipped."
            )
        if not _port(6379):
            (problems if ci else warnings).append(
                "Redis is not running on 127.0.0.1:6379 (Debian: redis-server); the worker tests are skipped."
            )
        if not (shutil.which("chromium") or os.path.exists("/usr/bin/chromium")):
            (problems if ci else warnings).append(
                "Chromium is missing (Debian: chromium); browser tests are skipped."
            )
        if not shutil.which("pdftoppm"):
            warnings.append(
                "pdftoppm is missing (Debian: poppler-utils); PDF page images are skipped."
            )
    for line in warnings:
        print(f"warning: {line}", file=sys.stderr)
    if problems:
        print("Missing system packages or services:", file=sys.stderr)
        for line in problems:
            print(f"  - {line}", file=sys.stderr)
        print(
            f"Install with: sudo apt-get install -y {RUNTIME_APT} {TEST_APT if args.tests else ''}".rstrip(),
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
