"""What the site takes from Material's templates, held to the Material it was made for.

The site changes Material's pages through ``custom_dir`` overrides (docs/overrides) and
its own scripts and stylesheets. Each leans on upstream files and names that an upgrade
of Material may change without a word: an overridden block may move, a copied partial
may gain a fix, a class a stylesheet targets may be renamed. This test holds a
fingerprint (SHA-256) of every upstream template and partial the overrides replace,
extend or read, so an upgrade fails here, naming the override to re-check and the
upstream file that changed; and it checks that every Material name (``md-*`` classes
and custom properties, ``data-md-*`` attributes, ``__md_*`` functions) the site's
scripts, stylesheets and overrides use still exists in the installed Material.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OVERRIDES = ROOT / "docs" / "overrides"

#: The Material the fingerprints were taken from (pyproject.toml's docs extra admits it).
MADE_FOR = "9.8.1"

#: Upstream template (under material/templates) -> (its SHA-256 at MADE_FOR, the override
#: that relies on it, how). The hash is taken with Material's version stamp (base.html's
#: generator tag) blanked: a release that changes nothing else passes.
UPSTREAM = {
    "main.html": ("9948b55a7bc979c35825df99baba9e6971fca4eb298dea3cdde61e990a2de5e0", "main.html",
                  "replaced by the override"),
    "base.html": ("a96efe9eb5213f22f2f868e6664566d99340e59df8ec4d17d67a06068417b0fd", "main.html",
                  "extended: its blocks header, extrahead and scripts are overridden around super()"),
    "partials/header.html": ("8cf3fb15bcf969ff596649616fd99366b3c31c08d57a86d05308efc16d8fa75f", "main.html",
                             "the header block's super() renders it, palette form first; the script follows it"),
    "partials/palette.html": ("fb935107ae7d3d7475965019eec36c1ad72bf1d154254dab2474921fcd2710e3", "main.html",
                              "the header block's script reads its form, inputs and labels"),
    "partials/javascripts/palette.html": (
        "8790389765ea6036effddba548b15093bb05bdc75624eaeaf8b13f3c24be4ab5", "main.html",
        "the header block's script does at first paint, without a stored palette, what this does with one"),
    "partials/javascripts/base.html": ("d6113712bc4deb30b4bd810ee0dfc28b6f04d2f88cc0016c0f1766eac7b762b6", "main.html",
                                       "defines __md_get, which the header block's script calls"),
    "partials/search.html": ("bfd556535abcddb99396ab2a7e3acc2ebcd3f36756007d3969396caa4126be30",
                             "partials/search.html", "copied with two changes (the dialog's name, the share button)"),
}

#: The site's files that name Material's classes, attributes and functions.
SITE_FILES = sorted({*(ROOT / "docs").glob("javascripts/*.js"), *(ROOT / "docs").glob("stylesheets/*.css"),
                     *(ROOT / "docs").glob("explorer/*.css"), *(ROOT / "docs").glob("explorer/*.js"),
                     *OVERRIDES.rglob("*.html")})
#: A Material name: a class or custom property (md-typeset__table, --md-hue), an attribute
#: (data-md-component) or a function (__md_get). A prefix a script completes
#: ("data-md-color-" + key) is not a name.
NAME = re.compile(r"(?<![\w-])(?:--)?(?:data-)?md-[a-z0-9]+(?:(?:--?|__?)[a-z0-9]+)*(?![\w-])|__md_[a-z]+")
TEMPLATE_REFERENCE = re.compile(r"{%-?\s*(?:extends|include|import)\s+\"(?P<name>[^\"]+)\"")


def material_templates() -> Path:
    try:
        import material
    except ImportError:
        pytest.fail("mkdocs-material is not installed: run `make test`, which installs it")
    return Path(material.__file__).parent / "templates"


VERSION_STAMP = re.compile(rb"mkdocs-material-[0-9][\w.+-]*")


def fingerprint(path: Path) -> str:
    return hashlib.sha256(VERSION_STAMP.sub(b"mkdocs-material-VERSION", path.read_bytes())).hexdigest()


def changed(templates: Path, version: str) -> list[str]:
    """One line per upstream file whose bytes differ from its fingerprint (or that is gone)."""
    found = []
    for name, (digest, override, how) in UPSTREAM.items():
        path = templates / name
        now = fingerprint(path) if path.is_file() else "missing"
        if now != digest:
            found.append(
                f"docs/overrides/{override}: re-check it against material/templates/{name} ({how}); "
                f"that file is not the one of Material {MADE_FOR} (installed: {version}, sha256 {now}). "
                "Then update its fingerprint in tests/test_theme.py."
            )
    return found


def test_upstream_templates_are_the_ones_the_overrides_were_made_for():
    found = changed(material_templates(), metadata.version("mkdocs-material"))
    assert not found, "\n".join(found)


def test_a_changed_upstream_template_names_its_override(tmp_path):
    templates = material_templates()
    for name in UPSTREAM:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(templates / name, tmp_path / name)
    assert changed(tmp_path, MADE_FOR) == []
    with (tmp_path / "partials/palette.html").open("a") as f:
        f.write("\n")
    (tmp_path / "partials/search.html").unlink()
    found = changed(tmp_path, "9.9.0")
    assert len(found) == 2
    assert found[0].startswith("docs/overrides/main.html: re-check it against material/templates/partials/palette.html")
    assert found[1].startswith("docs/overrides/partials/search.html: re-check it against "
                               "material/templates/partials/search.html")
    assert "installed: 9.9.0, sha256 missing" in found[1]


def test_pyproject_admits_the_material_the_overrides_were_made_for():
    from packaging.requirements import Requirement

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    found = [Requirement(r) for r in pyproject["project"]["optional-dependencies"]["docs"]]
    material = [r for r in found if r.name == "mkdocs-material"]
    assert len(material) == 1 and material[0].specifier.contains(MADE_FOR), (
        f"pyproject.toml's docs extra must admit mkdocs-material {MADE_FOR}, the version of the fingerprints: "
        f"{[str(r) for r in material]}"
    )


def test_every_override_and_what_it_builds_on_is_fingerprinted():
    """A new override, or one that extends or includes another upstream template, needs a
    fingerprint here first. Material's icons (.icons/) are data, not templates."""
    missing = []
    for path in sorted(OVERRIDES.rglob("*.html")):
        name = path.relative_to(OVERRIDES).as_posix()
        if name not in UPSTREAM:
            missing.append(f"{name} (the upstream file it replaces)")
        for m in TEMPLATE_REFERENCE.finditer(path.read_text()):
            if not m["name"].startswith(".icons/") and m["name"] not in UPSTREAM:
                missing.append(f"{m['name']} (used by {name})")
    overrides = {override for _, override, _ in UPSTREAM.values()}
    gone = sorted(o for o in overrides if not (OVERRIDES / o).is_file())
    assert not missing, f"add fingerprints of these Material templates to UPSTREAM: {missing}"
    assert not gone, f"UPSTREAM names overrides that no longer exist: {gone}"


