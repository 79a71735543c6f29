"""The database backend with the project's analysis applied in Python, on both sides.

Indexed text and queries go through `search.analysis` (normalisation, stopwords, light stemming), so SQLite FTS5
and PostgreSQL (`simple` configuration, no second stemming) only see tokens that already agree. Queries default
to `or`: modelsearch's database backends default to `and`, which fails most questions.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import connection
from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.index import SearchField
from modelsearch.query import Boost, Not, Phrase, PlainText

from search.analysis import SUPPORTED_LANGUAGES, analysed_query, analysed_text
from search.backends import postgres

FALLBACK_LANGUAGE = "en"


def language_of(obj: Any) -> str:
    locale = getattr(obj, "locale", None)
    code = getattr(locale, "language_code", "") or ""
    code = code.split("-")[0].lower()
    return code if code in SUPPORTED_LANGUAGES else FALLBACK_LANGUAGE


class AnalysedSearchField(SearchField):
    """A search field whose indexed value is `analysed_text` of the model's value."""

    def __init__(self, field: SearchField, language: str) -> None:
        super().__init__(field.field_name, boost=field.boost, **field.kwargs)
        self.language = language

    def get_value(self, obj: Any) -> str:
        value = super().get_value(obj._obj if isinstance(obj, AnalysedObject) else obj)
        if isinstance(value, list | tuple):
            value = "\n".join(str(item) for item in value)
        return analysed_text(str(value or ""), self.language)


class AnalysedObject:
    """What the database index sees of a model instance: the same object (class, attributes), with its search
    fields analysed."""

    def __init__(self, obj: Any) -> None:
        self._obj = obj

    @property  # type: ignore[misc]
    def __class__(self) -> type:
        return type(self._obj)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._obj, name)

    def get_search_fields(self) -> list[Any]:
        language = language_of(self._obj)
        return [
            AnalysedSearchField(f, language) if isinstance(f, SearchField) else f for f in self._obj.get_search_fields()
        ]


def analysed_query_object(query: Any) -> Any:
    if isinstance(query, str):
        return PlainText(analysed_query(query, FALLBACK_LANGUAGE), operator="or")
    if isinstance(query, PlainText):
        return PlainText(analysed_query(query.query_string, FALLBACK_LANGUAGE), operator=query.operator)
    if isinstance(query, Phrase):
        return Phrase(analysed_text(query.query_string, FALLBACK_LANGUAGE))
    if isinstance(query, Boost):
        return Boost(analysed_query_object(query.subquery), query.boost)
    if isinstance(query, Not):
        return Not(analysed_query_object(query.subquery))
    if hasattr(query, "subqueries"):
        analysed = [analysed_query_object(q) for q in query.subqueries]
        return type(query)([q for q in analysed if not is_empty_query(q)] or analysed)
    return query


def is_empty_query(query: Any) -> bool:
    """A query with no word left once analysed (only punctuation, stopwords, NUL or other control characters):
    modelsearch's database compilers build no expression from it and failed (a 500); it matches nothing."""
    if isinstance(query, PlainText | Phrase):
        return not query.query_string.split()
    if isinstance(query, Boost | Not):
        return is_empty_query(query.subquery)
    if hasattr(query, "subqueries"):
        return all(is_empty_query(q) for q in query.subqueries)
    return False


@cache
def _analysing(backend_class: Any) -> type:
    index_class = backend_class.index_class
    compiler_class = backend_class.query_compiler_class

    on_postgresql = backend_class.__module__.endswith(".postgres.postgres")

    class AnalysedIndex(index_class):  # type: ignore[misc, valid-type]
        def add_items(self, model: Any, objs: Any) -> Any:
            analysed = [AnalysedObject(obj) for obj in objs]
            if on_postgresql:
                return postgres.entries_add(self, model, analysed)
            return super().add_items(model, analysed)

    class AnalysedQueryCompiler(compiler_class):  # type: ignore[misc, valid-type]
        DEFAULT_OPERATOR = "or"

        def __init__(self, queryset: Any, query: Any, *args: Any, **kwargs: Any) -> None:
            super().__init__(queryset, analysed_query_object(query), *args, **kwargs)

        def search(self, *args: Any, **kwargs: Any) -> Any:
            if is_empty_query(self.query):
                return self.queryset.none()
            if on_postgresql and postgres.answers_from_entries(self):
                return postgres.matched(self, *args, **kwargs)
            return super().search(*args, **kwargs)

    attributes = {"index_class": AnalysedIndex, "query_compiler_class": AnalysedQueryCompiler}
    if on_postgresql:
        attributes |= {
            "rebuilder_class": postgres.deferring_title_norms(backend_class.rebuilder_class),
            "atomic_rebuilder_class": postgres.deferring_title_norms(backend_class.atomic_rebuilder_class),
        }
    return type(f"Analysed{backend_class.__name__}", (backend_class,), attributes)


def SearchBackend(params: dict[str, Any]) -> Any:
    if connection.vendor == "postgresql":
        params = {"SEARCH_CONFIG": "simple", **params}
    base = database_backend(dict(params))  # modelsearch picks SQLite FTS5, PostgreSQL, MySQL or its fallback
    base_class: Any = type(base)
    if base_class.__module__.endswith((".sqlite.sqlite", ".postgres.postgres")):
        return _analysing(base_class)(dict(params))
    return base
