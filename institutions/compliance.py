"""Compliance figures, computed from the ledger with aggregate queries (no per-message Python loops). Receipts and
acknowledgements are read from `LedgerVersion` (one row per institution, message and version, written with the
ledger); withdrawals and the reach of one message from the ledger rows themselves.

Definitions (for one institution I, at time `at`, on the Arabic source row of each message):

- live messages: messages live now (past go-live, not expired) addressed to everyone or to I;
- delivered (current version): of those, the ones I received at their current version (any channel, any language);
- acknowledged on the current version: of those, the ones I acknowledged at their current version;
- acknowledged an older version only: the ones I acknowledged at some version, but not at the current one;
- not acknowledged: live messages minus both acknowledged figures;
- median time to acknowledge: median of (acknowledgement time - `last_published_at` of the message row
  acknowledged when the acknowledgement was recorded, i.e. when that version was published) over I's
  acknowledgements of the current version of its live messages; `None` when there are none;
- withdrawals not acknowledged: messages whose latest source-language event concerning I is a tombstone
  (withdrawn, expired, superseded), that I had received before that event, and whose withdrawal I has not
  acknowledged at the tombstone's version.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connections
from django.db.models import (
    Aggregate,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone
from wagtail.models import Locale

from hub.api.state import api_state_token
from hub.compiled_queries import CompiledQuery, NotCompilable, Slot
from institutions.enums import AcknowledgementKind
from institutions.ledger import Acknowledgement, Delivery, LedgerVersion
from institutions.models import Institution
from messaging.models import SOURCE_LANGUAGE, TOMBSTONE_KINDS, Message, MessageEvent, MessageEventRecipient
from messaging.querysets import MessageQuerySet, addressed_counts_of


@dataclass(frozen=True)
class InstitutionCompliance:
    institution: Institution
    live_messages: int = 0
    delivered_current: int = 0
    acknowledged_current: int = 0
    acknowledged_older_only: int = 0
    median_acknowledgement: timedelta | None = None
    withdrawals_unacknowledged: int = 0

    @property
    def unacknowledged(self) -> int:
        return self.live_messages - self.acknowledged_current - self.acknowledged_older_only

    @property
    def not_delivered(self) -> int:
        return self.live_messages - self.delivered_current

    @property
    def acknowledged_percent(self) -> int:
        return round(100 * self.acknowledged_current / self.live_messages) if self.live_messages else 0

    @property
    def median_acknowledgement_hours(self) -> float | None:
        if self.median_acknowledgement is None:
            return None
        return round(self.median_acknowledgement.total_seconds() / 3600, 1)

    def figures(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("institution")
        data.pop("median_acknowledgement")
        median = self.median_acknowledgement
        data["unacknowledged"] = self.unacknowledged
        data["median_seconds_to_acknowledge"] = round(median.total_seconds()) if median is not None else None
        return data


def source_locale_id() -> int | None:
    return Locale.objects.filter(language_code=SOURCE_LANGUAGE).values_list("pk", flat=True).first()


def live_sources(at: datetime | None = None, *, source_locale: int | None = None) -> MessageQuerySet:
    """The Arabic source row of every message live now; its `version` is the message's current version.
    `source_locale` is the source locale's id when the caller has looked it up already."""
    # By the locale's id rather than through a join on its language code: the planner can then probe the
    # (translation_key, locale) index for the few ledger rows of one institution (`/api/v1/me/`).
    if source_locale is None:
        source_locale = source_locale_id()
    return Message.objects.live_now(at).filter(locale_id=source_locale)


def _grouped(rows: QuerySet[Any], **aggregates: Any) -> QuerySet[Any]:
    """`rows` counted per institution: `.values()` rows of `institution_id` and the aggregates."""
    return rows.order_by().values("institution_id").annotate(**aggregates)


def _per_institution(rows: list[dict[str, Any]], name: str = "n") -> dict[int, Any]:
    return {row["institution_id"]: row[name] for row in rows}


def _scoped(queryset: QuerySet[Any], institution_ids: list[int] | None) -> QuerySet[Any]:
    return queryset if institution_ids is None else queryset.filter(institution_id__in=institution_ids)


Versus = Callable[[str], Q]
"""A condition on a ledger row's `version` against its message's current version, `"exact"` (at it) or `"lt"`
(below it); false when the message is not live or not addressed to the row's institution."""


