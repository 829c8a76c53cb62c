"""Check that a release tag names the package's version, and that every file that states
the version agrees: ``python .ci/check_version.py v0.1.0`` (the release workflow passes
the tag it runs for). Without a tag it checks the files alone.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def package_version() -> str:
    """``weightinit.__version__``, read from the source without importing it."""
    tree = ast.parse((ROOT / "src" / "weightinit" / "__init__.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["__version__"]:
            return ast.literal_eval(node.value)
    raise LookupError("src/weightinit/__init__.py sets no __version__")


def changelog_version() -> str:
    """The version of CHANGELOG.md's first entry (``## 0.1.0``)."""
    match = re.search(r"^## \[?v?(?P<version>[0-9][^\s\]]*)", (ROOT / "CHANGELOG.md").read_text(), re.M)
    if match is None:
        raise LookupError("CHANGELOG.md has no '## <version>' entry")
    return match["version"]


def citation_version() -> str:
    """CITATION.cff's ``version``."""
    match = re.search(r"^version:\s*[\"']?(?P<version>[^\"'\s]+)", (ROOT / "CITATION.cff").read_text(), re.M)
    if match is None:
        raise LookupError("CITATION.cff has no version")
    return match["version"]


def versions() -> dict[str, str]:
    return {
        "src/weightinit/__init__.py": package_version(),
        "CHANGELOG.md": changelog_version(),
        "CITATION.cff": citation_version(),
    }


def problems(tag: str | None = None) -> list[str]:
    """What disagrees with the package's version: the tag (``v<version>``) and each file."""
    found = versions()
    version = found["src/weightinit/__init__.py"]
    wrong = [f"{where} says {v}, the package {version}" for where, v in found.items() if v != version]
    if tag is not None and tag != f"v{version}":
        wrong.append(f"the tag is {tag}; the package's version {version} is tagged v{version}")
    return wrong


def main(argv: list[str]) -> int:
    wrong = problems(argv[1] if len(argv) > 1 else None)
    for line in wrong:
        print(f"version mismatch: {line}", file=sys.stderr)
    if not wrong:
        print(f"version {package_version()}: package, CHANGELOG.md, CITATION.cff" + (" and tag agree" if len(argv) > 1 else " agree"))
    return 1 if wrong else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
