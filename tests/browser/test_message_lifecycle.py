"""A message's life in a real browser: drafted in Arabic, refused to its author, approved by two others (it then
waits for its translation), translated and submitted for review by the translator, released in both languages by
two other people, served to an institution and shown on the public pages, then withdrawn with a reason, after
which an institution's mirror of the change feed ends with the tombstones."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from campaigns.models import CampaignPage
from hub.demo.loader import DEMO_PASSWORD, demo_load
from institutions.models import Institution
from messaging.blocks import MessageHouseBlock
from messaging.models import Message, Topic
from tests.messaging.admin_forms import strings_typed
from tests.messaging.api_helpers import issue_key

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CAMPAIGN_PATH = "/{lang}/campaigns/government-communication-strategy/"
ARABIC = {
    "title": "رسالة اختبار المتصفح",
    "key_message": "التواصل الحكومي الموحد يصل إلى كل مواطن",
    "pillar": "الوضوح والاتساق",
    "talking_point": "نتحدث بصوت واحد في كل القنوات",
}
ENGLISH = {
    "title": "Browser test message",
    "key_message": "Unified government communication reaches every citizen",
    "pillar": "Clarity and consistency",
    "talking_point": "We speak with one voice on every channel",
}


@pytest.fixture
def demo() -> None:
    demo_load()
    communicator = get_user_model().objects.get(username="communicator")
    # The communicator also sits on the review panel, so the admin offers them "Approve" on their own
    # submission: exactly the case the two-person rule must refuse.
    communicator.groups.add(Group.objects.get(name="Reviewers"))
    profile = UserProfile.get_for_user(communicator)
    profile.preferred_language = "ar"
    profile.save()


def _log_in(context: Any, username: str) -> Any:
    page = context.new_page()
    page.goto("/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    page.wait_for_selector("#wagtail-sidebar, [data-side-panel], main", state="attached")
    assert "/admin/login/" not in page.url, f"{username} could not log in"
    return page


def _open_footer_actions(page: Any) -> None:
    page.click("footer [data-w-dropdown-target=toggle]")


def _pillar_label() -> str:
    with translation.override("ar"):
        return str(MessageHouseBlock().child_blocks["pillar"].label)


def _draft_in_arabic_and_submit(page: Any, artifacts: Any) -> Message:
    topic = Topic.objects.get(locale__language_code="ar", slug="strategy")
    owner = Institution.objects.get(slug="gcc")
    campaign = CampaignPage.objects.get(locale__language_code="ar")

    page.goto(reverse("wagtailsnippets_messaging_message:add") + "?locale=ar")
    page.wait_for_selector("#id_title", state="visible")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]

    page.fill("#id_title", ARABIC["title"])
    page.fill("#id_key_message", ARABIC["key_message"])
    page.click("button.c-sf-add-button")
    page.get_by_role("option", name=_pillar_label()).click()
    page.fill("input[name='body-0-value-title']", ARABIC["pillar"])
    page.fill("input[name='body-0-value-talking_points-0-value']", ARABIC["talking_point"])
    page.screenshot(path=str(artifacts / "admin-editor-ar.png"), full_page=True)

    page.get_by_role("tab").nth(1).click()
    page.wait_for_selector("#id_is_public", state="visible")
    page.check("#id_is_public")
    # The topic, owner and campaign choosers open modal pickers; their value is the chosen object's id.
    page.evaluate(
        """([topic, owner, campaign]) => {
            document.querySelector("input[name=topic]").value = topic;
            document.querySelector("input[name=owner]").value = owner;
            document.querySelector("input[name=campaign]").value = campaign;
        }""",
        [str(topic.pk), str(owner.pk), str(campaign.pk)],
    )

    _open_footer_actions(page)
    with page.expect_navigation():
        page.click("button[name=action-submit]")
    message = Message.objects.get(title=ARABIC["title"], locale__language_code="ar")
    assert message.workflow_in_progress, page.content()[:2000]
    return message


def _workflow_action_url(message: Message) -> str:
    message.refresh_from_db()
    task_state = message.current_workflow_state.current_task_state
    return reverse("wagtailsnippets_messaging_message:workflow_action", args=(message.pk, "approve", task_state.pk))


def _approve_in_admin(context: Any, username: str, message: Message) -> str:
    """Approve from the dashboard's "awaiting your review" panel; answers the step the workflow moved to."""
    page = _log_in(context, username)
    page.goto(reverse("wagtailadmin_home"))
    approve = page.locator(
        f"button[data-workflow-action-url$='/{message.pk}/approve/"
        f"{message.current_workflow_state.current_task_state.pk}/']:not([data-launch-modal])"
    )
    row_actions = approve.locator("xpath=ancestor::td[contains(@class, 'actions-container')]")
    row_actions.locator("[data-w-dropdown-target=toggle]").click()
    with page.expect_navigation():
        approve.click()
    message.refresh_from_db()
    state = message.current_workflow_state
    return state.current_task_state.task.name if state else "done"


