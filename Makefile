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
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))

# Mermaid's own parser checks the report's topology diagram in the tests; it needs Node.js and npm,
# so it is set up only where npm exists (the test says how to get it otherwise).
ifneq ($(shell command -v npm 2>/dev/null),)
MERMAID_CHECK := tools/mermaid-check/node_modules/.package-lock.json
endif

.PHONY: plan test setup lint typecheck schema clean bench fuzz

plan: setup
	$(LZ) plan --all

test: setup
	$(VENV)/bin/pytest

setup: $(VENV)/.synced $(CHECKOV) $(MERMAID_CHECK)

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

# uv installs the locked dependencies (and this project, editable) into .venv, with bytecode
# compiled up front: the provider SDKs are large, and where PYTHONDONTWRITEBYTECODE is set every
# run would otherwise compile them again.
$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	@touch $@

# The performance table of the README: synthesis against the Pulumi SDK's own floor, at 1x, 4x, 16x.
bench: setup
	$(VENV)/bin/python -m benchmarks.run

# Tens of thousands of generated specs (make test runs a quick profile of the same tests).
fuzz: setup
	HYPOTHESIS_PROFILE=fuzz $(VENV)/bin/pytest -m fuzz -p no:cacheprovider

# ruff's rules (pyproject.toml); the code keeps its own compact layout, so `ruff format` is not enforced.
lint: setup
	$(VENV)/bin/ruff check lz components policies tests benchmarks

typecheck: setup
	$(VENV)/bin/mypy lz components policies benchmarks

schema: setup
	$(LZ) schema > schema/stack.schema.json

clean:
	rm -rf out .pytest_cache .hypothesis
