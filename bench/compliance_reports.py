"""Time of the compliance-by-institution computation at 200 institutions and 100,000 messages.

Usage (from the repository root):

    .venv/bin/python bench/compliance_reports.py [--institutions 200] [--messages 100000] [--runs 5]

The data goes into a database of its own, one per size, kept between runs and reused (`--regenerate` makes it
again, `--drop` removes it afterwards): on PostgreSQL when DATABASE_URL is set
(`tawasul_bench_compliance_<messages>_<institutions>_<deliveries>` on that server), otherwise a SQLite file of
that name under var/bench/. `--database` names another data set instead, such as a copy of one made with
`createdb -T` to migrate, or to compare two versions of the code on. The baseline, measured in the same run, is a
plain COUNT(*) over each table the figures read (messages, audience, deliveries, acknowledgements, ledger versions,
events). The report and one institution's figures are timed as they run while the messages stay unchanged (the
live-message counts kept under the API state token, `institutions.compliance.ContentRows`), and again as the first
call after a change (`first_after_a_change_ms`: nothing kept). Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

BENCH_DATABASE = "tawasul_bench_compliance"
BATCH = 5_000
KEPT = REPO_ROOT / "var" / "bench"


def _name(institutions: int, messages: int, deliveries: int) -> str:
    """One data set per size, kept between runs (generating 100,000 messages takes minutes)."""
    return f"{BENCH_DATABASE}_{messages}_{institutions}_{deliveries}"


def _postgres(url: str, name: str, fresh: bool) -> tuple[str, Callable[[], None]]:
    import psycopg

    parts = urlsplit(url)
    bench_url = urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))
    with psycopg.connect(url, autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return bench_url, drop


def database(*, name: str, fresh: bool = False) -> tuple[str, str, Callable[[], None]]:
    """(engine, URL, drop) of the kept data set `name`: PostgreSQL when DATABASE_URL is set, otherwise a SQLite
    file under var/bench/."""
    if os.environ.get("DATABASE_URL"):
        url, drop = _postgres(os.environ["DATABASE_URL"], name, fresh)
        return "postgresql", url, drop
    KEPT.mkdir(parents=True, exist_ok=True)
    path = KEPT / f"{name}.sqlite3"
    if fresh:
        path.unlink(missing_ok=True)
    return "sqlite", f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)


def generated_volume() -> dict[str, int] | None:
    """The volume recorded by a completed generation in this database, or None."""
    from django.db import connection

    if "bench_compliance_dataset" not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT volume FROM bench_compliance_dataset")
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def volume_remember(volume: dict[str, int]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_compliance_dataset (volume text)")
        cursor.execute("DELETE FROM bench_compliance_dataset")
        cursor.execute("INSERT INTO bench_compliance_dataset (volume) VALUES (%s)", [json.dumps(volume)])
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


def dataset_ensure(*, institutions: int, messages: int, deliveries_per_message: int) -> dict[str, Any]:
    """Migrate, then reuse the data set if a completed generation left one, otherwise generate it. A kept data set
    that a migration has just changed (a backfill) is vacuumed and analysed before it is measured, as the
    database's autovacuum would do soon after."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    call_command("migrate", verbosity=0)
    volume = generated_volume()
    if volume is not None:
        if pending:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        return {"reused": True, **volume, "migrated": len(pending)}
    started = time.perf_counter()
    volume = generate(institutions=institutions, messages=messages, deliveries_per_message=deliveries_per_message)
    volume_remember(volume)
    return {"reused": False, **volume, "generation_s": round(time.perf_counter() - started, 1)}


def _timed(run: Callable[[], Any], runs: int) -> float:
    run()  # warm-up: imports, query plans, caches
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 1)


