"""The floors of the code: a module imports only from floors below its own.

The library a reader installs (`weightinit`) sits below what computes the site
(`weightinit_site`), and inside each the floors run from the argument checks up to the
package's front door. Every import counts, the lazy ones inside functions included:
a lazy import still ties the two modules together, and it is how import circles hide.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"

FLOORS = [
    # the library
    {"weightinit._checks", "weightinit._sampling", "weightinit.bibliography"},
    {"weightinit.initializers", "weightinit.datasets"},
    {"weightinit.nn"},
    {"weightinit.meanfield", "weightinit.diagnose"},
    {"weightinit.recommendations", "weightinit.architectures"},
    {"weightinit.schemes"},
    {"weightinit.experiments"},
    {"weightinit.practice"},
    {"weightinit"},
    # the site's computations, on top of the whole library
    {"weightinit_site", "weightinit_site.explorer", "weightinit_site.figures._style", "weightinit_site.citations"},
    {"weightinit_site.tables", "weightinit_site.values"},
    {"weightinit_site.figures.basics", "weightinit_site.figures.schemes", "weightinit_site.figures.pitfalls",
     "weightinit_site.figures.experiments", "weightinit_site.figures.practice",
     "weightinit_site.figures.architectures"},
    {"weightinit_site.figures"},
    {"weightinit_site.figures.render"},
]
FLOOR = {name: k for k, floor in enumerate(FLOORS) for name in floor}
PACKAGES = ("weightinit", "weightinit_site")
# What the installed library may import besides the standard library: its dependencies.
LIBRARY_DEPENDENCIES = {"numpy", "scipy"}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_file(name: str) -> Path | None:
    base = SRC.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


MODULES = {module_name(p): p for package in PACKAGES for p in sorted((SRC / package).rglob("*.py"))}


def imports(source: str, name: str, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, module) of every import in `source`, the module named `name`, at any depth.

    ``from pkg import x`` counts as importing ``pkg.x`` when that is a module of src/,
    else ``pkg``; relative imports are resolved against `name`'s package.
    """
    package = name if is_package else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.append((node.lineno, sub if module_file(sub) else base))
    return found


def upward_imports(source: str, name: str, is_package: bool = False) -> list[str]:
    """The imports of `source` (module `name`) that reach its own floor or a higher one."""
    own = FLOOR[name]
    return [
        f"{name} (floor {own}) line {line} imports {target} (floor {FLOOR[target]})"
        for line, target in imports(source, name, is_package)
        if target in FLOOR and FLOOR[target] >= own and target != name
    ]


def test_every_module_has_a_floor():
    assert set(MODULES) == set(FLOOR), (
        f"modules without a floor: {sorted(set(MODULES) - set(FLOOR))}; "
        f"floors naming no module: {sorted(set(FLOOR) - set(MODULES))}"
    )


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_point_down(name):
    path = MODULES[name]
    wrong = upward_imports(path.read_text(), name, path.name == "__init__.py")
    assert not wrong, "imports from a floor to one not below it:\n" + "\n".join(wrong)


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.split(".")[0] == "weightinit"))
def test_library_imports_only_numpy_scipy_and_the_standard_library(name):
    """What `pip install weightinit` brings (numpy, scipy) is all the library may import."""
    path = MODULES[name]
    outside = {
        target.split(".")[0]
        for _, target in imports(path.read_text(), name, path.name == "__init__.py")
    } - set(sys.stdlib_module_names) - LIBRARY_DEPENDENCIES - {"weightinit"}
    assert not outside, f"{name} imports {sorted(outside)}, which `pip install weightinit` does not install"


def test_the_check_sees_a_lazy_upward_import():
    """An import inside a function counts, relative or absolute, and so does the package."""
    lazy = "def f():\n    from .practice import diagnose_case\n    return diagnose_case\n"
    assert upward_imports(lazy, "weightinit.experiments") == [
        f"weightinit.experiments (floor {FLOOR['weightinit.experiments']}) line 2 imports weightinit.practice (floor {FLOOR['weightinit.practice']})"
    ]
    site = "def f():\n    import weightinit_site.values\n"
    assert upward_imports(site, "weightinit.schemes") == [
        f"weightinit.schemes (floor {FLOOR['weightinit.schemes']}) line 2 imports weightinit_site.values (floor {FLOOR['weightinit_site.values']})"
    ]
    front = "from weightinit import nn\nimport weightinit\n"
    assert upward_imports(front, "weightinit.meanfield") == [
        f"weightinit.meanfield (floor {FLOOR['weightinit.meanfield']}) line 2 imports weightinit (floor {FLOOR['weightinit']})"
    ]
    same = "from .diagnose import diagnose\n"
    assert upward_imports(same, "weightinit.meanfield") == [
        f"weightinit.meanfield (floor {FLOOR['weightinit.meanfield']}) line 1 imports "
        f"weightinit.diagnose (floor {FLOOR['weightinit.diagnose']})"
    ]


