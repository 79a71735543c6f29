"""The Arabic admin through its HTTP views: workflow and task names in the reader's language, Arabic wording,
booleans as words, the editor's messages, the dashboard's panels and the campaign chooser."""

from __future__ import annotations

import datetime
import pickle
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Site, Task, Workflow
from wagtail.users.models import UserProfile

from campaigns.models import CampaignIndexPage
from institutions.models import Institution
from messaging.models import Message
from messaging.models.workflow_names import LocalizedName, shown_name
from messaging.services.messages import (
    message_approve_step,
    message_draft_save,
    message_submit,
    message_withdraw,
)
from tests.factories import InstitutionFactory, MessageFactory, TopicFactory, release
from tests.messaging.admin_forms import message_form

pytestmark = pytest.mark.django_db


def url(name: str, *args: object) -> str:
    return reverse(f"wagtailsnippets_messaging_message:{name}", args=args)


def in_arabic(client, user) -> None:
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "ar"
    profile.save()
    client.force_login(user)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_workflow_and_task_names_are_shown_in_the_reader_language_and_stored_in_english():
    workflow = Workflow.objects.get(name="Message approval")  # lookups by the stored name still work
    task = Task.objects.get(name="Editorial review")
    assert isinstance(workflow.name, LocalizedName)
    with translation.override("ar"):
        assert shown_name(workflow.name) == "اعتماد الرسائل"
        assert f"{task.name}" == "المراجعة التحريرية"
        assert workflow.name == "Message approval" and str(task.name) == "Editorial review"
        assert pickle.loads(pickle.dumps(task.name)) == "Editorial review"  # noqa: S301 - our own bytes
    with translation.override("en"):
        assert shown_name(workflow.name) == "Message approval"


def test_a_workflow_name_saved_in_the_arabic_admin_is_its_arabic_name():
    """Wagtail's workflow form sets `name` to the typed text; in the Arabic admin that text is the Arabic name."""
    workflow = Workflow.objects.get(name="Campaign approval")
    with translation.override("ar"):
        workflow.name = "اعتماد صفحات الحملات"
        workflow.save()
    workflow = Workflow.objects.get(pk=workflow.pk)
    assert workflow.name == "Campaign approval"
    with translation.override("ar"):
        assert shown_name(workflow.name) == "اعتماد صفحات الحملات"
    with translation.override("en"):
        workflow.name = "Campaign pages approval"
        workflow.save()
    assert Workflow.objects.filter(pk=workflow.pk, name="Campaign pages approval").exists()


def test_editor_of_a_message_in_review_speaks_arabic_with_feminine_grammar(client, communicator):
    message = MessageFactory()
    message.save_revision(user=communicator)
    message_submit(message=message, user=communicator)
    in_arabic(client, communicator)
    page = text_of(client.get(url("edit", message.pk)))
    assert "المراجعة التحريرية" in page and "اعتماد الرسائل" in page
    assert "Editorial review" not in page and "Message approval" not in page
    assert "هذا الرسالة" not in page and "الرسالة هذا" not in page

    history = text_of(client.get(url("history", message.pk)))
    assert "اعتماد الرسائل" in history and "Message approval" not in history


def test_new_message_editor_offers_submit_to_the_arabic_workflow_name(client, communicator):
    in_arabic(client, communicator)
    page = text_of(client.get(url("add") + "?locale=ar"))
    assert "اعتماد الرسائل" in page and "Message approval" not in page


def test_message_listing_shows_yes_and_no_not_true_and_false(client, approver):
    MessageFactory()
    in_arabic(client, approver)
    page = text_of(client.get(url("list")))
    assert ">لا<" in page.replace("> ", ">").replace(" <", "<")
    assert "True" not in page and "False" not in page


def test_arabic_listing_has_an_indefinite_add_button_and_counts_as_a_phrase(client, admin_user):
    """Wagtail writes "Add {verbose name}" ("إضافة المؤسسة") and "{count} {plural}" ("21 المؤسسات")."""
    InstitutionFactory.create_batch(21)
    total = Institution.objects.count()
    in_arabic(client, admin_user)
    page = text_of(client.get(reverse("wagtailsnippets_institutions_institution:list")))
    assert "إضافة مؤسسة" in page and "إضافة المؤسسة" not in page
    assert f"المؤسسات: {total}" in page and f"{total} المؤسسات" not in page
    UserProfile.objects.filter(user=admin_user).update(preferred_language="en")
    page = text_of(client.get(reverse("wagtailsnippets_institutions_institution:list")))
    assert "Add an institution" in page and f"{total} institutions" in page


