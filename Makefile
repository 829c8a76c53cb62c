# Two commands set everything up: `make serve` and `make test`.
# Every target creates the virtual environment (.venv) and installs into it if needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Node runs Temml (math to MathML) in every build, and Lighthouse for `make lighthouse`.
NODE_STAMP := node_modules/.installed-build
NODE_ALL := node_modules/.installed-all
CONSTRAINTS := .ci/constraints.txt
# The framework pins, one file read by this Makefile, the build ([[version: NAME]]) and
# the tests: PyTorch (the local CPU build only: a bare `torch` would pull several GB of
# CUDA wheels), Keras, JAX and Flax for the framework tabs, transformers for the GPT-2,
# BERT and T5 initializations quoted on the Architectures pages.
FRAMEWORKS := frameworks.txt
HOST ?= 127.0.0.1:8000

export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help venv serve site test test-install test-browser test-first-view lighthouse test-frameworks bench bench-site clean python-check chromium-check

help:
	@echo "make serve            build the site with its figures and serve it on http://$(HOST)"
	@echo "make test             unit tests, every code block, a strict build, the package"
	@echo "make test-install     the wheel in a fresh environment runs every weightinit snippet"
	@echo "make site             strict static build into site/"
	@echo "make test-browser     chromium checks over the built site (needs Debian's chromium)"
	@echo "make lighthouse       Lighthouse scores of six pages; fails below 95 (needs chromium)"
	@echo "make test-frameworks  cross-checks against the frameworks pinned in frameworks.txt (installs them)"
	@echo "make bench            initializer speed and memory against NumPy's generator, orthogonal against torch"
	@echo "make bench-site       rebuild costs as under make serve, against their goals"

# Stop at once, with the fix, when the Python or Node.js at hand cannot do the job.
python-check:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "weightinit needs Python 3.11 or newer (3.11.2 as on Debian 12 works);"; \
	  echo "'$(PYTHON)' is: $$($(PYTHON) --version 2>&1 || echo missing)."; \
	  echo "Install one (Debian/Ubuntu: apt-get install python3 python3-venv) or run: make PYTHON=python3.12"; \
	  exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
	  echo "'$(PYTHON)' cannot create a virtual environment: apt-get install python3-venv"; exit 1; }

$(STAMP): pyproject.toml $(CONSTRAINTS) | python-check
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e ".[docs,test]"
	touch $@

# Debian packages a target needs: installed when we may (root with apt-get), else named.
APT_INSTALL = if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing $(1) with apt-get"; apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null; \
	else echo "$(2): apt-get install $(1)"; exit 1; fi

$(NODE_STAMP): package.json package-lock.json
	@command -v node >/dev/null && command -v npm >/dev/null || { \
	  $(call APT_INSTALL,nodejs npm,The build renders math with Temml on Node.js 18 or newer); }
	@node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 18 ? 1 : 0)' 2>/dev/null || { \
	  echo "The build renders math with Temml on Node.js 18 or newer; this node is $$(node --version)."; exit 1; }
	npm ci --omit=dev --no-audit --no-fund --loglevel=error
	touch $@

$(NODE_ALL): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@ $(NODE_STAMP)

venv: $(STAMP) $(NODE_STAMP)

serve: $(STAMP) $(NODE_STAMP)
	SITE_URL=http://$(HOST)/ $(BIN)/mkdocs serve --strict --dev-addr $(HOST)

site: $(STAMP) $(NODE_STAMP)
	$(BIN)/mkdocs build --strict

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/pytest -m "not browser and not frameworks"
	$(BIN)/pytest --codeblocks -m "not frameworks" docs README.md

test-install: $(STAMP)
	$(BIN)/pytest -m install -rP

chromium-check:
	@command -v chromium >/dev/null || { \
	  $(call APT_INSTALL,chromium,The browser checks and Lighthouse drive Debian's chromium); }

test-browser: site chromium-check
	$(BIN)/pytest -m "browser and not firstview"

# The first scroll, key and tap at 4x CPU on every page (about 20 minutes): apart from
# make test-browser, so that nothing else runs while it times the pages.
test-first-view: site chromium-check
	$(BIN)/pytest -m "browser and firstview"

lighthouse: $(NODE_ALL) site chromium-check
	$(BIN)/python tests/lighthouse.py

# mup's sdist asks for torchvision (CUDA wheels) and more that `import mup` never loads:
# it goes in alone, with --no-deps, and PyYAML, the one import it adds to torch.
test-frameworks: $(STAMP)
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) $$(grep -E '^[A-Za-z]' $(FRAMEWORKS) | grep -v '^mup==')
	$(BIN)/python -m pip install --quiet --no-deps -c $(CONSTRAINTS) $$(grep '^mup==' $(FRAMEWORKS)) PyYAML
	KERAS_BACKEND=torch $(BIN)/pytest -m frameworks
	KERAS_BACKEND=torch $(BIN)/pytest --codeblocks -m frameworks docs README.md

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) $$(grep '^torch==' $(FRAMEWORKS))
	$(BIN)/python tests/benchmarks/bench_init.py

bench-site: $(STAMP) $(NODE_STAMP)
	$(BIN)/python tests/benchmarks/bench_site.py

clean:
	rm -rf site .cache .pytest_cache .hypothesis node_modules
