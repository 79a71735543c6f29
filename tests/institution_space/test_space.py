"""An institution user's day in the institution space: the same ledger as the API, changes since the last visit,
no drafts, activities followed up, keys and endpoints managed through the centre's services."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry, PageLogEntry

from campaigns.models import CampaignActivity
from institution_space.models import ActivityUpdate
from institutions.ledger import Acknowledgement
from institutions.models import InstitutionAPIKey
from institutions.services import api_key_issue
from tests.factories import MessageFactory
from webhooks.models import WebhookEndpoint

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(f"institution_space:{name}", kwargs=kwargs)


def test_sign_in_leads_to_the_institution_space(client, space):
    space.officer.set_password("s3cret-pass")
    space.officer.save()
    response = client.post(url("login"), {"username": "moi-officer", "password": "s3cret-pass", "next": url("home")})
    assert response.status_code == 302 and response["Location"] == url("home")
    assert "Own line" in client.get(url("home")).content.decode()


def test_acknowledgement_goes_to_the_ledger_the_api_reads(client, space):
    client.force_login(space.officer)
    key = space.own.message.translation_key
    client.post(url("acknowledge", key=key), {"note": "Taken on"})

    ack = Acknowledgement.objects.get(institution=space.own.institution, translation_key=key)
    assert (ack.version, ack.kind, ack.note, ack.user) == (1, "message", "Taken on", space.officer)
    assert ack.acknowledged_by == "Huda"
    _key, raw = api_key_issue(institution=space.own.institution, name="api", scopes=["read"])
    api = client.get(f"/api/v1/messages/{key}/acknowledgements/", headers={"authorization": f"Api-Key {raw}"})
    assert [(row["version"], row["acknowledged_by"]) for row in api.json()] == [(1, "Huda")]
    home = client.get(url("home"))
    assert home.context["figures"]["acknowledged_current"] == 1
    client.post(url("acknowledge", key=key))  # idempotent, as in the API
    assert Acknowledgement.objects.filter(translation_key=key).count() == 1


def test_withdrawal_is_listed_until_acknowledged(client, space):
    client.force_login(space.officer)
    key = space.own.withdrawn.translation_key
    assert [c.event.translation_key for c in client.get(url("home")).context["withdrawals"]] == [key]
    client.post(url("acknowledge_withdrawal", key=key))
    assert Acknowledgement.objects.get(translation_key=key).kind == "withdrawal"
    assert client.get(url("home")).context["withdrawals"] == []


def test_changes_since_last_visit_until_marked_seen(client, space):
    client.force_login(space.officer)
    titles = [change.title for change in client.get(url("home")).context["changes"]]
    assert titles == ["Own withdrawn line", "Own withdrawn line", "Own line"]  # withdrawn, published, published
    client.post(url("changes_seen"))
    assert "Nothing has changed since your last visit." in client.get(url("home")).content.decode()

    MessageFactory.create_published(title="Newer line", audience_of=[space.own.institution])
    assert [change.title for change in client.get(url("home")).context["changes"]] == ["Newer line"]


def test_drafts_are_never_shown(client, space, communicator):
    client.force_login(space.officer)
    MessageFactory(title="Draft line", audience_of=[space.own.institution])
    live = space.own.message
    live.title, live.change_note = "Unapproved new title", "draft"
    live.save_revision(user=communicator)
    withdrawn = space.own.withdrawn
    withdrawn.title = "Draft of a withdrawn message"
    withdrawn.save()  # an unpublished message's row holds its draft

    html = client.get(url("home")).content.decode()
    detail = client.get(url("message", key=live.translation_key)).content.decode()
    for page in (html, detail):
        assert "Draft line" not in page and "Unapproved new title" not in page
        assert "Draft of a withdrawn message" not in page
    assert "Own withdrawn line" in html and "Own line" in detail


def test_activity_update_changes_status_and_survives_republishing_the_page(client, space):
    client.force_login(space.officer)
    activity = space.own.activity
    response = client.post(url("activity_update", activity_id=activity.pk), {"status": "in_progress", "note": "Begun"})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == "in_progress"
    update = ActivityUpdate.objects.get()
    assert (update.status_before, update.status_after, update.note, update.author) == (
        "planned",
        "in_progress",
        "Begun",
        space.officer,
    )
    assert PageLogEntry.objects.filter(action="tawasul.activity.update", user=space.officer).exists()

    activity.page.latest_revision.publish()  # the centre republishes the page from its latest revision
    assert CampaignActivity.objects.get(pk=activity.pk).status == "in_progress"


def test_activity_update_without_change_or_note_is_a_form_error(client, space):
    client.force_login(space.officer)
    response = client.post(url("activity_update", activity_id=space.own.activity.pk), {"status": "planned"})
    assert response.status_code == 400
    assert "Change the status or write a note." in response.content.decode()
    bad = client.post(url("activity_update", activity_id=space.own.activity.pk), {"status": "finished-ish"})
    assert bad.status_code == 400 and not ActivityUpdate.objects.exists()


def test_director_issues_rotates_and_revokes_keys_shown_once(client, space):
    client.force_login(space.director)
    issued = client.post(url("keys"), {"name": "website mirror", "scopes": ["read", "acknowledge"]})
    raw = issued.context["raw_key"]
    assert raw in issued.content.decode()
    assert raw not in client.get(url("keys")).content.decode()
    assert client.get("/api/v1/me/", headers={"authorization": f"Api-Key {raw}"}).status_code == 200

    key = InstitutionAPIKey.objects.get(name="website mirror")
    rotated = client.post(url("key_rotate", key_id=key.pk))
    new_raw = rotated.context["raw_key"]
    assert client.get("/api/v1/me/", headers={"authorization": f"Api-Key {raw}"}).status_code == 401
    assert client.get("/api/v1/me/", headers={"authorization": f"Api-Key {new_raw}"}).status_code == 200
    new_key = InstitutionAPIKey.objects.get(name="website mirror", revoked=False)
    assert new_key.scopes == ["read", "acknowledge"]

    client.post(url("key_revoke", key_id=new_key.pk))
    assert client.get("/api/v1/me/", headers={"authorization": f"Api-Key {new_raw}"}).status_code == 401
    assert ModelLogEntry.objects.filter(action="tawasul.api_key.revoke", user=space.director).count() == 2


def test_director_manages_webhook_endpoints(client, space):
    client.force_login(space.director)
    created = client.post(url("webhooks"), {"url": "http://127.0.0.1:9/mirror", "event_types": ["message.published"]})
    endpoint = WebhookEndpoint.objects.get(url="http://127.0.0.1:9/mirror")
    assert endpoint.institution == space.own.institution and endpoint.event_types == ["message.published"]
    assert created.context["secret"] == endpoint.secret
    rotated = client.post(url("endpoint_rotate", endpoint_id=endpoint.pk))
    endpoint.refresh_from_db()
    assert rotated.context["secret"] == endpoint.secret and endpoint.previous_secret == created.context["secret"]
    client.post(url("endpoint_revoke", endpoint_id=endpoint.pk))
    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.disabled_reason

    invalid = client.post(url("webhooks"), {"url": "not a url"})
    assert invalid.status_code == 400 and invalid.context["form"].errors["url"]


def test_message_page_shows_its_images_with_their_text_alternative_and_its_documents(client, space):
    from tests.factories import release
    from tests.messaging.test_message_media import document_file, image_file

    live = space.own.message
    live.media = [
        ("image", {"image": image_file(), "alt_text": "ملصق الرسالة", "caption": ""}),
        ("document", {"document": document_file(), "title": "نشرة الرسالة"}),
    ]
    live.change_note = "صورة ونشرة"
    live.save_revision()
    release(live)
    client.force_login(space.officer)
    detail = client.get(url("message", key=live.translation_key)).content.decode()
    assert re.search(r'<img [^>]*alt="ملصق الرسالة"', detail)
    assert re.search(r'<a href="/documents/\d+/leaflet[^"]*\.pdf" download>نشرة الرسالة</a>', detail)
