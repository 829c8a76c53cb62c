"""One version per framework: the pins of ``frameworks.txt``.

``make test-frameworks`` installs those lines, the build places them on the pages with
``[[version: NAME]]``, and ``.ci/constraints.txt`` pins the same versions. No page, no
README line and no docstring types a framework version: every version-like string next
to a framework's name fails here, with its file and line. (That the installed versions
are the pins is checked under ``make test-frameworks``, in tests/test_frameworks.py.)
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PINS = ROOT / "frameworks.txt"

#: Names a text may give a framework besides its package name (matched case-insensitively).
OTHER_NAMES = ("PyTorch", "Hugging Face", "HF", "TensorFlow", "tf.keras")

#: Where versions could be typed: the pages and notebooks, the README, the library
#: (its docstrings are the API page), the tests (this one's examples aside) and the
#: build's own files.
SOURCES = sorted(
    {*(ROOT / "docs").rglob("*.md"), *(ROOT / "docs").rglob("*.py"), *(ROOT / "src").rglob("*.py"),
     *(ROOT / "tests").rglob("*.py"), ROOT / "README.md", ROOT / "Makefile", ROOT / "mkdocs.yml",
     ROOT / ".ci/run"} - {Path(__file__).resolve()}
)


def pins(hooks) -> dict[str, str]:
    return hooks.framework_pins(PINS)


def typed_versions(text: str, names) -> list[tuple[int, str]]:
    """(line number, match) of each version-like string right after a framework's name.

    A version is digits, a dot and digits (``2.13``, ``5.25.0``), after the name, an
    optional word "version" and at most a few characters such as spaces, a backtick,
    ``==``, ``>=`` or ``(v``. A name alone (``Keras 3``, the product) is no version.
    """
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    pattern = re.compile(
        rf"(?<![\w.-])(?:{alternatives})(?![\w-])(?:\[[\w,]*\])?(?:`?,?\s+version)?"
        rf"[\s`'\"*=<>~!(v]{{1,4}}\d+\.\d+",
        re.IGNORECASE,
    )
    return [(text.count("\n", 0, m.start()) + 1, m[0]) for m in pattern.finditer(text)]


def framework_names(hooks) -> list[str]:
    return [*pins(hooks), *OTHER_NAMES]


def test_pins_are_name_equals_version_and_name_the_frameworks(hooks):
    found = pins(hooks)
    assert {"torch", "keras", "jax", "jaxlib", "flax", "transformers"} <= set(found)
    assert all(re.fullmatch(r"\d+(\.\d+)+", v) for v in found.values()), found
    # The local build label is dropped from what a page shows, kept in what pip installs.
    assert "+" not in found["torch"]
    assert re.search(r"^torch==[\d.]+\+cpu$", PINS.read_text(), re.M), "torch must be the CPU build"


def test_a_malformed_pin_fails_the_build_and_names_its_line(hooks, tmp_path):
    bad = tmp_path / "frameworks.txt"
    bad.write_text("# comment\ntorch==2.0.0\nkeras>=3\n")
    with pytest.raises(hooks.PluginError, match=r"frameworks.txt:3: 'keras>=3' is not name==version"):
        hooks.framework_pins(bad)


def lines(path) -> dict[str, str]:
    """name (normalized) -> version of each ``name==version`` line."""
    out = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            out[re.sub(r"[-_.]+", "-", name.lower())] = version
    return out


def test_constraints_pin_each_framework_at_its_pin():
    constraints = lines(ROOT / ".ci/constraints.txt")
    for name, version in lines(PINS).items():
        assert constraints.get(name) == version, (
            f"{name}=={version} in frameworks.txt, {constraints.get(name)} in .ci/constraints.txt: "
            "install the pins into .venv (make test-frameworks) and regenerate the constraints"
        )


def requirements() -> list:
    """Every requirement of pyproject.toml: the library's and each extra's."""
    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    found = project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]
    return [Requirement(r) for r in found]


def test_constraints_satisfy_pyproject():
    """What CI installs (.ci/constraints.txt) lies inside the ranges pyproject.toml states
    work, so a range that excludes the tested version, or a pin outside a range, fails here."""
    constraints = lines(ROOT / ".ci/constraints.txt")
    outside = []
    for req in requirements():
        name = re.sub(r"[-_.]+", "-", req.name.lower())
        if req.marker is None or req.marker.evaluate():
            pinned = constraints.get(name)
            if pinned is None or not req.specifier.contains(pinned, prereleases=True):
                outside.append(f"{req} (constraints: {pinned})")
    assert not outside, f"pyproject.toml's ranges exclude what .ci/constraints.txt installs: {outside}"


def test_the_version_directive_places_the_pin(hooks):
    found = pins(hooks)
    for name, version in found.items():
        assert hooks._directive("version", name, "page.md") == version
    with pytest.raises(ValueError, match="'tensorflow' is not pinned in frameworks.txt; pinned: torch, "):
        hooks._directive("version", "tensorflow", "page.md")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("(`torch/nn/init.py`, PyTorch " + "2.13)", ["PyTorch 2.13"]),
        ("In `transformers` " + "5.25.0, `PreTrainedModel`", ["transformers` 5.25"]),
        ("pip install torch==" + "2.13.0 keras>=" + "3.15", ["torch==2.13", "keras>=3.15"]),
        ("Checked with JAX " + "0.10.2 and Flax 0." + "12.8.", ["JAX 0.10", "Flax 0.12"]),
        ("Hugging Face " + "4.57.6", ["Hugging Face 4.57"]),
        ("`jax[cpu]`==" + "0.10.2; transformers, version " + "5.1", ["jax[cpu]`==0.10",
                                                                 "transformers, version 5.1"]),
        ("(PyTorch [[version: torch]]), Keras 3 layers, `torch/nn/init.py`", []),
        ("torch.nn.init.normal_(w, 0.0, 0.02); keras.layers.Dense(8), jax 0 .1", []),
    ],
)
def test_the_check_finds_a_typed_version(hooks, text, found):
    assert [m for _, m in typed_versions(text, framework_names(hooks))] == found


def test_no_page_types_a_framework_version(hooks):
    names = framework_names(hooks)
    typed = [
        f"{path.relative_to(ROOT)}:{line}: {match!r}"
        for path in SOURCES
        for line, match in typed_versions(path.read_text(encoding="utf-8"), names)
    ]
    assert not typed, (
        "a framework version typed by hand; write [[version: NAME]] on a page (the pin of "
        "frameworks.txt), or name frameworks.txt elsewhere:\n" + "\n".join(typed)
    )
