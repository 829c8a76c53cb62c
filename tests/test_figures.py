"""The figure registry and what figure modules may contain: layout and style, no simulation."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
from matplotlib.figure import Figure

import weightinit.figures as figures
from weightinit.figures import FIGURES
from weightinit.figures._style import register

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "weightinit" / "figures"
MODULES = ("basics", "schemes", "pitfalls", "experiments", "practice", "architectures")
# Calls that draw or compute random numbers, or run a network: not a figure's job.
SIMULATION_CALLS = {"default_rng", "standard_normal", "normal", "uniform", "integers", "random", "permutation",
                    "einsum", "forward", "backward", "train", "svd", "qr"}


def _tree(name):
    return ast.parse((PACKAGE / f"{name}.py").read_text())


def test_registry_names_every_figure_once_with_alt_text_and_caption():
    import importlib

    declared = {n for m in MODULES for n in importlib.import_module(f"weightinit.figures.{m}").__all__}
    assert set(FIGURES) == declared
    for name, spec in FIGURES.items():
        assert spec.name == name == spec.function.__name__
        assert spec.module.rsplit(".", 1)[1] in MODULES
        assert spec.alt and spec.alt == spec.alt.strip() and "\n" not in spec.alt, name
        assert spec.caption == " ".join(inspect.getdoc(spec.function).split()), name


def test_every_module_lists_exactly_its_registered_figures():
    for name in MODULES:
        module = getattr(figures, name)
        registered = sorted(s.name for s in FIGURES.values() if s.module == module.__name__)
        assert sorted(module.__all__) == registered, name


def test_register_rejects_a_missing_alt_text_or_docstring():
    with pytest.raises(ValueError, match="alt"):
        register(alt=" ")
    with pytest.raises(ValueError, match="docstring"):
        register(alt="A figure.")(lambda: Figure())


@pytest.mark.parametrize("name", MODULES)
def test_figure_modules_only_draw(name):
    """No matrix products, random draws, training loops or private names from the library."""
    tree = _tree(name)
    for node in ast.walk(tree):
        assert not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult)), f"{name}: @ at {node.lineno}"
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            assert called not in SIMULATION_CALLS, f"{name}: {called}() at line {node.lineno}"
        if isinstance(node, ast.ImportFrom):
            assert node.module != "tables" and not (node.module or "").endswith(".tables"), f"{name} imports tables"
            for alias in node.names:
                assert not alias.name.startswith("_"), f"{name} imports the private name {alias.name}"
            if node.level == 0:
                assert not (node.module or "").startswith("numpy.random"), name
        if isinstance(node, ast.Import):
            assert all(a.name != "weightinit.tables" for a in node.names), name


def test_library_does_not_import_figures():
    """Dependencies point one way: library -> experiments -> figures."""
    for path in (ROOT / "src" / "weightinit").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                assert "figures" not in (node.module or "").split("."), path.name
                assert not any(a.name == "figures" for a in node.names), path.name
