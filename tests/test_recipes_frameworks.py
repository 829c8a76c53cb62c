"""Framework checks for the Recipes page (docs/practice/recipes.md).

The recipes' functions are read from the page itself, so the code a reader copies is the code
tested here. Each statistic the page promises is checked at more seeds than the page runs, and
against a wrong init, so that the check itself can fail. Run with ``make test-frameworks``.
"""

from __future__ import annotations

import functools
import math
import os
from pathlib import Path

import numpy as np
import pytest
import pytest_codeblocks

import weightinit as wi
from weightinit.nn import MLP

from conftest import _require

# Keras reads its backend once, at import: set it before anything imports keras.
os.environ["KERAS_BACKEND"] = "torch"

pytestmark = pytest.mark.frameworks

ROOT = Path(__file__).resolve().parents[1]
PAGE = "practice/recipes.md"




def python_blocks(needle: str) -> list[str]:
    """The code of the page's python blocks (as pytest-codeblocks runs them) that contain `needle`."""
    found = pytest_codeblocks.extract_from_file(ROOT / "docs" / PAGE)
    return [b.code for b in found if b.syntax == "python" and needle in b.code]


@functools.lru_cache(maxsize=None)
def _run_block(code: str) -> dict:
    namespace = {}
    exec(compile(code, PAGE, "exec"), namespace)
    return namespace


def page_function(name: str):
    """Function `name` as defined in the one python block of the page that defines it (the
    block runs once, its own checks included)."""
    blocks = python_blocks(f"def {name}(")
    assert len(blocks) == 1, f"{PAGE}: {len(blocks)} python blocks define {name}"
    _require("torch")
    return _run_block(blocks[0])[name]


# ------------------------------------------------------------------- exact gains

QUICK = 1.702  # the custom activation of the page: u * sigmoid(1.702 u)


def activations(framework):
    """(weightinit's name or None, the framework's function) for each activation of the page."""
    if framework == "torch":
        torch = _require("torch")
        return {"gelu": torch.nn.GELU(), "silu": torch.nn.SiLU(), "mish": torch.nn.Mish(),
                "quick_gelu": lambda u: u * torch.sigmoid(QUICK * u)}
    if framework == "keras":
        keras = _require("keras")
        return {"gelu": keras.activations.gelu, "silu": keras.activations.silu,
                "mish": keras.activations.mish,
                "quick_gelu": lambda u: u * keras.ops.sigmoid(QUICK * u)}
    jax = _require("jax")
    return {"gelu_tanh": jax.nn.gelu, "silu": jax.nn.silu, "mish": jax.nn.mish,
            "quick_gelu": lambda u: u * jax.nn.sigmoid(QUICK * u)}


def as_numpy(framework, f):
    """`f` as a function of float64 NumPy arrays, as `exact_gain` calls it."""
    if framework == "torch":
        torch = _require("torch")
        return lambda u: f(torch.from_numpy(u)).numpy()
    if framework == "keras":
        keras = _require("keras")
        return lambda u: keras.ops.convert_to_numpy(f(keras.ops.convert_to_tensor(u)))
    return lambda u: np.asarray(f(u), dtype=np.float64)


def quick_gelu_numpy(u):
    return u * 0.5 * (1 + np.tanh(0.5 * QUICK * u))


CASES = [(fw, name) for fw in ("torch", "keras", "jax")
         for name in ("gelu", "silu", "mish", "quick_gelu") if not (fw == "jax" and name == "gelu")]
CASES += [("jax", "gelu_tanh")]


@pytest.mark.parametrize("framework, name", CASES)
def test_the_frameworks_activation_is_the_one_weightinit_integrates(framework, name):
    """The page pairs each framework activation with a weightinit name: same second moment."""
    f = as_numpy(framework, activations(framework)[name])
    ours = quick_gelu_numpy if name == "quick_gelu" else name
    # float32 frameworks (JAX) round each value to about 6e-8 relative
    assert wi.second_moment(f) == pytest.approx(wi.second_moment(ours), rel=1e-6)


def test_jax_gelu_is_the_tanh_form_and_the_gains_differ_below_1e4():
    jax = _require("jax")
    u = np.linspace(-4, 4, 801)
    exact = np.asarray(jax.nn.gelu(u, approximate=False), dtype=np.float64)
    default = np.asarray(jax.nn.gelu(u), dtype=np.float64)
    assert np.abs(default - exact).max() > 1e-4            # not the same function
    assert abs(wi.exact_gain("gelu") - wi.exact_gain("gelu_tanh")) < 1e-4


