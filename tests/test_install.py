"""The package a reader installs: built, checked, installed alone, and every snippet run with it.

The wheel and sdist are built from this checkout and checked as the package index checks
them (``twine check --strict``). The wheel goes into a fresh virtual environment the way
the README and the home page say (``pip install weightinit``, with the package index
replaced by the wheel just built, and numpy and scipy taken from wheels at the pinned
versions): it must bring numpy and scipy and nothing else, and every module of it must
import. Then every page block that imports ``weightinit`` runs with that environment's
Python, from an empty folder, in isolated mode: none may rely on the repository's files
or on ``src/`` being on the path. Framework blocks (``<!--pytest.mark.frameworks-->``)
need PyTorch, Keras or JAX and are left to ``make test-frameworks``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
import pytest_codeblocks

pytestmark = pytest.mark.install

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]
CONSTRAINTS = ROOT / ".ci" / "constraints.txt"
IMPORTS_WEIGHTINIT = re.compile(r"^\s*(?:import|from)\s+weightinit\b(?!_)", re.M)
# What the install line says, and what may come with it.
INSTALL_LINE = "pip install weightinit"
RUNTIME = {"weightinit", "numpy", "scipy"}


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{' '.join(map(str, args))} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def _needs(module: str, what: str) -> None:
    """Fail, never skip, when a tool of the test extra is missing."""
    try:
        __import__(module)
    except ImportError:
        pytest.fail(f"{what} is missing: pip install -e '.[test]' (make venv installs it)")


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """The wheel and the sdist, built from this checkout."""
    _needs("build", "build (python -m build)")
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--outdir", out, ROOT)
    return out


def snippet_blocks():
    """(page, line, code, expected output) of every runnable block that imports weightinit,
    framework blocks aside."""
    found = []
    for page in PAGES:
        for block in pytest_codeblocks.extract_from_file(page):
            if block.syntax != "python" or not IMPORTS_WEIGHTINIT.search(block.code):
                continue
            if any("frameworks" in mark for mark in block.marks):
                continue
            found.append((page.relative_to(ROOT).as_posix(), block.lineno, block.code, block.expected_output))
    return found


def test_wheel_and_sdist_pass_twine_check(dist):
    _needs("twine", "twine")
    files = sorted(dist.iterdir())
    assert sorted(f.name.rpartition("-")[2] if f.suffix == ".whl" else f.suffix for f in files) == [".gz", "any.whl"], files
    run(sys.executable, "-m", "twine", "check", "--strict", *files)


def test_wheel_holds_the_library_only(dist):
    (wheel,) = dist.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    packages = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert packages == {"weightinit"}, packages
    assert "weightinit/py.typed" in names
    library = {p.relative_to(ROOT / "src").as_posix() for p in (ROOT / "src" / "weightinit").rglob("*.py")}
    assert library <= set(names), library - set(names)
    (sdist,) = dist.glob("*.tar.gz")
    members = tarfile.open(sdist).getnames()
    assert not [m for m in members if "weightinit_site" in m or "/tests/" in m or "/docs/" in m]


@pytest.fixture(scope="module")
def venv(dist, tmp_path_factory) -> Path:
    """A fresh environment with the README's install line run against the built wheel."""
    base = tmp_path_factory.mktemp("venv")
    wheels = base / "wheels"
    run(sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:", "-c", CONSTRAINTS,
        "-d", wheels, "numpy", "scipy")
    env = base / "env"
    run(sys.executable, "-m", "venv", "--without-pip", env)
    python = env / "bin" / "python"
    # `pip install weightinit`, the index replaced by the wheel just built and numpy's and scipy's.
    requirement = INSTALL_LINE.split()[-1]
    run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-index",
        "--find-links", dist, "--find-links", wheels, requirement)
    return python


def test_install_brings_numpy_and_scipy_only(venv):
    listing = run(sys.executable, "-m", "pip", "--python", venv, "list", "--format=json").stdout
    installed = {p["name"].lower() for p in json.loads(listing)}
    assert installed == RUNTIME, f"installed beside weightinit: {sorted(installed - RUNTIME)}"


