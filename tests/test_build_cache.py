"""The build under `mkdocs serve`: never a stale figure, and only what changed re-renders.

Each test works on a temporary copy of the project, trimmed to the Basics figures and a
two-page site, and builds it several times in one Python process, as `mkdocs serve` does
(the build driver of tests/site_build.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from site_build import copy_project, drive

pytestmark = pytest.mark.site

MKDOCS_YML = """\
site_name: copy
exclude_docs: |
  hooks/
hooks:
  - docs/hooks/tasks.py
  - docs/hooks/directives.py
"""
PAGES = {
    "index.md": "# Figures\n\n[[figure: glorot_compromise]]\n\n[[figure: gain_depth]]\n\n[[figure: variance_by_fan]]\n",
    "other.md": "# Other\n\nNo figure here. Tau: [[value: selu_tau_range]].\n",
}
VALUES, STYLE, BASICS = ("src/weightinit_site/values.py", "src/weightinit_site/figures/_style.py",
                         "src/weightinit_site/figures/basics.py")
# Each build as `mkdocs serve` makes it after an edit, in one Python process.
STEPS = [
    {"label": "cold"},
    {"label": "page without a figure", "edits": [("docs/other.md", "No figure here.", "Still no figure here.")]},
    {"label": "one figure's function", "edits": [(BASICS, "ax.set_title(activation)", 'ax.set_title(f"{activation}:")')]},
    {"label": "a module no figure imports", "edits": [(VALUES, '"""', '"""Edited. ')]},
    {"label": "palette and a library constant",
     "edits": [(STYLE, '"#3f51b5"', '"#12ab34"'),
               ("src/weightinit/experiments.py", "round(1024 * 2 ** (-k / 2))", "round(512 * 2 ** (-k / 2))")]},
    {"label": "a failing value",
     "edits": [(VALUES, '    tau = _sums()["tau"]', '    raise RuntimeError("boom in the value")')]},
    {"label": "a failing figure",
     "edits": [(VALUES, '    raise RuntimeError("boom in the value")', '    tau = _sums()["tau"]'),
               (STYLE, '"""The palette', '"""Edited: the palette'),
               (BASICS, "    fig, (ax,) = figure()\n    fans",
                '    raise RuntimeError("boom in the figure")\n    fig, (ax,) = figure()\n    fans')]},
]
for step in STEPS:
    step["read"] = ["other/index.html"]


def _fresh_render(root: Path, name: str) -> str:
    """The figure rendered by a new Python process that imports the copy's library."""
    code = f"import sys; sys.path.insert(0, 'src'); from weightinit_site.figures.render import render_svg; " \
           f"sys.stdout.write(render_svg({name!r}).decode())"
    run = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(root / "src")})
    assert run.returncode == 0, run.stderr
    return run.stdout


def _figures(log, cached: bool) -> list[str]:
    return sorted(name for kind, name, _ in log["cached" if cached else "computed"] if kind == "figure")


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("copy"), PAGES, MKDOCS_YML, figure_modules=("basics",))
    report = {}
    for b in drive(root, STEPS)[0]:
        log = b["log"]
        report[b["label"]] = {**b, "rendered": _figures(log, False), "cached": _figures(log, True),
                              "computed": sorted(f"{k} {n}" for k, n, _ in log["computed"] if k in ("table", "value")),
                              "other": b["pages"]["other/index.html"]}
    return root, report


ALL = ["gain_depth", "glorot_compromise", "variance_by_fan"]


def test_cold_build_renders_every_figure(builds):
    _, b = builds
    assert b["cold"]["rendered"] == ALL and not b["cold"]["cached"]


def test_a_page_edit_renders_no_figure(builds):
    _, b = builds
    assert b["page without a figure"]["rendered"] == [] and b["page without a figure"]["cached"] == ALL


def test_editing_one_figure_renders_only_that_figure(builds):
    _, b = builds
    step = b["one figure's function"]
    assert step["rendered"] == ["gain_depth"]
    assert step["svgs"]["gain_depth"] != b["cold"]["svgs"]["gain_depth"]
    assert step["svgs"]["glorot_compromise"] == b["cold"]["svgs"]["glorot_compromise"]


def test_a_module_no_figure_imports_renders_nothing(builds):
    _, b = builds
    assert b["a module no figure imports"]["rendered"] == []