def _versus_current(live: MessageQuerySet, *, few_rows: bool) -> Versus:
    """The ledger row's message among `live`, addressed to the row's institution (`MessageQuerySet.addressed_to`),
    compared with the row's version. Two equivalent forms of one condition, for two plan shapes:

    - for many rows (the report), a semi-join: the database reads the live messages once, into a hash, and probes
      it with every ledger row;
    - for few rows (one institution: `/api/v1/me/`), a lookup of the row's message: one index probe per ledger
      row, where the semi-join would read all the live messages for a few thousand rows (the planner's estimates
      choose the hash there too).
    """
    addressed = live.addressed_to(OuterRef(OuterRef("institution_id"))).filter(
        translation_key=OuterRef("translation_key")
    )
    if few_rows:
        current = Subquery(addressed.order_by().values("version")[:1])
        return lambda lookup: Q(**{f"version__{lookup}": current})
    inverse = {"exact": "exact", "lt": "gt"}  # row version < current  <=>  current > row version
    return lambda lookup: Q(Exists(addressed.filter(**{f"version__{inverse[lookup]}": OuterRef("version")})))


class Median(Aggregate):
    """PostgreSQL's ordered-set aggregate: the middle value, or the mean of the middle two (as the window form)."""

    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _received_and_acknowledged(current: QuerySet[LedgerVersion]) -> dict[str, QuerySet[Any]]:
    """The queries, over the ledger versions at the current version, of how many messages each institution
    received, how many it acknowledged, and the median delay of those acknowledgements: `versions`, one grouped
    query with the median where the database has a median aggregate; else `versions` the counts and `middles` the
    middle one or two delays of each institution (window functions)."""
    # One row per (institution, message, version): plain counts, no DISTINCT. A delay is NULL on a row not
    # acknowledged, or acknowledged on a row without a publication time: the median leaves it out.
    received = Count("pk", filter=Q(delivered=True))
    acknowledged = Count("pk", filter=Q(acknowledged_at__isnull=False))
    if connections[current.db].vendor == "postgresql":
        median = Median("seconds_to_acknowledge")
        return {"versions": _grouped(current, received=received, acknowledged=acknowledged, median=median)}
    ranked = (
        current.filter(seconds_to_acknowledge__isnull=False)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("institution_id")],
                order_by=[F("seconds_to_acknowledge").asc(), F("pk").asc()],
            ),
            total=Window(Count("pk"), partition_by=[F("institution_id")]),
        )
        .filter(rank__gte=(F("total") + 1) / 2, rank__lte=(F("total") + 2) / 2)
        .values("institution_id", "seconds_to_acknowledge")
    )
    return {"versions": _grouped(current, received=received, acknowledged=acknowledged), "middles": ranked}


def _medians(rows: dict[str, list[dict[str, Any]]]) -> dict[int, timedelta]:
    """Each institution's median delay, from the rows of `_received_and_acknowledged`'s queries."""
    if "middles" not in rows:
        medians = _per_institution(rows["versions"], "median")
        return {pk: timedelta(seconds=round(median)) for pk, median in medians.items() if median is not None}
    middles: dict[int, list[float]] = {}
    for row in rows["middles"]:  # at most two rows per institution
        middles.setdefault(row["institution_id"], []).append(row["seconds_to_acknowledge"])
    return {pk: timedelta(seconds=round(sum(values) / len(values))) for pk, values in middles.items()}


def _withdrawals_unacknowledged(institution_ids: list[int] | None) -> QuerySet[Any]:
    """Driven by deliveries of messages that have a tombstone, so the cost follows withdrawals, not messages."""
    tombstoned = MessageEvent.objects.filter(kind__in=TOMBSTONE_KINDS, language_code=SOURCE_LANGUAGE).values(
        "translation_key"
    )
    # By the event's own key (index `messaging_event_key_lang_pos`), not through the message row: a message deleted
    # while live has no row any more, and its withdrawal still asks for an acknowledgement.
    concerning = (
        MessageEvent.objects.filter(translation_key=OuterRef("translation_key"), language_code=SOURCE_LANGUAGE)
        .filter(
            Q(audience_all=True)
            | Exists(
                MessageEventRecipient.objects.filter(
                    event_id=OuterRef("pk"), institution_id=OuterRef(OuterRef("institution_id"))
                )
            )
        )
        .order_by("-position")
    )
    withdrawal_acked = Acknowledgement.objects.filter(
        institution_id=OuterRef("institution_id"),
        translation_key=OuterRef("translation_key"),
        kind=AcknowledgementKind.WITHDRAWAL,
        version=OuterRef("last_version"),
    )
    pending = (
        _scoped(Delivery.objects.filter(translation_key__in=tombstoned), institution_ids)
        .annotate(
            last_kind=Subquery(concerning.values("kind")[:1]),
            last_version=Subquery(concerning.values("version")[:1]),
            last_at=Subquery(concerning.values("created_at")[:1]),
        )
        .filter(last_kind__in=TOMBSTONE_KINDS, delivered_at__lte=F("last_at"))
        .exclude(Exists(withdrawal_acked))
    )
    return _grouped(pending, n=Count("translation_key", distinct=True))


