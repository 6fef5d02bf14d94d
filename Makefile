# Two commands on a fresh machine:  `make run`  (serve the planner with demo data)  and  `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
ICALJS := tests/invites/js/node_modules/.installed

.PHONY: run test venv db test-postgres messages lint clean

# The virtual environment, reinstalled only when pyproject.toml changes.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

venv: $(STAMP)

# Schema through the migrations, then reference data and demo data (both idempotent).
db: venv
	$(BIN)/planner db upgrade heads
	$(BIN)/planner seed
	$(BIN)/planner demo

# The outbox worker runs beside the server (as in production) and stops with it; with no MAIL_SERVER set it
# writes each mail as an .eml file into instance/mailbox/.
run: db
	@echo "The planner: http://$(HOST):$(PORT)/  (demo logins in README.md; mail goes to instance/mailbox/)"
	@$(BIN)/planner outbox run & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
		$(BIN)/planner run --host $(HOST) --port $(PORT)

# Mozilla's ical.js (Thunderbird's parser) for the invite tests; they skip with a reason when npm is absent.
$(ICALJS): tests/invites/js/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/invites/js --silent --no-audit --no-fund && touch $@; \
	else echo "npm not found: the ical.js cross-check will be skipped"; fi

test: venv $(ICALJS)
	bash scripts/pytest-strict $(BIN)/pytest $(PYTEST_ARGS)

# The browser journeys run their own server on SQLite; the PostgreSQL run covers everything else.
test-postgres: venv $(ICALJS)
	PLANNER_TEST_DATABASE_URL=$${PLANNER_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
		bash scripts/pytest-strict $(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

# Translation catalogue workflow (Flask-Babel): extract every marked string.
messages: venv
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot .

lint: venv
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance .pytest_cache
