# One dev loop. `make test` and `make serve` set themselves up on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared
STORE  ?= oxigraph:./trialgraph-data
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install system-deps lint type test test-fast bench eval serve ingest-corpus clean

$(BIN)/trialgraph: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/trialgraph

# Java for owlready2's HermiT and Chromium for the YASGUI page test; root installs them.
system-deps:
	@missing=""; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

type: install
	$(BIN)/mypy src/trialgraph api ingest ontology queries

test: install system-deps
	$(BIN)/pytest -q

test-fast: install
	$(BIN)/pytest -q -m "not slow"

eval: install
	$(BIN)/python $(SHARED)/eval/score.py --gold $(SHARED)/corpus/seeds/gold --articles $(SHARED)/corpus/seeds/articles --run '$(BIN)/trialgraph extract {} --format json'
	$(BIN)/python $(SHARED)/eval/score.py --gold $(SHARED)/corpus/dev/gold --articles $(SHARED)/corpus/dev/articles --run '$(BIN)/trialgraph extract {} --format json'

bench: install
	$(BIN)/python -m benchmarks

ingest-corpus: install
	$(BIN)/trialgraph ingest --store $(STORE) $(SHARED)/corpus

serve: ingest-corpus
	$(BIN)/trialgraph serve --store $(STORE) --host $(HOST) --port $(PORT)

clean:
	rm -rf $(VENV) trialgraph-data .pytest_cache .mypy_cache .ruff_cache
