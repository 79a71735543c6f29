"""The lifecycle through the admin's own HTTP views (Wagtail's and wagtail-localize's), as people use it."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale, ModelLogEntry
from wagtail_localize.models import Translation, TranslationSource

from hub.localization import translation_sync
from messaging.enums import EventKind
from messaging.models import Message, MessageEvent
from messaging.services.messages import message_submit
from tests.factories import InstitutionFactory, MessageFactory, TopicFactory, UserFactory, release
from tests.messaging.admin_forms import message_form, strings_typed

pytestmark = pytest.mark.django_db

STRINGS = {
    "رسالة": "Message",
    "رسائل حكومية متسقة عبر توجه موحد": "Consistent government messages through one direction",
    "الركيزة الأولى": "First pillar",
    "نقطة حوار أولى": "First talking point",
    "ما الهدف؟": "What is the aim?",
    "رسائل متسقة من توجه موحد.": "Consistent messages from a unified direction.",
    "عقد اللقاء العاشر للتواصل الحكومي.": "The tenth Government Communication Meeting was held.",
    "خبر": "News item",
    "لا نعد بنتائج قبل الاعتماد الرسمي": "We promise no results before official approval",
}


def url(name: str, *args: object) -> str:
    return reverse(f"wagtailsnippets_messaging_message:{name}", args=args)


def translated(source: Message, translator) -> Message:
    strings = {**STRINGS, source.title: "Message in English", source.topic.name: "Topic"}
    translation_sync(source.topic, language_code="en", strings=strings)
    return translation_sync(source, language_code="en", strings=strings, user=translator)


def bilingual_live(translator) -> tuple[Message, Message]:
    source = MessageFactory(title="رسالة")
    english = translated(source, translator)
    release(english)  # approved; waits for its source
    source = release(source, before_translation=False)
    return source, Message.objects.get(pk=english.pk)


def approve_in_admin(client, user, message: Message, **extra):
    message = Message.objects.get(pk=message.pk)
    task_state = message.current_workflow_state.current_task_state
    client.force_login(user)
    return client.post(url("workflow_action", message.pk, "approve", task_state.pk), {"comment": "", **extra})


def test_first_release_waits_for_the_translation_then_both_languages_go_live_together(translator):
    source = MessageFactory(title="رسالة")
    source = release(source, before_translation=False)
    assert not source.live  # approved, waiting for the English
    assert ModelLogEntry.objects.filter(object_id=str(source.pk), action="tawasul.release_held").exists()

    english = translated(Message.objects.get(pk=source.pk), translator)
    english = release(english)

    source.refresh_from_db()
    assert source.live and english.live
    assert (source.version, english.version) == (1, 1)
    kinds = list(
        MessageEvent.objects.filter(translation_key=source.translation_key).values_list("kind", "language_code")
    )
    assert kinds == [(EventKind.PUBLISHED, "ar"), (EventKind.PUBLISHED, "en")]


def test_translation_of_an_edited_source_is_not_ready_for_the_first_release(translator):
    source = MessageFactory(title="رسالة")
    english = translated(source, translator)
    source = Message.objects.get(pk=source.pk)
    source.key_message = "صياغة جديدة بعد الترجمة"
    source.save_revision()
    release(english)
    source = release(source, before_translation=False)
    assert not source.live  # the English was made from older Arabic


def test_admin_unpublish_withdraws_every_language_with_a_reason(client, approver, translator):
    source, english = bilingual_live(translator)
    client.force_login(approver)

    refused = client.post(url("unpublish", english.pk), {"reason": ""})
    assert refused.status_code == 200
    assert Message.objects.get(pk=source.pk).live

    response = client.post(url("unpublish", english.pk), {"reason": "أرقام غير دقيقة"})
    assert response.status_code == 302
    assert not Message.objects.filter(translation_key=source.translation_key, live=True).exists()
    tombstones = MessageEvent.objects.filter(translation_key=source.translation_key, kind=EventKind.WITHDRAWN)
    assert sorted(tombstones.values_list("language_code", flat=True)) == ["ar", "en"]
    assert {event.data["reason"] for event in tombstones} == {"أرقام غير دقيقة"}
    logged = ModelLogEntry.objects.filter(object_id=str(source.pk), action="wagtail.unpublish").get()
    assert logged.data["reason"] == "أرقام غير دقيقة" and logged.user_id == approver.pk


def request_english(client, source: Message) -> tuple[HttpResponse, Locale]:
    """wagtail-localize's "Translate" form, English ticked; the response and the English locale."""
    english_locale = Locale.objects.get(language_code="en")
    response = client.post(
        reverse("wagtail_localize:submit_snippet_translation", args=("messaging", "message", source.pk)),
        {"locales": [english_locale.pk]},
    )
    return response, english_locale


