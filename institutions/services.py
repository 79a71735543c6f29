"""Writing the ledger. One bulk insert per request, whatever the page size, and none when this process has
already recorded every row of the page under the current API state token."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

from django.apps import apps as registry
from django.db import IntegrityError, connections, transaction
from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
from wagtail.log_actions import log

from institutions.enums import AcknowledgementKind, DeliveryChannel
from institutions.ledger import Acknowledgement, Delivery, LedgerVersion, SecondsBetween
from institutions.models import Institution, InstitutionAPIKey

if TYPE_CHECKING:
    from datetime import datetime

    from django.contrib.auth.models import AnonymousUser, User

    from messaging.models import Message


class RecordedDeliveries:
    """Deliveries this process has written, remembered while the API state token they were written under is
    current (any change of content draws a new one, see `hub.api.state`). A mirror polling the same page
    then costs no write; forgetting early only costs an insert that the unique constraint ignores."""

    LIMIT = 20_000  # about 3 MB per process; forgetting costs only an ignored insert

    def __init__(self) -> None:
        self._state: str | None = None
        self._seen: set[tuple[Any, ...]] = set()
        self._lock = threading.Lock()

    def unseen(self, state: str | None, keys: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        if state is None or state != self._state:
            return keys
        return [key for key in keys if key not in self._seen]

    def add(self, state: str | None, keys: list[tuple[Any, ...]]) -> None:
        if state is None:
            return
        with self._lock:
            if state != self._state or len(self._seen) > self.LIMIT:
                self._state, self._seen = state, set()
            self._seen.update(keys)


recorded = RecordedDeliveries()


def _fields(row: Any) -> tuple[Any, Any, str, int]:
    """(pk, translation_key, language, version) of a model instance or of a document row (a dict)."""
    if isinstance(row, dict):
        return row["pk"], row["translation_key"], row["language"], row["version"]
    return row.pk, row.translation_key, row.locale.language_code, row.version


def deliveries_record(
    *, institution_id: int, rows: Iterable[Any], channel: DeliveryChannel | str, state: str | None = None
) -> None:
    """Record first receipt of each (message row, version) through `channel`; repeats are ignored.

    `state` is the API state token the rows were read under (`hub.api.state`), if any: rows this process
    recorded under the same token are not written again."""
    fields = {
        (institution_id, pk, version, str(channel)): (key, language)
        for pk, key, language, version in map(_fields, rows)
    }
    unseen = recorded.unseen(state, list(fields))
    if not unseen:
        return
    with transaction.atomic():
        Delivery.objects.bulk_create(
            [
                Delivery(
                    institution_id=institution_id,
                    message_id=pk,
                    translation_key=fields[(institution_id, pk, version, channel_name)][0],
                    language_code=fields[(institution_id, pk, version, channel_name)][1],
                    version=version,
                    channel=channel_name,
                )
                for (_, pk, version, channel_name) in unseen
            ],
            ignore_conflicts=True,
        )
        _versions_received(institution_id, {(fields[key][0], key[2]) for key in unseen})
    if not transaction.get_connection().in_atomic_block:
        recorded.add(state, unseen)
    else:  # remembered only once the rows are committed
        transaction.on_commit(lambda: recorded.add(state, unseen))


def acknowledgement_record(
    *,
    institution_id: int,
    translation_key: UUID,
    message: Message | None,
    version: int,
    kind: AcknowledgementKind | str = AcknowledgementKind.MESSAGE,
    note: str = "",
    acknowledged_by: str = "",
    user: User | AnonymousUser | None = None,
) -> tuple[Acknowledgement, bool]:
    """Idempotent per (institution, message, version, kind): the first acknowledgement stands."""
    lookup = {"institution_id": institution_id, "translation_key": translation_key, "version": version, "kind": kind}
    existing = Acknowledgement.objects.filter(**lookup).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            ack = Acknowledgement.objects.create(
                **lookup,
                message=message,
                note=note,
                acknowledged_by=acknowledged_by,
                user=user if user is not None and user.is_authenticated else None,
            )
            if ack.kind == AcknowledgementKind.MESSAGE:
                _version_acknowledged(ack)
            return ack, True
    except IntegrityError:  # a concurrent request acknowledged first
        return Acknowledgement.objects.get(**lookup), False


def ledger_versions_refresh(versions: QuerySet[Any], *, models: Any = None) -> int:
    """Set each row of `versions` from the ledger rows of its (institution, message, version): received when one
    delivery of that version exists (any channel, any language); acknowledged at the time of its message
    acknowledgement, and the seconds from the acknowledged row's `last_published_at` to it (none when the row has
    no publication time). The one definition of a `LedgerVersion` row; `models` are the (Delivery,
    Acknowledgement) classes to read, the historical ones in a migration."""
    delivery, acknowledgement = models or (Delivery, Acknowledgement)
    same = {name: OuterRef(name) for name in ("institution_id", "translation_key", "version")}
    acks = acknowledgement.objects.filter(kind=AcknowledgementKind.MESSAGE, **same)
    delay = SecondsBetween(F("created_at"), F("message__last_published_at"))
    return versions.update(
        delivered=Exists(delivery.objects.filter(**same)),
        acknowledged_at=Subquery(acks.values("created_at")[:1]),
        seconds_to_acknowledge=Subquery(acks.annotate(delay=delay).values("delay")[:1]),
    )


def ledger_versions_rebuild(*, apps: Any = registry) -> int:
    """Make every `LedgerVersion` row again from the whole ledger (the migration that adds the table, and the
    bench data sets, which write the ledger in bulk): one row per (institution, message, version) the deliveries
    and message acknowledgements hold, then each row set by `ledger_versions_refresh`. `apps` is the registry to
    take the models from: Django's own, or a migration's historical one."""
    delivery, acknowledgement, versions = (
        apps.get_model("institutions", name) for name in ("Delivery", "Acknowledgement", "LedgerVersion")
    )
    versions.objects.all().delete()
    fields = ("institution_id", "translation_key", "version")
    triples = (
        delivery.objects.order_by()
        .values_list(*fields)
        .union(acknowledgement.objects.filter(kind=AcknowledgementKind.MESSAGE).order_by().values_list(*fields))
    )
    sql, params = triples.query.sql_with_params()
    connection = connections[versions.objects.db]
    columns = ", ".join(connection.ops.quote_name(name) for name in fields)
    table = connection.ops.quote_name(versions._meta.db_table)
    # Names quoted by the backend, the rest compiled by the ORM with its parameters: nothing from input.
    insert = f"INSERT INTO {table} ({columns}, delivered) SELECT {columns}, %s FROM ({sql}) triples"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(insert, [False, *params])
    return ledger_versions_refresh(versions.objects.all(), models=(delivery, acknowledgement))


def _versions_received(institution_id: int, versions: set[tuple[Any, int]]) -> None:
    """The `LedgerVersion` rows of deliveries just written: new rows are received; a row that an acknowledgement
    made first (an acknowledgement recorded for an institution that had not read the message) is set again."""
    LedgerVersion.objects.bulk_create(
        [
            LedgerVersion(institution_id=institution_id, translation_key=key, version=version, delivered=True)
            for key, version in versions
        ],
        ignore_conflicts=True,
    )
    keys = {key for key, _ in versions}
    # Looked up first with a plain query: usually there is none, and the update, with its three subqueries, then
    # costs neither compiling nor planning.
    made_first = LedgerVersion.objects.filter(institution_id=institution_id, translation_key__in=keys, delivered=False)
    if pks := list(made_first.values_list("pk", flat=True)):
        ledger_versions_refresh(LedgerVersion.objects.filter(pk__in=pks))


def _version_acknowledged(ack: Acknowledgement) -> None:
    same = {"institution_id": ack.institution_id, "translation_key": ack.translation_key, "version": ack.version}
    LedgerVersion.objects.bulk_create([LedgerVersion(**same)], ignore_conflicts=True)
    ledger_versions_refresh(LedgerVersion.objects.filter(**same))


def api_key_issue(
    *,
    institution: Institution,
    name: str,
    scopes: list[str],
    expiry_date: datetime | None = None,
    user: User | AnonymousUser | None = None,
) -> tuple[InstitutionAPIKey, str]:
    """Issue a key; the clear key is returned to show once and is never stored."""
    created, raw = InstitutionAPIKey.objects.create_key(
        name=name, institution=institution, scopes=list(scopes), expiry_date=expiry_date
    )
    key = cast(InstitutionAPIKey, created)  # the library's manager is typed with its abstract model
    log(instance=institution, action="tawasul.api_key.issue", user=user, data={"prefix": key.prefix})
    return key, raw


def api_key_revoke(*, key: InstitutionAPIKey, user: User | AnonymousUser | None = None) -> bool:
    """Revoke a key (saved, not updated in bulk, so every web process refuses it at once: `hub.api.state`)."""
    if key.revoked:
        return False
    key.revoked = True
    key.save(update_fields=["revoked"])
    log(instance=key.institution, action="tawasul.api_key.revoke", user=user, data={"prefix": key.prefix})
    return True


@transaction.atomic
def api_key_rotate(
    *, key: InstitutionAPIKey, user: User | AnonymousUser | None = None
) -> tuple[InstitutionAPIKey, str]:
    """Replace a key by a new one with the same name, scopes and expiry; the old one is revoked at once."""
    new_key, raw = api_key_issue(
        institution=key.institution, name=key.name, scopes=key.scopes, expiry_date=key.expiry_date, user=user
    )
    api_key_revoke(key=key, user=user)
    return new_key, raw
