"""modelsearch's `elasticsearch8` backend with the project's fields and query (see `search.backends.engine`)."""

from modelsearch.backends.elasticsearch8 import SearchBackend as Base

from search.backends.engine import tailored_backend

SearchBackend = tailored_backend(Base)
