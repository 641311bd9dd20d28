# The two commands of the README: `make plan` and `make test`. Each sets up what it needs on a fresh
# machine (Python 3.11+, make, network access to PyPI) and reuses it on the next run.

PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
# uv is pinned and installed into .tools/uv, whatever the machine has on its PATH.
UV := $(TOOLS)/uv/bin/uv
VENV := .venv
CHECKOV_VERSION := 3.3.30
CHECKOV := $(TOOLS)/checkov/bin/checkov
LZ := $(VENV)/bin/lz
PYTEST := $(VENV)/bin/pytest
# Two workers: the machines have two cores. `make test JOBS=auto` uses every core there is.
JOBS ?= 2
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))

# Mermaid's own parser checks the report's topology diagram in the tests; it needs Node.js and npm,
# so it is set up only where npm exists (the test says how to get it otherwise).
ifneq ($(shell command -v npm 2>/dev/null),)
MERMAID_CHECK := tools/mermaid-check/node_modules/.package-lock.json
endif


.PHONY: plan test test-unit test-synth test-e2e test-fuzz fuzz setup setup-plan lint typecheck schema docs \
	inventories clean bench

plan: setup-plan
	$(LZ) plan --all

# unit, synth and e2e tiers (tests/conftest.py); fuzz is opt-in (`make fuzz`).
test: setup
	$(PYTEST) -n $(JOBS) -m "unit or synth or e2e or untiered"

test-unit: setup
	$(PYTEST) -n $(JOBS) -m unit

test-synth: setup
	$(PYTEST) -n $(JOBS) -m synth

test-e2e: setup
	$(PYTEST) -n $(JOBS) -m e2e

# The quick profile of the generated specs and plans; `make fuzz` runs tens of thousands.
test-fuzz: setup
	$(PYTEST) -m fuzz

fuzz: setup
	HYPOTHESIS_PROFILE=fuzz $(PYTEST) -m fuzz

# Planning needs the runtime dependencies and checkov; tests, lint and types need the dev group too.
setup-plan: $(VENV)/.synced-plan $(CHECKOV)

setup: $(VENV)/.synced-dev $(CHECKOV) $(MERMAID_CHECK)

# checkov pins packaging<24 and pulumi needs packaging>=26: it lives in its own environment and is
# called as a program (lz finds it at .tools/checkov/bin/checkov, or through $$LZ_CHECKOV).
$(CHECKOV): | $(UV)
	$(UV) venv --quiet --python $(PYTHON) $(TOOLS)/checkov
	VIRTUAL_ENV=$(abspath $(TOOLS)/checkov) $(UV) pip install --quiet checkov==$(CHECKOV_VERSION)

tools/mermaid-check/node_modules/.package-lock.json: tools/mermaid-check/package-lock.json
	npm ci --prefix tools/mermaid-check --silent --no-audit --no-fund

$(TOOLS)/uv/bin/uv:
	$(PYTHON) -m venv $(TOOLS)/uv
	$(TOOLS)/uv/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# uv installs the locked dependencies (and this project, editable) into .venv. Bytecode is compiled
# up front for the dev environment (the SDKs are large, and where PYTHONDONTWRITEBYTECODE is set
# every run would otherwise compile them again); the planning environment skips that step, which
# is most of a cold install, and lets Python compile the modules a plan imports as it goes.
# `--inexact` keeps the dev group when `make plan` follows `make test`.
$(VENV)/.synced-plan: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --no-dev --inexact --python $(PYTHON)
	@touch $@

$(VENV)/.synced-dev: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	@touch $@ $(VENV)/.synced-plan

# The performance table of the README: synthesis against the Pulumi SDK's own floor, at 1x, 4x, 16x.
bench: setup
	$(VENV)/bin/python -m benchmarks.run
	$(VENV)/bin/python -m benchmarks.make_plan

LINT_PATHS := src policies tests benchmarks tools __main__.py

# ruff (rules in pyproject.toml), the import layers (import-linter), the GitHub workflows (actionlint).
lint: setup
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/ruff format --check $(LINT_PATHS)
	$(VENV)/bin/lint-imports
	$(VENV)/bin/actionlint .github/workflows/*.yml

typecheck: setup
	$(VENV)/bin/mypy

schema: setup
	$(LZ) schema > schema/stack.schema.json

# The reference pages of docs/ that are generated from the code (a test fails when they are stale).
docs: setup
	$(VENV)/bin/python -m tools.gendocs

# The component inventories (tests/inventories/*.yaml) from the example stacks.
inventories: setup
	$(VENV)/bin/python -m tests.inventory

clean:
	rm -rf out .pytest_cache .hypothesis