def test_build_cache_keys_follow_the_site_package_into_the_library():
    """The hooks key each cached table, value and figure on the source of every module it
    runs, across both packages (docs/hooks/core.py's `library_closure`)."""
    import core as hooks

    values = hooks.library_closure(["weightinit_site.values"])
    assert {"weightinit_site.values", "weightinit.experiments", "weightinit.meanfield", "weightinit._sampling",
            "weightinit.diagnose", "weightinit.practice", "weightinit.initializers"} <= set(values)
    tables = hooks.library_closure(["weightinit_site.tables"])
    assert {"weightinit.practice", "weightinit.bibliography", "weightinit.schemes"} <= set(tables)
    # Each module found is a real file, and every import the closure follows was seen by the floors.
    assert all(hooks.module_path(name) == MODULES[name] for name in values + tables)
    figure = hooks.library_closure(hooks.module_imports("weightinit_site.figures.basics"))
    assert "weightinit_site.figures._style" in figure and "weightinit.experiments" in figure


def test_explorer_cache_key_follows_the_site_package_into_the_library():
    import core

    used = {core.module_path(name) for name in core.library_closure(["weightinit_site.explorer"])}
    assert MODULES["weightinit_site.explorer"] in used
    assert {MODULES[n] for n in ("weightinit.experiments", "weightinit.nn", "weightinit._checks")} <= used
    assert MODULES["weightinit_site.figures"] not in used


def _readme_map() -> dict[str, str]:
    """The paths README.md's map of the code ("Where things are") names, each with the text
    of its row. In a cell that names several, a bare file name sits in the folder of the
    path before it."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("## Where things are", 1)[1].split("\n## ", 1)[0]
    named = {}
    for row in (line for line in table.splitlines() if line.startswith("| `")):
        folder = ""
        for path in re.findall(r"`([^`\s]+)`", row.split("|")[1]):
            if "/" not in path and folder:
                path = folder + path
            folder = path[: path.rfind("/") + 1] if "/" in path else folder
            named[path.rstrip("/")] = row
    return named


def test_the_readme_map_names_every_module_of_the_library_the_site_and_the_build():
    """Each module is named by its path, or in the row of its folder by its name."""
    named = _readme_map()
    modules = [*(SRC / "weightinit").rglob("*.py"), *(SRC / "weightinit_site").rglob("*.py"),
               *(ROOT / "docs" / "hooks").glob("*.py")]
    missing = []
    for path in sorted(modules):
        rel = path.relative_to(ROOT).as_posix()
        folder_row = named.get(path.parent.relative_to(ROOT).as_posix(), "")
        if path.name != "__init__.py" and rel not in named and f"`{path.stem}`" not in folder_row:
            missing.append(rel)
    assert not missing, f"README.md's map of the code ('Where things are') does not name: {', '.join(missing)}"
    gone = [path for path in sorted(named) if not (ROOT / path).exists()]
    assert not gone, f"README.md's map names paths that do not exist: {', '.join(gone)}"


def test_no_statement_follows_a_return_or_raise():
    """Dead code, such as what a merge can leave behind: a statement after a return or
    raise in the same block never runs."""
    dead = []
    for path in sorted([*SRC.rglob("*.py"), *(ROOT / "docs" / "hooks").glob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for field in ("body", "orelse", "finalbody"):
                block = getattr(node, field, None)
                if isinstance(block, list):
                    dead += [f"{path.relative_to(ROOT)}:{b.lineno}" for a, b in zip(block, block[1:])
                             if isinstance(a, (ast.Return, ast.Raise))]
    assert not dead, f"unreachable statements: {', '.join(dead)}"
