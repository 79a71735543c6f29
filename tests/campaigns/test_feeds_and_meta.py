"""Feeds, sitemap and the head of public pages: what feed readers, search engines and social networks read."""

import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.utils.html import escape

from hub.demo.loader import demo_load
from messaging.models import Message, Topic

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CAMPAIGN = "/{lang}/campaigns/government-communication-strategy/"
XHTML = "{http://www.w3.org/1999/xhtml}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def demo():
    demo_load()


def _feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed, response.content.decode()


def _feed_links(html):
    return re.findall(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', html)


@pytest.mark.parametrize(("lang", "direction"), [("ar", "rtl"), ("en", "ltr")])
def test_site_feed_lists_public_messages_and_campaigns_in_its_language(client, demo, lang, direction):
    parsed, xml = _feed(client, f"/{lang}/feeds/")
    public = Message.objects.filter(locale__language_code=lang, is_public=True, audience_all=True, live=True)
    titles = {entry.title for entry in parsed.entries}
    assert {message.title for message in public} <= titles
    assert "Government Communication Strategy" in titles if lang == "en" else "إستراتيجية التواصل الحكومي" in titles
    assert f'xml:lang="{lang}"' in xml
    assert all(entry.summary_detail.language == lang for entry in parsed.entries)
    assert all(f'dir="{direction}"' in entry.summary for entry in parsed.entries)
    assert len({entry.id for entry in parsed.entries}) == len(parsed.entries)


def test_site_feed_leaves_out_restricted_embargoed_and_draft_messages(client, demo):
    restricted = Message.objects.get(locale__language_code="en", audience_all=False)
    draft = Message.objects.get(locale__language_code="ar", live=False, version=0)
    parsed, _ = _feed(client, "/en/feeds/")
    titles = {entry.title for entry in parsed.entries}
    assert restricted.title not in titles
    parsed_ar, _ = _feed(client, "/ar/feeds/")
    assert draft.title not in {entry.title for entry in parsed_ar.entries}


def test_campaign_and_topic_feeds_are_discoverable_and_valid(client, demo):
    for lang in ("ar", "en"):
        html = client.get(CAMPAIGN.format(lang=lang)).content.decode()
        links = _feed_links(html)
        assert f"/{lang}/feeds/" in links
        campaign_feed = next(link for link in links if "/feeds/campaigns/" in link)
        parsed, _ = _feed(client, campaign_feed)
        assert parsed.entries
        message = Message.objects.filter(locale__language_code=lang, is_public=True, live=True).first()
        topic_feed = f"/{lang}/feeds/topics/{message.topic.translation_key}/"
        message_html = client.get(f"/{lang}/messages/{message.translation_key}/").content.decode()
        assert topic_feed in _feed_links(message_html)
        parsed, _ = _feed(client, topic_feed)
        assert message.title in {entry.title for entry in parsed.entries}


def test_feeds_of_unknown_campaign_or_topic_answer_404(client, demo):
    assert client.get("/en/feeds/campaigns/00000000-0000-0000-0000-000000000000/").status_code == 404
    topic = Topic.objects.filter(locale__language_code="ar").first()
    assert client.get(f"/ar/feeds/campaigns/{topic.translation_key}/").status_code == 404
    assert client.get("/en/feeds/topics/not-a-uuid/").status_code == 404


def test_public_message_page_shows_public_message_and_404s_otherwise(client, demo):
    public = Message.objects.filter(locale__language_code="ar", is_public=True, live=True).first()
    response = client.get(f"/ar/messages/{public.translation_key}/")
    assert response.status_code == 200
    assert escape(public.key_message) in response.content.decode()
    restricted = Message.objects.get(locale__language_code="en", audience_all=False)
    assert client.get(f"/en/messages/{restricted.translation_key}/").status_code == 404
    public.unpublish()
    assert client.get(f"/ar/messages/{public.translation_key}/").status_code == 404


@pytest.mark.parametrize(("lang", "og_locale"), [("ar", "ar_AR"), ("en", "en_GB")])
def test_public_pages_carry_canonical_social_and_structured_data(client, demo, lang, og_locale):
    url = CAMPAIGN.format(lang=lang)
    html = client.get(url).content.decode()
    assert f'<link rel="canonical" href="http://testserver{url}">' in html
    assert f'<meta property="og:locale" content="{og_locale}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta name="twitter:card"' in html
    assert re.search(r'<meta name="description" content="[^"]+">', html)
    assert re.search(r'<meta property="og:title" content="[^"]+">', html)
    data = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    import json

    structured = json.loads(data)
    assert structured["@context"] == "https://schema.org"
    assert structured["inLanguage"] == lang
    assert structured["publisher"]["@type"] == "GovernmentOrganization"


def test_sitemap_lists_pages_and_messages_with_hreflang_alternates(client, demo):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    urls = {u.find(f"{SITEMAP}loc").text: u for u in root.findall(f"{SITEMAP}url")}
    campaign_ar = f"http://testserver{CAMPAIGN.format(lang='ar')}"
    campaign_en = f"http://testserver{CAMPAIGN.format(lang='en')}"
    assert campaign_ar in urls and campaign_en in urls
    alternates = {link.get("hreflang"): link.get("href") for link in urls[campaign_ar].findall(f"{XHTML}link")}
    assert alternates == {"ar": campaign_ar, "en": campaign_en}
    message = Message.objects.filter(locale__language_code="en", is_public=True, live=True).first()
    assert f"http://testserver/en/messages/{message.translation_key}/" in urls
    restricted = Message.objects.get(locale__language_code="en", audience_all=False)
    assert not any(str(restricted.translation_key) in loc for loc in urls)
