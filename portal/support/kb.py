"""The knowledge base: articles in Chinese and English, categories, drafts and published
articles, a ranked search (title over keywords over body), suggestions for a new case, and
turning a case's answer into a draft article."""

from __future__ import annotations

import re
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.core.audit import record
from portal.db import is_sqlite, write_transaction
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.lib.i18n import localized
from portal.support.access import get_case_for_user
from portal.support.constants import ArticleStatus
from portal.support.schemas import ArticleForm
from portal.support.tables import CaseMessage, KbArticle, KbCategory
from portal.tenancy import NotFound

MAX_TERMS = 8
CANDIDATES = 200
_WORD = re.compile(r"[\w\u4e00-\u9fff]+", re.UNICODE)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _like(column: Any, pattern: str) -> Any:
    """Case-insensitive match: ILIKE on PostgreSQL, LIKE on SQLite (already case-insensitive for
    ASCII; Piccolo would warn on every ILIKE it rewrites)."""

    return column.like(pattern) if is_sqlite() else column.ilike(pattern)


def terms(query: str) -> list[str]:
    """Search terms: words, and for Chinese (written without spaces) two-character pieces, so
    "摄像机离线" finds "摄像机 ... 离线"."""
    out: list[str] = []
    for word in _WORD.findall(query.lower()):
        if _CJK.search(word) and len(word) > 2:
            out.extend(word[i : i + 2] for i in range(len(word) - 1))
        elif len(word) >= 3 or _CJK.search(word):
            out.append(word)
    return list(dict.fromkeys(out))[:MAX_TERMS]


def score(article: dict[str, Any], words: list[str]) -> int:
    """Title matches weigh most, then keywords, then the body; every term counts once."""
    title = f"{article['title_zh']} {article['title_en']}".lower()
    keywords = article["keywords"].lower()
    body = f"{article['body_zh']} {article['body_en']}".lower()
    total = 0
    for word in words:
        total += 6 if word in title else 0
        total += 3 if word in keywords else 0
        total += 1 if word in body else 0
    return total


def localized_article(article: dict[str, Any], locale: str | None = None) -> dict[str, Any]:
    """The article with its title and body in the reader's language (lib.i18n.localized)."""
    return {
        **article,
        "title": localized(article, "title", locale),
        "body": localized(article, "body", locale),
    }


def snippet(text: str, words: list[str], length: int = 160) -> str:
    lower = text.lower()
    positions = [lower.find(w) for w in words if w in lower]
    start = max(min(positions) - 40, 0) if positions else 0
    piece = " ".join(text[start : start + length].split())
    return ("…" if start else "") + piece + ("…" if len(text) > start + length else "")


async def search(
    query: str, *, include_drafts: bool = False, category_id: int | None = None, limit: int = 20
) -> list[dict[str, Any]]:
    """Articles matching the query, best first (published only unless include_drafts)."""
    words = terms(query)
    select = KbArticle.select(
        *KbArticle.all_columns(), KbArticle.category.name_zh, KbArticle.category.name_en
    )
    if not include_drafts:
        select = select.where(KbArticle.status == ArticleStatus.PUBLISHED)
    if category_id:
        select = select.where(KbArticle.category == category_id)
    if not words:
        rows = await select.order_by(KbArticle.updated_at, ascending=False).limit(limit)
        return [localized_article(r) for r in rows]
    condition: Any = None
    for word in words:
        like = f"%{word}%"
        term = (
            _like(KbArticle.title_zh, like)
            | _like(KbArticle.title_en, like)
            | _like(KbArticle.keywords, like)
            | _like(KbArticle.body_zh, like)
            | _like(KbArticle.body_en, like)
        )
        condition = term if condition is None else condition | term
    rows = await select.where(condition).limit(CANDIDATES)
    ranked = sorted(rows, key=lambda r: (-score(r, words), -r["views"], r["id"]))
    out = []
    for row in ranked[:limit]:
        item = localized_article(row)
        item["snippet"] = snippet(item["body"], words)
        item["score"] = score(row, words)
        out.append(item)
    return out


