# Arabic letters are the subject of these fixtures, not look-alikes of Latin ones.
from __future__ import annotations

import pytest

from messaging.models import Message
from tests.factories import MessageFactory, locale

ARABIC_BODY = [
    (
        "pillar",
        {
            "title": "التحول الرقمي للخدمات",
            "talking_points": [
                "إطلاق منصة الخدمات الحكومية الموحدة للمواطنين",
                "تدريب الموظفين على المهارات الرقمية الحديثة",
            ],
        },
    ),
    ("pillar", {"title": "الشفافية والمساءلة", "talking_points": ["نشر تقارير الأداء الفصلية للجمهور"]}),
    ("qa", {"question": "متى تكتمل المنصة؟", "answer": "تكتمل المنصة خلال المرحلة الثانية من البرنامج."}),
    (
        "fact",
        {"statement": "استفاد 250 ألف مواطن من المنصة في عامها الأول.", "source_title": "تقرير", "source_url": ""},
    ),
    ("avoid", "لا تعليق على ميزانية المشروع"),
]

ENGLISH_BODY = [
    (
        "pillar",
        {
            "title": "Digital transformation of services",
            "talking_points": [
                "Launching the unified government services platform for citizens",
                "Training employees in modern digital skills",
            ],
        },
    ),
    (
        "pillar",
        {"title": "Transparency and accountability", "talking_points": ["Publishing quarterly performance reports"]},
    ),
    ("qa", {"question": "When will the platform be complete?", "answer": "The platform is completed in phase two."}),
    (
        "fact",
        {
            "statement": "250 thousand citizens used the platform in its first year.",
            "source_title": "Report",
            "source_url": "",
        },
    ),
    ("avoid", "No comment on the project budget"),
]


def english_row_for(source: Message, **kwargs) -> Message:
    """A published English translation of ``source``, current with its version."""
    english = MessageFactory.create_published(
        locale=locale("en"),
        translation_key=source.translation_key,
        title=kwargs.pop("title", "Digital services"),
        key_message=kwargs.pop("key_message", "One platform for every government service"),
        body=kwargs.pop("body", ENGLISH_BODY),
        topic=source.topic,
        owner=source.owner,
        **kwargs,
    )
    Message.objects.filter(pk=english.pk).update(version=source.version)
    english.refresh_from_db()
    return english


@pytest.fixture
def digital_message(db: None) -> Message:
    return MessageFactory.create_published(
        title="الخدمات الرقمية", key_message="منصة واحدة لكل الخدمات الحكومية", body=ARABIC_BODY
    )


@pytest.fixture
def digital_english(digital_message: Message) -> Message:
    return english_row_for(digital_message)


@pytest.fixture
def english_row():
    return english_row_for