def _figure_queries(ids: list[int], at: datetime, source_locale: int | None) -> dict[str, QuerySet[Any]]:
    """Every query of the figures of the institutions `ids`, built and not run: each gives `.values()` rows
    (`_figures` reads them)."""
    live = live_sources(at, source_locale=source_locale)
    everyone, named = live.addressed_count_rows(ids)
    versus_current = _versus_current(live, few_rows=len(ids) == 1)
    versions = _scoped(LedgerVersion.objects.all(), ids)
    # Acknowledged an older version only: acknowledged below the current version, and not at it. Few rows are
    # below the current version: only those are counted with DISTINCT and checked for a current acknowledgement
    # (a check in the count's filter, so it runs for them alone, not as a join over every acknowledgement).
    acknowledged = LedgerVersion.objects.filter(acknowledged_at__isnull=False)
    acked_now = acknowledged.filter(
        institution_id=OuterRef("institution_id"), translation_key=OuterRef("translation_key")
    ).filter(versus_current("exact"))
    # A message can have an acknowledgement below its current version only if that version is above the lowest
    # version anyone acknowledged: the live messages are narrowed to those first (an implied condition, so the
    # same rows), and the many acknowledgements are matched against the few messages ever changed.
    lowest = Subquery(acknowledged.order_by("version").values("version")[:1])
    below_current = _versus_current(live.filter(version__gt=lowest), few_rows=len(ids) == 1)
    older_only = _grouped(
        _scoped(acknowledged, ids).filter(below_current("lt")),
        n=Count("translation_key", distinct=True, filter=~Q(Exists(acked_now))),
    )
    return {
        "everyone": everyone,
        "named": named,
        **_received_and_acknowledged(versions.filter(versus_current("exact"))),
        "older_only": older_only,
        "withdrawals": _withdrawals_unacknowledged(ids),
    }


def _figures(institutions: list[Institution], rows: dict[str, list[dict[str, Any]]]) -> list[InstitutionCompliance]:
    """The figures of each institution, from the rows of `_figure_queries`."""
    ids = [institution.pk for institution in institutions]
    live_messages = addressed_counts_of(ids, rows["everyone"], rows["named"])
    delivered, current = (
        _per_institution(rows["versions"], "received"),
        _per_institution(rows["versions"], "acknowledged"),
    )
    older_only, withdrawals = _per_institution(rows["older_only"]), _per_institution(rows["withdrawals"])
    medians = _medians(rows)
    return [
        InstitutionCompliance(
            institution=institution,
            live_messages=live_messages[institution.pk],
            delivered_current=delivered.get(institution.pk, 0),
            acknowledged_current=current.get(institution.pk, 0),
            acknowledged_older_only=older_only.get(institution.pk, 0),
            median_acknowledgement=medians.get(institution.pk),
            withdrawals_unacknowledged=withdrawals.get(institution.pk, 0),
        )
        for institution in institutions
    ]


class ContentRows:
    """The rows of the figures' queries that read only what the institution API answers from (messages, their
    audiences, locales): how many live messages are addressed to everyone, and to each institution by name. Those
    change only when the API state token does (`hub.api.state`: any write to those tables, or a go-live or expiry
    instant falling due), so this process keeps them under the token they were read under, taken before the
    queries ran, as the API's own answers are. The ledger's figures are read every time."""

    NAMES = ("everyone", "named")
    LIMIT = 2_000  # entries (one per institution asking for its own figures); forgetting costs only a query

    def __init__(self) -> None:
        self._token: str | None = None
        self._rows: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def key(name: str, source_locale: int | None, ids: list[int]) -> tuple[Any, ...]:
        """The messages to everyone are counted once for every institution; the others per institutions asked."""
        return (name, source_locale) if name == "everyone" else (name, source_locale, *ids)

    def rows(self, token: str, key: tuple[Any, ...], run: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]]:
        with self._lock:
            if token == self._token and key in self._rows:
                return self._rows[key]
        rows = run()
        with self._lock:
            if token != self._token or len(self._rows) >= self.LIMIT:
                self._token, self._rows = token, {}
            self._rows[key] = rows
        return rows

    def clear(self) -> None:
        with self._lock:
            self._token, self._rows = None, {}