def test_the_custom_activation_is_transformers_quick_gelu():
    torch = _require("torch")
    activations_ = _require("transformers.activations")
    from transformers import CLIPTextConfig, CLIPVisionConfig

    u = torch.linspace(-6, 6, 1201, dtype=torch.float64)
    quick = activations_.ACT2FN["quick_gelu"]
    torch.testing.assert_close(quick(u), activations("torch")["quick_gelu"](u))
    assert CLIPTextConfig().hidden_act == CLIPVisionConfig().hidden_act == "quick_gelu"


def second_moments(framework, name, g, seed, n_in=512, n_out=1024, batch=4096):
    """Each unit's second moment over a batch: a layer of gain `g` on phi(u), u ~ N(0, 1)."""
    act = activations(framework)[name]
    if framework == "torch":
        torch = _require("torch")
        init_with_gain = page_function("init_with_gain")
        torch.manual_seed(seed)
        u = torch.randn(batch, n_in)
        layer = torch.nn.Linear(n_in, n_out)
        init_with_gain(layer, g)
        assert float(layer.bias.detach().abs().max()) == 0.0
        with torch.no_grad():
            z = layer(act(u)).double().numpy()
    elif framework == "keras":
        keras = _require("keras")
        u = keras.ops.convert_to_tensor(
            np.random.default_rng(seed).standard_normal((batch, n_in)), "float32")
        init = keras.initializers.VarianceScaling(
            scale=g**2, mode="fan_in", distribution="truncated_normal", seed=seed)
        layer = keras.layers.Dense(n_out, kernel_initializer=init)
        z = keras.ops.convert_to_numpy(layer(act(u))).astype(np.float64)
    else:
        jax = _require("jax")
        nn = _require("flax.linen")
        u = jax.random.normal(jax.random.key(seed), (batch, n_in))
        init = jax.nn.initializers.variance_scaling(g**2, "fan_in", "truncated_normal")
        layer = nn.Dense(n_out, kernel_init=init)
        params = layer.init(jax.random.key(seed + 1000), u)
        z = np.asarray(layer.apply(params, act(u)), dtype=np.float64)
    return (z**2).mean(axis=0)


def weightinit_activation(framework, name):
    return as_numpy(framework, activations(framework)[name]) if name == "quick_gelu" else name


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("framework, name", CASES)
def test_exact_gain_keeps_unit_variance(framework, name, seed):
    """The page's call with exact_gain's g: the next layer's second moment is 1 within 5 SE."""
    g = wi.exact_gain(weightinit_activation(framework, name))
    z2 = second_moments(framework, name, g, seed)
    assert abs(z2.mean() - 1) < 5 * z2.std() / math.sqrt(z2.size)


@pytest.mark.parametrize("framework, name", CASES)
def test_he_gain_fails_the_same_check(framework, name):
    """He's sqrt(2), the usual fallback, is too small for all four: the check catches it."""
    z2 = second_moments(framework, name, math.sqrt(2), seed=0)
    assert z2.mean() < 1 - 5 * z2.std() / math.sqrt(z2.size)
    # and it is the variance the mean-field map predicts, 2 E[phi(u)^2]
    expected = 2 * wi.second_moment(weightinit_activation(framework, name))
    assert abs(z2.mean() - expected) < 5 * z2.std() / math.sqrt(z2.size)


# --------------------------------------------------------------------------- muP


def _train(model, opt, x, y, steps):
    """The outputs on x before and after each of `steps` SGD steps on the squared error."""
    torch = _require("torch")
    outs = []
    for _ in range(steps):
        with torch.no_grad():
            outs.append(model(x).clone())
        opt.zero_grad()
        ((model(x) - y) ** 2).sum().div(2 * len(x)).backward()
        opt.step()
    with torch.no_grad():
        outs.append(model(x).clone())
    return torch.stack(outs)


@pytest.mark.parametrize("width", [128, 512])
def test_mup_package_and_by_hand_train_to_the_same_outputs(width):
    """From the same draws, MuReadout + set_base_shapes + MuSGD and the hand-written rules
    compute the same function at every step, and it moves: the package is the by-hand rules."""
    torch = _require("torch")
    _require("mup")
    with_mup, by_hand = page_function("with_mup"), page_function("by_hand")
    standard = page_function("standard")
    x = torch.randn(32, 16, generator=torch.Generator().manual_seed(1))
    y = torch.randn(32, 1, generator=torch.Generator().manual_seed(2))
    runs = {}
    for build in (with_mup, by_hand, standard):
        torch.manual_seed(0)
        runs[build.__name__] = _train(*build(width), x, y, steps=3)
    torch.testing.assert_close(runs["with_mup"], runs["by_hand"], rtol=1e-4, atol=1e-6)
    assert (runs["by_hand"][-1] - runs["by_hand"][0]).abs().mean() > 1e-4
    # and both differ from SP at the same draws
    assert not torch.allclose(runs["by_hand"], runs["standard"], rtol=1e-2)


