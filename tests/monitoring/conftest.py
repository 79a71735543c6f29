from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from messaging.models import Message
from tests.factories import InstitutionFactory, MessageFactory, locale
from tests.monitoring.site import Site, site_running

KEY_MESSAGE_AR = "منصة واحدة لكل الخدمات الحكومية"
KEY_MESSAGE_EN = "One platform for every government service"
TALKING_POINT_EN = "Launching the unified government services platform for citizens"
TALKING_POINT_AR = "إطلاق منصة الخدمات الحكومية الموحدة للمواطنين"
FACT_EN = "250 thousand citizens used the platform in its first year."
AVOID_EN = "No comment on the project budget"


def body_ar(point: str = TALKING_POINT_AR) -> list:
    return [
        (
            "pillar",
            {"title": "التحول الرقمي للخدمات", "talking_points": [point, "تدريب الموظفين على المهارات الرقمية"]},
        ),
        (
            "fact",
            {"statement": "استفاد 250 ألف مواطن من المنصة في عامها الأول.", "source_title": "تقرير", "source_url": ""},
        ),
        ("avoid", "لا تعليق على ميزانية المشروع"),
    ]


def body_en(point: str = TALKING_POINT_EN) -> list:
    return [
        (
            "pillar",
            {
                "title": "Digital transformation of services",
                "talking_points": [point, "Training staff in digital skills"],
            },
        ),
        ("fact", {"statement": FACT_EN, "source_title": "Report", "source_url": ""}),
        ("avoid", AVOID_EN),
    ]


def english_row(source: Message, **fields: Any) -> Message:
    english = MessageFactory.create_published(
        locale=locale("en"),
        translation_key=source.translation_key,
        title="Digital services",
        key_message=fields.pop("key_message", KEY_MESSAGE_EN),
        body=fields.pop("body", body_en()),
        topic=source.topic,
        owner=source.owner,
    )
    Message.objects.filter(pk=english.pk).update(version=source.version)
    return Message.objects.get(pk=english.pk)


@pytest.fixture
def digital(db: None) -> Message:
    """A live message in Arabic and English, addressed to every institution."""
    source = MessageFactory.create_published(title="الخدمات الرقمية", key_message=KEY_MESSAGE_AR, body=body_ar())
    english_row(source)
    return source


@pytest.fixture
def ministry(db: None):
    return InstitutionFactory(slug="mod", name_en="Ministry of Digital Affairs")


@pytest.fixture
def site() -> Iterator[Site]:
    with site_running() as running:
        yield running


@pytest.fixture(autouse=True)
def _polite_but_quick(settings, db: None) -> Iterator[None]:
    settings.TAWASUL_MONITORING_HOST_INTERVAL = 0
    settings.TAWASUL_MONITORING_TIMEOUT = 3
    settings.TAWASUL_MONITORING_MAX_BYTES = 200_000
    cache.clear()
    yield
    cache.clear()


def article(title: str, *paragraphs: str) -> bytes:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return (
        f'<html><head><title>{title}</title></head><body><nav><a href="/">Home</a></nav>'
        f"<article><h1>{title}</h1>{body}</article><footer>All rights reserved</footer></body></html>"
    ).encode()


def rss(*entries: tuple[str, str, str, str]) -> bytes:
    """Entries as (link, title, description, RFC 822 date)."""
    items = "".join(
        f"<item><title>{title}</title><link>{link}</link><description><![CDATA[{text}]]></description>"
        f"<pubDate>{date}</pubDate></item>"
        for link, title, text, date in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>News</title>'
        f"<link>http://example.test/</link><description>News</description>{items}</channel></rss>"
    ).encode()
