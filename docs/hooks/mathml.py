"""TeX to MathML, and MathML to plain text: the engine the formula and notebook hooks share.

TeX becomes MathML once per formula, by Temml under node (``tex2mathml.mjs``,
``node_modules`` from ``package.json``): one node process per build, not one per page.
Each formula also gets a plain-text reading (``Var(W) = 2/n_in``) for search and tables
of contents. Not a hook: ``formulas.py`` and ``notebooks.py`` import it.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
TEX2MATHML = Path(__file__).with_name("tex2mathml.mjs")
TEMML = ROOT / "node_modules" / "temml"
_CACHE: dict[tuple[str, bool], str] = {}


# ------------------------------------------------------------------ TeX to MathML


def check_node() -> None:
    if shutil.which("node") is None:
        raise PluginError(
            "node is missing: the build renders math with Temml under Node.js >= 18 "
            "(Debian: apt-get install nodejs npm; then `make venv` runs `npm ci`)"
        )
    if not (TEMML / "package.json").is_file():
        raise PluginError(f"{TEMML} is missing: run `npm ci --omit=dev` (or `make venv`) in {ROOT}")


def tex_to_mathml(items: list[tuple[str, bool]]) -> list[str]:
    """MathML for each ``(tex, display)``; the build's node process converts those that are new.

    A TeX error stops the build with the formula named, rather than showing raw TeX.
    """
    todo = sorted({item for item in items if item not in _CACHE})
    if todo:
        node, stderr = _node()
        try:
            node.stdin.write(json.dumps(todo) + "\n")
            node.stdin.flush()
            answer = node.stdout.readline()
        except BrokenPipeError:
            answer = ""
        if not answer:
            node.wait()
            stderr.seek(0)
            raise PluginError(f"tex2mathml.mjs failed (exit {node.returncode}): {stderr.read().strip()[-2000:]}")
        for (tex, display), out in zip(todo, json.loads(answer)):
            if "error" in out:
                raise PluginError(f"TeX error in {tex!r}: {out['error']}")
            _CACHE[(tex, display)] = out["mathml"]
    return [_CACHE[item] for item in items]


_NODE: list = []


def _node() -> tuple[subprocess.Popen, object]:
    """The Node.js process that runs ``tex2mathml.mjs`` for this build, and the file of its
    stderr; started on first use. One process, not one per page: starting node and Temml
    costs about 0.1 s of CPU, and a cold build converts the math of some 60 pages and cells."""
    if not _NODE or _NODE[0][0].poll() is not None:
        close_node()
        stderr = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed by _close_node
        node = subprocess.Popen(["node", str(TEX2MATHML)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=stderr, text=True, encoding="utf-8", cwd=ROOT)
        _NODE.append((node, stderr))
    return _NODE[0]


def close_node() -> None:
    while _NODE:
        node, stderr = _NODE.pop()
        if node.poll() is None:
            node.stdin.close()
            try:
                node.wait(timeout=10)
            except subprocess.TimeoutExpired:
                node.kill()
                node.wait()
        node.stdout.close()
        stderr.close()



# --------------------------------------------------------- MathML to plain text

_INVISIBLE = dict.fromkeys(map(ord, "\u2061\u2062\u2063\u2064"), None)
_SPACED = set("=<>∼≈≤≥≠∝→←↦∈±×⋅+−")
_SUPERSCRIPT = str.maketrans("0123456789+−", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻")
_ACCENT = {"~": "\u0303", "˜": "\u0303", "^": "\u0302", "ˆ": "\u0302", "¯": "\u0304", "‾": "\u0304"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _group(text: str) -> str:
    text = text.strip()
    return text if len(text) == 1 or re.fullmatch(r"[\w.′⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻]+|\(.*\)|√\(.*\)", text) else f"({text})"


def _plain(el) -> str:
    tag = _local(el.tag)
    kids = [k for k in el if _local(k.tag) not in ("annotation", "annotation-xml", "mphantom")]
    if tag in ("mi", "mn", "mtext", "ms"):
        return (el.text or "").translate(_INVISIBLE)
    if tag == "mo":
        op = (el.text or "").translate(_INVISIBLE).strip()
        if op in _SPACED:
            return f" {op} "
        return ", " if op == "," else op
    if tag == "mspace":
        return " "
    parts = [_plain(k) for k in kids]
    if tag == "mfrac" and len(parts) == 2:
        return f"{_group(parts[0])}/{_group(parts[1])}"
    if tag == "msqrt":
        return f"√{_group(''.join(parts))}"
    if tag == "mroot" and len(parts) == 2:
        return f"{_group(parts[1])}√{_group(parts[0])}"
    if tag == "msup" and len(parts) == 2:
        sup = parts[1].strip()
        if sup in ("′", "″", "'"):
            return parts[0] + sup
        if re.fullmatch(r"[0-9+−]+", sup):
            return parts[0] + sup.translate(_SUPERSCRIPT)
        return f"{parts[0]}^{_group(sup)}"
    if tag == "msub" and len(parts) == 2:
        return f"{parts[0]}_{_group(parts[1])}"
    if tag == "msubsup" and len(parts) == 3:
        return f"{parts[0]}_{_group(parts[1])}^{_group(parts[2])}"
    if tag == "mover" and len(parts) == 2:
        mark = parts[1].strip()
        if mark in _ACCENT:
            return parts[0].strip() + _ACCENT[mark]
        return f"{parts[0]}^{_group(mark)}"
    if tag == "munder" and len(parts) == 2:
        return f"{parts[0]}_{_group(parts[1])}"
    if tag == "munderover" and len(parts) == 3:
        return f"{parts[0]}_{_group(parts[1])}^{_group(parts[2])}"
    if tag == "mtable":
        return "; ".join(p.strip() for p in parts)
    if tag == "mtr":
        return " ".join(p.strip() for p in parts)
    # Neighbours that would run together (n_in then Var) get a space.
    out = ""
    for part in parts:
        if out and part and (out[-1].isalnum() or out[-1] in "′)]") and part[0].isalnum():
            out += " "
        out += part
    return out


def mathml_to_text(mathml: str) -> str:
    """A plain-text reading of MathML, for search and tables of contents."""
    try:
        root = ET.fromstring(mathml)
    except ET.ParseError:
        text = html.unescape(re.sub(r"<[^>]+>", "", mathml))
    else:
        text = _plain(root)
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
    return re.sub(r"\(\s+", "(", re.sub(r"\s+([,)])", r"\1", text))



_TOC_TEX = re.compile(r"\\\((.+?)\\\)|\$\$(.+?)\$\$|\$([^$]+?)\$", re.S)


def plain_title(title: str) -> str:
    """A ToC title without TeX or pilcrows."""
    title = title.replace("¶", "")
    found = [(html.unescape(next(g for g in m.groups() if g is not None)).strip(), False) for m in _TOC_TEX.finditer(title)]
    if found:
        texts = iter(mathml_to_text(x) for x in tex_to_mathml(found))
        title = _TOC_TEX.sub(lambda m: next(texts), title)
    return title.strip()