def test_by_hand_rules_scale_with_width_as_mup_rules_says():
    """Between two widths, by_hand's learning rates and output variance change by the ratio
    of weightinit.architectures.MUP_RULES's factors (Table 3 of Yang et al. 2022)."""
    torch = _require("torch")
    from weightinit.architectures import MUP_RULES, _factor

    by_hand = page_function("by_hand")
    small, large = 64, 1024
    built = {}
    for n in (small, large):
        torch.manual_seed(0)
        built[n] = by_hand(n)
    d_in = 16
    fans = {"input": lambda n: (d_in, n), "hidden": lambda n: (n, n), "output": lambda n: (n, 1)}
    for group, kind in zip(built[small][1].param_groups, ("input", "hidden", "output")):
        large_group = built[large][1].param_groups[("input", "hidden", "output").index(kind)]
        var_rule, lr_rule = MUP_RULES["mup"][kind]
        expected = _factor(lr_rule, *fans[kind](large)) / _factor(lr_rule, *fans[kind](small))
        assert large_group["lr"] / group["lr"] == pytest.approx(expected), kind
    # the output's variance: Table 3's 1/fan_in^2, i.e. var * fan_in falls like 1/fan_in
    var_rule = MUP_RULES["mup"]["output"][0]
    ratio = _factor(var_rule, large, 1) / _factor(var_rule, small, 1)
    v = {n: built[n][0][4].weight.detach().double().var().item() * n for n in (small, large)}
    # sample variances of n draws: relative standard error sqrt(2 / n)
    assert v[large] / v[small] == pytest.approx(ratio, rel=5 * math.sqrt(2 / small))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mup_coordinate_check_is_flat_and_sp_is_not(seed):
    _require("mup")
    check = page_function("coordinate_check")
    for name in ("with_mup", "by_hand"):
        for sizes in zip(*check(page_function(name), seed=seed)):
            assert max(sizes) < 2 * min(sizes), (name, sizes)
    hidden, output = zip(*check(page_function("standard"), seed=seed))
    assert output[-1] > 5 * output[0] and hidden[-1] > 2 * hidden[0]


def test_set_base_shapes_rescales_the_readout_once():
    """What the page says of set_base_shapes: the readout's weights are multiplied by
    sqrt(width / base) in place, and a second rescaling raises."""
    torch = _require("torch")
    mup = _require("mup")
    mlp = page_function("with_mup").__globals__["mlp"]   # three blocks define an mlp
    torch.manual_seed(0)
    model = mlp(256, mup.MuReadout)
    before = [m.weight.detach().clone() for m in model[::2]]
    with torch.device("meta"):
        base, delta = mlp(64, mup.MuReadout), mlp(128, mup.MuReadout)
    mup.set_base_shapes(model, base, delta=delta)
    torch.testing.assert_close(model[4].weight.detach(), before[2] * 2.0)    # sqrt(256 / 64)
    for m, w in zip(model[:4:2], before):                                     # the rest: untouched
        assert torch.equal(m.weight.detach(), w)
    with pytest.raises(RuntimeError, match="_rescale_parameters"):
        model[4]._rescale_parameters()


# ------------------------------------------------------------- residual schemes


def _torch_resnet_from(params, scheme, depth, m, width):
    """The page's ResNet holding weightinit's initial parameters (float64)."""
    torch = _require("torch")
    ResNet = page_function("first_steps").__globals__["ResNet"]
    model = ResNet(scheme, depth=depth, m=m, width=width).double()
    t = lambda a: torch.as_tensor(np.asarray(a, dtype=np.float64))  # noqa: E731
    with torch.no_grad():
        for block, blk in zip(model.blocks, params["blocks"]):
            for layer, w in zip(block.layers, blk["W"]):
                layer.weight.copy_(t(w.T))
            if scheme == "fixup":
                block.bias_in.copy_(t(blk["bias_in"]))
                block.bias_act.copy_(t(blk["bias_act"]))
            if "scale" in blk:
                block.scale.fill_(blk["scale"])
            if scheme == "zero_gamma":
                block.norm.weight.copy_(t(blk["gamma"]))
                block.norm.bias.copy_(t(blk["beta"]))
        model.head.weight.copy_(t(params["head"].T))
    return model


