"""Writing the bench data set in bulk: COPY on PostgreSQL, batched inserts on SQLite, and the marker that says which
data set a bench database holds."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

BATCH = 5000


# Marker: which data set the bench database holds ---------------------------------------------------------------
def dataset_present(connection: Any) -> dict[str, int] | None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'bench_dataset'")
            if cursor.fetchone() is None:
                return None
        else:
            cursor.execute("SELECT to_regclass('bench_dataset')")
            if cursor.fetchone()[0] is None:
                return None
        cursor.execute("SELECT messages, institutions, version FROM bench_dataset LIMIT 1")
        row = cursor.fetchone()
    return {"messages": row[0], "institutions": row[1], "version": row[2]} if row else None


def marker_write(connection: Any, messages: int, institutions: int, version: int, seconds: float) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_dataset (messages int, institutions int, version int, seconds float, "
            "created_at timestamp DEFAULT CURRENT_TIMESTAMP)"
        )
        cursor.execute("DELETE FROM bench_dataset")
        cursor.execute(
            "INSERT INTO bench_dataset (messages, institutions, version, seconds) VALUES (%s, %s, %s, %s)",
            [messages, institutions, version, seconds],
        )


# COPY helpers ---------------------------------------------------------------------------------------------------
def copy_rows(connection: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    if connection.vendor == "sqlite":
        return insert_many(connection, table, columns, rows)
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def sqlite_value(value: Any) -> Any:
    """A value as Django stores it in SQLite: UUIDs as 32 hex digits, times as naive UTC text."""
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def insert_many(connection: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """The embedded default (SQLite) has no COPY: batched inserts of the same rows."""
    statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"  # noqa: S608
    count = 0
    batch: list[tuple[Any, ...]] = []
    connection.ensure_connection()
    raw = connection.connection
    for row in rows:
        batch.append(tuple(sqlite_value(value) for value in row))
        if len(batch) >= BATCH:
            raw.executemany(statement, batch)
            count += len(batch)
            batch.clear()
    if batch:
        raw.executemany(statement, batch)
        count += len(batch)
    return count


def next_id(connection: Any, table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608 - fixed table names
        return int(cursor.fetchone()[0])


def sync_sequence(connection: Any, table: str) -> None:
    if connection.vendor == "sqlite":  # AUTOINCREMENT follows the largest id inserted
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"  # noqa: S608
        )
