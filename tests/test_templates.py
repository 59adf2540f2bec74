"""Every page template and every e-mail renders with a sample context, in both languages.

Templates are discovered by walking templates/, so a new page is covered the day it is added.
Samples come from tests/template_samples.py and every tests/<domain>/template_samples.py (dicts
SAMPLES and EMAIL_SAMPLES). A template without a sample gets a generic context (a signed-in partner
admin, empty errors/values, an empty pager); missing values render empty (ChainableUndefined), so
only a page that needs real data (a comparison, a filter on a value, a link with an id) needs an
entry. Partials (`_partials/`, names starting with `_`) are rendered through the pages using them.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest

from portal.core.email import render_email
from portal.lib.i18n import use_locale
from portal.settings import TEMPLATES_DIR
from portal.templating import environment
from tests.template_samples import VERA, page_context

LOCALES = ["zh_CN", "en"]
TESTS_DIR = Path(__file__).resolve().parent
GENERIC_EMAIL = {"name": "Sample", "link": "http://testserver.local/sample"}


def _load_samples() -> tuple[dict[str, Any], dict[str, Any]]:
    pages: dict[str, Any] = {}
    emails: dict[str, Any] = {}
    modules = ["tests.template_samples"] + [
        f"tests.{p.parent.name}.template_samples"
        for p in sorted(TESTS_DIR.glob("*/template_samples.py"))
    ]
    for module_name in modules:
        module = importlib.import_module(module_name)
        pages.update(getattr(module, "SAMPLES", {}))
        emails.update(getattr(module, "EMAIL_SAMPLES", {}))
    return pages, emails


SAMPLES, EMAIL_SAMPLES = _load_samples()


def _is_partial(name: str) -> bool:
    return any(part.startswith("_") for part in Path(name).parts)


def _page_templates() -> list[str]:
    names = []
    for path in sorted(TEMPLATES_DIR.rglob("*.html")):
        name = path.relative_to(TEMPLATES_DIR).as_posix()
        if _is_partial(name) or name.startswith("emails/"):
            continue
        names.append(name)
    return names


def _email_names() -> list[str]:
    return sorted(
        p.name.removesuffix(".subject.txt")
        for p in (TEMPLATES_DIR / "emails").glob("*.subject.txt")
    )


def _cases() -> list[Any]:
    cases = []
    for name in _page_templates():
        for variant, context in SAMPLES.get(name, [("generic", page_context())]):
            for locale in LOCALES:
                cases.append(pytest.param(name, context, locale, id=f"{name}-{variant}-{locale}"))
    return cases


def _render(name: str, context: dict[str, Any], locale: str) -> str:
    with use_locale(locale):
        try:
            return environment().get_template(name).render(context)
        except Exception as exc:
            if name in SAMPLES:
                raise
            pytest.fail(
                f"{name} does not render with the generic context ({exc!r}). If it needs real "
                f"data, add SAMPLES[{name!r}] in tests/<domain>/template_samples.py.",
                pytrace=True,
            )


def test_every_page_template_is_found():
    names = _page_templates()
    assert {"base.html", "home.html", "auth/login.html", "errors/error.html"} <= set(names)
    assert not [n for n in names if n.startswith("_partials/")]


@pytest.mark.parametrize(("name", "context", "locale"), _cases())
def test_page_template_renders(app, name, context, locale):
    html = _render(name, context, locale)
    assert html.strip(), f"{name} rendered nothing"
    if "<html" in html:
        assert html.rstrip().endswith("</html>"), f"{name} is cut short"


@pytest.mark.parametrize(
    ("name", "context", "locale"),
    [c for c in _cases() if not c.values[0].startswith("pdf/")],  # PDFs are not served pages
)
def test_pages_keep_to_the_content_security_policy(app, name, context, locale):
    """CSP forbids inline styles, inline scripts and event-handler attributes."""
    html = _render(name, context, locale)
    assert not re.search(r"\sstyle\s*=", html), f"{name}: inline style attribute"
    assert not re.search(r"<style[\s>]", html), f"{name}: <style> element"
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"{name}: inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", html), f"{name}: event-handler attribute"


def test_the_layout_shows_navigation_user_and_forms(app):
    html = _render("home.html", page_context(VERA, cards=[]), "en")
    assert 'href="/console/audit"' in html  # an admin-section entry for a vendor admin
    assert "Vendor administrator" in html
    assert 'action="/logout"' in html and 'action="/language"' in html
    assert 'name="next" value="/"' in html
    assert '<html lang="en">' in html
    assert '<html lang="zh-CN">' in _render("home.html", page_context(cards=[]), "zh_CN")
    assert html.count("sample-csrf") >= 2  # sign-out and language forms both carry the token


def test_anonymous_pages_use_the_centred_layout(app):
    html = _render("auth/login.html", SAMPLES["auth/login.html"][1][1], "en")
    assert 'class="bare-card"' in html and 'class="sidebar"' not in html
    assert 'role="alert"' in html and "not correct" in html
    assert 'href="/password-reset"' in html and 'href="/apply"' in html


def test_account_page_marks_this_session_and_shows_a_new_token_once(app):
    html = _render("auth/account.html", SAMPLES["auth/account.html"][1][1], "en")
    assert "ppt_the-secret-value" in html
    assert "This session" in html
    plain = _render("auth/account.html", SAMPLES["auth/account.html"][0][1], "en")
    assert plain.count("This session") == 1
    assert 'action="/account/sessions/12/end"' in plain
    assert 'action="/account/tokens/3/revoke"' in plain
    assert "ERP &lt;sync&gt;" in plain  # user text is escaped
    assert "WeChat on iOS" in plain


def test_expired_links_say_so(app):
    reset = _render("auth/reset.html", SAMPLES["auth/reset.html"][1][1], "en")
    assert "This link has expired or was already used." in reset
    assert 'href="/password-reset"' in reset
    invitation = _render("auth/invitation.html", SAMPLES["auth/invitation.html"][2][1], "en")
    assert "expired" in invitation and 'action="/invitations/tok"' not in invitation


def _email_cases() -> list[Any]:
    cases = []
    for name in _email_names():
        for variant, context in EMAIL_SAMPLES.get(name, [("generic", GENERIC_EMAIL)]):
            for locale in LOCALES:
                cases.append(pytest.param(name, context, locale, id=f"{name}-{variant}-{locale}"))
    return cases


def test_every_email_has_three_templates():
    for name in _email_names():
        for suffix in (".subject.txt", ".txt", ".html"):
            assert (TEMPLATES_DIR / "emails" / f"{name}{suffix}").exists(), f"{name}{suffix}"
    assert {"invitation", "password_reset"} <= set(_email_names())


@pytest.mark.parametrize(("name", "context", "locale"), _email_cases())
def test_email_renders(name, context, locale):
    subject, text, html = render_email(name, context, locale)
    assert subject and "\n" not in subject
    assert text.strip() and "<html" in html and html.rstrip().endswith("</html>")
    if "link" in context:
        assert str(context["link"]) in text and str(context["link"]) in html


def test_email_text_is_plain_and_html_is_escaped():
    _subject, text, html = render_email(
        "password_reset", EMAIL_SAMPLES["password_reset"][0][1], "en"
    )
    assert "Bob <b>" in text  # the text part is not HTML
    assert "Bob &lt;b&gt;" in html and "Bob <b>" not in html
    assert "60 minutes" in text