def test_requesting_a_translation_in_the_admin_publishes_nothing(client, translator):
    source = MessageFactory.create_published(title="رسالة")
    client.force_login(translator)
    response, english_locale = request_english(client, source)
    assert response.status_code == 302
    english = Message.objects.get(translation_key=source.translation_key, locale=english_locale)
    assert not english.live
    assert not MessageEvent.objects.filter(translation_key=source.translation_key, language_code="en").exists()
    assert not ModelLogEntry.objects.filter(action="wagtail.publish", user=translator).exists()


def test_a_translation_the_source_s_own_rules_refuse_is_reported_not_a_server_error(client, translator):
    # Stored dates that break the message's rules (an embargo ending after the expiry, saved before that rule):
    # wagtail-localize dropped the copy's ValidationError and answered 500 looking for the translation.
    source = MessageFactory.create_published(title="رسالة")
    tomorrow = timezone.now() + timedelta(days=1)
    Message.objects.filter(pk=source.pk).update(expire_at=tomorrow, embargo_until=tomorrow + timedelta(days=1))
    client.force_login(translator)
    response, english_locale = request_english(client, source)
    assert response.status_code == 200
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert shown == [  # the admin speaks Arabic
        "لم تُنشأ الترجمة إلى الإنجليزية: يجب أن ينتهي حظر النشر قبل انتهاء صلاحية الرسالة. صحّح المصدر، ثم ترجمه."
    ], shown
    assert not Message.objects.filter(translation_key=source.translation_key, locale=english_locale).exists()
    assert not Translation.objects.filter(target_locale=english_locale).exists()


def test_translation_editor_button_submits_for_review_and_two_others_release_it(client, translator, reviewer, approver):
    source = MessageFactory.create_published(title="رسالة")
    english = translated(source, translator)
    client.force_login(translator)

    response = client.post(url("edit", english.pk), {"action": "publish"})
    assert response.status_code == 302
    english.refresh_from_db()
    assert not english.live
    assert english.current_workflow_state.requested_by == translator

    refused = approve_in_admin(client, translator, english)
    assert refused.status_code == 302 and not Message.objects.get(pk=english.pk).live
    approve_in_admin(client, reviewer, english)
    approve_in_admin(client, approver, english)
    english.refresh_from_db()
    assert english.live and english.version == source.version


def test_sync_translations_offers_no_publish_option(client, approver):
    source = MessageFactory.create_published(title="رسالة")
    translated(source, approver)
    extract = TranslationSource.objects.get(object_id=source.translation_key)
    client.force_login(UserFactory(username="boss", is_superuser=True))
    page = client.get(f"/admin/localize/update/{extract.pk}/")
    assert page.status_code == 200
    assert "publish_translations" not in page.content.decode()


def test_superuser_cannot_approve_both_steps(client, communicator):
    boss = UserFactory(username="boss", is_superuser=True)
    message = MessageFactory()
    message.save_revision(user=communicator)
    message_submit(message=message, user=communicator)
    approve_in_admin(client, boss, message)
    approve_in_admin(client, boss, message, release_before_translation="on")
    message.refresh_from_db()
    assert not message.live
    assert message.current_workflow_state.current_task_state.task.name == "Centre approval"


