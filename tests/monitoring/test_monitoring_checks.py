"""What a statement says about the approved lines: carried, retired (flagged to the centre and the institution),
lines to avoid and figures that differ, always against what the institution may see."""

from __future__ import annotations

from datetime import UTC, datetime

from messaging.models import Message
from monitoring.enums import STATEMENT_FLAGGED, FindingKind, RetiredReason, SourceKind
from monitoring.extraction import Extracted
from monitoring.models import Finding, Source, Statement
from monitoring.services import statement_check, statement_record
from tests.factories import InstitutionFactory, MessageFactory, release
from tests.monitoring.conftest import (
    AVOID_EN,
    KEY_MESSAGE_EN,
    TALKING_POINT_AR,
    TALKING_POINT_EN,
    body_ar,
    body_en,
)
from tests.webhooks.receiver import receiver_running
from webhooks.models import WebhookDelivery
from webhooks.services import endpoint_create

INTRO = "The ministry held a press conference on Sunday in the capital."
INTRO_AR = "عقدت الوزارة مؤتمرا صحفيا يوم الأحد في العاصمة."


def published(institution, text: str, url: str = "https://ministry.example/news/1") -> Statement:  # type: ignore[no-untyped-def]
    source, _ = Source.objects.get_or_create(
        institution=institution, url="https://ministry.example/feed", kind=SourceKind.FEED
    )
    statement_id = statement_record(
        source=source,
        item=Extracted(url=url, title="News", text=text, published_at=datetime(2026, 12, 6, 8, tzinfo=UTC)),
    )
    assert statement_id is not None
    statement_check(statement_id=statement_id)
    return Statement.objects.get(pk=statement_id)


def withdraw(message: Message) -> None:
    for row in Message.objects.filter(translation_key=message.translation_key, live=True):
        row.unpublish()


def kinds(statement: Statement) -> set[str]:
    return set(statement.findings.values_list("kind", flat=True))


def test_check_finds_the_current_key_message_and_its_version(digital, ministry):
    statement = published(ministry, f"{INTRO} {KEY_MESSAGE_EN}, the minister said.")

    carried = statement.findings.get(kind=FindingKind.CARRIES, block_type="key_message")
    assert carried.translation_key == digital.translation_key and carried.version == 1
    assert carried.topic_id == digital.topic_id
    assert statement.flagged_at is None


def test_check_finds_an_arabic_talking_point_reworded(digital, ministry):
    statement = published(ministry, f"{INTRO_AR} وأكد الوزير إطلاق منصة الخدمات الحكومية الموحده للمواطنين.")

    assert statement.findings.filter(kind=FindingKind.CARRIES, block_type="pillar").exists()


def test_check_ignores_a_message_not_addressed_to_the_institution(ministry):
    other = InstitutionFactory(slug="other")
    MessageFactory.create_published(key_message="منصة واحدة لكل الخدمات الحكومية", body=body_ar(), audience_of=[other])

    statement = published(ministry, "منصة واحدة لكل الخدمات الحكومية.")

    assert not statement.findings.exists()


def test_check_flags_a_withdrawn_line_to_the_centre_and_by_webhook(
    digital, ministry, django_capture_on_commit_callbacks
):
    withdraw(digital)
    with receiver_running() as receiver:
        endpoint = endpoint_create(institution=ministry, url=receiver.url)
        receiver.secret = endpoint.secret

        with django_capture_on_commit_callbacks(execute=True):
            statement = published(ministry, f"{INTRO} {TALKING_POINT_EN} remains our priority.")

        retired = statement.findings.get(kind=FindingKind.RETIRED_LINE)
        assert retired.reason == RetiredReason.WITHDRAWN and retired.version == 1
        assert statement.flagged_at is not None
        delivery = WebhookDelivery.objects.get(event_type=STATEMENT_FLAGGED)
        assert delivery.event_id is None and delivery.webhook_id == f"stm_{statement.pk}_{endpoint.pk}"
        assert receiver.wait_for(lambda r: bool(r.effects), timeout=5)
    assert receiver.rejected == []  # the signature verified
    payload = receiver.effects[delivery.webhook_id]
    assert payload["type"] == STATEMENT_FLAGGED
    assert payload["data"]["lines"][0]["message_id"] == str(digital.translation_key)
    assert payload["data"]["lines"][0]["reason"] == "message.withdrawn"


