# Tværs — the two commands are `make run` and `make test`; the rest are their parts.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed

# The embedded defaults of `make run`: SQLite under var/ and kombu's filesystem broker,
# so a fresh machine needs nothing but Python. DATABASE_URL / CELERY_BROKER_URL override.
RUN_ENV := DJANGO_SETTINGS_MODULE=config.settings.local TVAERS_2FA_REQUIRED=$${TVAERS_2FA_REQUIRED:-false}

.PHONY: run test install lint messages makemessages bench seed-volume load clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) messages

messages: $(STAMP)
	$(PY) -m core.i18n_compile

makemessages: $(STAMP)
	$(MANAGE) makemessages --locale da --locale en --ignore '.venv/*' --ignore 'var/*' --no-obsolete

run: install
	mkdir -p var
	$(RUN_ENV) $(MANAGE) migrate --noinput
	$(RUN_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	$(RUN_ENV) $(MANAGE) seed_demo
	@echo "Tværs: http://127.0.0.1:8000  (Ctrl-C stops the web server, the worker and the scheduler)"
	trap 'kill 0' INT TERM EXIT; \
	$(RUN_ENV) $(VENV)/bin/celery -A config worker --beat --pool=solo --loglevel=INFO \
	  --schedule=var/celerybeat-schedule & \
	$(RUN_ENV) $(MANAGE) runserver 127.0.0.1:8000

lint: $(STAMP)
	$(PY) -m ruff check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run

test: install lint
	$(PY) -m pytest $(PYTEST_ARGS)

# The volume benchmark (docs/performance.md), on PostgreSQL, with fictitious data only.
# DATABASE_URL overrides the benchmark database; it is created if missing.
PERSONS ?= 50000
BENCH_PERSONS ?= 5000,$(PERSONS)
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tvaers_bench
BENCH_ENV = DJANGO_SETTINGS_MODULE=config.settings.local DATABASE_URL="$$url"
define BENCH_DB_READY
url="$${DATABASE_URL:-$(BENCH_DATABASE_URL)}"; \
psql "$$url" -Atc 'SELECT 1' >/dev/null 2>&1 \
  || createdb --maintenance-db="$${url%/*}/postgres" "$${url##*/}"; \
$(BENCH_ENV) $(MANAGE) migrate --noinput; \
$(BENCH_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
endef

seed-volume: install
	set -e; $(BENCH_DB_READY); \
	$(BENCH_ENV) $(MANAGE) seed_volume --persons $(PERSONS) --reset

bench: install
	set -e; $(BENCH_DB_READY); \
	$(BENCH_ENV) $(MANAGE) bench --persons $(BENCH_PERSONS) $(BENCH_ARGS)

# The load test (docs/performance.md, "Load test"): locust against gunicorn with the
# production settings on loopback, on the benchmark database (seeded with
# LOAD_PERSONS if it has no persons). LOAD_USERS / LOAD_SECONDS / LOAD_SPAWN_RATE /
# WEB_CONCURRENCY override 20 users, 60 s, 5 a second, 3 workers.
LOAD_PERSONS ?= 5000
load: install
	$(PY) -m pip install --quiet -e '.[dev,load]'
	set -e; $(BENCH_DB_READY); \
	n=$$(psql "$$url" -Atc 'SELECT count(*) FROM cases_person'); \
	if [ "$$n" = 0 ]; then $(BENCH_ENV) $(MANAGE) seed_volume --persons $(LOAD_PERSONS); fi; \
	DATABASE_URL="$$url" $(PY) -m benchmarks.load

clean:
	rm -rf $(VENV) var staticfiles
