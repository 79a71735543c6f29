"""The public site: both languages, right direction, only what the public may see."""

import datetime

import pytest
from django.utils import timezone
from django.utils.html import escape

from campaigns.models import CampaignPage
from hub.demo.loader import demo_load
from messaging.models import Message

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CAMPAIGN = "/{lang}/campaigns/government-communication-strategy/"


@pytest.fixture
def demo():
    demo_load()


@pytest.mark.parametrize(
    ("lang", "direction", "title"),
    [("ar", "rtl", "إستراتيجية التواصل الحكومي"), ("en", "ltr", "Government Communication Strategy")],
)
def test_public_pages_render_language_and_direction(client, demo, lang, direction, title):
    for url in (f"/{lang}/campaigns/", CAMPAIGN.format(lang=lang)):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert f'<html lang="{lang}" dir="{direction}">' in html
        assert title in html
        assert 'hreflang="ar"' in html and 'hreflang="en"' in html


def test_public_campaign_shows_public_key_messages_only(client, demo):
    html = client.get(CAMPAIGN.format(lang="en")).content.decode()
    restricted = Message.objects.get(locale__language_code="en", audience_all=False)
    public = Message.objects.filter(locale__language_code="en", is_public=True, live=True)
    assert escape(restricted.key_message) not in html
    assert public.count() == 5
    assert all(escape(message.key_message) in html for message in public)


def test_public_campaign_hides_embargoed_message_until_embargo_passes(client, demo):
    message = Message.objects.filter(locale__language_code="ar", live=True, is_public=True).first()
    Message.objects.filter(pk=message.pk).update(embargo_until=timezone.now() + datetime.timedelta(hours=1))
    assert message.key_message not in client.get(CAMPAIGN.format(lang="ar")).content.decode()

    Message.objects.filter(pk=message.pk).update(embargo_until=timezone.now() - datetime.timedelta(minutes=1))
    assert message.key_message in client.get(CAMPAIGN.format(lang="ar")).content.decode()


def test_public_campaign_hides_withdrawn_and_draft_messages(client, demo):
    live = Message.objects.filter(locale__language_code="ar", live=True, is_public=True).first()
    live.unpublish()
    draft = Message.objects.get(locale__language_code="ar", live=False, version=0)
    html = client.get(CAMPAIGN.format(lang="ar")).content.decode()
    assert live.key_message not in html
    assert draft.key_message not in html


def test_unpublished_campaign_page_answers_404(client, demo):
    page = CampaignPage.objects.get(locale__language_code="en")
    page.unpublish()
    assert client.get(CAMPAIGN.format(lang="en")).status_code == 404
    assert client.get(CAMPAIGN.format(lang="ar")).status_code == 200
