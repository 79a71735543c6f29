"""Brute force: the admin login locks a (username, address) pair, never a user from elsewhere; the client address
is read through the trusted proxies only; failed API-key attempts are limited per address."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client, RequestFactory

from hub.client_address import client_address
from tests.factories import InstitutionFactory, MessageFactory, UserFactory
from tests.messaging.api_helpers import client_for, issue_key

pytestmark = pytest.mark.django_db

PASSWORD = "right-password-2026"


@pytest.fixture
def axes(settings):
    from axes.utils import reset

    settings.AXES_ENABLED = True
    reset()
    yield settings
    reset()


def _fail(client: Client, username: str, times: int, **extra) -> None:
    for _ in range(times):
        response = client.post("/admin/login/", {"username": username, "password": "wrong"}, **extra)
        assert response.status_code in (200, 429)


def _logs_in(username: str, **extra) -> bool:
    client = Client()
    response = client.post("/admin/login/", {"username": username, "password": PASSWORD}, **extra)
    return response.status_code in (200, 302) and SESSION_KEY in client.session


def test_failures_with_an_unknown_username_do_not_lock_out_admin_from_the_same_address(axes):
    UserFactory(username="admin", password=PASSWORD, is_superuser=True)
    _fail(Client(), "nobody-by-that-name", axes.AXES_FAILURE_LIMIT + 2, REMOTE_ADDR="203.0.113.7")
    assert _logs_in("admin", REMOTE_ADDR="203.0.113.7")


def test_failures_for_admin_from_one_address_do_not_lock_admin_out_elsewhere(axes):
    UserFactory(username="admin", password=PASSWORD, is_superuser=True)
    _fail(Client(), "admin", axes.AXES_FAILURE_LIMIT + 2, REMOTE_ADDR="203.0.113.7")
    assert not _logs_in("admin", REMOTE_ADDR="203.0.113.7")  # that pair is locked
    assert _logs_in("admin", REMOTE_ADDR="198.51.100.20")


def test_behind_the_trusted_proxy_clients_are_told_apart_by_forwarded_for(axes):
    axes.TAWASUL_TRUSTED_PROXIES = 1
    UserFactory(username="admin", password=PASSWORD, is_superuser=True)
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    _fail(Client(), "admin", axes.AXES_FAILURE_LIMIT + 1, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert not _logs_in("admin", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert _logs_in("admin", HTTP_X_FORWARDED_FOR="198.51.100.20", **proxy)
    # A client cannot escape its lock by writing its own X-Forwarded-For: the proxy appends the real address.
    assert not _logs_in("admin", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7", **proxy)


def test_client_address_believes_only_the_trusted_proxies(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7")
    settings.TAWASUL_TRUSTED_PROXIES = 0
    assert client_address(request) == "10.0.0.2"
    settings.TAWASUL_TRUSTED_PROXIES = 1
    assert client_address(request) == "203.0.113.7"
    settings.TAWASUL_TRUSTED_PROXIES = 2
    assert client_address(request) == "192.0.2.1"
    settings.TAWASUL_TRUSTED_PROXIES = 3  # fewer hops than proxies: not through every proxy
    assert client_address(request) == "10.0.0.2"
    garbled = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")
    settings.TAWASUL_TRUSTED_PROXIES = 1
    assert client_address(garbled) == "10.0.0.2"


def test_failed_api_key_attempts_are_throttled_per_address(settings):
    from django.core.cache import cache

    cache.clear()
    settings.TAWASUL_API_KEY_FAILURES = (3, 60)
    institution = InstitutionFactory(slug="moi")
    MessageFactory.create_published()
    good = issue_key(institution)
    guesser = client_for(f"{good.split('.')[0]}.wrong-secret")
    answers = [guesser.get("/api/v1/messages/", REMOTE_ADDR="203.0.113.7").status_code for _ in range(5)]
    assert answers == [401, 401, 401, 429, 429]
    throttled = guesser.get("/api/v1/messages/", REMOTE_ADDR="203.0.113.7")
    assert throttled.json()["code"] == "throttled" and int(throttled["Retry-After"]) > 0
    # Another address is not affected, nor a key this process has verified already.
    assert client_for(good).get("/api/v1/messages/", REMOTE_ADDR="198.51.100.20").status_code == 200
    assert client_for(good).get("/api/v1/messages/", REMOTE_ADDR="203.0.113.7").status_code == 200
    cache.clear()
