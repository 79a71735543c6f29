"""Security claims, each asserted: deploy checks, response headers, sanitised content, brute-force lockout."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import override_settings
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.models import Page, Site

from campaigns.blocks import CampaignBodyBlock
from campaigns.models import CampaignIndexPage, CampaignPage, HomePage
from messaging.blocks import MessageHouseBlock
from messaging.sanitise import SanitisedRichTextBlock, plain_text, rich_text
from tests.factories import InstitutionFactory, MessageFactory, UserFactory, locale
from tests.messaging.api_helpers import client_for, issue_key

REPO = Path(__file__).resolve().parents[2]
SCRIPT = "<script>alert(1)</script>"
IMG = '<img src="x" onerror="alert(1)">'
LINK = '<a href="javascript:alert(1)">click</a>'
EXECUTABLE = ("<script", "onerror", "javascript:", "<img", "alert(1)")


def _executable_markup(text: str) -> list[str]:
    lowered = text.lower()
    return [marker for marker in EXECUTABLE if marker in lowered]


@pytest.fixture
def campaign(db: None) -> CampaignPage:
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="تواصل", slug="home-security", locale=locale("ar")))
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    index = home.add_child(instance=CampaignIndexPage(title="الحملات", slug="campaigns", locale=locale("ar")))
    page = index.add_child(
        instance=CampaignPage(
            title="حملة",
            slug="campaign",
            summary="ملخص",
            locale=locale("ar"),
            body=[("paragraph", f"<p>نص {SCRIPT}{LINK}{IMG}<b onclick='alert(1)'>عريض</b></p>")],
        )
    )
    page.save_revision().publish()
    return page


# Deployment ------------------------------------------------------------------------------------------------


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hub.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "tawasul.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "PYTHONWARNINGS": "ignore",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS:" not in result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_secret_key(tmp_path):
    env = {
        key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}
    }
    env.update({"DJANGO_SETTINGS_MODULE": "hub.settings.production", "PYTHONWARNINGS": "ignore"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=REPO, env=env, capture_output=True, text=True, timeout=240
    )
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


# Headers ---------------------------------------------------------------------------------------------------


def test_public_page_sends_security_headers_and_content_security_policy(client, campaign):
    response = client.get(campaign.url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in (part.strip() for part in response["Content-Security-Policy"].split(";"))
        if directive
    }
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert all("*" not in source for sources in policy.values() for source in sources)


def test_production_sends_hsts_and_secure_cookies_over_https(client, campaign):
    production = {
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_SSL_REDIRECT": True,
    }
    with override_settings(**production):
        plain = client.get(campaign.url)
        secure = client.get(campaign.url, secure=True)
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


# Sanitised content -----------------------------------------------------------------------------------------


def test_plain_text_strips_markup_and_keeps_text():
    assert plain_text(f"أ & ب {SCRIPT} x < y <b onclick='a()'>bold</b>") == "أ & ب  x < y bold"
    assert plain_text("&lt;script&gt;alert(1)&lt;/script&gt;ok") == "ok"
    assert plain_text("سطر\nسطر") == "سطر\nسطر"


def test_message_blocks_are_stored_as_plain_text(db):
    message = MessageFactory(
        body=[
            ("pillar", {"title": f"ركيزة{SCRIPT}", "talking_points": [f"نقطة {IMG}", f"{LINK} نقطة"]}),
            ("qa", {"question": f"سؤال{SCRIPT}", "answer": "جواب <b onmouseover='alert(1)'>هنا</b>"}),
            (
                "fact",
                {"statement": f"حقيقة{IMG}", "source_title": f"مصدر{SCRIPT}", "source_url": "javascript:alert(1)"},
            ),
            ("avoid", f"لا {SCRIPT}تقل"),
        ]
    )
    message.refresh_from_db()
    stored = json.dumps(list(message.body.raw_data), ensure_ascii=False)
    revision = json.dumps(message.latest_revision.content["body"], ensure_ascii=False)
    assert _executable_markup(stored) == []
    assert _executable_markup(revision) == []
    assert message.pillar_text() == "ركيزة\nنقطة \nclick نقطة"
    assert message.blocks_of("fact")[0]["source_url"] == ""
    assert message.lines_to_avoid() == ["لا تقل"]


def test_message_block_validation_refuses_a_line_that_is_only_markup():
    talking_point = MessageHouseBlock().child_blocks["pillar"].child_blocks["talking_points"].child_block
    assert talking_point.clean(f"نقطة{SCRIPT}") == "نقطة"
    with pytest.raises(ValidationError):
        talking_point.clean(SCRIPT)


def test_api_returns_no_executable_markup_from_message_blocks(db):
    institution = InstitutionFactory(slug="moi")
    message = MessageFactory.create_published(
        body=[
            ("pillar", {"title": f"ركيزة{SCRIPT}", "talking_points": [f"نقطة {IMG}"]}),
            ("qa", {"question": "سؤال", "answer": f"{LINK}"}),
        ]
    )
    response = client_for(issue_key(institution)).get(f"/api/v1/messages/{message.translation_key}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert _executable_markup(response.content.decode()) == []
    assert response.json()["translations"]["ar"]["body"][0]["value"]["talking_points"] == ["نقطة "]


def test_message_preview_and_public_page_escape_message_fields(client, campaign):
    message = MessageFactory.create_published(
        title=f"عنوان{SCRIPT}", key_message=f"رسالة{SCRIPT}", campaign=campaign, is_public=True
    )
    preview = render_to_string("messaging/message_preview.html", {"object": message, "language_code": "ar"})
    page = client.get(campaign.url).content.decode()
    public = page[page.index('<section aria-labelledby="key-messages">') :]
    for html in (preview, public):  # stripped on save (Message.clean); escaped by the templates either way
        assert "رسالة" in html
        assert "<script>alert(1)" not in html


def test_rich_text_editor_input_is_stored_without_scripts_or_javascript_links():
    """What Draftail sends (contentstate) is converted to the stored format through Wagtail's whitelist."""
    converter = ContentstateConverter(["bold", "italic", "link", "ol", "ul"])
    contentstate = {
        "blocks": [
            {
                "key": "a",
                "type": "unstyled",
                "text": f"{SCRIPT} click",
                "depth": 0,
                "inlineStyleRanges": [],
                "entityRanges": [{"offset": len(SCRIPT) + 1, "length": 5, "key": 0}],
            }
        ],
        "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "javascript:alert(1)"}}},
    }
    stored = converter.to_database_format(json.dumps(contentstate))
    assert "<script" not in stored and "javascript:" not in stored
    assert "&lt;script&gt;" in stored


