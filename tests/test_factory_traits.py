"""The message factory's traits reach each state through the real lifecycle (no `.update()`)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from messaging.enums import EventKind
from messaging.selectors import public_messages, visible_messages_for
from tests.factories import InstitutionFactory, MessageFactory

pytestmark = pytest.mark.django_db


def test_live_is_released_through_the_workflow():
    message = MessageFactory(live=True)
    assert message.live and message.version == 1
    assert list(message.events.values_list("kind", flat=True)) == [EventKind.PUBLISHED]


def test_embargoed_is_live_for_institutions_but_not_yet_public():
    message = MessageFactory(embargoed=True)
    assert message.embargo_until > timezone.now()
    assert visible_messages_for(InstitutionFactory()).filter(pk=message.pk).exists()
    assert not public_messages().filter(pk=message.pk).exists()


def test_expired_is_taken_offline_by_the_expiry_action():
    message = MessageFactory(expired=True)
    assert not message.live and message.expired
    assert list(message.events.values_list("kind", flat=True)) == [EventKind.PUBLISHED, EventKind.EXPIRED]


def test_addressed_to_and_translated():
    moi, other = InstitutionFactory(), InstitutionFactory()
    message = MessageFactory(translated=True, addressed_to=[moi])
    visible = visible_messages_for(moi).filter(translation_key=message.translation_key)
    assert sorted(visible.values_list("locale__language_code", flat=True)) == ["ar", "en"]
    assert not visible_messages_for(other).filter(translation_key=message.translation_key).exists()
    english = visible.get(locale__language_code="en")
    assert english.translation_status().value == "current"