def material_names(templates: Path) -> set[str]:
    """Every Material name in its shipped templates, stylesheets and scripts (not the source maps)."""
    return {name for path in templates.rglob("*") if path.suffix in {".html", ".css", ".js"}
            for name in NAME.findall(path.read_text(encoding="utf-8", errors="replace"))}


def unknown_names(text: str, known: set[str]) -> list[str]:
    return sorted({name for name in NAME.findall(text) if name not in known})


def test_material_names_the_site_uses_exist():
    known = material_names(material_templates())
    unknown = {path.relative_to(ROOT).as_posix(): names for path in SITE_FILES
               if (names := unknown_names(path.read_text(), known))}
    assert not unknown, (
        f"names no longer in Material {metadata.version('mkdocs-material')} (these files were written "
        f"against {MADE_FOR}): {unknown}"
    )


def test_names_are_read_as_material_writes_them():
    text = ('.md-typeset__table { color: var(--md-default-fg-color--light); }\n'
            'form[data-md-component=palette]; __md_get("x"); "data-md-color-" + key; .doc-object')
    assert NAME.findall(text) == ["md-typeset__table", "--md-default-fg-color--light", "data-md-component",
                                  "__md_get"]
    assert unknown_names(text, {"md-typeset__table", "data-md-component", "__md_get"}) == [
        "--md-default-fg-color--light"]


