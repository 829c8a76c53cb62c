# Two commands set everything up: `make serve` and `make test`.
# Every target creates the virtual environment (.venv) and installs into it if needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CONSTRAINTS := .ci/constraints.txt
# Only the local CPU build of torch: a bare `torch` would pull several GB of CUDA wheels.
# JAX and Flax run the JAX tabs of the pages (flax 0.12.8 requires jax>=0.10).
FRAMEWORKS := torch==2.13.0 keras==3.15.1 jax==0.10.2 jaxlib==0.10.2 flax==0.12.8
HOST ?= 127.0.0.1:8000

export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help venv serve site test test-browser test-frameworks bench bench-site clean

help:
	@echo "make serve            build the site with its figures and serve it on http://$(HOST)"
	@echo "make test             unit tests, every code block, a strict build"
	@echo "make site             strict static build into site/"
	@echo "make test-browser     chromium checks over the built site (needs Debian's chromium)"
	@echo "make test-frameworks  cross-checks against PyTorch and Keras (installs them)"
	@echo "make bench            initializer speed and memory against NumPy's generator, orthogonal against torch"
	@echo "make bench-site       rebuild costs as under make serve, against their goals"

$(STAMP): pyproject.toml $(CONSTRAINTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e ".[docs,test]"
	touch $@

venv: $(STAMP)

serve: $(STAMP)
	SITE_URL=http://$(HOST)/ $(BIN)/mkdocs serve --strict --dev-addr $(HOST)

site: $(STAMP)
	$(BIN)/mkdocs build --strict

test: $(STAMP)
	$(BIN)/pytest -m "not browser and not frameworks"
	$(BIN)/pytest --codeblocks -m "not frameworks" docs README.md

test-browser: site
	$(BIN)/pytest -m browser

test-frameworks: $(STAMP)
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) $(FRAMEWORKS)
	KERAS_BACKEND=torch $(BIN)/pytest -m frameworks
	KERAS_BACKEND=torch $(BIN)/pytest --codeblocks -m frameworks docs README.md

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) $(filter torch==%,$(FRAMEWORKS))
	$(BIN)/python tests/benchmarks/bench_init.py

bench-site: $(STAMP)
	$(BIN)/python tests/benchmarks/bench_site.py

clean:
	rm -rf site .cache .pytest_cache .hypothesis