def test_every_module_imports_from_the_installed_wheel(venv, tmp_path):
    modules = sorted(
        ".".join(p.relative_to(ROOT / "src").with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "src" / "weightinit").rglob("*.py")
    )
    code = (
        "import importlib, importlib.metadata, importlib.util, pathlib, sys\n"
        f"for name in {modules!r}:\n"
        "    module = importlib.import_module(name)\n"
        "    assert 'site-packages' in module.__file__, module.__file__\n"
        "import weightinit\n"
        "assert weightinit.__version__ == importlib.metadata.version('weightinit')\n"
        "assert (pathlib.Path(weightinit.__file__).parent / 'py.typed').is_file()\n"
        "assert importlib.util.find_spec('weightinit_site') is None\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in {'matplotlib', 'mkdocs', 'pytest'}]\n"
        "print('imported', len(sys.modules) > 0)\n"
    )
    done = run(venv, "-I", "-c", code, cwd=tmp_path)
    assert done.stdout.strip() == "imported True"


RUNNER = r'''
"""Run each block of BLOCKS.json in a forked child, after the imports every block shares."""
import io, json, os, sys, traceback
import numpy, scipy, weightinit  # noqa: F401 - imported once, before the forks

blocks = json.load(open(sys.argv[1]))
results = []
for k, (page, line, code, expected) in enumerate(blocks):
    out = f"result-{k}.json"
    pid = os.fork()
    if pid == 0:
        sys.stdout = buffer = io.StringIO()
        try:
            exec(compile(code, f"{page}:{line}", "exec"), {"__name__": "__main__"})
            error = None
        except BaseException:
            error = traceback.format_exc()
        with open(out, "w") as f:
            json.dump({"output": buffer.getvalue(), "error": error}, f)
        os._exit(0)
    os.waitpid(pid, 0)
    with open(out) as f:
        results.append(json.load(f))
    os.remove(out)
json.dump(results, open(sys.argv[2], "w"))
'''


def test_every_weightinit_snippet_runs_with_the_wheel_alone(venv, tmp_path_factory):
    blocks = snippet_blocks()
    assert blocks, "no page block imports weightinit"
    tools = tmp_path_factory.mktemp("runner")
    (tools / "run.py").write_text(RUNNER)
    (tools / "blocks.json").write_text(json.dumps(blocks))
    empty = tmp_path_factory.mktemp("empty")
    env = {"PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "HOME": str(empty)}
    run(venv, "-I", tools / "run.py", tools / "blocks.json", tools / "results.json", cwd=empty, env=env)
    results = json.loads((tools / "results.json").read_text())
    failed = []
    for (page, line, _, expected), result in zip(blocks, results, strict=True):
        if result["error"]:
            failed.append(f"{page}:{line}\n{result['error']}")
        elif expected is not None and result["output"] != expected:
            failed.append(f"{page}:{line} printed\n{result['output']}expected\n{expected}")
    ran = sorted({page for page, *_ in blocks})
    print(f"{len(blocks)} blocks that import weightinit ran with the installed wheel, from {len(ran)} pages: "
          + ", ".join(ran))
    assert not failed, f"{len(failed)} of {len(blocks)} blocks failed with the installed wheel:\n" + "\n".join(failed)


GIT_LINE = 'pip install "weightinit @ git+https://github.com/weightinit/weightinit"'


def test_readme_and_home_page_give_the_install_lines():
    """The line the `venv` fixture runs is the one the README and the home page give, and
    the repository they name beside it is the package's own (its `Source` URL)."""
    import tomllib

    source = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Source"]
    assert GIT_LINE.endswith(f'git+{source}"')
    for page in (ROOT / "README.md", ROOT / "docs" / "index.md"):
        consoles = [b.code.strip() for b in pytest_codeblocks.extract_from_file(page) if b.syntax == "console"]
        assert INSTALL_LINE in consoles and GIT_LINE in consoles, f"{page.name}: {consoles}"