@pytest.mark.parametrize("m", [2, 3])
@pytest.mark.parametrize("scheme", ["he", "fixup", "rezero", "skipinit", "zero_gamma"])
def test_torch_residual_schemes_train_as_weightinit_does(scheme, m):
    """weightinit's initial parameters in the page's PyTorch ResNet: the same stream at step 0
    and the same losses over three SGD steps (every added scalar, bias and gamma trained)."""
    torch = _require("torch")
    from weightinit.architectures import _residual_scheme_params, _residual_sgd

    depth, width, steps = 6, 16, 3
    lr = 1e-5 if scheme == "he" else 0.01       # he overflows at 0.01
    gen = np.random.default_rng(0)
    x, target = gen.standard_normal((32, width)), gen.standard_normal((32, width))
    params = _residual_scheme_params(scheme, depth, m, width, np.random.default_rng(1))
    ours = _residual_sgd(params, x, target, steps, lr)
    model = _torch_resnet_from(params, scheme, depth, m, width)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    xt, tt = torch.from_numpy(x), torch.from_numpy(target)
    streams, losses = [xt], []
    for step in range(steps + 1):
        loss = ((model(xt, streams if step == 0 else None) - tt) ** 2).sum() / (2 * len(x))
        losses.append(loss.item())
        opt.zero_grad()
        loss.backward()
        opt.step()
    np.testing.assert_allclose([s.std(correction=0).item() for s in streams],
                               [s.std() for s in ours.streams], rtol=1e-10)
    np.testing.assert_allclose(losses, ours.loss, rtol=1e-8)
    assert ours.loss[-1] < ours.loss[0]          # it trains, so the comparison has content


def test_residual_recipe_gives_weightinit_step0_statistics():
    """The page's first_steps, its own draws: the step-0 stream of weightinit.residual_schemes
    (the identity for the zero-started schemes, growth like 2^(l/2) for he) and Fixup's
    branch weights at He's std times L^(-1/2)."""
    torch = _require("torch")
    from weightinit.architectures import residual_schemes

    first_steps = page_function("first_steps")
    ResNet = first_steps.__globals__["ResNet"]
    ours = residual_schemes(steps=0)
    torch.manual_seed(5)
    x, t = torch.randn(64, 64), torch.randn(64, 64)
    for scheme, run in ours.items():
        std, _ = first_steps(scheme, x, t, steps=0)
        if scheme == "he":
            # sample std of 64 x 64 entries per block; the growth compounds over 16 blocks:
            # compare the log growth, within 15 %
            ratio = math.log(std[-1] / std[0]) / math.log(run.stream_std[-1] / run.stream_std[0])
            assert abs(ratio - 1) < 0.15, ratio
        else:
            assert std == [std[0]] * len(std) and np.all(run.stream_std == run.stream_std[0])
    torch.manual_seed(0)
    w = torch.cat([b.layers[0].weight.flatten() for b in ResNet("fixup").blocks])
    target = math.sqrt(2 / 64) / math.sqrt(16)
    assert abs(w.std().item() / target - 1) < 5 / math.sqrt(2 * w.numel())
    assert all(not b.layers[1].weight.any() for b in ResNet("fixup").blocks)


# -------------------------------------------------------------------------- LSUV


def torch_copy(net, dtype):
    """A torch Sequential of Linear layers and activations holding `net`'s weights."""
    torch = _require("torch")
    acts = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid,
            "gelu": torch.nn.GELU, "linear": None}
    layers = []
    for layer in net.layers:
        linear = torch.nn.Linear(*layer.W.shape, dtype=dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(layer.W.T.copy()))
            linear.bias.copy_(torch.from_numpy(layer.b.copy()))
        layers += [linear] + ([acts[layer.activation]()] if acts[layer.activation] else [])
    return torch.nn.Sequential(*layers)


