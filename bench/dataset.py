"""The bench data set: bilingual messages recombined from the XQuAD corpus, institutions, campaign pages, a ledger.

Bulk rows bypass Wagtail's publish action on purpose (100,000 publishes through revisions and workflows would
take hours): messages are written with COPY as live version-1..3 rows, each with one `message.published` event at a
sequential position, already processed, and `EventSequence` set to the last position. Each row holds what a save
would have written: the API's rendering of the message house (`api_body`, rendered by the same function as
`Message.save` and migration 0004) and an empty `media`. Everything the freshness
benchmark publishes goes through the real publish path instead. The demo content (`demo_load`) is loaded first
through the real services, so the site, users, workflow and a handful of genuinely published messages exist.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.bulk import BATCH, copy_rows, dataset_present, marker_write, next_id, sync_sequence
from bench.corpus import Corpus, Doc, clip, corpus_load, words
from messaging.rendering import api_body_json

GENERATOR_VERSION = 4
SEED = 20260101
CAMPAIGN_PAGES = 60


# The generator ----------------------------------------------------------------------------------------------------
class Generator:
    def __init__(self, corpus: Corpus, *, messages: int, institutions: int, log: Any) -> None:
        self.corpus = corpus
        self.messages = messages
        self.institutions = institutions
        self.log = log
        self.rng = random.Random(SEED)
        self.now = datetime.now().astimezone()

    def run(self) -> dict[str, Any]:
        from django.db import connection, transaction

        from hub.demo.loader import demo_load

        started = time.perf_counter()
        demo_load()
        self.log("demo content loaded")
        with transaction.atomic():
            institution_ids = self._institutions()
            topics = self._topics()
        pages = self._campaign_pages()
        self.log(f"{len(pages)} campaign pages published")
        with transaction.atomic():
            counts = self._messages(connection, institution_ids, topics, pages)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        seconds = time.perf_counter() - started
        marker_write(connection, self.messages, self.institutions, GENERATOR_VERSION, seconds)
        return {**counts, "seconds": round(seconds, 1)}

    def _institutions(self) -> list[int]:
        from institutions.enums import InstitutionKind
        from institutions.models import Institution

        existing = Institution.objects.count()
        kinds = [InstitutionKind.MINISTRY, InstitutionKind.AUTHORITY, InstitutionKind.OTHER]
        Institution.objects.bulk_create(
            [
                Institution(
                    slug=f"bench-institution-{n:03d}",
                    name_ar=f"المؤسسة الحكومية رقم {n}",
                    name_en=f"Government institution {n}",
                    kind=kinds[n % len(kinds)],
                    contact_email=f"media{n}@institution.example",
                )
                for n in range(existing, self.institutions)
            ]
        )
        return list(Institution.objects.order_by("pk").values_list("pk", flat=True))

    def _topics(self) -> list[tuple[int, int]]:
        """(Arabic topic id, English topic id) per XQuAD topic."""
        from wagtail.models import Locale

        from messaging.models import Topic

        ar, en = Locale.objects.get(language_code="ar"), Locale.objects.get(language_code="en")
        pairs = []
        names = sorted({doc.topic for doc in self.corpus.docs})
        for n, name in enumerate(names):
            doc = next(d for d in self.corpus.docs if d.topic == name)
            key = uuid.uuid5(uuid.NAMESPACE_URL, f"bench-topic:{name}")
            slug = f"bench-{n:02d}"
            ar_topic, _ = Topic.objects.get_or_create(
                translation_key=key, locale=ar, defaults={"name": words(doc.ar[0], 4), "slug": slug}
            )
            en_topic, _ = Topic.objects.get_or_create(
                translation_key=key, locale=en, defaults={"name": name, "slug": slug}
            )
            pairs.append((ar_topic.pk, en_topic.pk))
        return pairs

    def _campaign_pages(self) -> list[int]:
        from django.utils.html import escape
        from wagtail.models import Locale

        from campaigns.models import CampaignIndexPage, CampaignPage

        ar = Locale.objects.get(language_code="ar")
        index = CampaignIndexPage.objects.get(locale=ar)
        rng = random.Random(SEED + 1)
        for n in range(CampaignPages.existing(), CAMPAIGN_PAGES):
            docs = rng.sample(self.corpus.docs, 3)
            page = CampaignPage(
                locale=ar,
                slug=f"bench-campaign-{n:03d}",
                title=clip(docs[0].ar[0], 120),
                summary=clip(" ".join(docs[0].ar[:2]), 590),
                body=[("heading", clip(docs[1].ar[0], 200))]
                + [("paragraph", f"<p>{escape(s)}</p>") for d in docs for s in d.ar[:3]],
                start_date=date.today() - timedelta(days=rng.randint(0, 300)),
            )
            index.add_child(instance=page)
            page.save_revision().publish()
        return list(CampaignPage.objects.filter(locale=ar).values_list("pk", flat=True))

    # Messages, events, ledger -------------------------------------------------------------------------------
    def _messages(
        self, connection: Any, institution_ids: list[int], topics: list[tuple[int, int]], pages: list[int]
    ) -> dict[str, int]:
        from wagtail.models import Locale

        ar = Locale.objects.get(language_code="ar").pk
        en = Locale.objects.get(language_code="en").pk
        first_id = next_id(connection, "messaging_message")
        first_event = next_id(connection, "messaging_messageevent")
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(last_position), 0) FROM messaging_eventsequence")
            position = int(cursor.fetchone()[0])
        rows: list[Any] = []
        audience: list[tuple[int, int]] = []
        events: list[Any] = []
        recipients: list[tuple[int, int, bool]] = []
        ledger_candidates: list[tuple[int, uuid.UUID, str, int]] = []
        message_id, event_id = first_id, first_event
        topic_docs = self._docs_by_topic()
        for n in range(self.messages):
            record = self._message_metadata(n, institution_ids, topics, pages)
            texts = self._message_texts(topic_docs[record["topic_index"]])
            chosen = record.pop("audience")
            for language, locale_id in (("ar", ar), ("en", en)):
                version = record["version"] if language == "ar" else record["en_version"]
                rows.append(self._row(message_id, record, texts[language], language, locale_id, version))
                audience.extend((message_id, institution) for institution in chosen)
                position += 1
                events.append(
                    (event_id, position, "message.published", record["translation_key"], language, version,
                     record["audience_all"], record["is_public"], '{"removed": []}', record["updated_at"],
                     record["updated_at"], 1, message_id)
                )  # fmt: skip
                recipients.extend((event_id, institution, False) for institution in chosen)
                if record["visible"]:
                    ledger_candidates.append((message_id, record["translation_key"], language, version))
                message_id += 1
                event_id += 1
            if len(rows) >= BATCH:
                self._flush(connection, rows, audience, events, recipients)
        self._flush(connection, rows, audience, events, recipients)
        for table in ("messaging_message", "messaging_messageevent", "messaging_message_audience",
                      "messaging_messageeventrecipient"):  # fmt: skip
            sync_sequence(connection, table)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO messaging_eventsequence (id, last_position) VALUES (1, %s) "
                "ON CONFLICT (id) DO UPDATE SET last_position = EXCLUDED.last_position",
                [position],
            )
        self.log(f"{message_id - first_id} message rows, {event_id - first_event} events written")
        deliveries, acknowledgements = self._ledger(connection, institution_ids, ledger_candidates)
        self.log(f"{deliveries} deliveries, {acknowledgements} acknowledgements written")
        return {
            "messages": self.messages,
            "message_rows": message_id - first_id,
            "events": event_id - first_event,
            "institutions": len(institution_ids),
            "campaign_pages": len(pages),
            "deliveries": deliveries,
            "acknowledgements": acknowledgements,
        }

    def _docs_by_topic(self) -> list[list[Doc]]:
        names = sorted({doc.topic for doc in self.corpus.docs})
        return [[d for d in self.corpus.docs if d.topic == name] for name in names]

    def _message_metadata(
        self, n: int, institution_ids: list[int], topics: list[tuple[int, int]], pages: list[int]
    ) -> dict[str, Any]:
        rng = self.rng
        updated = self.now - timedelta(seconds=rng.randint(3600, 365 * 86400))
        audience_all = rng.random() < 0.85
        version = rng.choice((1, 1, 1, 1, 2, 2, 3))
        roll = rng.random()
        go_live = self.now + timedelta(days=rng.randint(1, 30)) if roll < 0.03 else None
        expire = self.now - timedelta(days=rng.randint(1, 30)) if 0.03 <= roll < 0.08 else None
        topic_index = rng.randrange(len(topics))
        return {
            "translation_key": uuid.uuid4(),
            "topic_index": topic_index,
            "topics": topics[topic_index],
            "owner": rng.choice(institution_ids),
            "audience_all": audience_all,
            "audience": [] if audience_all else rng.sample(institution_ids, rng.randint(2, 8)),
            "is_public": rng.random() < 0.3,
            "campaign": rng.choice(pages) if pages and rng.random() < 0.1 else None,
            "version": version,
            "en_version": version - 1 if version > 1 and rng.random() < 0.05 else version,
            "go_live_at": go_live,
            "expire_at": expire,
            "embargo_until": self.now + timedelta(hours=rng.randint(1, 72)) if rng.random() < 0.05 else None,
            "due_date": (updated + timedelta(days=rng.randint(7, 60))).date() if rng.random() < 0.5 else None,
            "updated_at": updated,
            "first_published_at": updated - timedelta(days=30 * (version - 1)),
            "visible": go_live is None and expire is None,
            "n": n,
        }

    def _message_texts(self, docs: list[Doc]) -> dict[str, dict[str, Any]]:
        rng = self.rng
        picked = [rng.choice(docs) for _ in range(4)]
        pillars, qas = rng.randint(2, 3), rng.randint(1, 2)
        points_per_pillar = [rng.randint(2, 4) for _ in range(3)]
        offsets = [rng.randrange(1000) for _ in range(16)]
        question = rng.randrange(10_000)
        texts = {}
        for language in ("ar", "en"):
            sentences = [getattr(d, language) for d in picked]

            def pick(k: int, s: list[list[str]] = sentences) -> str:
                pool = s[k % len(s)]
                return pool[offsets[k % len(offsets)] % len(pool)]

            questions = self.corpus.questions[language]
            body: list[dict[str, Any]] = []
            for p in range(pillars):
                points = [
                    {"type": "item", "value": clip(pick(p + 4 + t), 400), "id": str(uuid.uuid4())}
                    for t in range(points_per_pillar[p])
                ]
                body.append({"type": "pillar", "value": {"title": clip(pick(p + 1), 120), "talking_points": points},
                             "id": str(uuid.uuid4())})  # fmt: skip
            for q in range(qas):
                qa = {"question": questions[(question + q) % len(questions)], "answer": clip(pick(q + 9), 500)}
                body.append({"type": "qa", "value": qa, "id": str(uuid.uuid4())})
            fact = {"statement": clip(pick(12), 300), "source_title": picked[0].topic,
                    "source_url": "https://example.org/xquad"}  # fmt: skip
            body.append({"type": "fact", "value": fact, "id": str(uuid.uuid4())})
            body.append({"type": "avoid", "value": clip(pick(13), 200), "id": str(uuid.uuid4())})
            texts[language] = {
                "title": clip(words(pick(0), 10), 250),
                "key_message": clip(pick(2), 290),
                "body": json.dumps(body, ensure_ascii=False),
            }
        return texts

    @staticmethod
    def _row(
        message_id: int, record: dict[str, Any], text: dict[str, Any], language: str, locale_id: int, version: int
    ) -> tuple[Any, ...]:
        topic = record["topics"][0 if language == "ar" else 1]
        return (
            message_id, record["translation_key"], True, False, record["first_published_at"], record["updated_at"],
            record["go_live_at"], record["expire_at"], False, False, text["title"], text["key_message"], text["body"],
            record["audience_all"], record["is_public"],
            "مركز التواصل الحكومي" if language == "ar" else "Government Communication Centre",
            f"المتحدث الرسمي {record['n'] % 40}" if language == "ar" else f"Spokesperson {record['n'] % 40}",
            record["due_date"], record["embargo_until"], version, "", record["updated_at"],
            record["campaign"] if language == "ar" else None, locale_id, record["owner"], topic, False, False,
            "[]", api_body_json(text["body"]), False,
        )  # fmt: skip

    @staticmethod
    def _flush(connection: Any, rows: list[Any], audience: list[Any], events: list[Any], recipients: list[Any]) -> None:
        copy_rows(connection, "messaging_message", MESSAGE_COLUMNS, rows)
        copy_rows(connection, "messaging_message_audience", ("message_id", "institution_id"), audience)
        copy_rows(connection, "messaging_messageevent", EVENT_COLUMNS, events)
        copy_rows(connection, "messaging_messageeventrecipient", ("event_id", "institution_id", "removed"), recipients)
        for chunk in (rows, audience, events, recipients):
            chunk.clear()

    def _ledger(self, connection: Any, institution_ids: list[int], candidates: list[Any]) -> tuple[int, int]:
        """Each institution has received a few thousand recent rows (API, feed or webhook) and acknowledged
        about half of the Arabic ones, a few hours to days after receipt."""
        rng = random.Random(SEED + 2)
        recent = candidates[-min(len(candidates), 40_000) :]

        def deliveries() -> Iterator[tuple[Any, ...]]:
            for institution in institution_ids:
                for message_id, key, language, version in rng.sample(recent, min(len(recent), rng.randint(500, 5000))):
                    channel = rng.choice(("api", "api", "feed", "webhook"))
                    at = self.now - timedelta(seconds=rng.randint(60, 180 * 86400))
                    yield (institution, message_id, key, language, version, channel, at)

        acks: list[tuple[Any, ...]] = []
        count = 0

        def tee() -> Iterator[tuple[Any, ...]]:
            nonlocal count
            for row in deliveries():
                count += 1
                if row[3] == "ar" and rng.random() < 0.5:
                    at = row[6] + timedelta(seconds=rng.randint(600, 5 * 86400))
                    acks.append((row[0], row[2], row[1], row[4], "message", f"media officer {row[0]}", "", at))
                yield row

        delivery_columns = ("institution_id", "message_id", "translation_key", "language_code", "version", "channel",
                            "delivered_at")  # fmt: skip
        copy_rows(connection, "institutions_delivery", delivery_columns, tee())
        acknowledgement_columns = ("institution_id", "translation_key", "message_id", "version", "kind",
                                   "acknowledged_by", "note", "created_at")  # fmt: skip
        copy_rows(connection, "institutions_acknowledgement", acknowledgement_columns, acks)
        from institutions.services import ledger_versions_rebuild

        ledger_versions_rebuild()  # the rows above were copied in bulk, not written through the services
        return count, len(acks)


class CampaignPages:
    @staticmethod
    def existing() -> int:
        from campaigns.models import CampaignPage

        return CampaignPage.objects.filter(slug__startswith="bench-campaign-").count()


MESSAGE_COLUMNS = (
    "id", "translation_key", "live", "has_unpublished_changes", "first_published_at", "last_published_at",
    "go_live_at", "expire_at", "expired", "locked", "title", "key_message", "body", "audience_all", "is_public",
    "clearing_authority", "spokesperson", "due_date", "embargo_until", "version", "change_note", "updated_at",
    "campaign_id", "locale_id", "owner_id", "topic_id", "emergency_unreviewed", "translation_to_follow", "media",
    "api_body", "hold_for_translation",
)  # fmt: skip
EVENT_COLUMNS = (
    "id", "position", "kind", "translation_key", "language_code", "version", "audience_all", "is_public", "data",
    "created_at", "processed_at", "attempts", "message_id",
)  # fmt: skip


def dataset_ensure(
    env: dict[str, str], *, messages: int, institutions: int, data_dir: Path, log: Any
) -> dict[str, Any]:
    """Reuse the bench database when it holds this size; otherwise drop it and generate anew."""
    from django.core.management import call_command
    from django.db import connection, connections

    from bench.environment import database_drop, database_ensure

    present = None
    try:
        present = dataset_present(connection)
    except Exception:  # an empty or half-migrated database
        present = None
    wanted = {"messages": messages, "institutions": institutions, "version": GENERATOR_VERSION}
    if present == wanted:
        with connection.cursor() as cursor:
            cursor.execute("SELECT seconds FROM bench_dataset")
            seconds = cursor.fetchone()[0]
        call_command("migrate", interactive=False, verbosity=0)  # other apps may have added migrations since
        log(f"reusing the bench database ({messages} messages)")
        return {"reused": True, **wanted, "generated_in_seconds": round(seconds, 1)}
    log(f"generating {messages} messages (found {present})")
    connections.close_all()
    database_drop(env)
    database_ensure(env)
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrate_seconds = time.perf_counter() - started
    counts = Generator(corpus_load(data_dir), messages=messages, institutions=institutions, log=log).run()
    return {
        "reused": False,
        **counts,
        "migrate_seconds": round(migrate_seconds, 1),
        "generated_in_seconds": counts["seconds"],
    }
