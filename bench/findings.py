"""What the profiles showed, written into docs/benchmarks.md under the table. Update it with the figures when the
code it describes changes; the table itself is always regenerated."""

FINDINGS = [
    "### Profiles and fixes",
    "",
    "Profiled in-process (Django test client, cProfile, and timers around single steps) against the "
    "100,000-message database. In-process figures are medians of a single thread; the table's come from wrk.",
    "",
    "**Messages list, 304 path (c/a).** A 304 used to cost four SQL round trips (key by prefix, institution, "
    "`EventSequence`, the page keys) and two Redis calls (the throttle): 6.7 ms in-process against the floor's "
    "0.27 ms. Now (`hub/api/state.py`, `messaging/api/conditional.py`, `hub/api/authentication.py`):",
    "",
    "1. ETags derive from an API state token that every relevant write deletes (signals, at once and on "
    "commit) and that lapses at the next scheduled go-live or expiry, so checking an ETag reads no table.",
    "2. Verified keys are remembered per process under the token (revocation and suspension change it).",
    "3. A conditional GET from a known key is answered before DRF builds its request (scope and throttles "
    "still applied).",
    "4. The remaining Redis GET (about 140 µs through redis-py, 70 µs of it the loopback round trip) is gone: each "
    "process keeps the token in memory while a listener thread is subscribed to the invalidation channel, for at "
    "most a second.",
    "5. Django's Redis cache built a new `redis.Redis` client (about 170 callback entries) for every call; "
    "`hub.cache.RedisCache` keeps one per pool.",
    "",
    "In-process the 304 went 6.7 → 0.84 ms (steps 1, 2 and 5) → 0.58 ms (step 3), then no cache read at all "
    "(step 4). Under gunicorn it went from 110 to about 1,870 req/s.",
    "",
    "**Messages list, 200 path (b/a): still far from 0.3.** 17 → about 130 req/s. Done:",
    "",
    "- documents from `.values()` rows with the message house cast to text and decoded by orjson (no model "
    "instances, no StreamField);",
    "- the names of locales, institutions, topics and campaign pages from a per-token in-process table instead "
    "of joins: with them PostgreSQL spent 6.5 ms planning a page query that runs in 1.3 ms (0.27 ms without);",
    "- the ledger insert skipped when this process already wrote the page's rows under the token (it cost "
    "about 10 ms on every read);",
    "- orjson rendering;",
    "- partial indexes for the token's next scheduled instant (46 → 1.9 ms a draw).",
    "",
    "What a 200 costs now, in-process, for 50 Arabic documents (206 KB):",
    "",
    "- building the queryset 1.25 ms and compiling it 1 ms;",
    "- executing and fetching 3.3 ms, of which PostgreSQL spends about 1.4 ms detoasting the 50 message houses "
    "and printing them as text (`length(body::text)`) and psycopg's Python timestamp loader (Django's time-zone "
    "subclass) another share;",
    "- Django's value conversion about 1 ms, the documents 1.1 ms, rendering 0.1 ms.",
    "",
    "Against a floor of about 0.27 ms in-process (0.46 ms under gunicorn with wrk on the same cores), 0.3 × the "
    "floor leaves about 1.5 ms for all of that: the query alone, even hand-written, takes longer. Further gains, "
    "not made: store the API's rendering of the message house in a text column at publish time (embedded with "
    "`orjson.Fragment`, saving the text cast, the decode and the block transform, about 3 ms); cache the "
    "compiled SQL of the page query per filter shape. Neither reaches 0.3; only caching whole pages would, and "
    "(b) is defined as the uncached path.",
    "",
    "**Search API** (`search/selectors.py`, `search/api.py`): the engine returns (id, score) pairs only, through "
    "the same request modelsearch would send; visibility is re-checked with one primary-key query; only the 20 "
    "rows shown are read, as document rows; the backend and its engine connection are built once per process. "
    "Before, up to 100 candidates were built twice as full `Message` rows. Same hits, scores and ranks on all "
    "1,224 dev queries. The API's p95 went from about 168 ms to 44 ms, still 1.66 × the engine's 27 ms. Timed "
    "in-process on 200 dev queries (medians): the whole search 27 ms, of which the engine request 17 ms; the "
    "re-filter and the load of the shown rows about 10 ms, although PostgreSQL executes them in about 0.6 ms "
    "and 0.5 ms (the rest is Django composing the visibility rule twice and psycopg quoting 100 ids); the "
    "ledger insert 1.5 ms; query analysis 0.1 ms. Next: compose the re-filter and the load as one query "
    "(document columns, with the message house only for the first rows in rank order), and the ids as one "
    "array parameter.",
    "",
    "**Memory**: the web worker grows 5 % over 10,000 requests (it did not before this change). Part of it is "
    "by design and bounded: the per-process tables of verified keys (1,024 at most), reference names (one "
    "token's worth) and recorded deliveries (20,000 at most); the rest was not traced.",
    "",
    "**Indexing**: the rebuild path reaches 0.8 of a raw bulk of the same documents; the engine's own analysis "
    "dominates both (every text field has `ngram` 3–4 and `edge` sub-fields over long texts, 512 MB heap). "
    "Proposed (relevance permitting): n-grams only on `title` and `key_message`, `refresh_interval: -1` during "
    "a rebuild, more heap.",
    "",
    "**Freshness**: the relay now fans the webhooks out before it updates the engine, deliveries travel on their "
    "own `webhooks` queue and worker, and the fan-out builds each document once rather than once per endpoint. "
    "The webhook therefore usually arrives a few hundred milliseconds before search finds the message; the API "
    "and the change feed, which read the database, show it at commit. Search adds the engine's 1 s refresh "
    "interval on top of the relay.",
]