@pytest.mark.parametrize("activation", ["relu", "tanh"])
@pytest.mark.parametrize("seed", [0, 1])
def test_lsuv_hooks_give_weightinit_lsuv_weights(activation, seed):
    torch = _require("torch")
    lsuv_ = page_function("lsuv_")
    x = np.random.default_rng(seed).standard_normal((256, 32))
    widths = [64, 64, 64, 10]
    ours = wi.lsuv(x, widths, activation=activation, rng=seed)
    # weightinit.lsuv's starting point: the same orthonormal build, from the same rng
    start = MLP.build([32, *widths], activation, "linear", "orthogonal", rng=seed)
    model = torch_copy(start, torch.float64)
    lsuv_(model, torch.from_numpy(x))
    theirs = [m.weight.detach().numpy().T for m in model if isinstance(m, torch.nn.Linear)]
    assert len(theirs) == len(ours.weights)
    for a, b in zip(theirs, ours.weights):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    # the rescaling was not a no-op: the orthonormal start is off by more than tol somewhere
    assert any(abs(h[0] - 1) >= 0.1 for h in ours.variances)


def _unit_means(z):
    return z.transpose(0, 1).flatten(1).mean(1)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_lsuv_center_zeroes_every_unit_mean(seed):
    torch = _require("torch")
    lsuv_ = page_function("lsuv_")
    build, outputs = page_function("build"), page_function("outputs")
    batch = torch.rand(128, 3, 8, 8, generator=torch.Generator().manual_seed(seed))
    centered = outputs(lsuv_(build(seed), batch, center=True), batch)
    plain = outputs(lsuv_(build(seed), batch), batch)
    assert len(centered) == len(plain) == 4
    for z in centered:
        assert float(_unit_means(z).abs().max()) < 1e-4
        assert abs(float(z.var(correction=0)) - 1) < 0.1
    for z in plain:
        assert abs(float(z.var(correction=0)) - 1) < 0.1
    # without centering, inputs in [0, 1) leave the units' means far from 0
    assert max(float(_unit_means(z).abs().max()) for z in plain) > 0.1