def test_dashboard_heading_is_the_site_name_in_the_reader_language(client, approver):
    Site.objects.filter(is_default_site=True).update(site_name="Tawasul")
    in_arabic(client, approver)
    assert re.search(r"<h1[^>]*>\s*تواصل\s*</h1>", client.get(reverse("wagtailadmin_home")).content.decode())


def test_blank_new_message_form_has_no_block_count_rule_but_saving_without_a_pillar_is_refused(client, communicator):
    in_arabic(client, communicator)
    page = client.get(url("add") + "?locale=ar").content.decode()
    assert "&quot;blockCounts&quot;: {}" in page  # nothing for the editor to flag before anything is typed
    topic = MessageFactory().topic
    data = message_form(topic=topic.pk, owner=topic.pk)
    data = {k: v for k, v in data.items() if not k.startswith("body-")} | {"body-count": "0"}
    data["owner"] = Message.objects.first().owner_id
    response = client.post(url("add") + "?locale=ar", data)
    assert response.status_code == 200 and not Message.objects.filter(title=data["title"]).exists()
    body_errors = response.context["form"].errors.as_data()["body"][0].non_block_errors
    assert any("الحد الأدنى لعدد العناصر هو 1" in " ".join(e.messages) for e in body_errors.as_data())


def test_final_approval_in_the_editor_says_the_message_was_published(client, communicator, reviewer, approver):
    topic, owner = TopicFactory(), InstitutionFactory()
    # The same form each time (fixed block ids), as the editor posts it when nobody changes the content.
    data = message_form(topic=topic.pk, owner=owner.pk, title="رسالة للنشر", is_public="on") | {"body-0-id": "p0"}
    client.force_login(communicator)
    client.post(url("add") + "?locale=ar", {**data, "action-submit": "1"})
    message = Message.objects.get(title="رسالة للنشر")
    assert message.workflow_in_progress
    message_approve_step(message=message, user=reviewer)

    in_arabic(client, approver)
    response = client.post(
        url("edit", message.pk),
        {
            **data,
            "action-workflow-action": "1",
            "workflow-action-name": "approve",
            "workflow-action-extra-data": '{"release_before_translation": true}',
        },
        follow=True,
    )
    assert Message.objects.get(pk=message.pk).live
    notices = [str(m) for m in response.context["messages"]]
    assert any("اعتُمدت «رسالة للنشر» ونُشرت." in notice for notice in notices), notices


def test_dashboard_shows_drafts_what_came_back_waiting_with_due_dates_and_withdrawals(
    client, communicator, reviewer, approver
):
    draft = MessageFactory(title="مسودتي")
    message_draft_save(message=draft, user=communicator)
    sent_back = MessageFactory(title="أعيدت إليّ")
    message_draft_save(message=sent_back, user=communicator)
    message_submit(message=sent_back, user=communicator)
    task_state = Message.objects.get(pk=sent_back.pk).current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, reviewer, "reject", comment="راجعي الأرقام")
    waiting = MessageFactory(title="بانتظار المراجعة", due_date=timezone.localdate() + datetime.timedelta(days=2))
    message_draft_save(message=waiting, user=communicator)
    message_submit(message=waiting, user=communicator)
    live = release(MessageFactory(title="رسالة سُحبت"), before_translation=True)
    message_withdraw(message=live, user=approver, reason="حلّت محلها رسالة أحدث")

    in_arabic(client, communicator)
    home = text_of(client.get(reverse("wagtailadmin_home")))
    assert "مسوداتي وما أُعيد إليّ" in home
    assert "مسودتي" in home and "أعيدت إليّ" in home and "راجعي الأرقام" in home
    assert "المراجعة التحريرية" in home
    assert "سُحبت مؤخرًا" in home and "رسالة سُحبت" in home and "حلّت محلها رسالة أحدث" in home

    in_arabic(client, reviewer)
    home = text_of(client.get(reverse("wagtailadmin_home")))
    due = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    assert "بانتظار مراجعتك" in home and f'datetime="{due}"' in home
    # The "Approve" of the awaiting-review panel is still there, as Wagtail renders it.
    assert "data-workflow-action-url" in home
    assert "سُحبت مؤخرًا" in home


def test_campaign_chooser_opens_at_the_campaign_index(client, communicator):
    index = CampaignIndexPage.objects.order_by("path").first()
    if index is None:
        from hub.demo.loader import demo_load

        demo_load()
        index = CampaignIndexPage.objects.filter(locale__language_code="ar").first()
    in_arabic(client, communicator)
    page = client.get(url("add") + "?locale=ar").content.decode()
    assert f"&quot;parentId&quot;: {index.pk}" in page or f'"parentId": {index.pk}' in page
