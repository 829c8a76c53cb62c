"""Pages converted and indexed from the cache (docs/hooks/pagecache.py).

A page taken from the cache must give the site a cold build gives, byte for byte, and
must still fail a strict build for what failed it when it was converted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.site
ROOT = Path(__file__).resolve().parents[1]


def _build(root: Path, cache: Path, site: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "WEIGHTINIT_CACHE_DIR": str(cache), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                          cwd=root, env=env, capture_output=True, text=True)


def _counts(log: str) -> tuple[int, int, int, int]:
    import core  # the build log's format (docs/hooks/core.py; tests/conftest.py puts it on the path)

    counts = core.read_log(log)["pages"]
    assert counts, f"no page cache line in the build log:\n{log[-3000:]}"
    return counts


def _files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_a_warm_build_writes_the_same_site(built_site, build_cache, tmp_path):
    """The whole site, with the API page (autorefs, mkdocstrings' inventory), the search
    index and llms.txt's Markdown pages."""
    import core

    cold, _ = built_site
    run = _build(ROOT, build_cache, tmp_path / "site")
    assert run.returncode == 0, run.stderr[-5000:]
    hits, pages, search_hits, indexed = _counts(run.stderr)
    assert hits == pages > 40 and search_hits == indexed > 40
    # llms.txt's Markdown of every page, converted back from its HTML, from the cache too.
    markdown_hits, markdown = core.read_log(run.stderr)["markdown"]
    assert markdown_hits == markdown > 40
    cold_files, warm_files = _files(cold), _files(tmp_path / "site")
    assert sorted(cold_files) == sorted(warm_files)
    differ = [name for name in cold_files if cold_files[name] != warm_files[name]]
    assert not differ, f"the warm build wrote these files differently: {differ[:10]}"
    # mkdocstrings' inventory is written from the anchors the API page registered.
    assert "objects.inv" in warm_files


MKDOCS_YML = """\
site_name: cache test
site_url: https://example.org/
theme:
  name: material
  font: false
hooks:
  - hooks/pagecache.py
plugins:
  - search
validation:
  links:
    not_found: warn
    anchors: warn
markdown_extensions:
  - toc:
      permalink: true
"""


@pytest.fixture
def small_site(tmp_path):
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "hooks").mkdir()
    for name in ("core.py", "pagecache.py"):
        shutil.copy2(ROOT / "docs/hooks" / name, root / "hooks" / name)
    (root / "mkdocs.yml").write_text(MKDOCS_YML)
    (root / "docs/index.md").write_text("# Home\n\nSee [the other page](other.md#details).\n")
    (root / "docs/other.md").write_text(textwrap.dedent("""\
        # Other

        ## Details

        First version.
        """))
    return root, tmp_path / "cache"


def test_only_the_edited_page_converts_again(small_site, tmp_path):
    root, cache = small_site
    first = _build(root, cache, tmp_path / "a")
    assert first.returncode == 0, first.stderr
    assert _counts(first.stderr) == (0, 2, 0, 2)
    second = _build(root, cache, tmp_path / "b")
    assert _counts(second.stderr) == (2, 2, 2, 2)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")

    (root / "docs/other.md").write_text((root / "docs/other.md").read_text().replace("First", "Second"))
    third = _build(root, cache, tmp_path / "c")
    assert _counts(third.stderr) == (1, 2, 1, 2)
    html = (tmp_path / "c/other/index.html").read_text()
    assert "Second version." in html and "First version." not in html
    assert "Second version." in (tmp_path / "c/search/search_index.json").read_text()


def test_a_cached_page_still_fails_a_strict_build(small_site, tmp_path):
    """The warnings a page logged while it converted are logged again when it comes from the cache."""
    root, cache = small_site
    (root / "docs/index.md").write_text("# Home\n\nSee [a page that is not there](missing.md).\n")
    for attempt in ("converted", "cached"):
        run = _build(root, cache, tmp_path / attempt)
        assert run.returncode != 0, f"{attempt}: the strict build passed"
        out = run.stdout + run.stderr
        assert "link 'missing.md'" in out and "Aborted with 1 warnings in strict mode" in out, out
    assert _counts(run.stderr)[0] == 2


def test_a_link_to_an_anchor_that_goes_away_fails_the_cached_page(small_site, tmp_path):
    """index.md comes from the cache; the anchor it links to is checked against other.md as it is now."""
    root, cache = small_site
    assert _build(root, cache, tmp_path / "a").returncode == 0
    (root / "docs/other.md").write_text((root / "docs/other.md").read_text().replace("## Details", "## Facts"))
    run = _build(root, cache, tmp_path / "b")
    assert run.returncode != 0 and "'other.md#details'" in run.stderr, run.stdout + run.stderr
    assert _counts(run.stderr)[:2] == (1, 2)


def test_the_llms_conversion_does_not_read_where_the_page_goes():
    """The page cache keys llms.txt's conversion without the output path (it differs
    between site folders): the preprocess function it calls must not read it."""
    import ast

    tree = ast.parse((ROOT / "docs" / "hooks" / "llms.py").read_text(encoding="utf-8"))
    [func] = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "preprocess"]
    output = func.args.args[1].arg
    assert not [n for n in ast.walk(func) if isinstance(n, ast.Name) and n.id == output]
