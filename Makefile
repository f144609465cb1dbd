# 罗店社区治理 — two commands: `make run` (the app with demo data) and `make test` (the whole suite).
SHELL := /bin/bash
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/luodian
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: run test install messages makemessages system-deps services e2e unit test-clocks lint clean

$(BIN)/.installed: requirements.txt
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

install: $(BIN)/.installed

# Compile the committed translations (.po -> .mo). Uses GNU gettext's msgfmt when present,
# otherwise a pure-Python compiler, so a bare machine still gets the Chinese interface.
messages: install
	@DEBUG=1 $(BIN)/python scripts/compile_messages.py

makemessages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=scripts
	$(BIN)/python scripts/fill_zh_catalog.py
	DEBUG=1 $(BIN)/python scripts/compile_messages.py

# The app with demo data: web, Celery worker and Celery beat together on http://127.0.0.1:$(PORT).
# Bare machine: SQLite and the serverless broker. Set DATABASE_URL / REDIS_URL to use PostgreSQL / Redis.
run: install messages
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo
	DEBUG=1 PORT=$(PORT) scripts/run_dev.sh

# Debian packages the test suite needs (Chromium, a CJK font, gettext, faketime); installed when missing.
system-deps:
	@scripts/ensure_system_deps.sh

# PostgreSQL and Redis on 127.0.0.1, started if installed but stopped.
services:
	@scripts/ensure_services.sh

# The whole suite: unit, integration and browser tests, on PostgreSQL and Redis.
test: install system-deps services messages
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/python -m pytest $(PYTEST_ARGS)

unit: install services messages
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/python -m pytest --ignore=tests/e2e $(PYTEST_ARGS)

e2e: install system-deps services messages
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

# The unit and integration suite under libfaketime at five awkward moments (month end, 28 February, a Tuesday
# evening, New Year's Eve, the eve of the Spring Festival): no test may depend on today's date.
# One moment only: make test-clocks MOMENTS=feb28 (names in scripts/test_clocks.sh).
test-clocks: install system-deps services messages
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) PYTEST_ARGS="$(PYTEST_ARGS)" scripts/test_clocks.sh $(MOMENTS)

clean:
	rm -rf $(VENV) var staticfiles test-artifacts .pytest_cache
