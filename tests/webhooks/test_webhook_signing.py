"""Signatures, secret rotation and the refusal of private destinations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from standardwebhooks import Webhook, WebhookVerificationError

from tests.factories import InstitutionFactory
from webhooks.destinations import RefusedDestination, destination_resolve, validate_webhook_url
from webhooks.services import endpoint_create, endpoint_secret_rotate
from webhooks.signing import secret_generate, signed_headers
from webhooks.transport import webhook_post


def test_secret_is_a_standard_webhooks_secret():
    secret = secret_generate()
    assert secret.startswith("whsec_") and secret != secret_generate()
    Webhook(secret)


def test_signed_headers_verify_with_the_standardwebhooks_library():
    secret = secret_generate()
    headers = signed_headers(secrets_=[secret], webhook_id="msg_1_1", at=timezone.now(), body='{"a":1}')
    assert headers["webhook-signature"].startswith("v1,")
    assert Webhook(secret).verify('{"a":1}', headers) == {"a": 1}
    with pytest.raises(WebhookVerificationError):
        Webhook(secret_generate()).verify('{"a":1}', headers)


@pytest.mark.django_db
def test_rotation_signs_with_old_and_new_secret_during_the_grace_period_only():
    endpoint = endpoint_create(institution=InstitutionFactory(), url="https://8.8.8.8/hooks")
    old = endpoint.secret
    endpoint, new = endpoint_secret_rotate(endpoint_id=endpoint.pk, grace=timedelta(hours=1))
    headers = signed_headers(secrets_=endpoint.signing_secrets(), webhook_id="msg_2_1", at=timezone.now(), body="{}")

    assert new != old and len(headers["webhook-signature"].split(" ")) == 2
    Webhook(old).verify("{}", headers)
    Webhook(new).verify("{}", headers)
    assert endpoint.signing_secrets(timezone.now() + timedelta(hours=2)) == [new]


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hooks",
        "https://localhost/hooks",
        "https://10.1.2.3/hooks",
        "https://192.168.0.10/hooks",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hooks",
        "https://[::ffff:127.0.0.1]/hooks",
        "http://8.8.8.8/hooks",
    ],
)
def test_destination_refuses_loopback_private_link_local_and_plain_http(url, settings):
    settings.TAWASUL_WEBHOOKS_ALLOW_PRIVATE_URLS = False
    with pytest.raises(RefusedDestination):
        destination_resolve(url)
    with pytest.raises(ValidationError):
        validate_webhook_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://[64:ff9b::7f00:1]/hooks",  # NAT64 of 127.0.0.1
        "https://[64:ff9b::a9fe:a9fe]/hooks",  # NAT64 of 169.254.169.254
        "https://[2002:c0a8:0001::1]/hooks",  # 6to4 of 192.168.0.1
        "https://[2002:7f00:1::]/hooks",  # 6to4 of 127.0.0.1
        "https://[::10.0.0.1]/hooks",  # IPv4-compatible
        "https://[::127.0.0.1]/hooks",
        "https://[::ffff:10.1.2.3]/hooks",  # IPv4-mapped
    ],
)
def test_destination_refuses_ipv6_addresses_that_embed_a_private_ipv4_address(url, settings):
    settings.TAWASUL_WEBHOOKS_ALLOW_PRIVATE_URLS = False
    with pytest.raises(RefusedDestination):
        destination_resolve(url)


@pytest.mark.parametrize("url", ["https://[64:ff9b::808:808]/hooks", "https://[2002:808:808::1]/hooks"])
def test_destination_judges_an_embedded_public_ipv4_address_as_public(url, settings):
    settings.TAWASUL_WEBHOOKS_ALLOW_PRIVATE_URLS = False
    assert destination_resolve(url).port == 443


def test_destination_accepts_a_public_https_address(settings):
    settings.TAWASUL_WEBHOOKS_ALLOW_PRIVATE_URLS = False
    assert destination_resolve("https://8.8.8.8:8443/hooks").address == "8.8.8.8"


def test_send_time_check_refuses_a_private_address_even_for_a_saved_endpoint(receiver, settings):
    settings.TAWASUL_WEBHOOKS_ALLOW_PRIVATE_URLS = False
    with translation.override("en"):
        outcome = webhook_post(url=receiver.url.replace("http:", "https:"), body="{}", headers={})
    assert outcome.status_code is None and "private" in outcome.error
    assert receiver.received == []
