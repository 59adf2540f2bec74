"""The knowledge base: ranked search in both languages, drafts hidden from partners, articles
from cases, and the checks on an article's languages."""

from __future__ import annotations

import pytest

from portal.lib.forms import FormError
from portal.support import kb, services
from portal.support.schemas import ArticleForm
from tests.support.factories import make_article, make_case


def test_chinese_queries_are_cut_into_two_character_pieces():
    assert kb.terms("摄像机离线") == ["摄像", "像机", "机离", "离线"]
    assert kb.terms("Camera at night") == ["camera", "night"]


async def test_a_title_match_ranks_before_a_body_match():
    body_only = await make_article("Power supplies", "A camera needs 12 V.", title_zh="电源")
    in_title = await make_article("Camera mounting", "Use the bracket.", title_zh="安装支架")

    results = await kb.search("camera")

    assert [r["id"] for r in results] == [in_title, body_only]


async def test_partners_never_find_drafts():
    await make_article("Secret roadmap", "Not yet.", status="draft", title_zh="路线图")

    assert await kb.search("roadmap") == []
    assert len(await kb.search("roadmap", include_drafts=True)) == 1


async def test_articles_are_shown_in_the_readers_language():
    article_id = await make_article("Resetting a camera", "Hold reset.", title_zh="重置摄像机")

    [zh] = [a for a in await kb.search("重置") if a["id"] == article_id]
    english = kb.localized_article(zh, "en")

    assert english["title"] == "Resetting a camera"
    assert kb.localized_article(zh, "zh_CN")["title"] == "重置摄像机"


async def test_an_article_needs_a_title_and_text_in_one_language(vera):
    with pytest.raises(FormError) as error:
        await kb.save_article(vera.current, ArticleForm(title_en="Only a title"))

    assert "body_en" in error.value.errors


async def test_a_case_becomes_a_draft_with_its_question_and_answer(alice, vera):
    case_id = await make_case(
        alice, subject="Invoice title", description="Please change our invoice title."
    )
    await services.reply(vera.current, case_id, "Send us the new business licence.")

    draft = await kb.draft_from_case(vera.current, case_id)
    article_id = await kb.save_article(vera.current, draft, source_case_id=case_id)

    assert draft.status == "draft"
    assert "Send us the new business licence." in draft.body_en
    assert (await kb.search("licence", include_drafts=True))[0]["id"] == article_id
