"""Spreadsheet downloads from the admin (Wagtail's `SpreadsheetExportMixin`: reports and listings), made safe to
open and readable in Excel.

- Formula injection (OWASP, "CSV Injection"): institution names, message titles and acknowledgers' names come
  from people outside the centre, through the API; a cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage
  return is read by spreadsheet programs as a formula. Such text cells get a leading `'`, which makes the program
  show the cell as text. Numbers are written as numbers. (Wagtail already writes XLSX text as text.)
- A UTF-8 byte order mark opens the CSV: without it Excel reads UTF-8 as the local code page and garbles Arabic.
- Date-times in the site's time zone (`TIME_ZONE`), to the second, in both formats (Wagtail writes UTC with
  microseconds).
- The CSV streams after the view has returned, and Wagtail's override of the user's language with it: its
  headings and values stay in the language the request was answered in.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.utils import timezone, translation
from wagtail.admin.views.mixins import SpreadsheetExportMixin

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff".encode()


def formula_neutralised(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def local_moment(value: datetime.datetime) -> datetime.datetime:
    """In the site's time zone, naive (as spreadsheets hold it), to the second."""
    if timezone.is_aware(value):
        value = timezone.make_naive(value)
    return value.replace(microsecond=0)


class SafeExportMixin:
    custom_value_preprocess = {
        **SpreadsheetExportMixin.custom_value_preprocess,
        datetime.datetime: {
            SpreadsheetExportMixin.FORMAT_CSV: lambda value: local_moment(value).isoformat(sep=" "),
            SpreadsheetExportMixin.FORMAT_XLSX: local_moment,
        },
    }

    def preprocess_field_value(self, field: str, value: Any, export_format: str) -> Any:
        processed = super().preprocess_field_value(field, value, export_format)  # type: ignore[misc]
        if export_format == SpreadsheetExportMixin.FORMAT_CSV:
            return formula_neutralised(processed)
        return processed

    def stream_csv(self, queryset: Any) -> Iterator[Any]:
        return _in_language(translation.get_language(), super().stream_csv(queryset))  # type: ignore[misc]


def _in_language(language: str, rows: Iterator[Any]) -> Iterator[Any]:
    yield BOM
    with translation.override(language):
        yield from rows
