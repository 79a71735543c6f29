"""On PostgreSQL, with another writer recording an event while a release goes live: the release's member events
still take one contiguous run of change-feed positions, and the other writer's event comes after the run (it waits
for the counter lock the release holds until it commits)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from messaging.enums import EventKind
from messaging.models import Message, MessageEvent
from messaging.services.events import event_record
from releases import actions
from releases.models import Release
from tests.factories import MessageFactory, lifecycle_people, release
from tests.releases.helpers import approve, create_and_submit

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_release_positions_stay_contiguous_beside_a_concurrent_writer(
    postgres_in_use, client, communicator, reviewer, approver
):
    people = lifecycle_people()
    bystander = MessageFactory.create_published(title="رسالة أخرى")
    members = [MessageFactory(title=f"عضو {n}") for n in range(3)]
    pending = create_and_submit(client, communicator, messages=tuple(members))
    for message in members:
        release(message, people=people)
    approve(client, reviewer, pending)

    written: dict[str, int] = {}

    def other_writer() -> None:
        try:
            with transaction.atomic():
                row = Message.objects.get(pk=bystander.pk)
                written["position"] = event_record(message=row, kind=EventKind.UPDATED).position
        finally:
            connection.close()

    original = actions._message_go_live
    started: list[threading.Thread] = []

    def go_live_beside_a_writer(row, user):  # type: ignore[no-untyped-def]
        original(row, user)
        if not started:  # after the first member's event: the other writer tries to slip in between
            thread = threading.Thread(target=other_writer)
            thread.start()
            started.append(thread)
            time.sleep(1.0)

    actions._message_go_live = go_live_beside_a_writer  # type: ignore[assignment]
    try:
        approve(client, approver, pending)
    finally:
        actions._message_go_live = original  # type: ignore[assignment]
    started[0].join(timeout=30)

    live = Release.objects.get(pk=pending.pk)
    assert live.live
    run = list(
        MessageEvent.objects.filter(message_id__in=[m.pk for m in members])
        .order_by("position")
        .values_list("position", flat=True)
    )
    assert run == list(range(live.first_position, live.last_position + 1)) and len(run) == 3
    assert written["position"] == live.last_position + 1