def test_direct_publish_is_refused_and_emergency_publish_is_recorded_and_flagged(client, approver):
    message = MessageFactory()
    client.force_login(approver)
    assert client.get(url("emergency_publish", message.pk)).status_code == 200
    missing_reason = client.post(url("emergency_publish", message.pk), {"reason": ""})
    assert missing_reason.status_code == 200 and not Message.objects.get(pk=message.pk).live

    client.post(url("emergency_publish", message.pk), {"reason": "حدث طارئ"})
    message.refresh_from_db()
    assert message.live and message.emergency_unreviewed and message.translation_to_follow
    entry = ModelLogEntry.objects.get(object_id=str(message.pk), action="tawasul.emergency_publish")
    assert entry.data["reason"] == "حدث طارئ"

    client.post(url("emergency_review", message.pk))
    assert Message.objects.get(pk=message.pk).emergency_unreviewed  # not by the one who published

    second = UserFactory(username="approver2", groups=["Approvers"])
    client.force_login(second)
    client.post(url("emergency_review", message.pk))
    assert not Message.objects.get(pk=message.pk).emergency_unreviewed


def test_communicator_cannot_reach_emergency_publishing(client, communicator):
    message = MessageFactory()
    client.force_login(communicator)
    response = client.post(url("emergency_publish", message.pk), {"reason": "x"})
    assert response.status_code in (302, 403)
    assert not Message.objects.get(pk=message.pk).live


def test_public_with_a_restricted_audience_is_a_form_error(client, communicator):
    topic, owner = TopicFactory(), InstitutionFactory()
    client.force_login(communicator)
    data = message_form(topic=topic.pk, owner=owner.pk, is_public="on", audience_all=False)
    data["audience"] = [owner.pk]
    response = client.post(url("add") + "?locale=ar", {**data, "action-submit": "on"})
    assert response.status_code == 200
    assert "is_public" in response.context["form"].errors
    assert not Message.objects.exists()


def test_two_submissions_of_one_new_message_form_create_one_message(client, communicator):
    topic, owner = TopicFactory(), InstitutionFactory()
    client.force_login(communicator)
    token = str(uuid.uuid4())
    data = message_form(topic=topic.pk, owner=owner.pk, creation_token_value=token)
    first = client.post(url("add") + "?locale=ar", data, headers={"accept": "application/json"})
    second = client.post(url("add") + "?locale=ar", {**data, "title": "عنوان بعد الحفظ التلقائي"})
    assert first.status_code in (200, 302) and second.status_code in (200, 302)
    assert Message.objects.count() == 1
    assert Message.objects.get().latest_revision.content["title"] == "عنوان بعد الحفظ التلقائي"


def test_deleting_a_live_message_withdraws_it_first(client, approver, translator):
    source, english = bilingual_live(translator)
    boss = UserFactory(username="boss", is_superuser=True)
    client.force_login(boss)
    response = client.post(url("delete", english.pk), {"reason": "نشرت بالخطأ"})
    assert response.status_code == 302
    assert not Message.objects.filter(pk=english.pk).exists()
    assert not Message.objects.get(pk=source.pk).live
    kinds = set(MessageEvent.objects.filter(translation_key=source.translation_key).values_list("kind", flat=True))
    assert EventKind.WITHDRAWN in kinds


def test_expiry_withdraws_every_language(translator):
    from django.core.management import call_command
    from django.utils import timezone

    source, _english = bilingual_live(translator)
    Message.objects.filter(pk=source.pk).update(expire_at=timezone.now() - timezone.timedelta(minutes=1))
    call_command("publish_scheduled", verbosity=0)
    assert not Message.objects.filter(translation_key=source.translation_key, live=True).exists()
    expired = MessageEvent.objects.filter(translation_key=source.translation_key, kind=EventKind.EXPIRED)
    assert sorted(expired.values_list("language_code", flat=True)) == ["ar", "en"]


def test_bulk_delete_withdraws_live_messages_first(client, translator):
    source, english = bilingual_live(translator)
    boss = UserFactory(username="boss", is_superuser=True)
    client.force_login(boss)
    bulk = reverse("wagtail_bulk_action", args=("messaging", "message", "delete"))
    response = client.post(f"{bulk}?id={english.pk}&id={source.pk}", {})
    assert response.status_code == 302
    assert not Message.objects.filter(translation_key=source.translation_key).exists()
    tombstones = MessageEvent.objects.filter(translation_key=source.translation_key, kind=EventKind.WITHDRAWN)
    assert sorted(tombstones.values_list("language_code", flat=True)) == ["ar", "en"]


