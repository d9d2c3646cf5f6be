# fintrack: `make run` serves the API, `make test` runs the suite. Both install what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install run test serve lint format lock clean bench-summary soak

$(INSTALLED): requirements/base.txt requirements/dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements/base.txt -r requirements/dev.txt
	touch $@

install: $(INSTALLED)

run: install
	$(PY) manage.py migrate --noinput
	@echo ""
	@echo "fintrack is serving on http://127.0.0.1:$(PORT)/api/"
	@echo "  Swagger UI  http://127.0.0.1:$(PORT)/api/docs/"
	@echo "  ReDoc       http://127.0.0.1:$(PORT)/api/redoc/"
	@echo "  OpenAPI     http://127.0.0.1:$(PORT)/api/schema/"
	@echo ""
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# Production settings behind gunicorn on loopback. Needs SECRET_KEY (and usually DATABASE_URL);
# refuses to start with DEBUG on or the development key. TLS is a proxy's job in front of it.
serve: install
	DJANGO_SETTINGS_MODULE=config.settings.production SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-0} \
		$(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.production SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-0} \
		$(PY) manage.py collectstatic --noinput --verbosity 0
	DJANGO_SETTINGS_MODULE=config.settings.production SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-0} \
		$(VENV)/bin/gunicorn config.wsgi --bind 127.0.0.1:$(PORT) --workers $${WEB_CONCURRENCY:-2} \
		--no-control-socket --access-logfile -

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/hadolint Dockerfile
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

.PHONY: postman e2e screenshots

# The Postman collection and environment in docs/postman/, rebuilt from the OpenAPI schema.
postman: install
	$(PY) docs/postman/build_collection.py

# As a real client, on a fresh PostgreSQL database behind gunicorn (production settings): the
# Postman collection with newman, then schemathesis over every operation (README, "What CI
# checks"). Installs newman with `npm ci` from package-lock.json.
e2e: install
	bash scripts/e2e.sh

# docs/screenshots/: Swagger UI (signed in, with a real answer) and ReDoc, by headless Chromium.
screenshots: install
	bash scripts/screenshots.sh

# Re-resolve the pinned, hashed lock files from requirements/*.in (needs pip-tools).
lock:
	cd requirements && pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url \
		--no-emit-find-links base.in -o base.txt
	cd requirements && pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
		--no-emit-index-url --no-emit-find-links dev.in -o dev.txt

clean:
	rm -rf $(VENV) staticfiles db.sqlite3

.PHONY: bench bench-smoke bench-profile

# Every endpoint on PostgreSQL behind gunicorn, driven by wrk (installed from apt if missing),
# against the stack's ceiling: a database fintrack_bench_api on DATABASE_URL's server (default
# the local one; BENCH_DATABASE_URL names another), wiped and bulk-loaded with 1,000,000
# records. Writes bench/results/api.json and docs/benchmarks.md. BENCH_ARGS: see --help.
bench: install
	$(PY) -m bench.api_bench $(BENCH_ARGS)
	$(PY) -m bench.import_bench $(IMPORT_BENCH_ARGS)

# The same in a few thousand rows and 2 s per scenario (CI): fails on any non-2xx answer.
bench-smoke: install
	$(PY) -m bench.api_bench --smoke $(BENCH_ARGS)
	$(PY) -m bench.import_bench --smoke

# Where a scenario's time goes: py-spy samples the gunicorn workers under wrk, on the data the
# last make bench loaded. SCENARIO=list (or ceiling, me, create, list_filtered, read, summary...).
SCENARIO ?= list
bench-profile: install
	$(PY) -m bench.profile $(SCENARIO) $(BENCH_ARGS)

# Summary and trends latency on PostgreSQL behind gunicorn (a database fintrack_bench on
# DATABASE_URL's server, or BENCH_DATABASE_URL). BENCH_ARGS=--smoke for a quick run.
bench-summary: install
	$(PY) -m bench.summary_bench $(BENCH_ARGS)

# Reliability soak on PostgreSQL behind gunicorn (SOAK_DATABASE_URL, default a local
# fintrack_soak database). SOAK_ARGS: --smoke, --seconds N, --kill-every N, --restart-postgres.
soak: install
	$(PY) -m bench.soak $(SOAK_ARGS)

.PHONY: cluster-soak bench-cluster

# Two gunicorn instances behind HAProxy (installed from apt if missing), the soak's clients
# through it while one whole instance is SIGKILLed and restarted: no lost or doubled write, no
# 5xx, throttles shared through Redis (CLUSTER_REDIS_URL). Writes docs/reliability.md.
# CLUSTER_ARGS: --smoke (CI), --seconds N, --kill-every N, --help.
cluster-soak: install
	$(PY) scripts/cluster_soak.py $(CLUSTER_ARGS)

# One gunicorn instance against two behind HAProxy on the list scenario and the ceiling, on
# 10,000 records (fintrack_bench_cluster, or BENCH_DATABASE_URL), in about a minute and a half.
# Writes bench/results/cluster.json and its section of docs/benchmarks.md.
bench-cluster: install
	$(PY) -m bench.cluster_bench $(BENCH_ARGS)
