# Everyday commands. `make run` and `make test` need nothing but Python 3.11; `make test-all` brings up
# PostgreSQL, Redis, OpenSearch, Elasticsearch and chromium through scripts/services.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install browser-deps run test test-all lint typecheck messages services-up services-down bench clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# axe-core for the accessibility tests (tests/browser/package-lock.json); npm comes from Debian if missing.
browser-deps:
	command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq --no-install-recommends npm)
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error

run: install
	$(BIN)/python manage.py migrate --no-input -v0
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py collectstatic --no-input -v0
	@echo ""
	@echo "Tawasul is serving on http://127.0.0.1:$(PORT)/"
	@echo "  admin:        http://127.0.0.1:$(PORT)/admin/  (users above, e.g. approver / tawasul-demo-2026)"
	@echo "  public site:  http://127.0.0.1:$(PORT)/ar/campaigns/  and  /en/campaigns/"
	@echo "  API docs:     http://127.0.0.1:$(PORT)/api/v1/docs/"
	@echo "  e-mail:       one line here per message; whole messages in var/mail/"
	PORT=$(PORT) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The lifecycle model (its shards, marked `model`) runs after the rest of the suite, a shard on each core.
MODEL := -m model -n 2

test: install
	$(BIN)/pytest -m "not integration and not browser and not model"
	$(BIN)/pytest $(MODEL)

# The whole suite on OpenSearch, then the engine tests again on Elasticsearch 8 (same tests, other backend).
ENGINE_TESTS := tests/search tests/integration/test_search_engine.py tests/integration/test_search_freshness.py

test-all: install browser-deps
	scripts/services up
	eval "$$(scripts/services env)" && TAWASUL_REQUIRE_SERVICES=1 TAWASUL_SEARCH_BACKEND=opensearch2 $(BIN)/pytest -m "not model"
	eval "$$(scripts/services env)" && TAWASUL_REQUIRE_SERVICES=1 TAWASUL_SEARCH_BACKEND=opensearch2 $(BIN)/pytest $(MODEL)
	eval "$$(scripts/services env)" && TAWASUL_REQUIRE_SERVICES=1 TAWASUL_SEARCH_BACKEND=elasticsearch8 \
		TAWASUL_SEARCH_URL="$$ELASTICSEARCH_URL" $(BIN)/pytest $(ENGINE_TESTS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run -v0

typecheck: install
	$(BIN)/mypy hub messaging campaigns institutions search alignment webhooks clearance institution_space monitoring subscriptions releases

messages: install
	$(BIN)/python manage.py makemessages -l ar -l en --ignore ".venv/*" --ignore "tests/*" --ignore "bench/*" \
		--ignore "var/*" --ignore "scripts/*" --ignore "static/*" --ignore "test-artifacts/*"
	$(BIN)/python manage.py compilemessages --ignore ".venv"

services-up:
	scripts/services up

services-down:
	scripts/services down

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var static

# Known vulnerabilities in the locked dependencies (PyPA advisory database); findings that do not apply are
# explained in docs/security.md.
.PHONY: audit
audit: install
	$(BIN)/pip-audit -r requirements.lock --progress-spinner off