def test_assets_the_overrides_name_are_the_installed_themes():
    """main.html loads Material's bundle itself (deferred): the file it names, hash and
    all, is the one the installed Material ships."""
    named = set()
    for path in OVERRIDES.rglob("*.html"):
        named |= set(re.findall(r"'(assets/javascripts/bundle\.[0-9a-f]+\.min\.js)'", path.read_text()))
    assert named, "main.html no longer names Material's bundle: has its scripts block changed?"
    assets = material_templates()
    missing = sorted(n for n in named if not (assets / n).is_file())
    assert not missing, f"the overrides name {missing}, which the installed Material lacks: re-check main.html's scripts block against its base.html"


HOOKS = ROOT / "docs" / "hooks"
#: MkDocs events whose first argument is the theme's rendered HTML (a page's, or a template's).
THEME_HTML_EVENTS = ("on_post_page", "on_post_template")


def _own_nodes(func):
    """The nodes of `func`'s body, without those of functions and lambdas defined in it."""
    import ast

    todo = list(func.body)
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            todo.extend(ast.iter_child_nodes(node))


def _rewrites_theme_html(source: str) -> list[str]:
    """The hooks in `source` that change the HTML the theme rendered: an event of
    `THEME_HTML_EVENTS` that rebinds its first argument or returns anything but it (a
    bare return or none at all hands it on unchanged)."""
    import ast

    found = []
    for func in ast.parse(source).body:
        if not isinstance(func, ast.FunctionDef) or func.name not in THEME_HTML_EVENTS or not func.args.args:
            continue
        arg = func.args.args[0].arg
        nodes = list(_own_nodes(func))
        rebound = any(isinstance(n, ast.Name) and n.id == arg and isinstance(n.ctx, ast.Store) for n in nodes)
        returned = [n.value for n in nodes if isinstance(n, ast.Return) and n.value is not None]
        if rebound or any(not (isinstance(r, ast.Name) and r.id == arg) for r in returned):
            found.append(func.name)
    return found


@pytest.mark.parametrize("hook", sorted(p.name for p in HOOKS.glob("*.py")))
def test_no_hook_rewrites_the_html_the_theme_rendered(hook):
    """The hooks change a page's own content (Markdown's, mkdocstrings' and nbconvert's
    HTML) and Material's pages only through docs/overrides: an event that receives the
    theme's output hands it on unchanged."""
    found = _rewrites_theme_html((HOOKS / hook).read_text(encoding="utf-8"))
    assert not found, f"docs/hooks/{hook}: {', '.join(found)} changes the theme's HTML; change the page's " \
                      "content (on_page_content, on_page_context) or a template block in docs/overrides instead"


@pytest.mark.parametrize("body, rewrites", [
    ("return html.replace('a', 'b')", True),
    ("html += 'x'\n    return html", True),
    ("for html in [html + 'x']:\n        pass\n    return html", True),
    ("if (html := html + 'x'):\n        return html", True),
    ("write(page)\n    return html", False),
    ("write(page)", False),
    ("def helper(x):\n        return x + 'y'\n    helper(html)\n    return html", False),
])
def test_the_theme_html_check_finds_a_rewrite(body, rewrites):
    source = f"def on_post_page(html, page, config):\n    {body}\n"
    assert bool(_rewrites_theme_html(source)) is rewrites