def test_lsuv_raises_on_a_layer_it_cannot_rescale():
    torch = _require("torch")
    lsuv_ = page_function("lsuv_")
    model = torch.nn.Sequential(torch.nn.Linear(8, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
    torch.nn.init.zeros_(model[0].weight)
    torch.nn.init.zeros_(model[0].bias)
    with pytest.raises(ValueError, match="cannot rescale"):
        lsuv_(model, torch.randn(16, 8))


# ---------------------------------------------------------------------- diagnose


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("case", ["healthy", "zeros", "tanh_std1", "relu_negative_bias",
                                  "tanh_std001"])
def test_torch_diagnose_agrees_with_weightinit(case, seed, dtype):
    """The five networks of the debug page, weightinit's weights copied over: same verdicts."""
    torch = _require("torch")
    from weightinit._checks import as_generator
    from weightinit.practice import DIAGNOSE_CASES, DIAGNOSE_SIZES

    diagnose = page_function("diagnose")
    activation, init, bias_init = DIAGNOSE_CASES[case]
    gen = as_generator(seed)
    net = MLP.build(DIAGNOSE_SIZES, activation, init=init, bias_init=bias_init, rng=gen)
    x = gen.standard_normal((256, DIAGNOSE_SIZES[0]))
    expected = wi.diagnose(net, x).verdicts
    model = torch_copy(net, getattr(torch, dtype))
    assert diagnose(model, torch.from_numpy(x).to(getattr(torch, dtype))) == expected


def test_torch_diagnose_counts_a_negative_slope_by_its_size():
    """GELU pre-activations near -1.5 have slope -0.13: not flat in weightinit, so not dead."""
    torch = _require("torch")
    from weightinit.practice import fixed_normal

    diagnose = page_function("diagnose")
    net = MLP.build([32, 64, 64, 10], "gelu", init=fixed_normal(0.001),
                    bias_init=lambda shape, rng=None: np.full(shape, -1.5), rng=0)
    x = np.random.default_rng(0).standard_normal((256, 32))
    expected = wi.diagnose(net, x).verdicts
    assert "dead" not in expected
    assert diagnose(torch_copy(net, torch.float64), torch.from_numpy(x)) == expected


def test_torch_diagnose_pairs_each_layer_with_its_activation():
    """A Conv, a Flatten between layers, and an unpaired last layer."""
    torch = _require("torch")
    nn = torch.nn
    diagnose = page_function("diagnose")
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Sigmoid(), nn.Flatten(),
                          nn.Linear(8 * 6 * 6, 16), nn.ReLU(), nn.Linear(16, 4))
    with torch.no_grad():
        model[0].weight.mul_(100)            # sigmoid pinned to 0 and 1
        model[3].bias.fill_(-100)            # every ReLU unit dead
    verdicts = diagnose(model, torch.randn(64, 3, 8, 8))
    assert verdicts[:2] == ["saturated", "dead"] and len(verdicts) == 3
    assert not any(m._forward_hooks for m in model.modules())   # hooks removed


def keras_copy(net):
    """A Keras Sequential of Dense layers holding `net`'s weights (float32)."""
    keras = _require("keras")
    layers = [keras.Input((net.layers[0].W.shape[0],))]
    for layer in net.layers:
        act = None if layer.activation == "linear" else layer.activation
        layers.append(keras.layers.Dense(layer.W.shape[1], act))
    model = keras.Sequential(layers)
    for dense, layer in zip(model.layers, net.layers):
        dense.set_weights([layer.W.astype(np.float32), layer.b.astype(np.float32)])
    return model


def flax_copy(net):
    """A Flax MLP holding `net`'s weights (float32), its params and its activations."""
    jax = _require("jax")
    nn = _require("flax.linen")
    acts = {"relu": nn.relu, "tanh": nn.tanh, "gelu": nn.gelu, "linear": None}
    sizes = [layer.W.shape[1] for layer in net.layers]
    names = [layer.activation for layer in net.layers]

    class Net(nn.Module):
        @nn.compact
        def __call__(self, x):
            for size, name in zip(sizes, names):
                x = nn.Dense(size)(x)
                x = acts[name](x) if acts[name] else x
            return x

    params = {"params": {f"Dense_{i}": {"kernel": jax.numpy.asarray(layer.W, "float32"),
                                        "bias": jax.numpy.asarray(layer.b, "float32")}
                         for i, layer in enumerate(net.layers)}}
    return Net(), params, [acts[name] for name in names]


def _diagnose_case(case, seed):
    from weightinit._checks import as_generator
    from weightinit.practice import DIAGNOSE_CASES, DIAGNOSE_SIZES

    activation, init, bias_init = DIAGNOSE_CASES[case]
    gen = as_generator(seed)
    net = MLP.build(DIAGNOSE_SIZES, activation, init=init, bias_init=bias_init, rng=gen)
    x = gen.standard_normal((256, DIAGNOSE_SIZES[0]))
    return net, x, wi.diagnose(net, x).verdicts


CASES_DIAGNOSE = ["healthy", "zeros", "tanh_std1", "relu_negative_bias", "tanh_std001"]


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("case", CASES_DIAGNOSE)
def test_keras_diagnose_agrees_with_weightinit(case, seed):
    torch = _require("torch")
    diagnose_keras = page_function("diagnose_keras")
    net, x, expected = _diagnose_case(case, seed)
    model = keras_copy(net)
    assert diagnose_keras(model, torch.from_numpy(x).float()) == expected
    # the activations were put back: the model still computes net's outputs
    out = model(torch.from_numpy(x).float()).detach().double().numpy()
    np.testing.assert_allclose(out, net.predict(x), rtol=1e-3, atol=1e-3 * np.abs(out).max())


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("case", CASES_DIAGNOSE)
def test_flax_diagnose_agrees_with_weightinit(case, seed):
    jax = _require("jax")
    diagnose_flax = page_function("diagnose_flax")
    net, x, expected = _diagnose_case(case, seed)
    model, params, acts = flax_copy(net)
    assert diagnose_flax(model, params, jax.numpy.asarray(x, "float32"), acts) == expected


def test_keras_and_flax_diagnose_read_conv_layers_and_their_activations():
    """A Conv whose sigmoid is pinned to 0 and 1, a Dense whose ReLUs are all dead."""
    torch = _require("torch")
    keras = _require("keras")
    jax = _require("jax")
    nn = _require("flax.linen")
    diagnose_keras, diagnose_flax = page_function("diagnose_keras"), page_function("diagnose_flax")
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input((8, 8, 3)),
        keras.layers.Conv2D(8, 3, activation="sigmoid",
                            kernel_initializer=keras.initializers.RandomNormal(stddev=100.0)),
        keras.layers.Flatten(),
        keras.layers.Dense(16, "relu", bias_initializer=keras.initializers.Constant(-100.0)),
        keras.layers.Dense(4)])
    verdicts = diagnose_keras(model, torch.randn(64, 8, 8, 3))
    assert verdicts[:2] == ["saturated", "dead"] and len(verdicts) == 3

    class Net(nn.Module):
        @nn.compact
        def __call__(self, x):
            x = nn.sigmoid(nn.Conv(8, (3, 3), name="z_conv",
                                   kernel_init=nn.initializers.normal(100.0))(x))
            x = x.reshape(len(x), -1)
            x = nn.relu(nn.Dense(16, name="b_dense",
                                 bias_init=nn.initializers.constant(-100.0))(x))
            return nn.Dense(4, name="a_out")(x)

    x = jax.random.normal(jax.random.key(1), (64, 8, 8, 3))
    params = Net().init(jax.random.key(0), x)
    # the names sort the other way round: the verdicts follow the call order
    verdicts = diagnose_flax(Net(), params, x, [nn.sigmoid, nn.relu, None])
    assert verdicts[:2] == ["saturated", "dead"] and len(verdicts) == 3
    with pytest.raises(ValueError, match="acts"):
        diagnose_flax(Net(), params, x, [nn.sigmoid, nn.relu])


