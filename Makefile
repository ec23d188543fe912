# The two commands of the README:  make demo  and  make test
PYTHON ?= python3
VENV := .venv
PULUMI_VERSION := $(shell cat PULUMI_VERSION)
PIP := $(VENV)/bin/python -m pip

.PHONY: demo test unit lint typecheck matrix bench engine sdks clean

demo: $(VENV)/.installed engine
	scripts/demo

# Lint, mypy --strict, then every test, the engine's included.
test: lint typecheck engine sdks
	$(VENV)/bin/python -m pytest

# Lint and the fast tests: no Pulumi CLI needed.
unit: lint
	$(VENV)/bin/python -m pytest -m "not engine"

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy

# The suite on Python 3.10-3.13, on the lowest and the newest allowed dependencies, and from
# the sdist, each in its own venv under .venvs/. `make matrix MATRIX="py3.12-all sdist"`: only
# these entries (scripts/test-matrix says which exist).
MATRIX ?=
matrix: $(VENV)/.installed engine
	scripts/test-matrix $(MATRIX)

# Up to 1000 backups in one `pulumi up`, no-op costs, checkpoints, realistic pacing: writes
# benchmarks/results/ (about 55 minutes on 2 cores). BENCH="--only realistic-skip" re-measures
# one section into the saved results; BENCH=--render redraws the tables and plots.
BENCH ?=
bench: $(VENV)/.installed engine
	$(PIP) install --quiet --group bench
	$(VENV)/bin/python -m benchmarks.run $(BENCH)

# The Pulumi CLI with its Python and YAML language hosts: on PATH if recent enough, else built
# once from Go modules into ~/.cache.
engine:
	scripts/install-pulumi >/dev/null
	scripts/install-language-yaml >/dev/null

# The TypeScript package compiled into sdk/nodejs/bin (the Go module needs no build). After a
# change to the schema, `$(VENV)/bin/python -m support.gen_sdks` regenerates sdk/ first.
sdks: $(VENV)/.installed
	$(VENV)/bin/python -m support.gen_sdks build >/dev/null

# The package with its emulator extra, and the test and lint tools: dependency groups of
# pyproject.toml (PEP 735), which pip installs from 25.1 on, so pip is upgraded first.
$(VENV)/.installed: pyproject.toml PULUMI_VERSION
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade "pip>=25.1"
	$(PIP) install --quiet -e ".[emulator]" --group test --group lint "pulumi==$(PULUMI_VERSION)"
	touch $@

clean:
	rm -rf $(VENV) .venvs *.egg-info build dist