def test_sanitised_rich_text_block_renders_stored_html_without_scripts():
    block = SanitisedRichTextBlock()
    html = block.render(block.to_python(f"<p>نص {SCRIPT}{LINK}{IMG}<b onclick='alert(1)'>عريض</b></p>"))
    assert _executable_markup(html) == []
    assert "<b>عريض</b>" in html and "<a>click</a>" in html
    assert rich_text('<a href="https://example.org">x</a>') == '<a href="https://example.org">x</a>'


def test_campaign_page_paragraph_renders_without_scripts_or_event_attributes(client, campaign):
    assert isinstance(CampaignBodyBlock().child_blocks["paragraph"], SanitisedRichTextBlock)
    html = client.get(campaign.url).content.decode()
    body = html[html.index('<div class="body">') : html.index("</article>")]
    assert _executable_markup(body) == []
    assert "عريض" in body


# Brute force -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_login_locks_out_after_repeated_failures(client, settings):
    from axes.utils import reset

    UserFactory(username="editor", password="right-password-2026")
    settings.AXES_ENABLED = True
    try:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            failed = client.post("/admin/login/", {"username": "editor", "password": "wrong"})
            assert SESSION_KEY not in client.session
            assert failed.status_code in (200, 429)
        locked = client.post("/admin/login/", {"username": "editor", "password": "right-password-2026"})
        assert locked.status_code == 429
        assert SESSION_KEY not in client.session
    finally:
        reset()


@pytest.mark.django_db
def test_message_plain_text_fields_are_stored_without_markup():
    message = MessageFactory(title=f"عنوان {SCRIPT}", key_message=f"الرسالة {IMG}", spokesperson="<b>المتحدث</b>")
    message.full_clean()
    assert _executable_markup(message.title + message.key_message) == []
    assert "<" not in message.spokesperson and "المتحدث" in message.spokesperson
