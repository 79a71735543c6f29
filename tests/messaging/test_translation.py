"""English translations are made and kept in step through wagtail-localize."""

import pytest
from wagtail.models import Locale

from hub.localization import MissingStringError, translation_sync
from messaging.enums import TranslationStatus
from messaging.models import Message
from tests.factories import MessageFactory, message_body, release

pytestmark = pytest.mark.django_db


@pytest.fixture
def sync(django_capture_on_commit_callbacks):
    """translation_sync as one committed unit; it saves a draft translation and never publishes."""

    def run(instance, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            translation = translation_sync(instance, language_code="en", **kwargs)
        translation.refresh_from_db()
        return translation

    return run


STRINGS = {
    "رسالة التواصل": "Communication message",
    "رسائل حكومية متسقة عبر توجه موحد": "Consistent government messages through one direction",
    "الركيزة الأولى": "First pillar",
    "نقطة حوار أولى": "First talking point",
    "ما الهدف؟": "What is the aim?",
    "رسائل متسقة من توجه موحد.": "Consistent messages from a unified direction.",
    "عقد اللقاء العاشر للتواصل الحكومي.": "The tenth Government Communication Meeting was held.",
    "خبر": "News item",
    "لا نعد بنتائج قبل الاعتماد الرسمي": "We promise no results before official approval",
    "موضوع": "Topic",
    "تعديل نقطة الحوار": "Revised the talking point",
}


def _published_source(sync, approver) -> Message:
    message = MessageFactory.create_published(title="رسالة التواصل", topic__name="موضوع 1")
    sync(message.topic, strings={"موضوع 1": "Topic 1"}, user=approver)
    return message


def test_translation_sync_creates_a_draft_english_row_that_goes_live_only_after_review(sync, translator):
    source = _published_source(sync, translator)

    english = sync(source, strings=STRINGS, user=translator)
    assert not english.live and english.version == 0

    english = release(english)
    assert english.locale.language_code == "en"
    assert english.translation_key == source.translation_key
    assert english.live
    assert english.key_message == "Consistent government messages through one direction"
    assert list(english.blocks_of("pillar")[0]["talking_points"]) == ["First talking point"]
    assert english.topic.locale.language_code == "en"
    assert english.version == source.version == 1
    assert english.translation_status() == TranslationStatus.CURRENT


def test_translation_becomes_outdated_when_source_republished_then_current_after_resync(sync, approver):
    source = _published_source(sync, approver)
    release(sync(source, strings=STRINGS, user=approver))

    source.body = message_body(points=("نقطة حوار معدلة",))
    source.change_note = "تعديل نقطة الحوار"
    source.save_revision(user=approver)
    source = release(source)
    english = source.get_translation(Locale.objects.get(language_code="en"))

    assert source.version == 2
    assert english.translation_status() == TranslationStatus.OUTDATED
    assert list(english.blocks_of("pillar")[0]["talking_points"]) == ["First talking point"]

    resynced = sync(source, strings={**STRINGS, "نقطة حوار معدلة": "Revised talking point"}, user=approver)
    assert resynced.translation_status() == TranslationStatus.OUTDATED  # a draft until it is reviewed
    resynced = release(resynced)
    assert list(resynced.blocks_of("pillar")[0]["talking_points"]) == ["Revised talking point"]
    assert resynced.version == 2
    assert resynced.translation_status() == TranslationStatus.CURRENT


def test_translation_sync_refuses_missing_strings_without_writing(sync, approver):
    source = _published_source(sync, approver)
    with pytest.raises(MissingStringError):
        translation_sync(source, language_code="en", strings={"خبر": "News"}, user=approver)
    assert not Message.objects.filter(translation_key=source.translation_key, locale__language_code="en").exists()