def generate(*, institutions: int, messages: int, deliveries_per_message: int, seed: int = 7) -> dict[str, int]:
    """Messages to everyone (90 %) or to five institutions; 10 % at version 2; 2 % withdrawn. Each message is
    received by a few institutions; 60 % of receipts are acknowledged (a fifth of those at an older version);
    a fifth of withdrawals are acknowledged."""
    from django.utils import timezone
    from wagtail.models import Locale

    from institutions.ledger import Acknowledgement, Delivery
    from institutions.models import Institution
    from institutions.services import ledger_versions_rebuild
    from messaging.enums import EventKind
    from messaging.models import EventSequence, Message, MessageEvent, MessageEventRecipient, Topic

    rng = random.Random(seed)
    now = timezone.now()
    ar, _ = Locale.objects.get_or_create(language_code="ar")
    Institution.objects.bulk_create(
        Institution(slug=f"i{n}", name_ar=f"مؤسسة {n}", name_en=f"Institution {n}") for n in range(institutions)
    )
    institution_ids = list(Institution.objects.values_list("pk", flat=True))
    topic = Topic.objects.create(name="موضوع", slug="bench", locale=ar)
    rows = []
    for n in range(messages):
        published = now - timedelta(days=rng.uniform(1, 300))
        rows.append(
            Message(
                translation_key=uuid.uuid4(),
                locale=ar,
                title=f"رسالة {n}",
                key_message="رسالة",
                body=[],
                topic=topic,
                owner_id=institution_ids[0],
                audience_all=rng.random() < 0.9,
                live=rng.random() >= 0.02,
                version=2 if rng.random() < 0.1 else 1,
                first_published_at=published,
                last_published_at=published,
            )
        )
    Message.objects.bulk_create(rows, batch_size=BATCH)
    sources = list(Message.objects.values_list("pk", "translation_key", "version", "audience_all", "live"))
    audience, events, recipients, deliveries, acks = [], [], [], [], []
    position = 0
    for pk, key, version, everyone, live in sources:
        addressed = institution_ids if everyone else rng.sample(institution_ids, 5)
        if not everyone:
            audience += [Message.audience.through(message_id=pk, institution_id=i) for i in addressed]
        kinds = [EventKind.PUBLISHED] + ([EventKind.WITHDRAWN] if not live else [])
        for kind in kinds:
            position += 1
            events.append(
                MessageEvent(
                    position=position,
                    kind=kind,
                    message_id=pk,
                    translation_key=key,
                    language_code="ar",
                    version=version,
                    audience_all=everyone,
                )
            )
            if not everyone:
                recipients += [(position, i) for i in addressed]
        for institution_id in rng.sample(addressed, min(deliveries_per_message, len(addressed))):
            deliveries.append(
                Delivery(
                    institution_id=institution_id,
                    message_id=pk,
                    translation_key=key,
                    language_code="ar",
                    version=version,
                    channel="api",
                )
            )
            if rng.random() < 0.6:
                acked = version - 1 if version > 1 and rng.random() < 0.2 else version
                acks.append(
                    Acknowledgement(institution_id=institution_id, translation_key=key, message_id=pk, version=acked)
                )
            if not live and rng.random() < 0.2:
                acks.append(
                    Acknowledgement(
                        institution_id=institution_id,
                        translation_key=key,
                        message_id=pk,
                        version=version,
                        kind="withdrawal",
                    )
                )
    Message.audience.through.objects.bulk_create(audience, batch_size=BATCH)
    Delivery.objects.bulk_create(deliveries, batch_size=BATCH)  # received before the withdrawals below
    Acknowledgement.objects.bulk_create(acks, batch_size=BATCH)
    ledger_versions_rebuild()  # the ledger was written in bulk, not through the services
    MessageEvent.objects.bulk_create(events, batch_size=BATCH)
    EventSequence.objects.update_or_create(pk=1, defaults={"last_position": position})
    event_ids = dict(MessageEvent.objects.values_list("position", "pk"))
    MessageEventRecipient.objects.bulk_create(
        (MessageEventRecipient(event_id=event_ids[p], institution_id=i) for p, i in recipients), batch_size=BATCH
    )
    return {
        "institutions": len(institution_ids),
        "messages": len(sources),
        "audience_rows": len(audience),
        "events": len(events),
        "deliveries": len(deliveries),
        "acknowledgements": len(acks),
    }


def measure(runs: int) -> dict[str, Any]:
    """The whole report, one institution's figures, and the baseline, each the median of `runs` after a warm-up."""
    from institutions.compliance import compliance_by_institution, content_rows, institution_figures
    from institutions.ledger import Acknowledgement, Delivery, LedgerVersion
    from institutions.models import Institution
    from messaging.models import Message, MessageEvent

    institutions = list(Institution.objects.all())

    def baseline() -> None:
        for model in (Message, Message.audience.through, Delivery, Acknowledgement, LedgerVersion, MessageEvent):
            model.objects.count()

    rows: list[Any] = []

    def report() -> None:
        rows[:] = compliance_by_institution(institutions=institutions)

    def me() -> None:
        institution_figures(institution=institutions[-1])

    def first(run: Callable[[], None]) -> Callable[[], None]:
        """The first figures after the messages changed: nothing kept under an earlier API state token."""

        def cleared() -> None:
            content_rows.clear()
            run()

        return cleared

    baseline_ms = _timed(baseline, runs)
    report_ms = _timed(report, runs)
    me_ms = _timed(me, runs)
    return {
        "runs": runs,
        "baseline_count_ms": baseline_ms,
        "compliance_by_institution_ms": report_ms,
        "ratio_to_baseline": round(report_ms / baseline_ms, 1) if baseline_ms else None,
        "me_one_institution_ms": me_ms,
        "first_after_a_change_ms": {
            "compliance_by_institution": _timed(first(report), runs),
            "me": _timed(first(me), runs),
        },
        "totals": {
            "live_messages": sum(r.live_messages for r in rows),
            "acknowledged_current": sum(r.acknowledged_current for r in rows),
            "acknowledged_older_only": sum(r.acknowledged_older_only for r in rows),
            "withdrawals_unacknowledged": sum(r.withdrawals_unacknowledged for r in rows),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--institutions", type=int, default=200)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--deliveries-per-message", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--regenerate", action="store_true", help="drop the kept data set and generate it again")
    parser.add_argument("--drop", action="store_true", help="drop the data set afterwards")
    parser.add_argument(
        "--database",
        help="use the data set of this name instead (a copy made with `createdb -T`, to migrate or compare code on)",
    )
    args = parser.parse_args()

    name = args.database or _name(args.institutions, args.messages, args.deliveries_per_message)
    engine, url, drop = database(name=name, fresh=args.regenerate)
    os.environ.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "hub.settings.test"})
    try:
        import django

        django.setup()
        volume = dataset_ensure(
            institutions=args.institutions,
            messages=args.messages,
            deliveries_per_message=args.deliveries_per_message,
        )
        print(json.dumps({"engine": engine, "dataset": name, "volume": volume, **measure(args.runs)}, indent=2))
    finally:
        if args.drop:
            drop()


if __name__ == "__main__":
    main()
