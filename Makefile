# The two commands of the README:  make demo  and  make test
PYTHON ?= python3
VENV := .venv
PULUMI_VERSION := $(shell cat PULUMI_VERSION)

.PHONY: demo test lint bench engine clean

demo: $(VENV)/.installed engine
	$(VENV)/bin/python scripts/demo.py

test: $(VENV)/.installed engine lint
	$(VENV)/bin/python -m pytest

# Many backups in one `pulumi up`: writes benchmarks/results/ (a few minutes).
bench: $(VENV)/.installed engine
	$(VENV)/bin/python -m pip install --quiet -e ".[bench]"
	$(VENV)/bin/python benchmarks/run.py

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The Pulumi CLI: one on PATH if recent enough, else built once from Go modules into ~/.cache.
engine:
	scripts/install-pulumi >/dev/null

$(VENV)/.installed: pyproject.toml PULUMI_VERSION
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e ".[test]" "pulumi==$(PULUMI_VERSION)"
	touch $@

clean:
	rm -rf $(VENV) *.egg-info