def _api_get(url: str, key: str | None) -> tuple[int, Any]:
    request = urllib.request.Request(url, headers={"Authorization": f"Api-Key {key}"} if key else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def _assert_public_page(context: Any, lang: str, direction: str, key_message: str, artifacts: Any) -> None:
    page = context.new_page()
    response = page.goto(CAMPAIGN_PATH.format(lang=lang))
    assert response.status == 200
    line = page.locator(".key-message .key-line", has_text=key_message)
    line.wait_for(state="visible")
    assert page.get_attribute("html", "dir") == direction
    assert page.get_attribute("html", "lang") == lang
    assert line.evaluate("el => getComputedStyle(el).direction") == direction
    page.screenshot(path=str(artifacts / f"campaign-{lang}.png"), full_page=True)


def test_message_lifecycle_from_arabic_draft_to_bilingual_public_page(demo, browser_context, live_server, artifacts):
    communicator_context = browser_context(locale="ar")
    page = _log_in(communicator_context, "communicator")
    message = _draft_in_arabic_and_submit(page, artifacts)
    body = message.latest_revision.as_object().body
    assert [(b.block_type, b.value["title"], list(b.value["talking_points"])) for b in body] == [
        ("pillar", ARABIC["pillar"], [ARABIC["talking_point"]])
    ]

    # The author's "Approve" opens a dialogue explaining the two-person rule, not a form.
    page.goto(reverse("wagtailsnippets_messaging_message:edit", args=(message.pk,)))
    _open_footer_actions(page)
    page.click("button[data-workflow-action-name=approve][data-workflow-action-modal-url]")
    refusal = page.locator("[data-two-person-rule]")
    refusal.wait_for(state="visible")
    assert page.locator(".modal form").count() == 0
    # A forged approval from the author's own session is refused too.
    url = _workflow_action_url(message)
    csrf = next(c["value"] for c in communicator_context.cookies() if c["name"] == "csrftoken")
    communicator_context.request.post(url, form={"csrfmiddlewaretoken": csrf, "comment": ""}, max_redirects=0)
    message.refresh_from_db()
    assert message.current_workflow_state.current_task_state.task.name == "Editorial review"
    assert not message.live

    assert _approve_in_admin(browser_context(), "reviewer", message) == "Centre approval"
    assert _approve_in_admin(browser_context(), "approver", message) == "done"
    message.refresh_from_db()
    assert not message.live and message.version == 0  # approved; a first release waits for the English

    # The translator asks for the English translation, translates it, and submits it for review.
    translator = _log_in(browser_context(locale="ar"), "translator")
    translator.goto(reverse("wagtail_localize:submit_snippet_translation", args=("messaging", "message", message.pk)))
    translator.check("input[name=locales]")
    translator.screenshot(path=str(artifacts / "translate-ar.png"), full_page=True)
    with translator.expect_navigation():
        translator.click("form:has(input[name=locales]) [type=submit]")
    english = Message.objects.get(translation_key=message.translation_key, locale__language_code="en")
    assert not english.live
    strings = {ARABIC[k]: ENGLISH[k] for k in ARABIC}
    strings_typed(
        message, get_user_model().objects.get(username="translator"), lambda arabic: strings.get(arabic, arabic)
    )
    translator.goto(reverse("wagtailsnippets_messaging_message:edit", args=(english.pk,)))
    submit = translator.locator("footer button[name=action][value=publish]")
    submit.wait_for(state="visible")
    translator.screenshot(path=str(artifacts / "translation-editor-ar.png"), full_page=True)
    with translator.expect_navigation():
        submit.click()
    translator.screenshot(path=str(artifacts / "translation-submitted-ar.png"), full_page=True)
    english.refresh_from_db()
    assert not english.live and english.current_workflow_state.requested_by.username == "translator"

    # Two people other than the translator release the English; the waiting Arabic goes live with it.
    assert _approve_in_admin(browser_context(), "reviewer", english) == "Centre approval"
    assert _approve_in_admin(browser_context(), "approver", english) == "done"
    message.refresh_from_db()
    english.refresh_from_db()
    assert message.live and english.live and (message.version, english.version) == (1, 1)
    assert english.key_message == ENGLISH["key_message"]

    # An institution of its audience (everyone) receives it from the live server's API.
    key = issue_key(Institution.objects.get(slug="moi"))
    status, page_of_messages = _api_get(f"{live_server.url}/api/v1/messages/", key)
    assert status == 200
    document = next(d for d in page_of_messages["results"] if d["id"] == str(message.translation_key))
    assert document["translations"]["ar"]["key_message"] == ARABIC["key_message"]
    assert document["translations"]["en"]["status"] == "current"
    assert document["reviewed"] and not document["translation_pending"]
    assert _api_get(f"{live_server.url}/api/v1/messages/", None)[0] == 401
    _, feed = _api_get(f"{live_server.url}/api/v1/changes/?after=0&limit=200", key)
    cursor = feed["next_after"]

    public = browser_context(locale="en")
    _assert_public_page(public, "ar", "rtl", ARABIC["key_message"], artifacts)
    _assert_public_page(public, "en", "ltr", ENGLISH["key_message"], artifacts)

    # The approver withdraws it in the Arabic admin, with a reason; every language goes.
    approver = _log_in(browser_context(locale="ar"), "approver")
    approver.goto(reverse("wagtailsnippets_messaging_message:unpublish", args=(english.pk,)))
    approver.fill("textarea[name=reason]", "الأرقام تحتاج إلى مراجعة")
    approver.screenshot(path=str(artifacts / "withdraw-ar.png"), full_page=True)
    with approver.expect_navigation():
        approver.click("form button.serious")
    assert not Message.objects.filter(translation_key=message.translation_key, live=True).exists()

    # A mirror that had read the feed to the release learns of the withdrawal from its own cursor.
    _, feed = _api_get(f"{live_server.url}/api/v1/changes/?after={cursor}", key)
    tail = [(item["locale"], item["kind"], item["tombstone"]) for item in feed["results"]]
    assert sorted(tail) == [("ar", "message.withdrawn", True), ("en", "message.withdrawn", True)]
    assert feed["next_after"] > cursor
    for name in ("admin-editor-ar.png", "translation-editor-ar.png", "campaign-ar.png", "withdraw-ar.png"):
        assert (artifacts / name).stat().st_size > 0
