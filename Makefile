# Two commands do everything: `make serve` and `make test`.
VENV    := .venv
PYTHON  ?= python3
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
HOST    ?= 127.0.0.1
PORT    ?= 5000

# Some machines set PYTHONDONTWRITEBYTECODE: then every run compiles every module again and pytest
# rewrites every test's asserts (about 5 s of the quick tier). The caches are ignored by git.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install serve test test-fast durations durations-quick screenshots system-deps clean

install: $(STAMP)

# Reinstalls only when pyproject.toml changes (or the venv is missing).
$(STAMP): pyproject.toml
	@sh tools/install-system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

system-deps:
	@sh tools/install-system-deps.sh

serve: install
	$(BIN)/letterhouse serve --host $(HOST) --port $(PORT)

test: install
	@[ -x "$${LETTERHOUSE_CHROMIUM:-/usr/bin/chromium}" ] || echo "letterhouse: Chromium is not installed, so the browser tests (tests/browser) are skipped; apt-get install chromium to run them."
	$(BIN)/python -m pytest

# Rewrites docs/screenshots/ from the browser stories (only pictures that look different).
screenshots: install
	LETTERHOUSE_SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/browser/test_browser_screenshots.py

# The quick part of the suite, for while you work: everything not marked slow (see tests/tiers.py),
# on every core (pytest-xdist).
QUICK   := -m "not slow" -n auto
test-fast: install
	$(BIN)/python -m pytest $(QUICK)

# Runs the whole suite and writes down what each test cost (tests/durations.json: processor time,
# so a busy machine measures the same), which decides what `make test-fast` leaves out; then runs
# the quick part alone, as make test-fast does, twice, adding any test that is slow there (one that
# shared another's cached work in the whole run).
durations: install
	LETTERHOUSE_RECORD_DURATIONS=tests/durations.json $(BIN)/python -m pytest
	$(MAKE) durations-quick
	$(MAKE) durations-quick

durations-quick: install
	LETTERHOUSE_RECORD_DURATIONS=tests/durations.json $(BIN)/python -m pytest -q $(QUICK)

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
