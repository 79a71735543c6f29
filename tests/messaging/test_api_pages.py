"""The messages list's compiled page query gives the rows of the queryset it was compiled from, for every shape."""

from __future__ import annotations

import itertools
from datetime import timedelta
from uuid import uuid4

import pytest
from django.utils import timezone

from hub.demo.loader import demo_load
from institutions.models import Institution
from messaging.api.pages import MessagePage, _compiled, _Shape, anchor_rows
from messaging.models import Message

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ORDERINGS = [("-updated_at", "-pk"), ("updated_at", "pk")]


def test_every_shape_runs_compiled_and_gives_the_querysets_rows():
    demo_load()
    campaigned = Message.objects.filter(campaign__isnull=False, live=True).select_related("campaign", "topic").first()
    assert campaigned is not None
    updated = sorted(Message.objects.filter(live=True).values_list("updated_at", flat=True))
    middle = updated[len(updated) // 2]
    choices = {
        "topic": [None, campaigned.topic.slug, "no-such-topic"],
        "campaign": [None, campaigned.campaign.translation_key, uuid4()],
        "updated_since": [None, middle],
    }
    compared = with_rows = 0
    for institution in Institution.objects.order_by("pk")[:2]:
        for language, topic, campaign, since, ordering, position, (start, stop) in itertools.product(
            ["ar", "en"], *choices.values(), ORDERINGS,
            [None, ("updated_at__lt", str(middle)), ("updated_at__gt", str(middle - timedelta(days=1)))],
            [(0, 3), (1, 51)],
        ):  # fmt: skip
            values = {"institution_id": institution.pk, "language": language, "at": timezone.now(), "topic": topic,
                      "campaign": campaign, "updated_since": since}  # fmt: skip
            page = MessagePage(values).order_by(*ordering)
            rows = anchor_rows(**values).order_by(*ordering)
            if position:
                page, rows = page.filter(**dict([position])), rows.filter(**dict([position]))
            expected = list(rows[start:stop])
            assert page[start:stop] == expected, (values, ordering, position, start, stop)
            compared += 1
            with_rows += bool(expected)
    assert with_rows > compared // 4  # the filters leave rows to compare, not only empty pages
    assert _compiled.cache_info().currsize > 0
    shape = _Shape(("topic", "campaign", "updated_since"), ORDERINGS[0], "updated_at__lt", 0, 3)
    assert _compiled(shape) is not None  # compiled on this database, not the queryset's fallback


def test_a_page_is_narrowed_by_its_position_only():
    page = MessagePage({"institution_id": 1, "language": "ar", "at": timezone.now()})
    with pytest.raises(TypeError):
        page.filter(title="x")
    with pytest.raises(TypeError):
        page.filter(updated_at__lt=timezone.now()).filter(updated_at__gt=timezone.now())
    with pytest.raises(TypeError):
        page[0:]