# ------------------------------------------------------- PyTorch's defaults in Flax


def ks_distance(a, b):
    """Two-sample Kolmogorov-Smirnov distance."""
    a, b = np.sort(np.ravel(a)), np.sort(np.ravel(b))
    grid = np.concatenate([a, b])
    return float(np.abs(np.searchsorted(a, grid, side="right") / a.size
                        - np.searchsorted(b, grid, side="right") / b.size).max())


def ks_critical(n, m, alpha=1e-3):
    """The asymptotic two-sample critical value at level `alpha` for sizes n and m."""
    return math.sqrt(-math.log(alpha / 2) / 2) * math.sqrt((n + m) / (n * m))


def flax_params(kernel_init, conv_bias, dense_bias):
    jax = _require("jax")
    nn = _require("flax.linen")

    class Net(nn.Module):
        @nn.compact
        def __call__(self, x):
            x = nn.Conv(256, (3, 3), kernel_init=kernel_init, bias_init=conv_bias)(x)
            x = nn.relu(x).mean(axis=(1, 2))
            return nn.Dense(4096, kernel_init=kernel_init, bias_init=dense_bias)(x)

    params = Net().init(jax.random.key(0), jax.numpy.ones((1, 16, 16, 8)))["params"]
    return {(layer, name): np.asarray(params[layer][name], dtype=np.float64)
            for layer in ("Conv_0", "Dense_0") for name in ("kernel", "bias")}


def torch_params():
    torch = _require("torch")
    torch.manual_seed(0)
    conv, dense = torch.nn.Conv2d(8, 256, 3), torch.nn.Linear(256, 4096)
    return {(layer, name): getattr(m, attr).detach().double().numpy()
            for layer, m in (("Conv_0", conv), ("Dense_0", dense))
            for name, attr in (("kernel", "weight"), ("bias", "bias"))}


def test_pytorch_defaults_written_for_flax_match_pytorch_in_distribution():
    block = python_blocks("def torch_bias(")
    assert len(block) == 1
    _require("jax")
    namespace = _run_block(block[0])
    ours = flax_params(namespace["torch_kernel"], namespace["torch_bias"](72),
                       namespace["torch_bias"](256))
    theirs = torch_params()
    for key in theirs:
        assert ours[key].size == theirs[key].size, key
        d = ks_distance(ours[key], theirs[key])
        assert d < ks_critical(ours[key].size, theirs[key].size), (key, d)
    # Flax's own defaults (LeCun normal, zero biases) fail the same comparison
    nn = _require("flax.linen")
    flax_default = flax_params(nn.initializers.lecun_normal(), nn.initializers.zeros_init(),
                               nn.initializers.zeros_init())
    for key in theirs:
        d = ks_distance(flax_default[key], theirs[key])
        assert d > ks_critical(flax_default[key].size, theirs[key].size), (key, d)


# ------------------------------------------------------------ seed before you build


def _torch_build(torch):
    nn = torch.nn
    return nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 4))


def _same(torch, a, b):
    return all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("workers", [0, 2])
