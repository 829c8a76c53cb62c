"""Framework checks for the Practice pages: the PyTorch and Keras diagnostics on broken and
healthy models, bfloat16 rounding, and the equivalence table's calls.

The diagnostic functions are read from the page itself (docs/practice/debug.md), so the code a
reader copies is the code tested here. Run with ``make test-frameworks``.
"""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import numpy as np
import pytest

# Keras reads its backend once, at import: set it before anything imports keras.
os.environ["KERAS_BACKEND"] = "torch"

pytestmark = pytest.mark.frameworks

ROOT = Path(__file__).resolve().parents[1]
FENCE = re.compile(r"^( *)```python\n(.*?)^\1```", re.S | re.M)


def _require(name):
    try:
        return __import__(name)
    except ImportError:
        pytest.fail(f"{name} is not installed: run `make test-frameworks`, which installs it")


def page_block(page: str, needle: str) -> str:
    """The python block of `page` that contains `needle`, dedented."""
    text = (ROOT / "docs" / page).read_text()
    blocks = [textwrap.dedent(m[2]) for m in FENCE.finditer(text) if needle in m[2]]
    assert len(blocks) == 1, f"{page}: {len(blocks)} python blocks contain {needle!r}"
    return blocks[0]


def page_function(page: str, name: str):
    _require("torch")
    namespace = {}
    exec(compile(page_block(page, f"def {name}("), f"{page}:{name}", "exec"), namespace)
    return namespace[name]


# ----------------------------------------------------------------------- diagnostics

def torch_mlp(activation, weight, bias=None, seed=0):
    import torch
    from torch import nn

    torch.manual_seed(seed)
    act = {"relu": nn.ReLU, "tanh": nn.Tanh}[activation]
    layers = [nn.Linear(32, 256), act(), nn.Linear(256, 256), act(), nn.Linear(256, 256), act(),
              nn.Linear(256, 10)]
    net = nn.Sequential(*layers)
    for layer in net:
        if isinstance(layer, nn.Linear):
            weight(layer.weight)
            (bias or nn.init.zeros_)(layer.bias)
    return net


def torch_cases():
    from torch import nn

    he = lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu")  # noqa: E731
    return {
        "zeros": (("relu", nn.init.zeros_), ["symmetric", "dead"] * 3 + ["symmetric"]),
        "tanh_std1": (("tanh", lambda w: nn.init.normal_(w, std=1.0)),
                      ["ok", "saturated"] + ["exploding", "saturated"] * 2 + ["exploding"]),
        "negative_bias": (("relu", he, lambda b: nn.init.constant_(b, -5.0)),
                          ["ok", "dead"] + ["vanishing", "dead"] * 2 + ["vanishing"]),
        "healthy": (("relu", he), ["ok"] * 7),
    }


@pytest.mark.parametrize("case", ["zeros", "tanh_std1", "negative_bias", "healthy"])
@pytest.mark.parametrize("seed", [0, 1])
def test_torch_diagnostic_verdicts(case, seed):
    torch = _require("torch")
    diagnose_torch = page_function("practice/debug.md", "diagnose_torch")
    args, expected = torch_cases()[case]
    x = torch.randn(256, 32, generator=torch.Generator().manual_seed(seed + 10))
    assert diagnose_torch(torch_mlp(*args, seed=seed), x, quiet=True) == expected


def test_torch_diagnostic_uses_the_loss_and_leaves_no_hooks(capsys):
    torch = _require("torch")
    diagnose_torch = page_function("practice/debug.md", "diagnose_torch")
    from torch import nn

    net = torch_mlp("relu", lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu"))
    x, y = torch.randn(64, 32), torch.randint(0, 10, (64,))
    assert diagnose_torch(net, x, nn.functional.cross_entropy, y) == ["ok"] * 7
    assert "verdict" in capsys.readouterr().out.splitlines()[0]
    assert all(not m._forward_hooks for m in net.modules())


def keras_mlp(activation, kernel, bias="zeros", seed=0):
    keras = _require("keras")
    keras.utils.set_random_seed(seed)
    dense = [keras.layers.Dense(256, activation=activation, kernel_initializer=kernel,
                                bias_initializer=bias) for _ in range(3)]
    return keras.Sequential([keras.Input((32,)), *dense, keras.layers.Dense(10, kernel_initializer=kernel)])


@pytest.mark.parametrize("seed", [0, 1])
def test_keras_diagnostic_verdicts(seed):
    torch = _require("torch")
    keras = _require("keras")
    assert keras.backend.backend() == "torch", "run with KERAS_BACKEND=torch"
    diagnose_keras = page_function("practice/debug.md", "diagnose_keras")
    x = torch.randn(256, 32, generator=torch.Generator().manual_seed(seed + 10))
    big = keras.initializers.RandomNormal(stddev=1.0)
    assert diagnose_keras(keras_mlp("relu", "zeros", seed=seed), x, quiet=True) == ["symmetric"] * 4
    assert diagnose_keras(keras_mlp("tanh", big, seed=seed), x, quiet=True) == ["saturated"] * 3 + ["exploding"]
    assert diagnose_keras(keras_mlp("relu", "he_normal", keras.initializers.Constant(-5.0), seed=seed),
                          x, quiet=True) == ["dead"] * 3 + ["vanishing"]
    assert diagnose_keras(keras_mlp("relu", "he_normal", seed=seed), x, quiet=True) == ["ok"] * 4


# ------------------------------------------------------------------ low precision


def test_bfloat16_round_matches_torch():
    torch = _require("torch")
    from weightinit.practice import bfloat16_round

    gen = np.random.default_rng(0)
    x = (gen.standard_normal(200_000) * 10.0 ** gen.integers(-40, 38, 200_000)).astype(np.float32)
    x = x[np.isfinite(x)]
    expected = torch.from_numpy(x).to(torch.bfloat16).float().numpy()
    assert np.array_equal(bfloat16_round(x), expected)


@pytest.mark.parametrize("std", [1e-3, 1e-5, 1e-7, 1e-8])
def test_precision_loss_matches_torch_casts(std):
    torch = _require("torch")
    from weightinit.practice import precision_loss

    w = torch.from_numpy((std * np.random.default_rng(0).standard_normal(100_000)).astype(np.float32))
    for dtype, tdtype in (("float16", torch.float16), ("bfloat16", torch.bfloat16)):
        assert precision_loss(std, dtype).zero == int((w.to(tdtype) == 0).sum()) / w.numel()
