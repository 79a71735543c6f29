"""Releases through the admin's HTTP views: created and submitted by a communicator, approved by two other people,
live as a whole in one transaction (or not at all), previewed and withdrawn as a whole."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry, PageLogEntry

from campaigns.models import CampaignPage
from messaging.actions import PublishMessageAction
from messaging.enums import EventKind
from messaging.lifecycle import RELEASE_MEMBER_HELD
from messaging.models import Message, MessageEvent
from messaging.selectors import public_messages, visible_messages_for
from messaging.services.schedule import scheduled_publish_run
from releases.enums import ReleaseStatus
from releases.models import Release
from tests.factories import InstitutionFactory, MessageFactory, UserFactory, lifecycle_people, release
from tests.messaging.test_lifecycle_admin import translated
from tests.releases.helpers import approve, approve_page, campaign_page, create_and_submit, release_form, url
from tests.webhooks.receiver import Receiver, receiver_running
from webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiver_running() as receiver:
        yield receiver


@pytest.fixture
def people():
    return lifecycle_people()


def test_members_wait_then_the_release_goes_live_as_a_whole_on_its_second_approval(
    client, communicator, reviewer, approver, people, receiver, django_capture_on_commit_callbacks
):
    from webhooks.services import endpoint_create

    institution = InstitutionFactory()
    endpoint = endpoint_create(institution=institution, url=receiver.url)
    receiver.secret = endpoint.secret
    first, second = MessageFactory(title="الرسالة الأولى"), MessageFactory(title="الرسالة الثانية")
    page = campaign_page()
    pending = create_and_submit(client, communicator, messages=(first, second), pages=(page,))

    # Each member is approved on its own by two people, and waits for its release.
    for message in (first, second):
        release(message, people=people)
    page = approve_page(page, people)
    assert not Message.objects.filter(pk__in=[first.pk, second.pk], live=True).exists()
    assert not CampaignPage.objects.get(pk=page.pk).live
    assert ModelLogEntry.objects.filter(action="tawasul.release_held", object_id=str(first.pk)).exists()
    assert PageLogEntry.objects.filter(action="tawasul.release_held", page=page).exists()
    assert not MessageEvent.objects.exists()

    assert approve(client, reviewer, pending).status_code == 302
    assert not Release.objects.get(pk=pending.pk).live
    with django_capture_on_commit_callbacks(execute=True):
        assert approve(client, approver, pending).status_code == 302

    live = Release.objects.get(pk=pending.pk)
    assert live.live
    assert set(Message.objects.filter(live=True).values_list("pk", flat=True)) == {first.pk, second.pk}
    assert CampaignPage.objects.get(pk=page.pk).live
    positions = list(MessageEvent.objects.order_by("position").values_list("position", "kind"))
    assert [kind for _, kind in positions] == [EventKind.PUBLISHED, EventKind.PUBLISHED]
    assert [p for p, _ in positions] == list(range(live.first_position, live.last_position + 1))
    kinds = sorted(r.payload["type"] for r in receiver.received)
    assert kinds == ["message.published", "message.published", "release.published"]
    announced = next(r.payload for r in receiver.received if r.payload["type"] == "release.published")
    assert announced["data"]["message_ids"] == sorted([str(first.translation_key), str(second.translation_key)])
    assert announced["data"]["positions"] == {"first": live.first_position, "last": live.last_position}
    assert announced["data"]["campaign_ids"] == [str(page.translation_key)]


def test_failing_publish_of_the_last_member_leaves_nothing_of_the_release_live(
    client, communicator, reviewer, approver, people, receiver, django_capture_on_commit_callbacks
):
    from webhooks.services import endpoint_create

    endpoint_create(institution=InstitutionFactory(), url=receiver.url)
    members = [MessageFactory(title=f"عضو {n}") for n in range(3)]
    pending = create_and_submit(client, communicator, messages=tuple(members))
    for message in members:
        release(message, people=people)
    approve(client, reviewer, pending)

    original = PublishMessageAction._publish_revision
    last = members[-1]

    def failing(self, revision, object, *args, **kwargs):
        if object.pk == last.pk:
            raise RuntimeError("the database refused the last member")
        return original(self, revision, object, *args, **kwargs)

    with (
        mock.patch.object(PublishMessageAction, "_publish_revision", failing),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = approve(client, approver, pending)
    assert response.status_code == 302

    assert not Release.objects.get(pk=pending.pk).live
    assert not Message.objects.filter(live=True).exists()
    assert not MessageEvent.objects.exists()
    assert not WebhookDelivery.objects.exists()
    assert receiver.received == []
    failure = ModelLogEntry.objects.get(action="tawasul.release_failed", object_id=str(pending.pk))
    assert "refused the last member" in failure.data["reason"]

    # The cause fixed, an approver puts the approved release live from the admin.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("go_live_now", pending.pk))
    assert response.status_code == 302
    assert Release.objects.get(pk=pending.pk).live
    assert Message.objects.filter(live=True).count() == 3
    assert MessageEvent.objects.count() == 3


def test_a_member_cannot_go_live_on_its_own_not_even_in_an_emergency(client, communicator, approver, people):
    message = MessageFactory()
    create_and_submit(client, communicator, messages=(message,))
    release(message, people=people)
    assert not Message.objects.get(pk=message.pk).live

    client.force_login(approver)
    response = client.post(f"/admin/snippets/messaging/message/emergency-publish/{message.pk}/", {"reason": "عاجل"})
    assert response.status_code == 200
    with translation.override("ar"):  # the admin's language by default
        assert str(RELEASE_MEMBER_HELD) in response.content.decode()
    assert not Message.objects.get(pk=message.pk).live


def test_a_release_is_not_approved_by_its_own_submitter(client, people):
    approver_author = UserFactory(username="approver-author", groups=["Approvers", "Reviewers", "Communicators"])
    message = MessageFactory()
    pending = create_and_submit(client, approver_author, messages=(message,))
    release(message, people=people)

    response = approve(client, approver_author, pending)

    assert response.status_code in (302, 403)
    assert not Release.objects.get(pk=pending.pk).live
    assert not Message.objects.get(pk=message.pk).live


def test_release_without_approved_members_does_not_go_live(client, communicator, reviewer, approver):
    unapproved = MessageFactory()
    pending = create_and_submit(client, communicator, messages=(unapproved,))
    approve(client, reviewer, pending)
    approve(client, approver, pending)

    assert not Release.objects.get(pk=pending.pk).live
    assert not Message.objects.get(pk=unapproved.pk).live
    assert ModelLogEntry.objects.filter(action="tawasul.release_failed", object_id=str(pending.pk)).exists()


def test_scheduled_release_goes_live_at_its_time_through_scheduled_publishing(
    client, communicator, reviewer, approver, people
):
    at = timezone.now() + timedelta(days=2)
    message = MessageFactory()
    pending = create_and_submit(client, communicator, messages=(message,), go_live_at=at)
    release(message, people=people)
    approve(client, reviewer, pending)
    approve(client, approver, pending)
    scheduled = Release.objects.get(pk=pending.pk)
    assert not scheduled.live
    assert scheduled.status == "scheduled"

    assert scheduled_publish_run()
    assert not Release.objects.get(pk=pending.pk).live

    with mock.patch("django.utils.timezone.now", return_value=at + timedelta(minutes=1)):
        assert scheduled_publish_run()
    assert Release.objects.get(pk=pending.pk).live
    assert Message.objects.get(pk=message.pk).live


def test_embargo_reaches_institutions_at_go_live_and_the_public_at_its_end(
    client, communicator, reviewer, approver, people
):
    institution = InstitutionFactory()
    embargo = timezone.now() + timedelta(hours=6)
    message = MessageFactory(is_public=True)
    page = campaign_page()
    pending = create_and_submit(client, communicator, messages=(message,), pages=(page,), embargo_until=embargo)
    release(message, people=people)
    approve_page(page, people)
    approve(client, reviewer, pending)
    approve(client, approver, pending)

    assert Release.objects.get(pk=pending.pk).live
    assert visible_messages_for(institution).filter(pk=message.pk).exists()
    assert not public_messages().filter(pk=message.pk).exists()
    assert public_messages(at=embargo + timedelta(seconds=1)).filter(pk=message.pk).exists()
    assert not CampaignPage.objects.get(pk=page.pk).live  # public: waits for the embargo's end
    with mock.patch("django.utils.timezone.now", return_value=embargo + timedelta(minutes=1)):
        scheduled_publish_run()
    assert CampaignPage.objects.get(pk=page.pk).live


def test_preview_shows_every_member_in_both_languages(client, communicator, translator):
    source = MessageFactory(title="رسالة")
    english = translated(source, translator)
    pending = create_and_submit(client, communicator, messages=(source,))

    response = client.get(url("preview_all", pending.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-language="ar"' in html and 'data-language="en"' in html
    assert source.title in html and english.title in html
    assert "Consistent government messages through one direction" in html


def test_withdrawal_takes_every_member_offline_in_every_language_with_the_reason(
    client, communicator, reviewer, approver, people, translator
):
    source = MessageFactory(title="رسالة")
    english = translated(source, translator)
    other = MessageFactory()
    pending = create_and_submit(client, communicator, messages=(source, english, other))
    release(english, people=people)
    release(source, people=people, before_translation=False)
    release(other, people=people)
    approve(client, reviewer, pending)
    approve(client, approver, pending)
    assert Message.objects.filter(live=True).count() == 3

    client.force_login(approver)
    empty = client.post(url("unpublish", pending.pk), {"reason": ""})
    assert empty.status_code == 200
    assert Message.objects.filter(live=True).count() == 3

    response = client.post(url("unpublish", pending.pk), {"reason": "سحب الإطلاق"})
    assert response.status_code == 302
    withdrawn = Release.objects.get(pk=pending.pk)
    assert not withdrawn.live and withdrawn.withdrawal_reason == "سحب الإطلاق"
    assert not Message.objects.filter(live=True).exists()
    tombstones = MessageEvent.objects.filter(kind=EventKind.WITHDRAWN)
    assert sorted(tombstones.values_list("language_code", flat=True)) == ["ar", "ar", "en"]
    assert {event.data["reason"] for event in tombstones} == {"سحب الإطلاق"}
    # A withdrawn release holds its members no longer: one may go out again on its own.
    other = Message.objects.get(pk=other.pk)
    other.change_note = "إعادة النشر"
    other.save_revision(user=people["author"])
    release(other, people=people)
    assert Message.objects.get(pk=other.pk).live


def test_the_editor_offers_no_direct_publish_and_a_forged_one_puts_nothing_live(client, communicator, people):
    superuser = UserFactory(username="release-admin", is_superuser=True)
    message = MessageFactory()
    pending = create_and_submit(client, communicator, messages=(message,))
    release(message, people=people)

    client.force_login(superuser)
    editor = client.get(url("edit", pending.pk)).content.decode()
    assert 'name="action-publish"' not in editor
    client.post(url("edit", pending.pk), {**release_form(messages=(message,)), "action-publish": "Publish"})

    assert not Release.objects.get(pk=pending.pk).live
    assert not Message.objects.get(pk=message.pk).live


def test_release_listing_shows_each_release_with_its_status(client, communicator, approver):
    create_and_submit(client, communicator, messages=(MessageFactory(),), title="إطلاق الصيف")

    client.force_login(approver)
    response = client.get(url("list"))

    html = response.content.decode()
    assert response.status_code == 200
    with translation.override("ar"):
        assert "إطلاق الصيف" in html and str(ReleaseStatus.IN_REVIEW.label) in html