def test_torch_dataloader_shifts_the_global_stream_unless_it_has_a_generator(seed, workers):
    torch = _require("torch")
    data = torch.utils.data.TensorDataset(torch.arange(8.0))
    torch.manual_seed(seed)
    reference = _torch_build(torch)
    torch.manual_seed(seed)
    assert _same(torch, reference, _torch_build(torch))          # two builds, same weights
    torch.manual_seed(seed)
    # spawned workers: forking a process that has imported JAX can deadlock
    spawn = {"multiprocessing_context": "spawn"} if workers else {}
    next(iter(torch.utils.data.DataLoader(data, shuffle=True, num_workers=workers, **spawn)))
    assert not _same(torch, reference, _torch_build(torch))
    torch.manual_seed(seed)
    own = torch.Generator().manual_seed(seed)
    next(iter(torch.utils.data.DataLoader(data, shuffle=True, num_workers=workers,
                                          generator=own, **spawn)))
    assert _same(torch, reference, _torch_build(torch))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_keras_fixes_the_draws_when_the_layer_is_created(seed):
    keras = _require("keras")

    def kernel(layer):
        return keras.ops.convert_to_numpy(layer.kernel)

    keras.utils.set_random_seed(seed)
    a = keras.layers.Dense(8)
    a.build((None, 16))
    keras.utils.set_random_seed(seed)
    b = keras.layers.Dense(8)
    keras.utils.set_random_seed(seed + 100)      # a new seed between creation and build
    b.build((None, 16))
    assert np.array_equal(kernel(a), kernel(b))
    c = keras.layers.Dense(8)
    keras.utils.set_random_seed(seed)
    c.build((None, 16))
    assert not np.array_equal(kernel(a), kernel(c))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_flax_layers_keep_their_draws_when_a_layer_is_added(seed):
    jax = _require("jax")
    nn = _require("flax.linen")

    class Net(nn.Module):
        extra: bool = False

        @nn.compact
        def __call__(self, x):
            if self.extra:
                x = nn.Dense(16, name="front")(x)
            return nn.Dense(4, name="out")(nn.relu(nn.Dense(32, name="hidden")(x)))

    x = jax.numpy.ones((1, 16))
    a = Net().init(jax.random.key(seed), x)["params"]
    b = Net(extra=True).init(jax.random.key(seed), x)["params"]
    other = Net().init(jax.random.key(seed + 1), x)["params"]
    for name in ("hidden", "out"):
        assert np.array_equal(a[name]["kernel"], b[name]["kernel"])
        assert not np.array_equal(a[name]["kernel"], other[name]["kernel"])


# --------------------------------------------------------- re-initialize part of a model


def _loaded_bert(seed, tmp_path):
    """A small BERT moved away from its init, saved and loaded from a local folder."""
    torch = _require("torch")
    transformers = _require("transformers")
    config = transformers.BertConfig(vocab_size=100, hidden_size=64, num_hidden_layers=4,
                                     num_attention_heads=4, intermediate_size=256)
    torch.manual_seed(seed)
    trained = transformers.BertModel(config)
    with torch.no_grad():
        for p in trained.parameters():
            p.mul_(3.0).add_(0.1)
    trained.save_pretrained(tmp_path)
    return transformers.BertModel.from_pretrained(tmp_path), config


def test_init_weights_skips_loaded_parameters(tmp_path):
    """Why the page clears `_is_hf_initialized`: without it, nothing is re-drawn."""
    torch = _require("torch")
    model, _ = _loaded_bert(0, tmp_path)
    before = [p.detach().clone() for p in model.encoder.layer[-1].parameters()]
    model.encoder.layer[-1].apply(model._init_weights)
    after = list(model.encoder.layer[-1].parameters())
    assert all(torch.equal(a, b) for a, b in zip(before, after))


@pytest.mark.parametrize("k", [1, 2, 3])
@pytest.mark.parametrize("seed", [0, 1])
def test_reinit_last_blocks_moves_only_them(k, seed, tmp_path):
    """Per-parameter std before and after: the last k blocks back at BERT's N(0, 0.02^2),
    LayerNorm at ones and zeros, every other parameter bit for bit as it was."""
    torch = _require("torch")
    model, config = _loaded_bert(seed, tmp_path)
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    for block in model.encoder.layer[-k:]:
        for p in block.parameters():
            p._is_hf_initialized = False
        block.apply(model._init_weights)
    std = config.initializer_range
    renewed = tuple(f"encoder.layer.{i}." for i in range(4 - k, 4))
    checked = 0
    for name, p in model.named_parameters():
        p = p.detach()
        if not name.startswith(renewed):
            assert torch.equal(p, before[name]), name
            continue
        assert not torch.equal(p, before[name]), name
        if p.dim() == 2:
            tol = 5 * std / math.sqrt(2 * p.numel())
            assert abs(p.std().item() - std) < tol, name
            # the check can fail: the weights before were far from it
            assert abs(before[name].std().item() - std) > tol, name
            assert abs(p.mean().item()) < 5 * std / math.sqrt(p.numel()), name
            checked += 1
        elif "LayerNorm.weight" in name:
            assert bool((p == 1).all()), name
        else:
            assert bool((p == 0).all()), name
    assert checked == 6 * k          # q, k, v, attention output, intermediate, output