def test_an_update_held_for_its_translation_goes_live_with_it(client, communicator, reviewer, approver, translator):
    source, english = bilingual_live(translator)
    client.force_login(communicator)
    form = message_form(
        topic=source.topic_id, owner=source.owner_id, title="رسالة", key_message="صياغة محدثة", change_note="تحديث"
    )
    assert client.post(url("edit", source.pk), {**form, "action-submit": "on"}).status_code == 302
    approve_in_admin(client, reviewer, source)
    approve_in_admin(client, approver, source, hold_for_translation="on")

    source.refresh_from_db()
    assert source.live and source.version == 1 and source.hold_for_translation  # the current version stays live
    assert source.key_message != "صياغة محدثة"
    assert ModelLogEntry.objects.filter(object_id=str(source.pk), action="tawasul.hold_for_translation").exists()
    extract = TranslationSource.objects.get(object_id=source.translation_key)
    assert json.loads(extract.content_json)["key_message"] == "صياغة محدثة"  # the translator gets the update's strings
    client.force_login(approver)  # a sync from the admin keeps offering them
    assert client.post(f"/admin/localize/update/{extract.pk}/", {}).status_code == 302
    assert json.loads(TranslationSource.objects.get(pk=extract.pk).content_json)["key_message"] == "صياغة محدثة"

    strings_typed(source, translator, lambda arabic: f"EN {arabic}")
    client.force_login(translator)
    assert client.post(url("edit", english.pk), {"action": "publish"}).status_code == 302
    approve_in_admin(client, reviewer, english)
    assert Message.objects.get(pk=source.pk).version == 1  # one approval is not a release
    approve_in_admin(client, approver, english)

    source.refresh_from_db()
    english.refresh_from_db()
    assert source.live and english.live
    assert (source.version, english.version) == (2, 2)
    assert source.key_message == "صياغة محدثة" and english.key_message == "EN صياغة محدثة"
    assert not source.hold_for_translation
    updates = MessageEvent.objects.filter(translation_key=source.translation_key, kind=EventKind.UPDATED)
    assert sorted(updates.values_list("language_code", flat=True)) == ["ar", "en"]


def test_an_update_not_held_goes_out_at_once_with_the_translation_outdated(
    client, communicator, reviewer, approver, translator
):
    source, english = bilingual_live(translator)
    client.force_login(communicator)
    form = message_form(
        topic=source.topic_id, owner=source.owner_id, title="رسالة", key_message="صياغة محدثة", change_note="تحديث"
    )
    client.post(url("edit", source.pk), {**form, "action-submit": "on"})
    approve_in_admin(client, reviewer, source)
    approve_in_admin(client, approver, source)
    source.refresh_from_db()
    english.refresh_from_db()
    assert source.live and source.version == 2 and source.key_message == "صياغة محدثة"
    assert english.live and english.version == 1  # outdated until its translation catches up


def test_the_final_approval_offers_only_the_release_choice_that_applies(
    client, communicator, reviewer, approver, translator
):
    first = MessageFactory(title="رسالة")
    first.save_revision(user=communicator)
    message_submit(message=first, user=communicator)
    approve_in_admin(client, reviewer, first)

    def modal(message: Message) -> str:
        task_state = Message.objects.get(pk=message.pk).current_workflow_state.current_task_state
        client.force_login(approver)
        response = client.get(url("workflow_action", message.pk, "approve", task_state.pk))
        assert response.status_code == 200
        return response.json()["html"]

    html = modal(first)
    assert 'name="release_before_translation"' in html and 'name="hold_for_translation"' not in html

    source, _english = bilingual_live(translator)
    client.force_login(communicator)
    form = message_form(topic=source.topic_id, owner=source.owner_id, title="رسالة", change_note="تحديث")
    client.post(url("edit", source.pk), {**form, "action-submit": "on"})
    approve_in_admin(client, reviewer, source)
    html = modal(source)
    assert 'name="hold_for_translation"' in html and 'name="release_before_translation"' not in html
