"""The zh_CN catalog holds a proper translation of every message used in code and templates.

Runs the extraction command of `make messages` itself (so a folder it skips, such as
templates/_partials/, shows up here) and compares with portal/locales/zh_CN (issue 12 point 6).
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "portal/locales/zh_CN/LC_MESSAGES/messages.po"
CJK = re.compile(r"[\u3400-\u9fff]")
# Messages that read the same in Chinese (codes, product names, units written in Latin letters).
SAME_IN_CHINESE = re.compile(r"^(NPS|SKU|API|PDF|XLSX|CSV|SLA|ID|IP|URL|[^A-Za-z]*)$")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _extract(tmp_path: Path) -> list[tuple[str, ...]]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    line = next(x.strip() for x in makefile.splitlines() if "pybabel extract" in x)
    args = shlex.split(line.replace("$(BIN)/pybabel", "pybabel"))[1:]
    pot = tmp_path / "messages.pot"
    args[args.index("-o") + 1] = str(pot)
    subprocess.run(
        [sys.executable, "-c", "from babel.messages.frontend import main; main()", *args],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        return [m.id if isinstance(m.id, tuple) else (m.id,) for m in read_po(handle) if m.id]


def test_every_message_in_code_and_templates_is_translated_into_chinese(tmp_path):
    used = _extract(tmp_path)
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="zh_CN")
    missing, untranslated = [], []
    for ids in used:
        message = catalog.get(ids[0])
        if message is None:
            missing.append(ids[0])
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            untranslated.append(ids[0])
        elif not any(CJK.search(s) for s in strings) and not SAME_IN_CHINESE.match(
            PLACEHOLDER.sub("", ids[0])
        ):
            untranslated.append(ids[0])
    assert not missing, f"{len(missing)} messages missing from zh_CN: {missing[:30]}"
    assert not untranslated, f"{len(untranslated)} untranslated in zh_CN: {untranslated[:30]}"


def test_the_extraction_reads_the_partials(tmp_path):
    used = {ids[0] for ids in _extract(tmp_path)}
    assert "Please correct the fields marked below." in used
    assert "Unknown device" in used


def test_chinese_messages_use_full_width_punctuation_and_say_how_long():
    """Issue 12 point 8: "满意吗？", "等级：金牌", "姓名" for a person, "7 天后失效"."""
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="zh_CN")
    half_width = re.compile(
        r"[\u3400-\u9fff]\s*[,;:?!(]|[,;:?!)]\s*[\u3400-\u9fff]|[\u3400-\u9fff]\.$"
    )
    bad = [
        s
        for m in catalog
        if m.id
        for s in (m.string if isinstance(m.string, tuple) else (m.string,))
        if s and half_width.search(s)
    ]
    assert not bad, f"half-width punctuation in Chinese: {bad[:20]}"
    assert catalog.get("Full name").string == "姓名"
    assert not [m.id for m in catalog if m.string and "几天" in str(m.string)]
