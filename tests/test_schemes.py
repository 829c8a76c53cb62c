"""The registry is the single source of truth: names, parameters, formulas and docs agree with the code.

The pages show ``formula``, ``variance_tex`` and ``bound_tex``; a small LaTeX
translator below evaluates the last two and holds them to ``Scheme.variance`` and
``Scheme.bound``, so a page cannot show a formula the library does not compute.
"""

from __future__ import annotations

import ast
import doctest
import inspect
import math
import re
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import weightinit as wi
from weightinit import SCHEMES, bibliography, initializers, schemes

# -------------------------------------------------------------------- registry

#: Public names that are not initializers.
NOT_SCHEMES = {
    "compute_fans", "diagnose", "gain", "get", "scheme", "Scheme", "initializer", "select_fan",
    "variance_scaling_triple", "variance_scaling_triples", "lsuv", "LSUV",
} | set(wi.meanfield.__all__)
#: Schemes with no paper behind them.
PLAIN = {"zeros", "ones", "constant", "normal", "uniform", "truncated_normal"}


def test_every_name_and_alias_resolves():
    seen = set()
    for name, s in SCHEMES.items():
        assert s.name == name
        for alias in (name, *s.aliases):
            assert alias not in seen, f"{alias} is registered twice"
            seen.add(alias)
            assert wi.get(alias) is s.function
            assert wi.scheme(alias) is s
            if alias in wi.__all__:
                assert getattr(wi, alias) is s.function
        assert s.function.__name__ == name


def test_every_public_initializer_is_registered():
    names = {alias for s in SCHEMES.values() for alias in (s.name, *s.aliases)}
    public_callables = {n for n in wi.__all__ if callable(getattr(wi, n))}
    assert public_callables - NOT_SCHEMES <= names
    assert set(SCHEMES) <= set(wi.__all__)


def test_every_scheme_has_a_reference_or_is_plain():
    for name, s in SCHEMES.items():
        if name in PLAIN:
            continue
        ref = s.reference
        assert isinstance(ref, bibliography.Entry), name
        assert ref.authors and ref.title and ref.venue and 1950 < ref.year < 2100
        assert ref.url.startswith("https://") or ref.url.startswith("http://")
        assert ref.url in ref.markdown() and ref.title in ref.markdown()


def test_params_are_the_functions_defaults():
    """``params`` lists exactly the function's scheme parameters, with the same defaults."""
    common = {"shape", "in_axis", "out_axis", "rng", "dtype"}
    for name, s in SCHEMES.items():
        sig = inspect.signature(s.function).parameters
        defaults = {k: p.default for k, p in sig.items() if k not in common}
        assert defaults == s.params, name


def test_names_and_aliases_come_from_the_initializers():
    """The registry holds exactly the initializers, under their own names and aliases."""
    assert list(SCHEMES) == list(initializers.INITIALIZERS)
    for alias, name in initializers.ALIASES.items():
        assert alias in SCHEMES[name].aliases
        assert wi.initializer(alias) is initializers.INITIALIZERS[name] is wi.get(alias)
    with pytest.raises(ValueError, match="name must be one of .*'he_normal'.*'kaiming_normal'"):
        wi.initializer("he")
    with pytest.raises(TypeError, match="name must be a str"):
        wi.scheme(3)


#: Parameters at which each variance-scaling scheme must be the call its triple names.
FAMILY_CASES = [{}, {"gain": 1.7}, {"mode": "fan_out"}, {"mode": "fan_geo_avg", "negative_slope": 0.3}]


