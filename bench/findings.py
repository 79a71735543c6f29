"""What the profiles showed, written into docs/benchmarks.md under the table. Update it with the figures when the
code it describes changes; the table itself is always regenerated."""

FINDINGS = [
    "### Profiles and fixes",
    "",
    "Profiled in-process (Django test client, pyinstrument and cProfile) against the 100,000-message database.",
    "",
    "**Messages list and its 304 path: fixed in this change** (`messaging/api/views.py`, "
    "`messaging/api/conditional.py`; `pytest tests/messaging` passes). Before, in a 5 s wrk run: list 1.8 req/s, "
    "304 5.7 req/s. Two queries took nearly all of it:",
    "",
    "1. The page query filtered on `locale__language_code`, a join, so PostgreSQL could not use the "
    "`(live, locale, updated_at)` index: a parallel sequential scan of 200,000 rows and a top-N sort, 412 ms. "
    "The locale is now a scalar subquery (`locale_id = (SELECT …)`): an index scan backwards that stops after "
    "one page, 7 ms.",
    "2. The ETag came from `MAX(updated_at), COUNT(*)` over every visible row, 200 ms, on every request "
    "including 304s. It now comes from the `pk`, `updated_at` and `version` of the rows on the page plus the last "
    "event position, read by the pagination query itself as `.values()` (exact for what the page shows). A 304 "
    "builds no model instance; a 200 then loads the page's 50 rows with their relations by primary key.",
    "",
    "After: list ≈ 17 req/s, 304 ≈ 110 req/s (table). Still short of the targets:",
    "",
    "- **200 path, b/a** (≈ 55 ms a request in-process): building 50 `Message` instances with `select_related` "
    "of `campaign` (a `CampaignPage`, i.e. a multi-table `Page` row) and `supersedes` (a second full `Message` with "
    "its StreamField JSON): `StreamField.from_db_value`, JSON decoding and modelcluster's `__init__` are about "
    "half of it. Measured on the same 50 rows: with relations 82 ms, without `campaign`/`supersedes` 51 ms, "
    "`.values()` of the columns a document uses 17.5 ms. Proposed: build documents from `.values()` rows "
    "(`campaign__translation_key`, `campaign__title`, `supersedes__translation_key` instead of the joined "
    "models) in `messaging/api/documents.py`; the delivery-ledger insert (≈ 10 ms, `ON CONFLICT DO NOTHING` of 50 "
    "rows on every read) could skip rows already recorded for the key in the last minute.",
    "- **304 path, c/a**: four SQL round trips (API key by prefix, institution, `EventSequence`, the page keys) "
    "and two Redis calls (the throttle) where the floor makes none; at 0.8 × the floor a 304 must cost about "
    "1 ms. Proposed: keep the authenticated principal per key prefix in process memory for ~30 s (revocation "
    "bumps a version key), and the page ETag in Redis per (institution, path) validated by "
    "`EventSequence.last_position`, with a TTL no longer than the scheduler's 60 s period (go-live and expiry "
    "change visibility without an event until the scheduler writes one): one Redis read, no SQL. That is a "
    "semantic change to agree on before making it.",
    "",
    "**Search API** (`search/selectors.py`, another engineer's code, not changed here): the engine answers in "
    "12 ms at the median (p95 27 ms); the API takes 89 ms (p95 168 ms). Most of the difference is loading up "
    "to 200 candidates twice as full `Message` rows: modelsearch hydrates every hit (`_get_results_from_hits`), "
    "then the visibility re-filter loads them again with their relations (≈ 335 StreamField decodes a "
    'request), while 20 are returned. Proposed `_ranked`: search `candidates.only("pk")`, re-filter with '
    '`values_list("pk", flat=True)`, and load with relations only the `limit` rows shown. Tried in-process on '
    "20 dev queries (machine under load): median 319 → 161 ms, identical results.",
    "",
    "**Indexing**: the rebuild path reaches 0.8 of a raw bulk of the same documents; the engine's own analysis "
    "dominates both (every text field has `ngram` 3–4 and `edge` sub-fields over long texts, 512 MB heap). "
    "While the machine was loaded by other work, OpenSearch indexed only about 27 of these documents per second "
    "(`index_time_in_millis` ≈ 35 ms a document); at the measured 110 documents per second a full rebuild of the "
    "200,000 rows takes about half an hour. Proposed (the search engineer's call, relevance permitting): "
    "n-grams only on `title` and `key_message`, `refresh_interval: -1` during a rebuild, more heap.",
    "",
    "**Freshness**: the API is as fresh as the commit (p50 73 ms; the detail view reads the database). Search "
    "and webhooks wait for the relay task, which reindexes the message (one engine request plus the 1 s "
    "refresh interval) and then fans out one delivery task per endpoint on the same two worker processes. "
    "Their medians are about 1 s, well inside the targets; the 95th percentiles (5.6 s, 7.2 s) and the few "
    "approvals not seen within 30 s come from a tail that coincided with Redis and OpenSearch being restarted "
    "by other people's integration tests during the run (the worker log shows the broker connection lost at "
    "that time): a relay lost with the broker waits for the outbox sweeper, which runs under beat, and beat "
    "was not running in this benchmark. Proposed: run beat with the worker (the sweeper's 30 s grace then "
    "bounds the loss), a separate `webhooks` queue so deliveries never wait behind reindexing, fan-out before "
    "indexing in the relay, and a quieter machine to separate the service's own tail from the restarts.",
]
