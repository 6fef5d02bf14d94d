# Two commands on a fresh machine:  `make run`  (serve the planner with demo data)  and  `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
# the address the links in mails point to (invites, feeds): the server's own unless given
PUBLIC_URL = $${PLANNER_PUBLIC_BASE_URL:-http://$(HOST):$(PORT)}
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
ICALJS := tests/invites/js/node_modules/.installed
AXE    := tests/e2e/axe/node_modules/.installed
CATALOG := translations/ja/LC_MESSAGES/messages

.PHONY: run test venv db test-postgres messages catalog-update catalog-compile lint clean

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
	PLANNER_PUBLIC_BASE_URL=$(PUBLIC_URL) $(BIN)/planner demo

# The outbox worker runs beside the server (as in production) and stops with it; with no MAIL_SERVER set it
# writes each mail as an .eml file into instance/mailbox/.
run: db $(CATALOG).mo
	@echo "The planner: http://$(HOST):$(PORT)/  (demo logins in README.md; mail goes to instance/mailbox/)"
	@export PLANNER_PUBLIC_BASE_URL=$(PUBLIC_URL); \
		$(BIN)/planner outbox run & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
		$(BIN)/planner run --host $(HOST) --port $(PORT)

# Mozilla's ical.js (Thunderbird's parser) for the invite tests; they skip with a reason when npm is absent.
$(ICALJS): tests/invites/js/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/invites/js --silent --no-audit --no-fund && touch $@; \
	else echo "npm not found: the ical.js cross-check will be skipped"; fi

# Deque's axe-core for the accessibility checks of the browser journeys; skipped with a reason when npm is absent.
$(AXE): tests/e2e/axe/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/e2e/axe --silent --no-audit --no-fund && touch $@; \
	else echo "npm not found: the axe accessibility checks will be skipped"; fi

test: venv $(ICALJS) $(AXE) $(CATALOG).mo
	bash scripts/pytest-strict $(BIN)/pytest $(PYTEST_ARGS)

# The browser journeys run their own server on SQLite; the PostgreSQL run covers everything else.
test-postgres: venv $(ICALJS) $(CATALOG).mo
	PLANNER_TEST_DATABASE_URL=$${PLANNER_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
		bash scripts/pytest-strict $(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

# Translation catalogue workflow (Flask-Babel): `make messages` extracts every marked string into the template,
# `make catalog-update` merges it into translations/ja/.../messages.po (translate what is new or fuzzy there),
# `make catalog-compile` builds the .mo the app reads. The .mo is committed too, and `make run`/`make test`
# rebuild it whenever the .po is newer.
messages: venv
	mkdir -p translations
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 --add-comments=Translators: -o translations/messages.pot .

catalog-update: messages
	$(BIN)/pybabel update -i translations/messages.pot -d translations -l ja --width 120

catalog-compile: venv
	$(BIN)/pybabel compile -d translations -l ja --statistics

$(CATALOG).mo: $(CATALOG).po | venv
	$(BIN)/pybabel compile -d translations -l ja

lint: venv
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance .pytest_cache
