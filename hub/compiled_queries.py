"""Querysets compiled once and run many times with fresh values.

Building and compiling a queryset with a visibility rule, two subqueries and a projection costs Django more
time than PostgreSQL takes to run it (docs/benchmarks.md, "Search API"). A
`CompiledQuery` is built once from a queryset whose varying values are *slots*: sentinels that its compiled
parameters must contain. Each run copies the parameters, puts the run's values where the sentinels were, and
executes the same SQL text, applying Django's converters, so its rows are the `.values()` rows the queryset
itself would give.

On PostgreSQL a run asks for its rows in binary: psycopg then reads timestamps and bytes in C, where the text
form goes through Django's Python time-zone loader and hexadecimal `bytea` (about half the time to execute and
fetch a page; docs/benchmarks.md). A query that selects JSON stays in text, where Django expects to parse it.

The queryset stays the one source of the query: the selectors that build it are unchanged, and a compile
that cannot find every slot among the parameters (a value that shaped the SQL text instead, such as a list of
keys on a database without arrays) raises `NotCompilable`, so the caller uses the queryset as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Field, QuerySet


def _reads_json(columns: list[Any], connection: Any) -> bool:
    """Whether a selected column is JSON (a JSONField, a StreamField): Django parses those from their text."""
    for column in columns:
        output = getattr(column, "output_field", None)
        db_type = output.db_type(connection) if output is not None else None
        if db_type and "json" in db_type:
            return True
    return False


class NotCompilable(ValueError):
    """A slot's sentinel is not among the compiled parameters: its value would change the SQL text."""


@dataclass(frozen=True)
class Slot:
    """A value given at each run. `sentinel` is what the queryset is built with: unlike any constant of the
    query, and a value its column could hold (Django leaves out a comparison no row could pass or fail). A
    list is found by identity (one array parameter), anything else by equality with its adapted form
    (`adapt`, as the field adapts it for the database)."""

    sentinel: Any
    adapt: Callable[[Any], Any] = lambda value: value

    @classmethod
    def for_field(cls, sentinel: Any, field: Field[Any, Any], connection: Any) -> Slot:
        """A slot for a value of `field`'s column, adapted as the field prepares it for the database
        (`get_db_prep_value`: a datetime as the backend stores it, parsed first when given as text; a UUID as the
        driver takes it)."""
        return cls(sentinel, adapt=lambda value: field.get_db_prep_value(value, connection))

    def matches(self, param: Any) -> bool:
        if isinstance(self.sentinel, list):
            return param is self.sentinel
        expected = self.adapt(self.sentinel)
        if isinstance(expected, int) and not isinstance(expected, bool):
            # Django may wrap an integer in a sized type of the database driver's (psycopg's Int4, Int8).
            return isinstance(param, int) and not isinstance(param, bool) and param == expected
        return type(param) is type(expected) and param == expected


class CompiledQuery:
    def __init__(self, queryset: QuerySet[Any], slots: dict[str, Slot]) -> None:
        if queryset._fields is None or queryset._iterable_class.__name__ != "ValuesIterable":  # type: ignore[attr-defined]
            raise NotCompilable("only .values() querysets can be compiled")
        query = queryset.query
        self._alias = queryset.db
        compiler = query.get_compiler(using=self._alias)
        self._sql, params = compiler.as_sql()
        self._params = list(params)
        self._slots = slots
        self._positions: dict[str, list[int]] = {
            name: [i for i, param in enumerate(self._params) if slot.matches(param)] for name, slot in slots.items()
        }
        if missing := sorted(name for name, positions in self._positions.items() if not positions):
            raise NotCompilable(f"not among the compiled parameters: {', '.join(missing)}")
        self._names = [*query.extra_select, *query.values_select, *query.annotation_select]
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        self._converters = list(compiler.get_converters(fields).items())
        self._binary = compiler.connection.vendor == "postgresql" and not _reads_json(fields, compiler.connection)

    def rows(self, **values: Any) -> list[dict[str, Any]]:
        if set(values) != set(self._slots):
            raise TypeError(f"values for exactly {sorted(self._slots)} are needed, got {sorted(values)}")
        params = list(self._params)
        for name, positions in self._positions.items():
            value = self._slots[name].adapt(values[name])
            for i in positions:
                kind = type(self._params[i])
                params[i] = kind(value) if kind is not type(value) and isinstance(value, int) else value
        connection = connections[self._alias]
        with self._cursor(connection) as cursor:
            cursor.execute(self._sql, params)
            fetched = cursor.fetchall()
        names = self._names
        if not self._converters:
            return [dict(zip(names, row, strict=True)) for row in fetched]
        out = []
        for row in fetched:
            values_ = list(row)
            for position, (converters, expression) in self._converters:
                for converter in converters:
                    values_[position] = converter(values_[position], expression, connection)
            out.append(dict(zip(names, values_, strict=True)))
        return out

    def _cursor(self, connection: Any) -> Any:
        """Django's cursor (logged, wrapped, its errors translated); on PostgreSQL over a psycopg cursor that binds
        on the server and reads results in binary. No statement is prepared: Django leaves preparing off so that
        connection poolers work, and so does this."""
        if not self._binary:
            return connection.cursor()
        import psycopg  # noqa: PLC0415 - loaded on PostgreSQL only: SQLite processes never need the driver

        connection.ensure_connection()
        cursor = psycopg.Cursor(connection.connection)
        cursor.format = psycopg.pq.Format.BINARY
        return connection._prepare_cursor(cursor)
