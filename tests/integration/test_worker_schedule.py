# ruff: noqa: F811 - fixtures imported from tests.webhooks.live are used as arguments
"""Time-driven work through Celery beat: scheduled publishing within one beat period, catching up after beat was
down, and embargo lifts."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from messaging.enums import EventKind
from messaging.models import Message, MessageEvent
from tests.factories import MessageFactory, release
from tests.webhooks.live import (
    LIVE,
    broker,  # noqa: F401
    celery_worker,  # noqa: F401
    institution_with_endpoint,
    live_receiver,  # noqa: F401
)
from tests.webhooks.worker import beat, wait_until

pytestmark = LIVE


def _schedule(go_live_at: Any, **kwargs: Any) -> Message:
    """A message approved for publication at `go_live_at` (Wagtail keeps it as a scheduled revision)."""
    message = MessageFactory(**kwargs)
    message.go_live_at = timezone.now() + timedelta(hours=1)
    revision = message.save_revision()
    release(message)
    revision.refresh_from_db()
    assert revision.approved_go_live_at and not Message.objects.get(pk=message.pk).live
    if go_live_at < timezone.now():  # time passed and nothing ran
        content = {**revision.content, "go_live_at": go_live_at.isoformat()}
        type(revision).objects.filter(pk=revision.pk).update(approved_go_live_at=go_live_at, content=content)
        Message.objects.filter(pk=message.pk).update(go_live_at=go_live_at)
    return message


def _tick(entry: str) -> None:
    """Send one beat entry exactly as beat would."""
    from hub.celery import app

    spec = settings.CELERY_BEAT_SCHEDULE[entry]
    app.send_task(spec["task"], **spec.get("options", {}))


def test_worker_scheduled_message_goes_live_within_one_beat_period(celery_worker, live_receiver):
    period = 2.0
    institution_with_endpoint(live_receiver)
    due = timezone.now() + timedelta(seconds=3)
    message = _schedule(timezone.now() + timedelta(hours=1))
    revision = message.latest_revision
    content = {**revision.content, "go_live_at": due.isoformat()}
    type(revision).objects.filter(pk=revision.pk).update(approved_go_live_at=due, content=content)
    Message.objects.filter(pk=message.pk).update(go_live_at=due)

    deadline = time.monotonic() + 3 + period + 2
    next_tick = time.monotonic()
    went_live = None
    while time.monotonic() < deadline and went_live is None:
        if time.monotonic() >= next_tick:
            _tick("publish-scheduled")
            next_tick += period
        if Message.objects.get(pk=message.pk).live:
            went_live = timezone.now()
        time.sleep(0.05)
    assert went_live is not None, celery_worker.output()[-3000:]
    print(f"went live {(went_live - due).total_seconds():.1f} s after its time (beat period {period} s)")
    assert (went_live - due).total_seconds() <= period + 1.5
    assert wait_until(lambda: live_receiver.effects, 5)


def test_worker_beat_down_ten_minutes_publishes_everything_due_when_it_returns(
    celery_worker, live_receiver, tmp_path: Path
):
    institution_with_endpoint(live_receiver)
    now = timezone.now()
    overdue = [_schedule(now - timedelta(minutes=10)), _schedule(now - timedelta(minutes=3))]
    future = _schedule(now + timedelta(hours=2))
    embargoed = MessageFactory.create_published()
    Message.objects.filter(pk=embargoed.pk).update(embargo_until=now - timedelta(minutes=5))
    MessageEvent.objects.filter(message=embargoed).update(created_at=now - timedelta(minutes=20))

    scheduler = beat(tmp_path)
    try:
        assert wait_until(lambda: all(Message.objects.get(pk=m.pk).live for m in overdue), 30), (
            scheduler.output()[-2000:] + celery_worker.output()[-3000:]
        )
        assert wait_until(
            lambda: MessageEvent.objects.filter(message=embargoed, kind=EventKind.EMBARGO_LIFTED).exists(), 30
        )
        assert wait_until(lambda: len(live_receiver.effects) >= 3, 15)
    finally:
        scheduler.stop()
    assert not Message.objects.get(pk=future.pk).live
    assert MessageEvent.objects.filter(message=embargoed, kind=EventKind.EMBARGO_LIFTED).count() == 1
    kinds = sorted(p["type"] for p in live_receiver.effects.values())
    assert kinds.count("message.published") >= 2 and "message.embargo_lifted" in kinds
