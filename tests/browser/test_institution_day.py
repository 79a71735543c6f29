"""An institution's media director's day in a real browser: sign in, read what is addressed to the institution,
acknowledge, follow up an activity, issue and rotate a key, add and revoke a webhook endpoint, sign out."""

from __future__ import annotations

import pytest

from institution_space.models import ActivityUpdate
from institutions.ledger import Acknowledgement
from institutions.models import InstitutionAPIKey
from webhooks.models import WebhookEndpoint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "a-long-test-password"


def _sign_in(context, language: str, username: str):
    page = context.new_page()
    page.goto(f"/{language}/institution/")
    assert "/institution/login/" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form.decision button[type=submit]")
    return page


def test_media_director_day_in_the_institution_space(browser_context, space):
    for user in (space.director, space.officer):
        user.set_password(PASSWORD)
        user.save()
    page = _sign_in(browser_context(locale="en"), "en", "moi-director")
    assert page.url.endswith("/en/institution/")
    assert page.locator("[data-message]", has_text="Own line").is_visible()
    assert page.locator("text=Other line").count() == 0
    assert page.locator("[data-changes] li").count() == 3

    page.locator("[data-message] a", has_text="Own line").click()
    page.fill("#id_note", "Shared with our spokesperson")
    with page.expect_navigation():
        page.click("text=Acknowledge version 1")
    assert page.locator("[data-acknowledged]").is_visible()
    assert Acknowledgement.objects.get(translation_key=space.own.message.translation_key).note == (
        "Shared with our spokesperson"
    )

    page.click("nav >> text=Messages")
    assert page.locator("[data-figure=acknowledged_current]").inner_text() == "1"
    with page.expect_navigation():
        page.click("text=Acknowledge withdrawal")
    assert page.locator("[data-withdrawal]").count() == 0
    with page.expect_navigation():
        page.click("text=Mark as seen")
    assert page.locator("[data-no-changes]").is_visible()

    page.click("nav >> text=Activities")
    row = page.locator(f"[data-activity='{space.own.activity.pk}']")
    row.locator("select").select_option("done")
    row.locator("textarea").fill("Workshop held")
    with page.expect_navigation():
        row.locator("button").click()
    assert page.locator("[data-updates]", has_text="Workshop held").is_visible()
    assert ActivityUpdate.objects.get().status_after == "done"

    page.click("nav >> text=API keys")
    page.fill("input[name=name]", "newsroom mirror")
    page.check("input[name=scopes][value=acknowledge]")
    with page.expect_navigation():
        page.click("text=Issue key")
    first_key = page.locator("[data-raw-key]").inner_text()
    with page.expect_navigation():
        page.locator("tr", has_text="newsroom mirror").locator("text=Rotate").click()
    assert page.locator("[data-raw-key]").inner_text() != first_key
    assert InstitutionAPIKey.objects.filter(name="newsroom mirror", revoked=True).count() == 1

    page.click("nav >> text=Webhook endpoints")
    page.fill("input[name=url]", "http://127.0.0.1:9/newsroom")
    with page.expect_navigation():
        page.click("text=Add endpoint")
    assert page.locator("[data-secret]").inner_text().startswith("whsec_")
    with page.expect_navigation():
        page.locator("tr", has_text="newsroom").locator("text=Revoke").click()
    assert not WebhookEndpoint.objects.get(url="http://127.0.0.1:9/newsroom").is_active

    with page.expect_navigation():
        page.click("text=Sign out")
    assert "/institution/login/" in page.url


def test_media_officer_sees_the_space_in_arabic_without_integrations(browser_context, space):
    space.officer.set_password(PASSWORD)
    space.officer.save()
    page = _sign_in(browser_context(locale="ar"), "ar", "moi-officer")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("text=الرسائل الموجّهة إلى مؤسستك").is_visible()
    assert page.locator("text=مفاتيح واجهة البرمجة").count() == 0
    assert page.goto("/ar/institution/keys/").status == 403