@pytest.mark.parametrize("name", list(initializers.VARIANCE_SCALING_SCHEMES))
def test_family_functions_are_their_triples(name):
    """Each named scheme draws exactly ``variance_scaling(shape, *triple)``, and its registry
    variance is ``scale / fan``, at its defaults and away from them."""
    s = SCHEMES[name]
    cases = [c for c in FAMILY_CASES if set(c) <= set(s.params)]
    assert len(cases) > 1 or not s.params
    for case in cases:
        params = {**s.params, **case}
        scale, mode, distribution = wi.variance_scaling_triple(name, **params)
        assert distribution == s.distribution
        for shape, layout in [((7, 5), {}), ((6, 4, 3, 3), {"in_axis": 1, "out_axis": 0})]:
            mine = s.function(shape, **case, **layout, rng=0)
            np.testing.assert_array_equal(mine, wi.variance_scaling(shape, scale, mode, distribution, **layout, rng=0))
        fan_in, fan_out = 30, 70
        assert s.variance(fan_in, fan_out, **params) == scale / wi.select_fan(mode, fan_in, fan_out)


def test_variance_scaling_triples_at_defaults():
    assert wi.variance_scaling_triples() == [
        ("lecun_normal", 1.0, "fan_in", "normal"),
        ("lecun_uniform", 1.0, "fan_in", "uniform"),
        ("glorot_normal", 1.0, "fan_avg", "normal"),
        ("glorot_uniform", 1.0, "fan_avg", "uniform"),
        ("he_normal", 2.0, "fan_in", "normal"),
        ("he_uniform", 2.0, "fan_in", "uniform"),
        ("pytorch_default", 1 / 3, "fan_in", "uniform"),
    ]
    with pytest.raises(ValueError, match="mode must be one of"):
        wi.variance_scaling_triple("he_normal", negative_slope=0.0)
    with pytest.raises(ValueError, match="name must be one of .*'lecun_normal'"):
        wi.variance_scaling_triple("orthogonal")


def test_a_family_scheme_cannot_restate_its_triple():
    """Distribution and variance of a variance-scaling scheme come from its triple only."""
    fields = dict(formula="", variance_tex="", summary=".", suits=("x",), cites=None)
    with pytest.raises(TypeError, match="takes its distribution and variance from VARIANCE_SCALING_SCHEMES"):
        schemes.Scheme(wi.he_normal, distribution="normal", **fields)
    with pytest.raises(TypeError, match="needs a distribution and a variance"):
        schemes.Scheme(wi.orthogonal, **fields)


# Modules that must not reach into another module's private names.
OWN_MODULES = sorted(p.stem for p in (Path(initializers.__file__).parent).glob("*.py") if p.stem != "__init__")


def imports_of(module: str):
    """``(module, name)`` for every ``from .module import name`` and ``module.name`` in a library module."""
    tree = ast.parse((Path(initializers.__file__).parent / f"{module}.py").read_text())
    modules = {}  # local name -> module, from ``from . import module as local``
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level >= 1:
            for a in node.names:
                if node.module is None:
                    modules[a.asname or a.name] = a.name
                else:
                    yield node.module, a.name
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules:
            yield modules[node.value.id], node.attr


@pytest.mark.parametrize("module", OWN_MODULES)
def test_no_private_name_crosses_a_module(module):
    private = [f"{src}.{name}" for src, name in imports_of(module) if name.startswith("_")]
    assert not private, f"{module} uses private names of other modules: {private}"


def test_nn_builds_layers_without_the_registry():
    assert "schemes" not in {src for src, _ in imports_of("nn")}


def test_distribution_names():
    allowed = {"normal", "truncated_normal", "uniform", "constant", "orthogonal", "identity", "sparse"}
    for s in SCHEMES.values():
        assert s.distribution in allowed
        assert s.summary.endswith(".") and s.suits


def test_bound_only_for_symmetric_uniform():
    for name, s in SCHEMES.items():
        if s.bound_tex is None:
            with pytest.raises(ValueError, match="not a symmetric uniform scheme"):
                s.bound(10, 10)
        else:
            assert s.distribution == "uniform"
            assert s.bound(30, 70) == pytest.approx(math.sqrt(3 * s.variance(30, 70, **s.params)), rel=1e-15)


