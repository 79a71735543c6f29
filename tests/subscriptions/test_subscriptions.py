"""E-mail subscriptions end to end against a real SMTP server (aiosmtpd): double opt-in, notifications and
digests from the outbox, one-click unsubscribe (RFC 8058), and a form that reveals nothing."""

import datetime
import re
from email.message import EmailMessage
from smtplib import SMTPException

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from messaging.models import Message
from messaging.services.schedule import embargo_lifts_record
from subscriptions.enums import Frequency, TargetKind
from subscriptions.models import Notification, Subscription
from subscriptions.services import digests_send, notifications_send, unconfirmed_purge
from subscriptions.tokens import subscription_for_unsubscribe_token
from tests.factories import InstitutionFactory, MessageFactory, TopicFactory

pytestmark = pytest.mark.django_db
ADDRESS = "reader@example.org"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def topic():
    return TopicFactory(name="الاقتصاد")


def _subscribe(client, topic, *, email=ADDRESS, frequency=Frequency.IMMEDIATE, lang="ar"):
    return client.post(
        f"/{lang}/subscriptions/topic/{topic.translation_key}/", {"email": email, "frequency": frequency}
    )


def _parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def _link(text: str, kind: str) -> str:
    return re.search(rf"https://tawasul\.example(/\w+/subscriptions/{kind}/[^/\s]+/)", text).group(1)


def _confirmed(client, smtp, topic, django_capture_on_commit_callbacks, **kwargs) -> Subscription:
    with django_capture_on_commit_callbacks(execute=True):
        _subscribe(client, topic, **kwargs)
    text, _ = _parts(smtp.to(kwargs.get("email", ADDRESS))[-1])
    client.post(_link(text, "confirm"))
    smtp.received.clear()
    return Subscription.objects.get(email=kwargs.get("email", ADDRESS))


def _publish(django_capture_on_commit_callbacks, **kwargs) -> Message:
    with django_capture_on_commit_callbacks(execute=True):
        return MessageFactory.create_published(**kwargs)