def test_values_are_computed_once_per_version_of_their_code(builds):
    from weightinit_site.values import selu_tau_range

    _, b = builds
    assert b["cold"]["computed"] == ["value selu_tau_range"]
    assert b["page without a figure"]["computed"] == []
    assert b["one figure's function"]["computed"] == []
    # values.py changed: its values are computed again.
    assert b["a module no figure imports"]["computed"] == ["value selu_tau_range"]
    for step in ("cold", "page without a figure", "a module no figure imports"):
        assert selu_tau_range() in b[step]["other"], step


def test_a_failing_value_stops_the_build_and_names_it(builds):
    _, b = builds
    error = b["a failing value"]["error"]
    assert error is not None
    assert "value selu_tau_range failed" in error
    assert "RuntimeError: boom in the value" in error and "values.py" in error


def test_second_build_in_one_process_is_not_stale(builds):
    root, b = builds
    before, after = b["a module no figure imports"]["svgs"], b["palette and a library constant"]["svgs"]
    assert b["palette and a library constant"]["rendered"] == ALL
    for name in ALL:
        assert after[name] != before[name], name
        assert "#3f51b5" in before[name] and "#3f51b5" not in after[name], name
        assert "#12ab34" in after[name], name


def test_the_changed_constant_reaches_the_figure(builds):
    root, b = builds
    # The copy now holds the edited constant (the last step only adds a failing figure
    # and a comment, which leave glorot_compromise's drawing alone).
    after = b["palette and a library constant"]["svgs"]["glorot_compromise"]
    assert after == _fresh_render(root, "glorot_compromise")


def test_worker_tracebacks_name_the_figure(builds):
    _, b = builds
    error = b["a failing figure"]["error"]
    assert error is not None
    assert "figure variance_by_fan failed" in error
    assert "Traceback" in error and "RuntimeError: boom in the figure" in error and "basics.py" in error


KEYS = textwrap.dedent(
    r'''
    import json, sys
    from pathlib import Path

    sys.path[:0] = ["src", "docs/hooks"]
    import core, entries

    a, b = Path("a.py"), Path("b.py")
    out = {"imports": entries.notebook_imports(a), "closure": core.library_closure(["weightinit.experiments"]),
           "keys": [entries.notebook_key(a), entries.notebook_key(b)]}
    initializers = Path("src/weightinit/initializers.py")
    initializers.write_text(initializers.read_text() + "\n# edited\n")
    core.fresh_library()  # as each build does
    out["edited"] = [entries.notebook_key(a), entries.notebook_key(b)]
    json.dump(out, sys.stdout)
    '''
)


def test_notebook_keys_follow_the_library_modules_they_import(tmp_path):
    import json

    root = copy_project(tmp_path, PAGES, MKDOCS_YML, figure_modules=("basics",))
    (root / "a.py").write_text("# %%\nfrom weightinit.experiments import activation_stats\n")
    # The datasets import no initializer.
    (root / "b.py").write_text("# %%\nimport weightinit.datasets as v\n")
    run = subprocess.run([sys.executable, "-c", KEYS], cwd=root, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["imports"] == ["weightinit.experiments"]
    assert "weightinit.initializers" in out["closure"]
    assert out["edited"][0] != out["keys"][0]
    assert out["edited"][1] == out["keys"][1]


NOTEBOOKS_YML = MKDOCS_YML + """\
  - docs/hooks/notebooks.py
plugins:
  - mkdocs-jupyter:
      include: ["notebooks/*.py"]
      ignore: ["*.md"]
      execute: true
      allow_errors: false
"""


def test_a_failing_notebook_stops_the_build_and_names_it(tmp_path):
    """Notebooks run in the build workers; a cell's error comes back with the notebook's name."""
    root = copy_project(tmp_path, PAGES, MKDOCS_YML, figure_modules=("basics",))
    (root / "mkdocs.yml").write_text(NOTEBOOKS_YML)
    notebooks = root / "docs" / "notebooks"
    notebooks.mkdir()
    (notebooks / "good.py").write_text("# %%\nprint(1 + 1)\n")
    (notebooks / "bad.py").write_text('# %%\nraise RuntimeError("boom in the notebook")\n')
    env = {**os.environ, "WEIGHTINIT_CACHE_DIR": str(root / ".cache"), "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": str(root / "src")}
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, env=env,
                         capture_output=True, text=True)
    assert run.returncode != 0
    assert "notebook notebooks/bad.py failed" in run.stderr, run.stderr[-3000:]
    assert "boom in the notebook" in run.stderr
    # The page did not execute it a second time: the worker's run was the only one.
    assert "Converting notebook" not in run.stderr