def test_truncated_normal_registry_uses_scipy_values():
    s = SCHEMES["truncated_normal"]
    ref = stats.truncnorm(-2, 2, scale=0.01)
    assert s.variance(1, 1, **s.params) == pytest.approx(ref.var(), rel=1e-14)
    assert s.mean(1, 1, **s.params) == pytest.approx(ref.mean(), abs=1e-18)


# --------------------------------------------------------- LaTeX -> Python

#: The LaTeX subset used by variance_tex and bound_tex, token by token.
TOKEN = re.compile(
    r"\s+|\\,|\\left\(|\\right\)|\\frac|\\sqrt|\\lceil|\\rceil|\\max|\\min"
    r"|n_\\text\{in\}|n_\\text\{out\}|\\text\{scale\}|\\kappa_\{a,b\}|\\sigma|\\mu|\\rho|\\ell"
    r"|\d+(?:\.\d+)?|[gsh]|[{}()^+\-,]"
)
SYMBOLS = {
    r"n_\text{in}": "fan_in",
    r"n_\text{out}": "fan_out",
    r"\text{scale}": "scale",
    r"\kappa_{a,b}": "kappa",
    r"\sigma": "std",
    r"\mu": "mean",
    r"\rho": "sparsity",
    r"\ell": "low",
    "g": "gain",
    "s": "negative_slope",
    "h": "high",
}


def tokenize(tex: str) -> list[str]:
    tokens, pos = [], 0
    while pos < len(tex):
        match = TOKEN.match(tex, pos)
        assert match, f"unsupported LaTeX at {tex[pos:]!r} in {tex!r}"
        pos = match.end()
        if not match.group().isspace() and match.group() != r"\,":  # spaces only separate factors
            tokens.append(match.group())
    return tokens


class LatexToPython:
    """Recursive descent over the subset: sums of products of powers of atoms.

    expr := ['-'] term (('+' | '-') term)*     term := power power*  (juxtaposition multiplies)
    power := atom ['^' (number | '{' expr '}')]
    atom := number | symbol | '(' expr ')' | '\\left(' expr '\\right)' | '{' expr '}'
          | '\\frac' '{' expr '}' '{' expr '}' | '\\sqrt' '{' expr '}'
          | '\\lceil' expr '\\rceil' | ('\\max' | '\\min') '(' expr ',' expr ')'
    """

    def __init__(self, tex: str):
        self.tokens = tokenize(tex)
        self.pos = 0

    def translate(self) -> str:
        out = self.expr()
        assert self.pos == len(self.tokens), f"trailing tokens {self.tokens[self.pos:]}"
        return out

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, expected=None) -> str:
        token = self.peek()
        assert token is not None and (expected is None or token == expected), (expected, token, self.tokens)
        self.pos += 1
        return token

    def expr(self) -> str:
        out = ""
        if self.peek() == "-":
            out = self.take()
        out += self.term()
        while self.peek() in ("+", "-"):
            out += f" {self.take()} {self.term()}"
        return out

    def term(self) -> str:
        factors = [self.power()]
        while self.peek() not in (None, "+", "-", ")", "}", ",", r"\right)", r"\rceil"):
            factors.append(self.power())
        return " * ".join(factors)

    def power(self) -> str:
        base = self.atom()
        if self.peek() == "^":
            self.take()
            exponent = self.group() if self.peek() == "{" else self.number()
            return f"({base}) ** ({exponent})"
        return base

    def group(self) -> str:
        self.take("{")
        inner = self.expr()
        self.take("}")
        return f"({inner})"

    def number(self) -> str:
        token = self.take()
        assert re.fullmatch(r"\d+(?:\.\d+)?", token), token
        return token

    def atom(self) -> str:
        token = self.peek()
        if token in SYMBOLS:
            self.take()
            return SYMBOLS[token]
        if token == "{":
            return self.group()
        if token in ("(", r"\left("):
            self.take()
            inner = self.expr()
            self.take(")" if token == "(" else r"\right)")
            return f"({inner})"
        if token == r"\frac":
            self.take()
            return f"({self.group()} / {self.group()})"
        if token == r"\sqrt":
            self.take()
            return f"math.sqrt{self.group()}"
        if token == r"\lceil":
            self.take()
            inner = self.expr()
            self.take(r"\rceil")
            return f"math.ceil({inner})"
        if token in (r"\max", r"\min"):
            self.take()
            self.take("(")
            first = self.expr()
            self.take(",")
            second = self.expr()
            self.take(")")
            return f"{token[1:]}({first}, {second})"
        return self.number()


