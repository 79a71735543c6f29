"""Outside clearance in a real browser: the minister's office opens the e-mailed link in Arabic, reads both languages
and the changes, clears with a comment, and finds the link spent when it comes back."""

from __future__ import annotations

import pytest
from django.core import mail
from wagtail.models import TaskState

from clearance.services import clearance_link_send
from tests.clearance.conftest import APPROVED_KEY_MESSAGE, NEW_KEY_MESSAGE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_outside_authority_clears_by_link_and_the_link_is_then_spent(browser_context, at_clearance, reviewer):
    clearance_link_send(
        task_state=at_clearance.task_state,
        sent_by=reviewer,
        name="سلمى الحارثية",
        email="office@minister.example",
        institution="مكتب الوزير",
        language="ar",
    )
    (sent,) = [m for m in mail.outbox if m.to == ["office@minister.example"]]
    link = next(word for word in sent.body.split() if "/ar/clearance/" in word)
    path = link.split("://", 1)[1].split("/", 1)[1]

    page = browser_context(locale="ar").new_page()
    response = page.goto(f"/{path}")
    assert response.status == 200
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "noindex" in response.headers["x-robots-tag"]
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("meta[name=robots]").get_attribute("content").startswith("noindex")
    assert page.locator("[data-language=ar]").is_visible() and page.locator("[data-language=en]").is_visible()
    assert page.locator("[data-language=en]").inner_text().count("Consistent government messages") == 1
    assert page.locator(".diff .removed", has_text=APPROVED_KEY_MESSAGE).is_visible()
    assert page.locator(".diff .added", has_text=NEW_KEY_MESSAGE).is_visible()

    page.click("button[value=returned]")  # without the comment it needs
    assert page.locator(".errorlist").is_visible()
    assert at_clearance.refresh().task_state.status == TaskState.STATUS_IN_PROGRESS

    page.fill("#id_comment", "نعتمدها مع مراجعة الرقم في الحقيقة الأولى")
    page.click("button[value=cleared_with_comment]")
    assert page.locator("[data-decision=cleared_with_comment]").is_visible()
    assert at_clearance.current_task_name == "Centre approval"

    again = page.goto(f"/{path}")
    assert again.status == 410
    assert page.locator("[data-link-state=used]").is_visible()
    english = page.goto(f"/{path.replace('ar/', 'en/', 1)}")
    assert english.status == 410 and "already been used" in page.content()
