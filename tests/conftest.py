"""Shared fixtures: a strict, cold build of the site into a temporary folder."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def hooks():
    """The site's build hooks (docs/hooks/build.py) as a module."""
    spec = importlib.util.spec_from_file_location("weightinit_site_hooks", ROOT / "docs/hooks/build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """Build with ``mkdocs build --strict`` and empty caches; return (site dir, build log)."""
    site = tmp_path_factory.mktemp("site")
    env = {
        **os.environ,
        "WEIGHTINIT_CACHE_DIR": str(tmp_path_factory.mktemp("cache")),
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
