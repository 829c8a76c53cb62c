"""The build's core (docs/hooks/core.py): one pool per cold build, and no stale result after
an upgrade of numpy, scipy or matplotlib.

Works on a temporary copy of the project with every hook that caches a result: three
figures, a table, a value, a notebook, the explorer's data (its grid cut to the smallest
width and depths, so that it takes seconds) and the pages. One Python process builds it
cold, then once more after each upgrade: a ``NAME-99.0.dist-info`` folder put first on
the path makes the package's installed version 99.0, as ``importlib.metadata`` (what the
core reads) sees it, without touching the real install.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.site
ROOT = Path(__file__).resolve().parents[1]
UPGRADED = ("numpy", "scipy", "matplotlib")

MKDOCS_YML = """\
site_name: copy
exclude_docs: |
  hooks/
hooks:
  - docs/hooks/tasks.py
  - docs/hooks/explorer.py
  - docs/hooks/directives.py
  - docs/hooks/notebooks.py
  - docs/hooks/pagecache.py
plugins:
  - mkdocs-jupyter:
      include: ["notebooks/*.py"]
      ignore: ["*.md"]
      execute: true
      allow_errors: false
"""

DRIVER = textwrap.dedent(
    r'''
    import io, json, logging, sys
    from pathlib import Path

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = Path.cwd()
    sys.path.append(str(root / "docs" / "hooks"))
    import core


    def entries():
        """Every cached result: its path below the cache, and its bytes."""
        cache = root / ".cache"
        return {p.relative_to(cache).as_posix(): p.read_bytes() for p in sorted(cache.rglob("*"))
                if p.is_file() and "templates" not in p.parts}


    def run(label):
        stream.seek(0)
        stream.truncate()
        build(load_config(str(root / "mkdocs.yml"), strict=True))
        log = core.read_log(stream.getvalue())
        return {"label": label, "log": log, "versions": core.versions(), "entries": sorted(entries())}


    if __name__ == "__main__":  # spawned workers import this file: the builds run only here
        stream = io.StringIO()
        logging.getLogger("mkdocs").addHandler(logging.StreamHandler(stream))
        logging.getLogger("mkdocs").setLevel(logging.INFO)
        report = [run("cold"), run("warm")]
        for name in sys.argv[1:]:
            fake = root / "fake" / name
            info = fake / f"{name}-99.0.dist-info"
            info.mkdir(parents=True)
            (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 99.0\n")
            sys.path.insert(0, str(fake))
            report.append(run(f"{name} upgraded"))
        json.dump(report, sys.stdout)
    '''
)


def _copy_project(tmp: Path) -> Path:
    root = tmp / "project"
    shutil.copytree(ROOT / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copytree(ROOT / "docs" / "hooks", root / "docs" / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "docs" / "index.md").write_text(
        "# Figures\n\n[[figure: glorot_compromise]]\n\n[[figure: gain_depth]]\n\n[[figure: variance_by_fan]]\n"
    )
    (root / "docs" / "other.md").write_text(
        "# Other\n\nTau: [[value: selu_tau_range]].\n\n[[table: wrong_fan_cases]]\n"
    )
    (root / "docs" / "notebooks").mkdir()
    (root / "docs" / "notebooks" / "small.py").write_text(
        "# %%\nfrom weightinit.initializers import he_normal\nprint(he_normal((4, 3), rng=0).shape)\n"
    )
    (root / "mkdocs.yml").write_text(MKDOCS_YML)
    init = root / "src" / "weightinit_site" / "figures" / "__init__.py"
    text = re.sub(r"^from \. import .*$", "from . import basics", init.read_text(), count=1, flags=re.M)
    text = re.sub(r"^__all__ = .*$", '__all__ = ["FIGURES", "FigureSpec", "basics"]', text, count=1, flags=re.M)
    init.write_text(text)
    explorer = root / "src" / "weightinit_site" / "explorer.py"
    text = explorer.read_text()
    for old, new in (("WIDTHS = (64, 256, 500)", "WIDTHS = (64,)"),
                     ("DEPTHS = (1, 2, 3, 5, 10, 20, 30, 50)", "DEPTHS = (1, 2, 3)")):
        assert old in text, old
        text = text.replace(old, new)
    explorer.write_text(text)
    return root


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    root = _copy_project(tmp_path_factory.mktemp("core"))
    (root / "driver.py").write_text(DRIVER)
    env = {**os.environ, "WEIGHTINIT_CACHE_DIR": str(root / ".cache"), "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": str(root / "src")}
    run = subprocess.run([sys.executable, "driver.py", *UPGRADED], cwd=root, env=env, capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr[-5000:]
    return {b["label"]: b for b in json.loads(run.stdout)}


ITEMS = sorted([("figure", "gain_depth"), ("figure", "glorot_compromise"), ("figure", "variance_by_fan"),
                ("table", "wrong_fan_cases"), ("value", "selu_tau_range"), ("notebook", "notebooks/small.py"),
                ("explorer", "data")])


def _items(log, which):
    return sorted((kind, name) for kind, name, _ in log[which])


def test_a_cold_build_computes_everything_in_one_pool(builds):
    cold = builds["cold"]["log"]
    assert _items(cold, "computed") == ITEMS
    assert cold["pools"] == 1


def test_a_warm_build_computes_nothing_and_starts_no_pool(builds):
    warm = builds["warm"]["log"]
    assert _items(warm, "computed") == []
    assert {kind for kind, _ in _items(warm, "cached")} == {"figure", "notebook", "explorer"}
    converted, pages, _, _ = warm["pages"]
    assert warm["pools"] == 0 and converted == pages == 2
    assert builds["warm"]["entries"] == builds["cold"]["entries"]


@pytest.mark.parametrize("package", UPGRADED)
def test_an_upgrade_recomputes_every_cached_result(builds, package):
    before = builds[{"numpy": "warm", "scipy": "numpy upgraded", "matplotlib": "scipy upgraded"}[package]]
    after = builds[f"{package} upgraded"]
    assert f"{package}=99.0" in after["versions"] and f"{package}=99.0" not in before["versions"]
    log = after["log"]
    assert _items(log, "computed") == ITEMS and _items(log, "cached") == []
    converted, pages, _, _ = log["pages"]  # the pages' HTML: the page cache
    assert converted == 0 and pages == 2
    # Every entry has a new key, and no entry of the old versions is left.
    assert len(after["entries"]) == len(before["entries"])
    assert not set(after["entries"]) & set(before["entries"])
