"""One token for "what the institution API may answer": it changes whenever something a reader could see, or the
credentials that may read, change, and when the next scheduled go-live or expiry falls due.

The API's ETags, its per-process table of verified keys and its reference names are derived from it, so a
conditional request whose copy is current, or a known key, costs no SQL.

- Written changes: the database maintains the token itself. Each table the API reads has triggers (installed by
  `api_state_triggers_install` after every `migrate`, for the tables apps register with `api_state_watch` in their
  `AppConfig.ready()`) that replace the `hub_apistate` row's random token in the writing transaction, whatever the
  write: `save()`, `QuerySet.update()`, `bulk_create()`, raw SQL, a script, cron, another server process. There is no
  list of write paths to keep: a new one cannot skip it.
- Time makes messages appear or disappear without a write (`go_live_at`, `expire_at`): the token also carries the
  next such instant (apps register where to find it with `api_state_instants_register`), and is drawn again once it
  has passed.
- Each process reads the row at most every `TAWASUL_API_STATE_MAX_AGE` seconds (0.5 by default, 0 in tests): a
  change committed anywhere is seen by every process within that time, on SQLite as on PostgreSQL, with no shared
  cache. The token is the same in every process for the same database state, so ETags agree across workers.
- A reader takes the token before it reads the database. A change committed after that read changes the row, so a
  later reader draws a different token: nothing is served as current under a token older than the age limit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connections, models
from django.utils import timezone

TABLE = "hub_apistate"
ROW = 1
PATTERN = "tawasul_api_state_%"

Instant = Callable[[datetime], datetime | None]


@dataclass(frozen=True)
class Watched:
    table: str
    operations: tuple[str, ...]
    columns: tuple[str, ...] | None  # for UPDATE: only these columns (None: any)


_watched: dict[str, Watched] = {}
_instants: list[Instant] = []


def api_state_watch(
    model: type[models.Model],
    *,
    operations: Iterable[str] = ("INSERT", "UPDATE", "DELETE"),
    ignore_columns: Iterable[str] = (),
) -> None:
    """A table whose writes change what the API answers (called from the owning app's `AppConfig.ready()`).
    `ignore_columns`: columns whose updates alone change nothing (a key's `last_used_at`)."""
    ignored = set(ignore_columns)
    columns = None
    if ignored:
        columns = tuple(f.column for f in model._meta.concrete_fields if f.column and f.column not in ignored)
    table = model._meta.db_table
    _watched[table] = Watched(table=table, operations=tuple(op.upper() for op in operations), columns=columns)


def api_state_instants_register(next_instant: Instant) -> None:
    """A function giving the next instant after `now` at which time alone changes an API answer, or None."""
    if next_instant not in _instants:
        _instants.append(next_instant)


def watched_tables() -> dict[str, Watched]:
    return dict(_watched)


# The triggers ----------------------------------------------------------------------------------------------------
# Fixed names and numbers only: nothing in these statements comes from input.
_SQLITE_BUMP = f"INSERT OR REPLACE INTO {TABLE} (id, token) VALUES ({ROW}, lower(hex(randomblob(8))));"  # noqa: S608
_POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION tawasul_api_state_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {TABLE} (id, token) VALUES ({ROW}, md5(random()::text || clock_timestamp()::text))
    ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
    RETURN NULL;
END $$;
"""  # noqa: S608


def _trigger_name(table: str, operation: str = "") -> str:
    return f"tawasul_api_state_{table}{'_' + operation.lower() if operation else ''}"


def _statements(vendor: str, watched: Watched, quote: Callable[[str], str]) -> list[str]:
    columns = ", ".join(quote(c) for c in watched.columns) if watched.columns else ""
    if vendor == "sqlite":
        out = []
        for operation in watched.operations:
            event = f"UPDATE OF {columns}" if operation == "UPDATE" and columns else operation
            out.append(
                f"CREATE TRIGGER IF NOT EXISTS {_trigger_name(watched.table, operation)} AFTER {event} "
                f"ON {quote(watched.table)} BEGIN {_SQLITE_BUMP} END"
            )
        return out
    events = [
        f"UPDATE OF {columns}" if operation == "UPDATE" and columns else operation for operation in watched.operations
    ]
    if "DELETE" in watched.operations:
        events.append("TRUNCATE")
    name = _trigger_name(watched.table)
    return [
        f"DROP TRIGGER IF EXISTS {name} ON {quote(watched.table)}",
        f"CREATE TRIGGER {name} AFTER {' OR '.join(events)} ON {quote(watched.table)} "
        "FOR EACH STATEMENT EXECUTE FUNCTION tawasul_api_state_bump()",
    ]


def api_state_triggers_install(using: str = "default", **_: Any) -> None:
    """Create the token row and the triggers of every watched table (idempotent; connected to `post_migrate`, so
    a table that a migration rebuilt, as SQLite's schema changes do, gets its triggers back)."""
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"API state triggers for {vendor}")
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(_POSTGRES_FUNCTION)
        for watched in _watched.values():
            if watched.table in existing:
                for statement in _statements(vendor, watched, connection.ops.quote_name):
                    cursor.execute(statement)
        if vendor == "sqlite":
            cursor.execute(f"INSERT OR IGNORE INTO {TABLE} (id, token) VALUES ({ROW}, lower(hex(randomblob(8))))")  # noqa: S608
        else:
            cursor.execute(
                f"INSERT INTO {TABLE} (id, token) VALUES ({ROW}, md5(random()::text)) ON CONFLICT (id) DO NOTHING"  # noqa: S608
            )


def api_state_triggers_present(using: str = "default") -> set[str]:
    """The watched tables that have their triggers in this database."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tawasul_api_state_%'"
            )
        else:
            cursor.execute(
                "SELECT event_object_table FROM information_schema.triggers WHERE trigger_name LIKE %s", [PATTERN]
            )
        return {row[0] for row in cursor.fetchall()}


# The token ------------------------------------------------------------------------------------------------------
class LocalCopy:
    """This process's copy: the row's token, the next scheduled instant, and when the row was last read."""

    def __init__(self) -> None:
        self.stored: str | None = None
        self.until: datetime | None = None
        self.token = ""
        self.read_at = float("-inf")
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self.stored, self.read_at = None, float("-inf")


local = LocalCopy()


def _max_age() -> float:
    return float(getattr(settings, "TAWASUL_API_STATE_MAX_AGE", 0.5))


def _stored() -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute(f"SELECT token FROM {TABLE} WHERE id = %s", [ROW])  # noqa: S608 - a fixed table name
        row = cursor.fetchone()
    return row[0] if row else ""


def _next_instant(now: datetime) -> datetime | None:
    instants = [instant for find in _instants if (instant := find(now)) is not None]
    return min(instants) if instants else None


def api_state_token() -> str:
    """The current token: the database's, with the next scheduled instant, read at most every
    `TAWASUL_API_STATE_MAX_AGE` seconds by this process."""
    now = timezone.now()
    fresh = time.monotonic() - local.read_at < _max_age()
    if fresh and local.stored is not None and (local.until is None or now < local.until):
        return local.token
    stored = _stored()
    read_at = time.monotonic()
    with local._lock:
        if stored == local.stored and (local.until is None or now < local.until):
            local.read_at = read_at
            return local.token
    until = _next_instant(now)
    token = f"{stored}.{int(until.timestamp() * 1000) if until else 0}"
    with local._lock:
        local.stored, local.until, local.token, local.read_at = stored, until, token, read_at
    return token


def request_api_state(request: Any) -> str:
    """The token the request was authenticated under (read before any of its queries), else the current one."""
    return getattr(request, "api_state", None) or api_state_token()
