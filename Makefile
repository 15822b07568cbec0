# Two commands for a newcomer: `make run` and `make test`. Each creates .venv when missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# `make run` serves http://127.0.0.1:8000; `make run LAN=1` (or HOST=0.0.0.0) also serves
# phones on the same Wi-Fi, with share links and QR codes carrying this machine's LAN
# address; PORT picks another port. Checked and explained by facilitator/serve.py.
HOST ?=
PORT ?=
LAN ?=

.PHONY: run test lint format bench fuzz venv clean messages catalogs

# Translations: the .po files in locale/ are the source and are committed; the compiled
# .mo files Django reads are built from them here (what `manage.py compilemessages` does,
# file by file, with msgfmt's format checks), so a catalog can never be stale or binary in git.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
MAKEMESSAGES_IGNORE := --ignore=.venv --ignore=bench --ignore=tests --ignore=staticfiles --ignore=node_modules

%.mo: %.po
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: install gettext (apt-get install gettext)"; exit 1; }
	msgfmt --check --output-file=$@ $<

messages: $(MO_FILES)

# After marking or changing a string: refresh every language's .po from the code, then
# translate the new entries (README "Languages").
catalogs: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py makemessages --all --no-obsolete -d django $(MAKEMESSAGES_IGNORE)
	DEBUG=1 $(PY) manage.py makemessages --all --no-obsolete -d djangojs $(MAKEMESSAGES_IGNORE)

# axe-core, from the npm registry at the version package-lock.json pins, for the browser
# tests' contrast checks in both themes (tests/browser/test_themes*.py). Nothing in it is
# served. Without npm (or the registry) those tests skip and say why.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
	  echo "npm not found: the axe-core contrast tests will be skipped (apt-get install npm)"; \
	elif npm ci --no-audit --no-fund; then touch $@; \
	else echo "npm ci failed (offline?): the axe-core contrast tests will be skipped"; fi

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml $(VENV)/bin/activate
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@

venv: $(VENV)/.installed

run: $(VENV)/.installed messages
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_protocols
	@DEBUG=1 HOST="$(HOST)" PORT="$(PORT)" LAN="$(LAN)" $(PY) -m facilitator.serve

test: $(VENV)/.installed messages $(AXE)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(VENV)/.installed-bench
	$(PY) bench/run.py $(if $(FULL),--full,)

# The room socket's fuzz test at full size (make test runs 5,000 frames); prints the count.
FUZZ_FRAMES ?= 100000
fuzz: $(VENV)/.installed
	FUZZ_FRAMES=$(FUZZ_FRAMES) $(PY) -m pytest tests/live/test_fuzz_frames.py -q -s --timeout=0

clean:
	rm -rf $(VENV) node_modules db.sqlite3* .pytest_cache .ruff_cache .import_linter_cache .hypothesis
