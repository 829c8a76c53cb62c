"""What the package declares: its public functions typed, its dependencies the library's own."""

from __future__ import annotations

import ast
import inspect
import re
import sys
import tomllib
from pathlib import Path

import weightinit

ROOT = Path(__file__).resolve().parents[1]


def _public_callables():
    """Every function of ``weightinit.__all__``, and the public methods of its classes."""
    for name in weightinit.__all__:
        obj = getattr(weightinit, name)
        if inspect.isfunction(obj):
            yield name, obj
        elif inspect.isclass(obj) and obj.__module__.startswith("weightinit."):
            for attr, member in vars(obj).items():
                function = getattr(member, "__func__", member)  # classmethods too
                if inspect.isfunction(function) and (not attr.startswith("_") or attr == "__call__"):
                    if function.__name__ == attr:  # a method, not a field holding a function
                        yield f"{name}.{attr}", function
    for cls in (weightinit.nn.MLP, weightinit.nn.Dense):
        for attr in ("build", "create", "forward", "predict", "backward", "__call__"):
            member = vars(cls).get(attr)
            if member is not None:
                yield f"{cls.__name__}.{attr}", getattr(member, "__func__", member)
    for name in ("mse", "cross_entropy", "binary_cross_entropy", "train"):
        yield f"nn.{name}", getattr(weightinit.nn, name)


def test_public_functions_have_type_hints():
    missing = []
    for name, function in _public_callables():
        signature = inspect.signature(function)
        bare = [p for p, v in signature.parameters.items()
                if v.annotation is inspect.Parameter.empty and p not in ("self", "cls")]
        if bare or signature.return_annotation is inspect.Signature.empty:
            missing.append(f"{name}: {', '.join(bare) or 'return'}")
    assert not missing, "public functions without type hints:\n" + "\n".join(missing)


def test_the_package_marks_itself_typed():
    assert (Path(weightinit.__file__).parent / "py.typed").is_file()


def test_runtime_dependencies_are_numpy_and_scipy():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {d.split(">")[0].split("=")[0].split("<")[0].strip() for d in project["dependencies"]}
    assert names == {"numpy", "scipy"}
    assert project["dynamic"] == ["version"] and "version" not in project


# ------------------------------------------------------------------ notebooks to take away

NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.py"))
INSTALL = re.compile(r"`pip install (?P<packages>[A-Za-z0-9_. -]+)`")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _installs(names) -> set[str]:
    """The distributions `pip install <names>` brings, from the installed metadata; one that
    is not installed here (jupyter, the notebook front end) counts for itself alone."""
    from importlib import metadata

    from packaging.requirements import Requirement

    todo, seen = [_normal(n) for n in names], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for line in requires:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(_normal(requirement.name))
    return seen


def _imports(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names)


def test_each_notebook_says_what_to_install_and_it_is_enough():
    """The first cell of each notebook names one `pip install ...` line, and every module
    the notebook imports comes with it: the line is all a reader needs beside Python."""
    from importlib import metadata

    assert NOTEBOOKS
    providers = metadata.packages_distributions()
    for notebook in NOTEBOOKS:
        text = notebook.read_text()
        first_cell = text.split("\n# %%\n", 1)[0]
        match = INSTALL.search(first_cell)
        assert match, f"{notebook.name}: its first cell names no `pip install ...` line"
        packages = match["packages"].split()
        assert packages[0] == "weightinit" and "jupyter" in packages, packages
        brought = _installs(packages)
        missing = {
            module: providers.get(module)
            for module in _imports(text)
            if not {_normal(d) for d in providers.get(module, [])} & brought
        }
        line = match[0].strip("`")
        assert not missing, f"{notebook.name} imports what `{line}` does not install: {missing}"


def test_install_closure_sees_dependencies():
    """The check above credits a package with its dependencies, and nothing with others'."""
    assert {"weightinit", "numpy", "scipy"} <= _installs(["weightinit"])
    assert "matplotlib" not in _installs(["weightinit"])
    assert _installs(["jupyter"]) == {"jupyter"} or "ipykernel" in _installs(["jupyter"])