content_rows = ContentRows()


def _rows_now(
    token: str | None, ids: list[int], source_locale: int | None, queries: Mapping[str, Callable[[], Any]]
) -> dict[str, list[dict[str, Any]]]:
    """Each query's rows; the content-only ones from `content_rows` when the figures are for now (`token` given)."""
    rows = {}
    for name, run in queries.items():
        if token is not None and name in ContentRows.NAMES:
            rows[name] = content_rows.rows(token, ContentRows.key(name, source_locale, ids), run)
        else:
            rows[name] = list(run())
    return rows


def compliance_by_institution(
    *, institutions: Iterable[Institution], at: datetime | None = None
) -> list[InstitutionCompliance]:
    """Figures for each institution given, in the order given, with a fixed number of queries (fewer when the
    messages have not changed since the last figures for now: `ContentRows`)."""
    institutions = list(institutions)
    ids = [institution.pk for institution in institutions]
    token = api_state_token() if at is None else None  # taken before the database is read
    # The source locale is looked up once, the instant fixed.
    source_locale = source_locale_id()
    queries = _figure_queries(ids, at or timezone.now(), source_locale)
    runs: dict[str, Callable[[], list[Any]]] = {name: functools.partial(list, query) for name, query in queries.items()}
    return _figures(institutions, _rows_now(token, ids, source_locale, runs))


# What the queries of one institution's figures are compiled with (`hub.compiled_queries`): values no row holds,
# each standing for one value given at every run.
_SENTINELS: dict[str, Any] = {
    "institution_id": 2_073_200_011,
    "source_locale": 2_073_200_012,
    "at": datetime(1971, 3, 4, 5, 6, 7, 890123, tzinfo=UTC),
}
# The values each query takes; a query not named here takes all three.
_TAKES = {"everyone": ("at", "source_locale"), "withdrawals": ("institution_id",)}


@functools.lru_cache(maxsize=1)
def _compiled_figures() -> dict[str, tuple[CompiledQuery, tuple[str, ...]]] | None:
    """The queries of one institution's figures, compiled once per process (`None` where they cannot be)."""
    connection = connections[Message.objects.db]
    slots = {
        "institution_id": Slot(_SENTINELS["institution_id"]),
        "source_locale": Slot(_SENTINELS["source_locale"]),
        "at": Slot.for_field(_SENTINELS["at"], Message._meta.get_field("go_live_at"), connection),
    }
    queries = _figure_queries([_SENTINELS["institution_id"]], _SENTINELS["at"], _SENTINELS["source_locale"])
    compiled = {}
    try:
        for name, query in queries.items():
            takes = _TAKES.get(name, tuple(slots))
            compiled[name] = (CompiledQuery(query, {slot: slots[slot] for slot in takes}), takes)
    except NotCompilable:
        return None
    return compiled


def institution_figures(*, institution: Institution, state: str | None = None) -> dict[str, Any]:
    """The institution's own figures, as `GET /api/v1/me/` returns them: the report's queries for one
    institution, its ledger rows matched to their messages by lookups (`_versus_current`); a test holds the two
    equal. Building and compiling those queries cost Django far more than the database takes to run them, so they
    are compiled once per process and run with the institution, the instant and the source locale. `state` is the
    API state token the request was authenticated under, when there is one (read before any of its queries)."""
    compiled = _compiled_figures()
    if compiled is None:
        return compliance_by_institution(institutions=[institution])[0].figures()
    token = state or api_state_token()  # taken before the database is read
    source_locale = source_locale_id()
    values = {"institution_id": institution.pk, "at": timezone.now(), "source_locale": source_locale}
    runs = {
        name: functools.partial(query.rows, **{slot: values[slot] for slot in takes})
        for name, (query, takes) in compiled.items()
    }
    return _figures([institution], _rows_now(token, [institution.pk], source_locale, runs))[0].figures()
