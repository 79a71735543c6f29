"""API keys: issued and revoked in the admin and from the command line; shown once, stored hashed."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from institutions.models import InstitutionAPIKey
from tests.factories import InstitutionFactory, UserFactory
from tests.messaging.api_helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def approver_client(client):
    client.force_login(UserFactory(username="keeper", groups=["Approvers"]))
    return client


def test_admin_issues_key_shown_once_and_stored_hashed(approver_client):
    institution = InstitutionFactory(slug="moi")
    url = reverse("institution_api_key_issue", args=(institution.pk,))
    response = approver_client.post(url, {"name": "Newsroom CMS", "scopes": ["read"]})
    assert response.status_code == 200
    raw = response.context["raw_key"]
    key = InstitutionAPIKey.objects.get(institution=institution)
    assert raw.startswith(key.prefix + ".") and raw not in key.hashed_key
    assert client_for(raw).get("/api/v1/me/").json()["slug"] == "moi"
    edit = approver_client.get(reverse("wagtailsnippets_institutions_institution:edit", args=(institution.pk,)))
    assert key.prefix in edit.content.decode() and raw not in edit.content.decode()


def test_admin_revokes_key_and_api_refuses_it(approver_client):
    institution = InstitutionFactory()
    key, raw = InstitutionAPIKey.objects.create_key(name="k", institution=institution, scopes=["read"])
    assert client_for(raw).get("/api/v1/me/").status_code == 200
    approver_client.post(reverse("institution_api_key_revoke", args=(key.pk,)))
    assert client_for(raw).get("/api/v1/me/").status_code == 401


def test_admin_key_form_rejects_past_expiry_and_no_scope(approver_client):
    institution = InstitutionFactory()
    url = reverse("institution_api_key_issue", args=(institution.pk,))
    response = approver_client.post(url, {"name": "x", "scopes": [], "expires_on": "2000-01-01"})
    assert set(response.context["form"].errors) == {"scopes", "expires_on"}
    assert not InstitutionAPIKey.objects.exists()


def test_communicators_cannot_issue_keys(client):
    client.force_login(UserFactory(username="c", groups=["Communicators"]))
    institution = InstitutionFactory()
    response = client.post(
        reverse("institution_api_key_issue", args=(institution.pk,)), {"name": "x", "scopes": ["read"]}
    )
    assert response.status_code in (302, 403)
    assert not InstitutionAPIKey.objects.exists()


def test_create_api_key_command_prints_only_the_key_on_last_line(capsys):
    InstitutionFactory(slug="part")
    call_command("create_api_key", "--institution", "part", "--scopes", "read,acknowledge")
    raw = capsys.readouterr().out.strip().splitlines()[-1]
    assert client_for(raw).get("/api/v1/me/").json()["key"]["scopes"] == ["read", "acknowledge"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--institution", "nowhere"], "No institution"),
        (["--institution", "part", "--scopes", "write"], "Unknown scope"),
        (["--institution", "part", "--expires-in-days", "0"], "at least 1"),
    ],
)
def test_create_api_key_command_explains_bad_input(args, message):
    InstitutionFactory(slug="part")
    with pytest.raises(CommandError, match=message):
        call_command("create_api_key", *args)
