# kefu-kit — every target creates .venv and installs the kit on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
STAMP  := $(VENV)/.installed
NODE_PREFIX := $(CURDIR)/$(VENV)/share/kefu-chp
CHP    := $(NODE_PREFIX)/node_modules/.bin/configurable-http-proxy
# nbgrader runs `alembic` to create a gradebook: the venv's bin/ must be on PATH;
# the hub finds the npm configurable-http-proxy there too.
export PATH := $(BIN):$(NODE_PREFIX)/node_modules/.bin:$(PATH)

.PHONY: demo test lab venv system validate bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# The parts the tests drive for real: Debian's Chromium (a Playwright-downloaded browser fails here),
# bubblewrap and util-linux for the grading sandbox, PostgreSQL for the gradebook-on-PostgreSQL test,
# and the npm configurable-http-proxy in front of JupyterHub. Installed only when missing.
system: $(CHP)
	@bash deploy/install-system.sh

$(CHP):
	mkdir -p $(NODE_PREFIX)
	npm install --silent --no-audit --no-fund --prefix $(NODE_PREFIX) configurable-http-proxy@5 >/dev/null

demo: $(STAMP)
	$(BIN)/kefu demo --out demo-output

test: $(STAMP) system
	$(BIN)/python -m pytest $(PYTEST_ARGS)

validate: $(STAMP)
	$(BIN)/kefu seeds validate

lab: $(STAMP)
	$(BIN)/kefu lab

bench: $(STAMP)
	for f in bench/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) demo-output .pytest_cache
