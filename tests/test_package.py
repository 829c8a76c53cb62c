"""What the package declares: its public functions typed, its dependencies the library's own."""

from __future__ import annotations

import inspect
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