def evaluate(tex: str, fan_in, fan_out, params: dict) -> float:
    code = LatexToPython(tex).translate()
    env = {"math": math, "fan_in": fan_in, "fan_out": fan_out, **params}
    if "a" in params:  # kappa_{a,b}: std of N(0, 1) truncated to (a, b), from scipy, not from the library
        env["kappa"] = stats.truncnorm(params["a"], params["b"]).std()
    return eval(code, {"__builtins__": {"max": max, "min": min}}, env)  # noqa: S307


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        (r"\frac{1}{n_\text{in}}", 1 / 3),
        (r"g^2\,\frac{2}{n_\text{in} + n_\text{out}}", 4 * 2 / 10),
        (r"\sqrt{\frac{6}{(1 + s^2)\,n_\text{in}}}", math.sqrt(6 / (1.25 * 3))),
        (r"\left(1 - \frac{\lceil \rho\, n_\text{in} \rceil}{n_\text{in}}\right)\sigma^2", (1 - 2 / 3) * 0.25),
        (r"\frac{g^2}{\max(n_\text{in}, n_\text{out})}", 4 / 7),
        (r"n_\text{in} n_\text{out} - 3", 18),
        (r"-\frac{(h - \ell)^2}{12}", -((5 - 1) ** 2) / 12),
        (r"\min(n_\text{in}, 2)^{2}", 4),
    ],
)
def test_translator_itself(tex, expected):
    params = {"gain": 2.0, "negative_slope": 0.5, "sparsity": 0.5, "std": 0.5, "low": 1.0, "high": 5.0}
    assert evaluate(tex, 3, 7, params) == pytest.approx(expected, rel=1e-15)


def test_translator_rejects_unknown_latex():
    with pytest.raises(AssertionError, match="unsupported LaTeX"):
        tokenize(r"\frac{1}{\log n_\text{in}}")


#: Values tried for each parameter; every scheme is evaluated at each combination it takes.
PARAM_VALUES = {
    "gain": [1.0, 5 / 3, 0.5],
    "negative_slope": [0.0, 0.01, 0.2],
    "std": [0.01, 1.3],
    "mean": [0.0, -0.7],
    "low": [-0.05, 1.0],
    "high": [0.05, 4.0],
    "sparsity": [0.0, 0.3, 0.9],
    "scale": [1.0, 2.0],
    "value": [0.0, 2.5],
    "a": [-2.0, 3.0],
    "b": [2.0, 5.0],
}
FANS = [(1, 1), (3, 7), (576, 1152), (1000, 10), (128, 128)]
#: variance_tex and bound_tex state the default mode; the other modes are in ``formula``.
FIXED = {"mode": "fan_in", "distribution": "normal"}


def param_grid(scheme):
    keys = [k for k in scheme.params if k not in FIXED]
    grids = [{}]
    for k in keys:
        grids = [{**g, k: v} for g in grids for v in PARAM_VALUES[k]]
    for g in grids:
        if g.get("low", 0) < g.get("high", 1) and g.get("a", 0) < g.get("b", 1):
            yield {**scheme.params, **{k: v for k, v in FIXED.items() if k in scheme.params}, **g}


@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_variance_tex_evaluates_to_variance(name):
    s = SCHEMES[name]
    checked = 0
    for params in param_grid(s):
        for fan_in, fan_out in FANS:
            expected = s.variance(fan_in, fan_out, **params)
            got = evaluate(s.variance_tex, fan_in, fan_out, params)
            assert got == pytest.approx(expected, rel=1e-12, abs=1e-300), (params, fan_in, fan_out)
            checked += 1
    assert checked >= len(FANS)


