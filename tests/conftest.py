"""Shared fixtures: a strict, cold build of the site into a temporary folder."""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HOOKS = ROOT / "docs" / "hooks"
# The hooks import the build's core (docs/hooks/core.py) as MkDocs lets them: from their folder.
if str(HOOKS) not in sys.path:
    sys.path.append(str(HOOKS))


def load_hook(name: str):
    """The hook docs/hooks/NAME.py as a module, loaded as MkDocs loads it."""
    spec = importlib.util.spec_from_file_location(f"weightinit_hook_{name}", HOOKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def hooks():
    """The directives hook (docs/hooks/directives.py): the pins, the figure registry."""
    return load_hook("directives")


@pytest.fixture(scope="session")
def build_cache(tmp_path_factory):
    """The cache folder of `built_site`'s build (empty before it)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, build_cache):
    """Build with ``mkdocs build --strict`` and empty caches; return (site dir, build log)."""
    site = tmp_path_factory.mktemp("site")
    env = {
        **os.environ,
        "WEIGHTINIT_CACHE_DIR": str(build_cache),
        "NO_MKDOCS_2_WARNING": "1",
    }
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, f"strict build failed:\n{run.stderr[-5000:]}"
    return site, run.stderr


# ------------------------------------------------------------------ browser checks
# Shared by tests/test_browser.py and tests/test_browser_explorer.py (marker `browser`).

# WEIGHTINIT_SITE_DIR serves another build (say, one of an older commit) to the same checks.
SITE = Path(os.environ.get("WEIGHTINIT_SITE_DIR", ROOT / "site"))
CHROMIUM = "/usr/bin/chromium"
# Chromium's own background traffic is switched off so that every request seen is the page's.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server():
    """The built site/ served on 127.0.0.1; yields its root URL."""
    if not (SITE / "index.html").is_file():
        pytest.fail("site/ is not built: run `make test-browser`, which builds it first")
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by playwright; fails (never skips) when either is missing."""
    try:
        from playwright import sync_api as playwright
    except ImportError as exc:
        pytest.fail(f"playwright is not installed ({exc}): `make venv` installs the test extra", pytrace=False)
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


# The Hugging Face framework tests (test_llms_, test_hugging_face_, test_transformers_, test_vision_frameworks)
# take torch and transformers from these fixtures: a missing package fails, naming the fix.
FRAMEWORKS_INSTALL = "run `make test-frameworks`, which installs the pins of frameworks.txt"


def _require(name):
    """The module `name` (a dotted name gives the submodule), or a failure naming the fix."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        pytest.fail(f"{name} is not installed ({exc}): {FRAMEWORKS_INSTALL}", pytrace=False)


@pytest.fixture(scope="module")
def torch():
    return _require("torch")


@pytest.fixture(scope="module")
def transformers():
    return _require("transformers")