def test_check_twice_sends_the_flag_once(digital, ministry, django_capture_on_commit_callbacks):
    withdraw(digital)
    endpoint_create(institution=ministry, url="http://127.0.0.1:9/hooks", event_types=[STATEMENT_FLAGGED])
    with django_capture_on_commit_callbacks(execute=True):
        statement = published(ministry, f"{TALKING_POINT_EN}.")
        statement_check(statement_id=statement.pk)

    assert WebhookDelivery.objects.filter(event_type=STATEMENT_FLAGGED).count() == 1
    assert Finding.objects.filter(statement=statement, kind=FindingKind.RETIRED_LINE).count() == 1


def test_check_flags_a_line_the_new_version_dropped_and_credits_the_new_one(digital, ministry):
    published(ministry, INTRO)  # the hub records version 1's lines as it checks
    new_point_ar = "توسيع المنصة لتشمل جميع البلديات"
    new_point_en = "Extending the platform to every municipality"
    source = Message.objects.get(pk=digital.pk)
    source.body = body_ar(new_point_ar)
    source.change_note = "new talking point"
    source.save_revision()
    release(source)
    english = Message.objects.get(translation_key=digital.translation_key, locale__language_code="en")
    english.body = body_en(new_point_en)
    english.change_note = "new talking point"
    english.save_revision()
    release(english)
    assert Message.objects.get(pk=english.pk).version == 2

    old = published(ministry, f"{INTRO} {TALKING_POINT_EN}.", url="https://ministry.example/news/old")
    new = published(ministry, f"{INTRO} {new_point_en}.", url="https://ministry.example/news/new")
    key = published(ministry, f"{KEY_MESSAGE_EN}.", url="https://ministry.example/news/key")

    retired = old.findings.get(kind=FindingKind.RETIRED_LINE)
    assert retired.reason == RetiredReason.OLDER_VERSION and retired.version == 1
    assert new.findings.get(kind=FindingKind.CARRIES, block_type="pillar").version == 2
    assert kinds(key) == {FindingKind.CARRIES}  # unchanged between versions: current, not retired


def test_check_outdated_translation_lines_are_not_flagged(digital, ministry):
    published(ministry, INTRO)
    source = Message.objects.get(pk=digital.pk)
    source.body = body_ar("توسيع المنصة لتشمل جميع البلديات")
    source.change_note = "new talking point"
    source.save_revision()
    release(source)  # the English row is now outdated, not yet re-synced

    statement = published(ministry, f"{INTRO} {TALKING_POINT_EN}.", url="https://ministry.example/news/2")

    assert FindingKind.RETIRED_LINE not in kinds(statement)


def test_check_reports_lines_to_avoid_and_differing_figures(digital, ministry):
    statement = published(ministry, f"{INTRO} {AVOID_EN}. 300 thousand citizens used the platform in its first year.")

    assert {FindingKind.LINE_TO_AVOID, FindingKind.FIGURE_MISMATCH} <= kinds(statement)
    assert statement.findings.get(kind=FindingKind.LINE_TO_AVOID).line == AVOID_EN


def test_check_arabic_statement_carrying_a_superseded_message(ministry):
    old = MessageFactory.create_published(key_message="منصة واحدة لكل الخدمات الحكومية", body=body_ar())
    MessageFactory.create_published(
        key_message="بوابة جديدة للخدمات", body=body_ar("خدمات أسرع للمواطنين"), supersedes=old
    )

    statement = published(ministry, f"{INTRO_AR} {TALKING_POINT_AR}.")

    retired = statement.findings.get(kind=FindingKind.RETIRED_LINE)
    assert retired.reason == RetiredReason.SUPERSEDED and retired.translation_key == old.translation_key
