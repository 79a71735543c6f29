"""modelsearch's `elasticsearch9` backend with the project's fields and query (see `search.backends.engine`)."""

from modelsearch.backends.elasticsearch9 import SearchBackend as Base

from search.backends.engine import tailored_backend

SearchBackend = tailored_backend(Base)