@pytest.mark.parametrize("name", sorted(n for n, s in SCHEMES.items() if s.bound_tex is not None))
def test_bound_tex_evaluates_to_bound(name):
    s = SCHEMES[name]
    for params in param_grid(s):
        for fan_in, fan_out in FANS:
            got = evaluate(s.bound_tex, fan_in, fan_out, params)
            assert got == pytest.approx(s.bound(fan_in, fan_out, **params), rel=1e-12)


#: Schemes whose ``formula`` states the rule without spelling out the variance, and why.
FORMULA_WITHOUT_VARIANCE = {
    "ones": "the formula gives the value, W = 1; the variance is 0",
    "constant": "the formula gives the value, W = c; the variance is 0",
    "uniform": "the formula names the interval (l, h); the variance (h - l)^2 / 12 follows",
    "truncated_normal": "the formula states the conditioning; kappa_{a,b} is derived from it",
    "variance_scaling": "the formula lists all four fans; variance_tex is the fan_in case",
    "orthogonal": "the formula states orthogonality; the variance g^2 / max(n_in, n_out) follows",
    "identity": "the formula is g I; its mean and variance over the entries follow",
    "sparse": "the formula states the zero count per unit; the variance follows",
}


@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_formula_contains_its_tex(name):
    s = SCHEMES[name]
    contained = s.variance_tex in s.formula or (s.bound_tex is not None and s.bound_tex in s.formula)
    if name in FORMULA_WITHOUT_VARIANCE:
        assert not contained, f"{name} now shows its variance: drop it from FORMULA_WITHOUT_VARIANCE"
    else:
        assert contained, f"{name}: formula {s.formula!r} shows neither variance_tex nor bound_tex"
    tokenize(s.variance_tex)  # and both stay in the supported subset
    if s.bound_tex:
        tokenize(s.bound_tex)


# ------------------------------------------------------------------- docstrings


def public_objects():
    for name in wi.__all__:
        obj = getattr(wi, name)
        if inspect.isfunction(obj) or inspect.isclass(obj):
            yield pytest.param(name, obj, id=name)


def section(doc: str, title: str) -> str | None:
    """Body of a numpydoc section, or None."""
    match = re.search(rf"^{title}\n-{{{len(title)}}}\n(.*?)(?=^\S[^\n]*\n-{{3,}}\n|\Z)", doc, re.S | re.M)
    return match.group(1) if match else None


def documented_names(body: str) -> set[str]:
    names = set()
    for line in body.splitlines():
        if line and not line[0].isspace():
            names.update(n.strip().lstrip("*") for n in line.split(" : ")[0].split(","))
    return names


@pytest.mark.parametrize(("name", "obj"), list(public_objects()))
def test_numpydoc_docstring(name, obj):
    doc = inspect.getdoc(obj)
    assert doc and doc.splitlines()[0].strip(), f"{name} has no summary line"
    parameters = [p for p in inspect.signature(obj).parameters if p != "self"]
    if parameters:
        body = section(doc, "Parameters") or section(doc, "Attributes")
        assert body, f"{name} takes {parameters} but documents none"
        missing = set(parameters) - documented_names(body)
        assert not missing, f"{name} does not document {missing}"
    assert section(doc, "Examples"), f"{name} has no Examples section"
    registered = name in SCHEMES or any(name in s.aliases for s in SCHEMES.values())
    if registered and wi.scheme(name).reference is not None:
        assert section(doc, "References"), f"{name} cites a reference in SCHEMES but not in its docstring"


@pytest.mark.parametrize("module", [initializers, schemes], ids=lambda m: m.__name__)
def test_doctests(module):
    """The Examples run (also: pytest --doctest-modules src/weightinit/initializers.py src/weightinit/schemes.py)."""
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.attempted > 0
    assert result.failed == 0
