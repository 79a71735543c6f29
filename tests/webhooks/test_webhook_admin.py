"""Managing webhooks in the Wagtail admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import InstitutionFactory, MessageFactory, UserFactory
from tests.webhooks.conftest import endpoint_for
from webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))
    return client


def test_admin_create_endpoint_shows_the_secret_once(admin_client):
    institution = InstitutionFactory()
    response = admin_client.post(
        reverse("webhooks_endpoint:add"),
        {
            "institution": institution.pk,
            "url": "https://8.8.8.8/hooks",
            "event_types": ["message.published"],
            "is_active": "on",
        },
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 200
    assert endpoint.secret.startswith("whsec_") and endpoint.secret in response.content.decode()
    assert endpoint.event_types == ["message.published"]
    edit = admin_client.get(reverse("webhooks_endpoint:edit", args=(endpoint.pk,)))
    assert edit.status_code == 200 and endpoint.secret not in edit.content.decode()


def test_admin_form_refuses_a_private_url(admin_client, settings):
    settings.TAWASUL_WEBHOOKS_ALLOW_PRIVATE_URLS = False
    response = admin_client.post(
        reverse("webhooks_endpoint:add"), {"institution": InstitutionFactory().pk, "url": "https://127.0.0.1/x"}
    )
    assert response.status_code == 200 and not WebhookEndpoint.objects.exists()
    assert "عنوان استرجاع داخلي" in response.content.decode()


def test_admin_rotate_shows_the_new_secret_once(admin_client, receiver):
    endpoint = endpoint_for(receiver, InstitutionFactory())
    old = endpoint.secret
    assert admin_client.get(reverse("webhooks_endpoint:rotate", args=(endpoint.pk,))).status_code == 200
    response = admin_client.post(reverse("webhooks_endpoint:rotate", args=(endpoint.pk,)))
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.previous_secret == old
    assert endpoint.secret in response.content.decode()


def test_admin_lists_deliveries_and_attempts_and_redelivers(admin_client, receiver, django_capture_on_commit_callbacks):
    endpoint_for(receiver, InstitutionFactory())
    with django_capture_on_commit_callbacks(execute=True):
        MessageFactory.create_published()
    delivery = WebhookDelivery.objects.get()

    listing = admin_client.get(reverse("webhooks_delivery:index"))
    assert listing.status_code == 200 and delivery.webhook_id in listing.content.decode()
    attempts = admin_client.get(reverse("webhooks_attempt:index") + f"?delivery={delivery.pk}")
    assert attempts.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("webhooks_delivery:redeliver", args=(delivery.pk,)))
    assert response.status_code == 302
    assert [r.webhook_id for r in receiver.received] == [delivery.webhook_id] * 2
    assert admin_client.get(reverse("webhooks_endpoint:index")).status_code == 200


def test_admin_webhooks_are_closed_to_users_without_permission(client):
    client.force_login(UserFactory(username="plain", is_staff=True))
    assert client.get(reverse("webhooks_delivery:index")).status_code in (302, 403)
