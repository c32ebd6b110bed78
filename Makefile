# The two commands a newcomer needs:  `make demo`  and  `make test`.
# Both create their own virtual environment in .venv from nothing but Python 3.11+.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Tests use their own managed Neo4j instance (own home and ports), never the user's;
# `make test` stops it afterwards when it was the one that started it.
TEST_BOLT_PORT ?= 7688
TEST_HTTP_PORT ?= 7475
TEST_NEO4J_ENV := CHIPKG_NEO4J_HOME=$(CURDIR)/.neo4j/test CHIPKG_NEO4J_BOLT_PORT=$(TEST_BOLT_PORT) CHIPKG_NEO4J_HTTP_PORT=$(TEST_HTTP_PORT)

.PHONY: demo test install lint typecheck generate check-generated golden golden-check unit neo4j-start neo4j-stop neo4j-status bench clean system-deps screenshot browser-screenshot

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## make demo: install everything and run the main job on the embedded store
demo: $(STAMP)
	$(BIN)/chipkg demo

system-deps:
	bash scripts/ensure-system-deps.sh

lint: $(STAMP)
	$(BIN)/ruff check chipkg tests bench
	$(BIN)/ruff format --check chipkg tests bench

typecheck: $(STAMP)
	$(BIN)/mypy --strict chipkg

check-generated: $(STAMP)
	$(BIN)/python -m chipkg.ontology.generate --check
	$(BIN)/python -m chipkg.queries.cyphergen --check

generate: $(STAMP)
	$(BIN)/python -m chipkg.ontology.generate

## make golden: rewrite tests/golden/ (every canned query's JSON on the reference graph);
## review `git diff tests/golden` after an intended change of query semantics
golden: $(STAMP)
	$(BIN)/python -m tests.support.golden --write

golden-check: $(STAMP)
	$(BIN)/python -m tests.support.golden --check

## make test: the whole suite - lint, types, generated files, unit and Neo4j integration tests
test: $(STAMP) system-deps
	$(MAKE) --no-print-directory lint typecheck check-generated
	$(TEST_NEO4J_ENV) CHIPKG=$(BIN)/chipkg bash scripts/with-test-neo4j.sh $(BIN)/pytest

unit: $(STAMP)
	$(BIN)/pytest -m "not neo4j and not browser"

neo4j-start: $(STAMP) system-deps
	$(BIN)/chipkg neo4j start

neo4j-stop: $(STAMP)
	$(BIN)/chipkg neo4j stop

neo4j-status: $(STAMP)
	$(BIN)/chipkg neo4j status

## make screenshot: regenerate docs/img/demo-view.png (demo graph in headless Chromium)
screenshot: $(STAMP) system-deps
	$(BIN)/python -m chipkg.viz.screenshot -o docs/img/demo-view.png

## make browser-screenshot: regenerate docs/img/browser-reachable-deepseek.png (the Browser test, real Neo4j Browser)
browser-screenshot: $(STAMP) system-deps
	$(TEST_NEO4J_ENV) CHIPKG_SCREENSHOT_DIR=$(CURDIR)/docs/img CHIPKG=$(BIN)/chipkg bash scripts/with-test-neo4j.sh $(BIN)/pytest tests/viz/test_neo4j_browser.py -q

## make bench: load and query benchmarks, embedded and Neo4j, 10k and 100k links (BENCH_ARGS=--big adds 1M)
bench: $(STAMP) system-deps
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
