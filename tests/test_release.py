"""A release says one version everywhere: the tag, the package, CHANGELOG.md, CITATION.cff."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _check():
    spec = importlib.util.spec_from_file_location("check_version", ROOT / ".ci" / "check_version.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_package_changelog_and_citation_agree():
    import weightinit

    check = _check()
    assert check.package_version() == weightinit.__version__
    assert set(check.versions().values()) == {weightinit.__version__}, check.versions()
    assert check.problems() == []


def test_tag_check_accepts_the_version_tag_only():
    check = _check()
    version = check.package_version()
    assert check.problems(f"v{version}") == []
    for wrong in (version, f"v{version}.1", "v0.0.0-not-this"):
        assert check.problems(wrong), wrong
    assert check.main(["check_version.py", f"v{version}"]) == 0
    assert check.main(["check_version.py", "v999.0.0"]) == 1


def _workflow() -> dict:
    data = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def test_release_workflow_checks_the_tag_then_publishes_with_trusted_publishing():
    flow = _workflow()
    assert flow["on"]["push"]["tags"] == ["v*"]
    jobs = flow["jobs"]
    steps = jobs["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    check = next(k for k, run in enumerate(runs) if ".ci/check_version.py" in run)
    assert '"$GITHUB_REF_NAME"' in runs[check]
    build = next(k for k, run in enumerate(runs) if "-m build" in run)
    twine = next(k for k, run in enumerate(runs) if "twine check --strict" in run)
    assert check < build < twine
    assert any("make site" in run for run in runs)
    pypi = jobs["pypi"]
    assert pypi["needs"] == "build" and pypi["environment"]["name"] == "pypi"
    assert pypi["permissions"] == {"id-token": "write"}
    assert any(step.get("uses", "").startswith("pypa/gh-action-pypi-publish@") for step in pypi["steps"])
    assert not any("password" in step.get("with", {}) for step in pypi["steps"])  # trusted, no token
    site = jobs["site"]
    assert site["needs"] == "pypi" and site["permissions"]["pages"] == "write"
    assert any(step.get("uses", "").startswith("actions/deploy-pages@") for step in site["steps"])


def test_changelog_starts_with_the_package_version():
    import weightinit

    headings = re.findall(r"^## (.+)$", (ROOT / "CHANGELOG.md").read_text(), re.M)
    assert headings and headings[0].split()[0] == weightinit.__version__, headings


# CFF 1.2.0 (citation-file-format.github.io/1.2.0/schema): the keys a file may have at
# its top level, those it must have, and the fields of a person or an entity.
CFF_KEYS = {
    "abstract", "authors", "cff-version", "commit", "contact", "date-released", "doi", "identifiers",
    "keywords", "license", "license-url", "message", "preferred-citation", "references", "repository",
    "repository-artifact", "repository-code", "title", "type", "url", "version",
}
CFF_REQUIRED = {"authors", "cff-version", "message", "title"}
CFF_PERSON = {"address", "affiliation", "alias", "city", "country", "email", "family-names", "fax",
              "given-names", "name-particle", "name-suffix", "orcid", "post-code", "region", "tel", "website"}
CFF_ENTITY = {"address", "alias", "city", "country", "date-end", "date-start", "email", "fax", "location",
              "name", "orcid", "post-code", "region", "tel", "website"}
URL = re.compile(r"^(https|http|ftp|sftp)://.+")


def test_citation_file_follows_cff_1_2_0():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0"
    assert CFF_REQUIRED <= set(cff) <= CFF_KEYS, set(cff) ^ CFF_KEYS
    assert cff["type"] in {"software", "dataset"}
    assert all(isinstance(cff[k], str) and cff[k] for k in ("message", "title", "version", "abstract"))
    assert cff["authors"], "at least one author"
    for author in cff["authors"]:
        assert set(author) <= (CFF_ENTITY if "name" in author else CFF_PERSON), author
        assert all(isinstance(v, str) and v for v in author.values()), author
    for key in ("url", "repository-code"):
        assert URL.match(cff[key]), key
    assert cff["license"] == "MIT" and "MIT License" in (ROOT / "LICENSE").read_text()
    assert all(isinstance(k, str) and k for k in cff["keywords"])