def test_subscribe_sends_arabic_confirmation_right_to_left_with_plain_text(
    client, smtp, topic, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _subscribe(client, topic)
    assert response.status_code == 302
    assert response["Location"] == "/ar/subscriptions/pending/"
    [mail] = smtp.to(ADDRESS)
    assert mail.get_content_type() == "multipart/alternative"
    assert mail["Content-Language"] == "ar"
    text, html = _parts(mail)
    assert '<html lang="ar" dir="rtl">' in html
    assert "الاقتصاد" in text and "الاقتصاد" in html
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None
    assert subscription.email == ADDRESS and subscription.language_code == "ar"


def test_confirmation_link_confirms_only_on_post(client, smtp, topic, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _subscribe(client, topic)
    link = _link(_parts(smtp.received[0])[0], "confirm")
    assert client.get(link).status_code == 200
    assert Subscription.objects.get().confirmed_at is None
    assert client.post(link).status_code == 200
    assert Subscription.objects.get().confirmed_at is not None
    assert client.post(link[:-5] + "xxxx/").status_code == 400


def test_subscribe_answers_alike_for_new_pending_and_confirmed_addresses(
    client, smtp, topic, django_capture_on_commit_callbacks
):
    first = _subscribe(client, topic)
    again = _subscribe(client, topic)
    subscription = Subscription.objects.get()
    subscription.confirmed_at = timezone.now()
    subscription.save()
    smtp.received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = _subscribe(client, topic)
    assert (first.status_code, first["Location"]) == (again.status_code, again["Location"])
    assert (first.status_code, first["Location"]) == (confirmed.status_code, confirmed["Location"])
    assert smtp.received == []  # a confirmed address is not mailed again
    assert Subscription.objects.count() == 1


def test_subscribe_form_refuses_bad_input_and_unknown_targets(client, topic):
    response = _subscribe(client, topic, email="not-an-address")
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert client.get("/ar/subscriptions/topic/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get(f"/ar/subscriptions/institution/{topic.translation_key}/").status_code == 404
    assert client.get(f"/en/subscriptions/topic/{topic.translation_key}/").status_code == 404  # no English row
    assert Subscription.objects.count() == 0


def test_subscribe_form_is_rate_limited_per_address_and_per_client(client, topic, settings):
    settings.TAWASUL_SUBSCRIBE_RATE_PER_ADDRESS = (2, 3600)
    settings.TAWASUL_SUBSCRIBE_RATE_PER_CLIENT = (4, 3600)
    assert [_subscribe(client, topic).status_code for _ in range(3)] == [302, 302, 429]
    assert _subscribe(client, topic, email="other@example.org").status_code == 302
    limited = _subscribe(client, topic, email="third@example.org")
    assert limited.status_code == 429
    assert limited["Retry-After"] == "3600"


def test_subscribe_limit_per_client_reads_the_address_behind_our_proxy(client, topic, settings):
    """Behind a trusted proxy every request has the proxy's REMOTE_ADDR: the limit counts the forwarded client."""
    settings.TAWASUL_TRUSTED_PROXIES = 1
    settings.TAWASUL_SUBSCRIBE_RATE_PER_CLIENT = (1, 3600)

    def subscribe_from(address: str, email: str) -> int:
        return client.post(
            f"/ar/subscriptions/topic/{topic.translation_key}/",
            {"email": email, "frequency": Frequency.IMMEDIATE},
            HTTP_X_FORWARDED_FOR=address,
        ).status_code

    assert subscribe_from("203.0.113.7", "one@example.org") == 302
    assert subscribe_from("198.51.100.9", "two@example.org") == 302  # another client, same proxy
    assert subscribe_from("203.0.113.7", "three@example.org") == 429


def test_publishing_mails_confirmed_followers_with_one_click_unsubscribe(
    client, smtp, topic, django_capture_on_commit_callbacks
):
    subscription = _confirmed(client, smtp, topic, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        _subscribe(client, topic, email="pending@example.org")  # never confirmed
    smtp.received.clear()
    message = _publish(django_capture_on_commit_callbacks, topic=topic, title="عنوان الرسالة")
    [mail] = smtp.received
    assert mail["To"] == ADDRESS
    assert "عنوان الرسالة" in mail["Subject"]
    text, html = _parts(mail)
    assert message.key_message in text and message.key_message in html
    assert 'dir="rtl"' in html
    assert f"/ar/messages/{message.translation_key}/" in text
    url = mail["List-Unsubscribe"].strip().removeprefix("<").removesuffix(">")
    assert url.startswith("https://tawasul.example/ar/subscriptions/unsubscribe/")
    assert subscription_for_unsubscribe_token(url.rstrip("/").rsplit("/", 1)[1]) == subscription
    assert url in text and url in html
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # RFC 8058: the mail client posts `List-Unsubscribe=One-Click`, with no cookie and no CSRF token.
    one_click = Client(enforce_csrf_checks=True).post(
        url.removeprefix("https://tawasul.example"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert one_click.status_code == 200
    assert not Subscription.objects.filter(email=ADDRESS).exists()
    assert Client(enforce_csrf_checks=True).post(url.removeprefix("https://tawasul.example")).status_code == 200
    assert client.post("/ar/subscriptions/unsubscribe/forged/").status_code == 400


def test_messages_the_public_may_not_read_are_not_mailed(client, smtp, topic, django_capture_on_commit_callbacks):
    _confirmed(client, smtp, topic, django_capture_on_commit_callbacks)
    _publish(django_capture_on_commit_callbacks, topic=topic, is_public=False)
    _publish(django_capture_on_commit_callbacks, topic=topic, audience_of=[InstitutionFactory()])
    embargoed = _publish(
        django_capture_on_commit_callbacks, topic=topic, embargo_until=timezone.now() + datetime.timedelta(hours=1)
    )
    _publish(django_capture_on_commit_callbacks, topic=TopicFactory())  # another topic
    assert smtp.received == []

    Message.objects.filter(pk=embargoed.pk).update(embargo_until=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        embargo_lifts_record()
    [mail] = smtp.received
    assert embargoed.title in mail["Subject"]


def test_daily_digest_sends_one_email_with_every_message_owed(client, smtp, topic, django_capture_on_commit_callbacks):
    _confirmed(client, smtp, topic, django_capture_on_commit_callbacks, frequency=Frequency.DAILY)
    first = _publish(django_capture_on_commit_callbacks, topic=topic)
    second = _publish(django_capture_on_commit_callbacks, topic=topic)
    assert smtp.received == []
    assert Notification.objects.filter(sent_at__isnull=True).count() == 2
    assert digests_send() == 1
    [mail] = smtp.received
    text, html = _parts(mail)
    assert first.key_message in html and 'dir="rtl"' in html
    assert first.title in text and second.title in text
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert digests_send() == 0


def test_sending_goes_in_batches_and_a_refused_batch_is_retried_without_repeats(
    client, smtp, topic, settings, django_capture_on_commit_callbacks
):
    settings.TAWASUL_SUBSCRIPTIONS_BATCH = 2
    for n in range(5):
        Subscription.objects.create(
            email=f"r{n}@example.org",
            language_code="ar",
            target_kind=TargetKind.TOPIC,
            target_key=topic.translation_key,
            frequency=Frequency.IMMEDIATE,
            confirmed_at=timezone.now(),
        )
    smtp.refuse_next = 2  # the first two attempts are refused; the task retries (Celery autoretry)
    _publish(django_capture_on_commit_callbacks, topic=topic)
    addresses = [f"r{n}@example.org" for n in range(5)]
    assert sorted(mail["To"] for mail in smtp.received) == addresses  # each exactly once

    smtp.received.clear()
    smtp.refuse_next = 1000  # the server refuses for longer than the task retries: the rows stay owed
    _publish(django_capture_on_commit_callbacks, topic=topic)
    assert smtp.received == []
    assert Notification.objects.filter(sent_at__isnull=True).count() == 5
    with pytest.raises(SMTPException):
        notifications_send()

    smtp.refuse_next = 0  # the periodic run after the outage sends one batch and enqueues the next
    assert notifications_send() == 2
    assert sorted(mail["To"] for mail in smtp.received) == addresses
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    assert notifications_send() == 0


def test_unconfirmed_addresses_are_forgotten_after_a_week(topic):
    old = Subscription.objects.create(
        email="old@example.org",
        language_code="ar",
        target_kind=TargetKind.TOPIC,
        target_key=topic.translation_key,
        frequency=Frequency.DAILY,
    )
    Subscription.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    Subscription.objects.create(
        email="new@example.org",
        language_code="ar",
        target_kind=TargetKind.TOPIC,
        target_key=topic.translation_key,
        frequency=Frequency.DAILY,
    )
    assert unconfirmed_purge() == 1
    assert list(Subscription.objects.values_list("email", flat=True)) == ["new@example.org"]
