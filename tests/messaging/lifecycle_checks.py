"""The checks of the lifecycle model (`tests/messaging/test_lifecycle_model.py`): what institutions see (the API
list through the current key, a mirror of the change feed kept from its own cursor and one replayed from 0, a mirror
fed by the webhooks each endpoint was sent, `/api/v1/me/`'s compliance figures) and what the public sees (the Atom
feed of each language) against the oracle, and nothing live without its approvals. `_fingerprints` says which part
of the checks a step may have changed; the machine's invariant runs those."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import feedparser
from wagtail.models import ModelLogEntry

from messaging.lifecycle import revision_cleared
from messaging.models import Message, MessageEvent
from messaging.services.relay import event_process
from tests.messaging.lifecycle_oracle import Oracle
from tests.messaging.lifecycle_world import Mirror, World, feed_read, mirror_apply, tables_read
from webhooks.models import WebhookDelivery


class LifecycleChecks:
    """Mixed into the machine, whose state it reads."""

    world: World
    oracle: Oracle
    institutions: dict[str, Any]
    endpoints: dict[str, Any]
    keys: dict[str, str]
    cursors: dict[str, int]
    mirrors: dict[str, Mirror]
    hook_mirrors: dict[str, Mirror]
    hook_positions: dict[str, int]

    def check_invariants_now(self, parts: Iterable[str] | None = None) -> None:
        """Every check, or the checks of `parts`: an institution's slug (what it sees through its key) or
        "public" (the public's Atom feeds, and the approvals behind whatever is live)."""
        parts = {*self.institutions, "public"} if parts is None else set(parts)
        self._relay()
        for slug in self.institutions:
            if slug in parts:
                self.institution_sees_what_the_oracle_says(slug)
        if "public" in parts:
            self.the_public_sees_what_the_oracle_says()
            self.nothing_live_without_two_approvals_or_an_emergency()

    def _fingerprints(self) -> dict[str, str]:
        """What each part of the checks reads, summed up cheaply: the oracle's expectation for it and every row its
        answers are made of (read straight from the tables, not through the hub's own freshness token). A part
        whose fingerprint did not change since it last passed needs no new check (a refused approval, a scheduler
        run with nothing due, a key revoked and reissued, whose rule lists with the new key): its answers were
        compared with the same expectation, on the same rows, then."""
        columns = ("pk", "live", "updated_at", "live_revision_id", "latest_revision_id", "expire_at", "embargo_until")
        rows = tables_read(
            (Message, columns, False),
            (Message.audience.through, ("pk", "message_id", "institution_id"), False),
            (MessageEvent, ("position",), True),
            (WebhookDelivery, ("pk",), True),
        )
        parts = {"public": repr((self.oracle.public("ar"), self.oracle.public("en"), rows))}
        for slug in self.institutions:
            expected = (self.oracle.visible(slug), self.oracle.compliance(slug))
            parts[slug] = repr((expected, rows))
        return parts

    def institution_sees_what_the_oracle_says(self, slug: str) -> None:
        expected = self.oracle.visible(slug)
        client = self.world.api(self.keys[slug])
        seen = self._listed(slug)
        assert seen == expected, (slug, seen, expected)
        # The mirror reads the feed from its cursor; the replay reads it from 0 (the same requests while the
        # cursor is still 0).
        replayed: dict[tuple[str, str], int] = {}
        start = self.cursors[slug]
        mirrors = [self.mirrors[slug], replayed] if start == 0 else [self.mirrors[slug]]
        self.cursors[slug] = feed_read(client, start, *mirrors)
        assert self.mirrors[slug] == expected, (slug, "mirror", self.mirrors[slug], expected)
        if start != 0:
            feed_read(client, 0, replayed)
        assert replayed == expected, (slug, "replay", replayed, expected)
        self._apply_webhooks(slug)
        assert self.hook_mirrors[slug] == expected, (slug, "webhooks", self.hook_mirrors[slug], expected)
        self.oracle.delivered(slug)  # the list above recorded the delivery
        figures = client.get("/api/v1/me/").json()["compliance"]
        expected_figures = self.oracle.compliance(slug)
        assert {name: figures[name] for name in expected_figures} == expected_figures, (slug, figures)

    def _listed(self, slug: str) -> dict[tuple[str, str], int]:
        """Every page of the institution's message list, through its current key: (message, language) -> version."""
        client = self.world.api(self.keys[slug])
        seen: dict[tuple[str, str], int] = {}
        url: str | None = "/api/v1/messages/"
        while url:
            page = client.get(url).json()
            for document in page["results"]:
                for language, translation in document["translations"].items():
                    seen[(document["id"], language)] = translation["version"]
            url = page.get("next")
        return seen

    @staticmethod
    def _relay() -> None:
        """Every pending event is relayed as the worker would (its webhook deliveries are created)."""
        pending = MessageEvent.objects.filter(processed_at__isnull=True).order_by("position")
        for event_id in pending.values_list("pk", flat=True):
            event_process(event_id=event_id)

    def _apply_webhooks(self, slug: str) -> None:
        """The endpoint's deliveries since the last step, applied in feed order."""
        deliveries = WebhookDelivery.objects.filter(
            endpoint=self.endpoints[slug], event__position__gt=self.hook_positions[slug]
        ).order_by("event__position")
        for payload in deliveries.values_list("payload", flat=True):
            mirror_apply(payload["data"], self.hook_mirrors[slug])
            self.hook_positions[slug] = payload["data"]["position"]

    def the_public_sees_what_the_oracle_says(self) -> None:
        """The Atom feed of each language lists exactly the live public messages in that language."""
        client = self.world.public
        for language in ("ar", "en"):
            expected = self.oracle.public(language)
            feed = feedparser.parse(client.get(f"/{language}/feeds/").content)
            seen = {urlsplit(entry.link).path.rstrip("/").rsplit("/", 1)[-1] for entry in feed.entries}
            assert seen == expected, (language, seen, expected)

    def nothing_live_without_two_approvals_or_an_emergency(self) -> None:
        for row in Message.objects.filter(live=True).select_related("live_revision", "locale"):
            if revision_cleared(row.live_revision):
                continue
            emergency = ModelLogEntry.objects.filter(object_id=str(row.pk), action="tawasul.emergency_publish")
            assert row.is_source and emergency.exists(), f"{row} is live without approval"
