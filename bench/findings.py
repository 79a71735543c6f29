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
    "**Messages list, 200 path (b/a): missed, about half of 0.3.** 17 → about 345 req/s. Done:",
    "",
    "- documents from `.values()` rows (no model instances, no StreamField);",
    "- the message house as the API presents it, stored with each row (`Message.api_body`, written on save), "
    "read as UTF-8 bytes and embedded with `orjson.Fragment`: no jsonb-to-text cast, no decode, no block "
    "transform, no re-encode (in-process the 200 went from about 10–11 ms to 8–9 ms; under wrk from about "
    "130 to 175 req/s);",
    "- the names of locales, institutions, topics and campaign pages from a per-token in-process table instead "
    "of joins: with them PostgreSQL spent 6.5 ms planning a page query that runs in 1.3 ms (0.27 ms without);",
    "- the ledger insert skipped when this process already wrote the page's rows under the token (it cost "
    "about 10 ms on every read);",
    "- orjson rendering;",
    "- partial indexes for the token's next scheduled instant (46 → 1.9 ms a draw);",
    "- the page query compiled once per shape (`messaging/api/pages.py`): DRF's cursor pagination is handed an "
    "object that takes its `order_by`, its one position filter and its slice, and runs the compiled query "
    "(`hub/compiled_queries.py`) with the request's institution, instant, language, filters and position. "
    "Building and compiling the queryset had cost about 2.7 ms a request;",
    "- compiled queries read binary results on PostgreSQL: psycopg loads timestamps and bytes in C, where the "
    "text form went through Django's Python time-zone loader and hexadecimal `bytea` (execute and fetch of a "
    "page, 3.4 → 1.7 ms);",
    "- the visible-messages queryset is built only when a document carries every translation;",
    "- a source row is its own source version, so the source-version lookup runs for translations only "
    "(the Arabic page query's execution 0.52 → 0.41 ms; under wrk about 320 → 345 req/s).",
    "",
    "The compiled page, binary results and the queryset built only when needed took the 200 from about "
    "10 ms to 4.4 ms in-process, and from about 150 to about 320 req/s under wrk.",
    "",
    "Why 0.3 is out of reach: both cores are busy in every run (vmstat: 6–10 % idle for the floor and the list "
    "alike), so throughput is the inverse of the CPU time a request costs, counted over every process. The "
    "table's CPU row measures it per run (`/proc/<pid>/stat` of gunicorn's master and workers and of "
    "PostgreSQL's processes before and after the measured wrk run, wrk's own from `getrusage`). The floor costs "
    "about 0.8 ms a request, so b/a 0.3 allows the list about 2.7 ms. PostgreSQL alone spends about 1.6 ms on a "
    "list request: executing the page query takes about 0.4 ms by its own count, and reading, copying and "
    "sending 50 stored message houses (about 180 KB) the rest (a copy of the page's rows read without them: "
    "0.19 against 0.64 ms). With the floor's own web and wrk time, that leaves about 0.3 ms for everything "
    "Django, DRF and the documents add, against about 2.8 ms now (query parameter validation 0.18 ms, the page's "
    "rows into Python about 0.2 ms, the 50 documents about 0.5 ms, DRF, pagination and rendering the rest). "
    "(a') shows that sending a body of that size is not what holds it back: the floor with a 206 KB body "
    "answers about 1,800 req/s. Measured and not adopted: prepared statements (no gain: planning is a small "
    "part here), lz4 compression of the stored message house (0.2 ms less a page in the list's query, no "
    "difference on a copy of one page's rows), storing it uncompressed in the row (0.13 ms less a "
    "page, for a heap twice the size), and 4 gunicorn workers × 2 "
    "threads (fewer requests a second and a worse tail). Only caching whole pages, or each message's rendering "
    "in the web process, would take PostgreSQL's share away, and (b) is defined as the uncached path.",
    "",
    "**Search API** (`search/selectors.py`, `search/api.py`, `hub/compiled_queries.py`): the engine returns "
    "(id, score) pairs only, through the same request modelsearch would send; one query then filters the "
    "candidates (one array parameter) through the visibility selector, ranks them by the engine's order, cuts "
    "the page in a subquery and reads only those rows, as document rows with the stored message house. That "
    "query is compiled once per process and page size, with sentinels for the institution, the instant, the "
    "locale and the candidates; before, building and compiling it cost Django about 3.5 ms a search against "
    "PostgreSQL's 1.5 ms. The backend and its engine connection are built once per process. Same hits, scores "
    "and ranks as modelsearch's own results, re-filtered (tested on every engine run). In-process, without the "
    "engine request (100 dev queries, medians), a search went from about 11 ms to about 5 ms; under gunicorn "
    "the API's median is 23.1 ms against the engine's 12.1 ms, and its p95 40.9 ms against 29.9 ms (1.37; "
    "1.35 in the run before, 1.38 before results were read in binary, 1.66 before the query was compiled). "
    "The p95 ratio "
    "moves with the engine's own tail, whose p95 was between 26 and 34 ms across runs; what the API adds is "
    "about 10 ms at the median, of which the ledger insert is about 1.8 ms.",
    "",
    "**Memory (met, with jemalloc)**: on glibc's allocator the web worker grew 11–15 % over 10,000 requests "
    "from run to run, while its live Python objects did not: calling the WSGI handler directly, one thread, "
    "4,000 requests grew the process by 44 MB while tracemalloc's traced Python memory grew by 39 KB, and "
    "`malloc_trim(0)` then returned 30 MB of it to the system. The growth was in the anonymous mappings of "
    "glibc's per-thread arenas (the main heap did not move): freed pages of the large short-lived buffers a "
    "page makes (rows, rendered JSON) stay there. `MALLOC_ARENA_MAX=2` gave 9.0 % and 13.2 %, a fixed "
    "`M_MMAP_THRESHOLD` 10.1 % against 13.5 %; jemalloc gave between −4 % and +5 % in six runs. The web "
    "process is therefore started by `scripts/serve`, which preloads Debian's `libjemalloc2` into gunicorn; "
    "the table shows both allocators measured in the same run. jemalloc's worker starts a few MiB larger; "
    "throughput was the same within noise (list 149 against 153 req/s, 304 1,852 against 1,890 req/s in "
    "two back-to-back runs). The per-process tables (verified keys, 1,024 at most; reference names, one "
    "token's worth; recorded deliveries, 20,000 at most) are bounded. Earlier, while documents embedded the "
    "stored message house as a Python `str`, the worker grew 17–22 %: orjson needs each string's UTF-8 form, "
    "which CPython caches beside it; pages read it as UTF-8 bytes. Since responses let go of their data once "
    "rendered and workers freeze the loaded application (next paragraph), the worker on glibc's allocator grew "
    "1.6 % in the run recorded, against 11–15 % before (one run so far; jemalloc stays the deployed "
    "allocator), and the jemalloc worker ended at 139 MiB against 157–161 MiB in earlier runs.",
    "",
    "**Garbage collection and the list's tail**: the list's p99 under wrk was 170–290 ms against a p90 of "
    "about 40 ms. A `gc.callbacks` hook in the workers showed why: full collections (generation 2) took about "
    "250 ms under load, three times in 24 s per worker, and a collection holds the interpreter lock, so every "
    "thread of that worker waited. Each request left about 360 objects that only the cycle collector frees "
    "(Django's and DRF's request, view and response refer to one another, and the response held the page's "
    "documents), and a full collection walked the whole application (about 218,000 objects) as well. Now "
    "institution endpoints let go of a response's data once it is rendered (about 100 objects a request, "
    "whatever the page size) and each gunicorn worker freezes the loaded application (`hub/gunicorn.py`, "
    "`gc.freeze`): full collections take 20–50 ms. In three interleaved pairs of runs (wrk, 2 × 10 s each, "
    "the commit before against this one) the list answered 331–364 against 297–337 req/s (about +10 %), with a "
    "p99 of 52–59 against 172–271 ms. Single runs of the whole bench vary by as much (324–349 req/s).",
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
