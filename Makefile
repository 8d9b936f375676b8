# Two commands do all set-up on a fresh machine: `make crawl` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= db/tracker.db

.PHONY: setup crawl test test-fast lint serve demo reprocess stats bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

crawl: $(STAMP)
	$(BIN)/tracker crawl --db $(DB)

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Unit tests only: no tracker subprocesses, Datasette, Chromium or Redis (marker `slow`).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check .

serve: $(STAMP)
	$(BIN)/tracker serve --db $(DB)

# Offline tour: serves demo/site on 127.0.0.1, crawls it into db/demo.db, starts Datasette.
demo: $(STAMP)
	$(BIN)/python demo/serve_and_crawl.py

# Performance benchmark on 127.0.0.1 (a script, not a test): make bench [N=20000] [SCALE=20000]
N ?= 2000
SCALE ?= 0
bench: $(STAMP)
	$(BIN)/python bench/run.py --pages $(N) --scale $(SCALE)

reprocess: $(STAMP)
	$(BIN)/tracker reprocess --db $(DB)

stats: $(STAMP)
	$(BIN)/tracker stats --db $(DB)

clean:
	rm -rf $(VENV) build *.egg-info