async def list_categories() -> list[dict[str, Any]]:
    return await KbCategory.select().order_by(KbCategory.position).order_by(KbCategory.id)


async def count_view(article_id: int) -> None:
    await KbArticle.update({KbArticle.views: KbArticle.views + 1}).where(KbArticle.id == article_id)


def _check(form: ArticleForm) -> None:
    errors: dict[str, str] = {}
    if not (form.title_zh.strip() or form.title_en.strip()):
        errors["title_zh"] = _("Give the article a title in at least one language.")
    if not (form.body_zh.strip() or form.body_en.strip()):
        errors["body_zh"] = _("Write the article in at least one language.")
    for lang in ("zh", "en"):
        if getattr(form, f"title_{lang}").strip() and not getattr(form, f"body_{lang}").strip():
            errors[f"body_{lang}"] = _("A title needs a text in the same language.")
    if errors:
        raise FormError(errors)


async def save_article(
    actor: CurrentUser,
    form: ArticleForm,
    article_id: int | None = None,
    source_case_id: int | None = None,
) -> int:
    """Create or update an article (vendor staff); FormError when both languages are empty."""
    if not actor.is_vendor:
        raise NotFound
    _check(form)
    if form.category_id is not None and not await KbCategory.exists().where(
        KbCategory.id == form.category_id
    ):
        raise FormError({"category_id": _("Choose one of the options.")})
    moment = now()
    values = {
        "title_zh": form.title_zh.strip(),
        "title_en": form.title_en.strip(),
        "body_zh": form.body_zh.strip(),
        "body_en": form.body_en.strip(),
        "keywords": form.keywords.strip(),
        "category": form.category_id,
        "status": form.status,
    }
    async with write_transaction():
        if article_id is None:
            rows = await KbArticle.insert(
                KbArticle(
                    **values,  # type: ignore[arg-type]
                    source_case_id=source_case_id,
                    author_id=actor.id,
                    created_at=moment,
                    updated_at=moment,
                    published_at=moment if form.status == ArticleStatus.PUBLISHED else None,
                )
            ).returning(KbArticle.id)
            article_id = int(rows[0]["id"])
            action = "support.article_created"
        else:
            current = (
                await KbArticle.select(KbArticle.status, KbArticle.published_at)
                .where(KbArticle.id == article_id)
                .first()
            )
            if current is None:
                raise NotFound
            published_at = current["published_at"]
            if form.status == ArticleStatus.PUBLISHED and published_at is None:
                published_at = moment
            await KbArticle.update(
                {
                    **{getattr(KbArticle, k): v for k, v in values.items()},
                    KbArticle.updated_at: moment,
                    KbArticle.published_at: published_at,
                }
            ).where(KbArticle.id == article_id)
            action = "support.article_updated"
        await record(
            action,
            actor=actor,
            target_type="kb_article",
            target_id=article_id,
            after={"status": form.status, "title": values["title_zh"] or values["title_en"]},
        )
    return article_id


async def draft_from_case(actor: CurrentUser, case_id: int) -> ArticleForm:
    """A draft article prefilled from a case: its subject as title, the description as the
    question and the last public vendor answer as the answer (staff review before saving)."""
    case = await get_case_for_user(actor, case_id)
    answer = (
        await CaseMessage.select(CaseMessage.body)
        .where(
            (CaseMessage.support_case == case_id)
            & (CaseMessage.author_is_vendor == True)  # noqa: E712
            & (CaseMessage.is_internal == False)  # noqa: E712
        )
        .order_by(CaseMessage.id, ascending=False)
        .first()
    )
    body = answer["body"] if answer else ""
    text = f"{case['description']}\n\n---\n\n{body}".strip()
    zh = bool(_CJK.search(case["subject"] + case["description"]))
    return ArticleForm(
        title_zh=case["subject"] if zh else "",
        title_en="" if zh else case["subject"],
        body_zh=text if zh else "",
        body_en="" if zh else text,
        status=ArticleStatus.DRAFT,
    )
