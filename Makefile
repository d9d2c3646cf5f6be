# fintrack: `make run` serves the API, `make test` runs the suite. Both install what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install run test serve lint format lock clean bench-summary

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

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Re-resolve the pinned, hashed lock files from requirements/*.in (needs pip-tools).
lock:
	cd requirements && pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url \
		--no-emit-find-links base.in -o base.txt
	cd requirements && pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
		--no-emit-index-url --no-emit-find-links dev.in -o dev.txt

clean:
	rm -rf $(VENV) staticfiles db.sqlite3

# Summary and trends latency on PostgreSQL behind gunicorn (BENCH_DATABASE_URL, default a local
# fintrack_bench database). BENCH_ARGS=--smoke for a quick run.
bench-summary: install
	$(PY) -m bench.summary_bench $(BENCH_ARGS)
