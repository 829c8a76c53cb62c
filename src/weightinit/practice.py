"""Experiments behind the Practice pages: what practitioners see when initialization goes wrong.

Each function runs a small NumPy experiment and returns its numbers; the tables and values of
the pages call them at build time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .datasets import spirals
from ._checks import as_generator, check_choice, check_positive
from ._sampling import truncated_moments
from .initializers import he_normal
from .nn import MLP, cross_entropy, train
from .schemes import SCHEMES

__all__ = ["fixed_normal", "DEPTH_CASES", "dead_fractions", "DIAGNOSE_CASES", "depth_profiles", "EQUIVALENTS", "Equivalent", "DIAGNOSE_SIZES", "LOW_PRECISION", "PrecisionLoss", "diagnose_case", "reproducibility", "batchnorm_stack", "bfloat16_round",
           "first_nonfinite_layer", "initial_loss", "precision_loss", "reinit_after_loading",
           "torch_trunc_normal_cut", "update_ratios", "zero_last_layer_gradients"]

LOW_PRECISION = ("float16", "bfloat16")
"""The half-precision formats of mixed-precision training."""


def bfloat16_round(x) -> np.ndarray:
    """Round float32 values to the nearest bfloat16 (ties to even), returned as float32.

    bfloat16 is the upper half of a float32: 8 exponent bits, 7 mantissa bits. NumPy has no
    bfloat16 type; this is the rounding PyTorch's ``tensor.to(torch.bfloat16)`` does for finite
    values.

    Parameters
    ----------
    x : array_like
        Values, converted to float32 first.

    Returns
    -------
    numpy.ndarray of float32

    Examples
    --------
    >>> bfloat16_round([1.0, 1.00390625, 1.01171875, 1e-30]).tolist()
    [1.0, 1.0, 1.015625, 9.98402083170343e-31]
    """
    bits = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16 << 16
    return rounded.astype(np.uint32).view(np.float32)


def _cast(x, dtype):
    check_choice("dtype", dtype, LOW_PRECISION + ("float32",))
    if dtype == "bfloat16":
        return bfloat16_round(x)
    return np.asarray(x, dtype=np.float32).astype(dtype).astype(np.float32)


@dataclass(frozen=True)
class PrecisionLoss:
    """What a cast to half precision does to ``N(0, std^2)`` weights (see `precision_loss`).

    Attributes
    ----------
    zero : float
        Fraction of weights that became exactly zero.
    subnormal : float
        Fraction that became subnormal (below the smallest normal number, with fewer bits).
    std_ratio : float
        Std after the cast divided by the std before.
    """

    zero: float
    subnormal: float
    std_ratio: float


def precision_loss(std, dtype="float16", n=100_000, rng=0) -> PrecisionLoss:
    """Draw ``n`` weights from ``N(0, std^2)`` in float32, cast them, and count the damage.

    Parameters
    ----------
    std : float
        Positive standard deviation of the weights.
    dtype : {"float16", "bfloat16", "float32"}
        The format cast to.
    n : int, default 100000
        Number of weights.
    rng : None, int or numpy.random.Generator, default 0

    Returns
    -------
    PrecisionLoss

    Examples
    --------
    >>> precision_loss(1e-8, "float16").zero > 0.5
    True
    >>> precision_loss(1e-8, "bfloat16").zero
    0.0
    """
    std = check_positive("std", std)
    w = (std * as_generator(rng).standard_normal(int(n))).astype(np.float32)
    tiny = np.finfo(np.float16).tiny if dtype == "float16" else np.finfo(np.float32).tiny
    c = _cast(w, dtype)
    return PrecisionLoss(float(np.mean(c == 0)), float(np.mean((c != 0) & (np.abs(c) < tiny))),
                         float(np.std(c) / np.std(w)))


def first_nonfinite_layer(std, activation="relu", width=256, depth=30, dtype="float16",
                          n_samples=64, rng=0):
    """The first layer whose activations hold an inf or NaN, with weights ``N(0, std^2)``.

    Every layer's output is rounded to `dtype`, as a half-precision forward pass would store it.

    Parameters
    ----------
    std : float
        Weight std of every layer.
    activation : str, default "relu"
    width, depth : int
        Layer width and number of layers.
    dtype : {"float16", "bfloat16", "float32"}
    n_samples : int
        Rows of the standard normal input.
    rng : None, int or numpy.random.Generator, default 0

    Returns
    -------
    int or None
        1-based layer index, or None if every layer stays finite.

    Examples
    --------
    >>> first_nonfinite_layer(1.0, depth=10)
    4
    >>> first_nonfinite_layer(1.0, depth=10, dtype="float32") is None
    True
    """
    std = check_positive("std", std)
    gen = as_generator(rng)
    net = MLP.build([width] * (depth + 1), activation, activation,
                    lambda shape, rng=None: std * rng.standard_normal(shape), rng=gen)
    a = _cast(gen.standard_normal((n_samples, width)), dtype)
    with np.errstate(all="ignore"):
        for i, layer in enumerate(net.layers, start=1):
            a = _cast(layer(a.astype(np.float64)), dtype)
            if not np.isfinite(a).all():
                return i
    return None


#: The last-layer schemes `initial_loss` compares: the normal variance-scaling schemes at gain 1.
_LAST_INITS = ("he_normal", "glorot_normal", "lecun_normal")


def initial_loss(last_scale, n_classes=10, widths=(32, 256, 256), n_samples=2000, rng=0,
                 last_init="he_normal"):
    """Cross-entropy at initialization of a He-initialized ReLU classifier whose last layer is
    drawn with `last_init` and multiplied by `last_scale`, on random labels.

    A network that knows nothing should say ``1/C`` to every class, a loss of ``ln C``.

    Parameters
    ----------
    last_scale : float
        Factor on the last layer's weights (0 gives a zero last layer).
    n_classes : int, default 10
    widths : sequence of int
        Input and hidden widths.
    n_samples : int
    rng : None, int or numpy.random.Generator, default 0
    last_init : {"he_normal", "glorot_normal", "lecun_normal"}, default "he_normal"
        The last layer's scheme. Its weights are the He-normal draws rescaled to its variance,
        so every scheme sees the same draws, inputs and labels.

    Returns
    -------
    loss : float
    confidence : float
        Mean over samples of the largest softmax probability.

    Examples
    --------
    >>> loss, confidence = initial_loss(0.0)
    >>> round(loss, 6) == round(math.log(10), 6), round(confidence, 6)
    (True, 0.1)
    >>> bool(initial_loss(1.0, last_init="glorot_normal")[0] > math.log(10) + 0.5)
    True
    """
    check_choice("last_init", last_init, _LAST_INITS)
    gen = as_generator(rng)
    net = MLP.build([*widths, n_classes], "relu", init="he_normal", rng=gen)
    last, he = SCHEMES[last_init], SCHEMES["he_normal"]
    fans = (widths[-1], n_classes)
    ratio = last.variance(*fans, **last.params) / he.variance(*fans, **he.params)
    net.layers[-1].W *= last_scale * math.sqrt(ratio)
    x = gen.standard_normal((n_samples, widths[0]))
    y = gen.integers(0, n_classes, n_samples)
    logits = net.predict(x)
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    return cross_entropy(logits, y)[0], float(np.mean(p.max(axis=1)))


def zero_last_layer_gradients(output_bias_std=0.0, lr=0.1, n_classes=10, widths=(32, 256, 256),
                              n_samples=2000, rng=0):
    """Gradient norms of every layer's weights and biases in the first two SGD steps of a He ReLU
    classifier whose last layer's weights start at zero.

    At the first step the gradient reaching the layers below is ``g @ W_last.T = 0``, whatever
    the output bias: only the last layer's weights and bias learn. Once that step has made
    ``W_last`` nonzero, the layers below get a gradient too.

    Parameters
    ----------
    output_bias_std : float, default 0.0
        Std of the normal draw of the output bias (0 gives zeros).
    lr : float, default 0.1
        Learning rate of the SGD step between the two gradients.
    n_classes : int, default 10
    widths : sequence of int
        Input and hidden widths.
    n_samples : int
        Batch size (standard normal inputs, random labels).
    rng : None, int or numpy.random.Generator, default 0

    Returns
    -------
    weight, bias : numpy.ndarray
        Shape ``(2, n_layers)``: row 0 at the first step, row 1 at the second.

    Examples
    --------
    >>> weight, bias = zero_last_layer_gradients(output_bias_std=1.0)
    >>> weight[0].tolist()[:-1], bias[0].tolist()[:-1]
    ([0.0, 0.0], [0.0, 0.0])
    >>> bool(weight[1].min() > 0)
    True
    """
    lr = check_positive("lr", lr)
    if not output_bias_std >= 0:
        raise ValueError(f"output_bias_std must be >= 0; got {output_bias_std}")
    gen = as_generator(rng)
    net = MLP.build([*widths, n_classes], "relu", init="he_normal", rng=gen)
    net.layers[-1].W[:] = 0.0
    net.layers[-1].b = output_bias_std * gen.standard_normal(n_classes)
    x = gen.standard_normal((n_samples, widths[0]))
    y = gen.integers(0, n_classes, n_samples)
    weight, bias = np.zeros((2, len(net.layers))), np.zeros((2, len(net.layers)))
    for step in range(2):
        trace = net.forward(x)
        grads = net.backward(trace, cross_entropy(trace.a[-1], y)[1])
        weight[step] = [np.linalg.norm(g) for g in grads.W]
        bias[step] = [np.linalg.norm(g) for g in grads.b]
        for layer, gW, gb in zip(net.layers, grads.W, grads.b):
            layer.W -= lr * gW
            layer.b -= lr * gb
    return weight, bias


def update_ratios(net: MLP, x, y, lr, loss="cross_entropy") -> np.ndarray:
    """Norm of one SGD update divided by the norm of the weights, per layer.

    Parameters
    ----------
    net : MLP
    x, y : array_like
        A batch and its targets.
    lr : float
        Learning rate.
    loss : str, default "cross_entropy"
        A key of `weightinit.nn.LOSSES`.

    Returns
    -------
    numpy.ndarray
        ``lr * ||grad W|| / ||W||`` for each layer (inf for a zero weight with a gradient).

    Examples
    --------
    >>> import numpy as np
    >>> net = MLP.build([2, 8, 3], "relu", rng=0)
    >>> x, y = np.ones((4, 2)), np.array([0, 1, 2, 0])
    >>> update_ratios(net, x, y, 0.1).shape
    (2,)
    """
    from .nn import LOSSES

    check_choice("loss", loss, sorted(LOSSES))
    lr = check_positive("lr", lr)
    trace = net.forward(x)
    grads = net.backward(trace, LOSSES[loss](trace.a[-1], y)[1])
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.array([lr * np.linalg.norm(g) / np.linalg.norm(layer.W)
                         for g, layer in zip(grads.W, net.layers)])


def torch_trunc_normal_cut(std, a=-2.0, b=2.0):
    """Where PyTorch's ``trunc_normal_(w, std=std, a=a, b=b)`` cuts, in units of `std`, and the
    std it gives divided by `std`.

    PyTorch's `a` and `b` are absolute values (``torch/nn/init.py`` at the version
    ``frameworks.txt`` pins), so the cut in standard deviations is ``a / std`` and
    ``b / std``.

    Returns
    -------
    cut : float
        ``b / std``.
    std_ratio : float
        Std of the truncated draw over `std`.

    Examples
    --------
    >>> cut, ratio = torch_trunc_normal_cut(1.0)
    >>> cut, round(ratio, 4)
    (2.0, 0.8796)
    >>> torch_trunc_normal_cut(0.02)[1]
    1.0
    """
    std = check_positive("std", std)
    return b / std, truncated_moments(a / std, b / std)[1]


def batchnorm_stack(weight_std, depth=20, width=128, n_samples=256, residual=False, rng=0):
    """Std of the activations through a ReLU stack with batch normalization after every linear
    layer, in training mode (batch statistics) and in inference mode at initialization (running
    statistics still at their initial mean 0 and variance 1).

    Each layer is ``relu(bn(h @ W))``; with ``residual=True`` it is ``h + relu(bn(h @ W))``.

    Parameters
    ----------
    weight_std : float
        Std of every weight.
    depth, width, n_samples : int
    residual : bool, default False
    rng : None, int or numpy.random.Generator, default 0

    Returns
    -------
    train, eval : numpy.ndarray
        Std of the activations after each layer, shape ``(depth,)``.

    Examples
    --------
    >>> train_std, eval_std = batchnorm_stack(1.0, depth=5)
    >>> bool(abs(train_std[-1] - eval_std[-1]) > 1)
    True
    """
    weight_std = check_positive("weight_std", weight_std)
    gen = as_generator(rng)
    x = gen.standard_normal((n_samples, width))
    weights = [weight_std * gen.standard_normal((width, width)) for _ in range(depth)]
    out = []
    for mode in ("train", "eval"):
        h, stds = x, []
        with np.errstate(all="ignore"):
            for W in weights:
                z = h @ W
                if mode == "train":
                    z = (z - z.mean(axis=0)) / np.sqrt(z.var(axis=0) + 1e-5)
                else:
                    z = z / math.sqrt(1.0 + 1e-5)
                branch = np.maximum(z, 0.0)
                h = h + branch if residual else branch
                stds.append(float(np.std(h)))
        out.append(np.array(stds))
    return out[0], out[1]


def reinit_after_loading(steps=300, rng=0) -> dict:
    """Train a spiral classifier, save its weights, then load them into a fresh network in
    three orders and report the loss on the data right after.

    - ``load``: initialize, load the checkpoint. The trained loss comes back.
    - ``load, then init head``: load, then re-initialize only the last layer (a new head).
    - ``load, then zero head``: load, then set the last layer to zeros: every class gets
      ``1/C`` and the loss is ``ln C``.
    - ``load, then init all``: load, then run the initializer over every layer, as a
      ``model.apply(init_fn)`` after loading does. The training is gone.

    Returns
    -------
    dict of str to float
        Order -> cross-entropy on the training data; also ``"trained"`` and ``"fresh"``.

    Examples
    --------
    >>> r = reinit_after_loading(steps=100)
    >>> r["load"] == r["trained"] and r["load, then init all"] > r["trained"]
    True
    """
    gen = as_generator(rng)
    x, y = spirals(300, rng=gen)
    sizes = [2, 64, 64, 3]
    net = MLP.build(sizes, "relu", init="he_normal", rng=gen)
    train(net, x, y, "cross_entropy", steps, lr=0.1)
    checkpoint = [(layer.W.copy(), layer.b.copy()) for layer in net.layers]

    def loss(model):
        return cross_entropy(model.predict(x), y)[0]

    def fresh():
        return MLP.build(sizes, "relu", init="he_normal", rng=gen)

    def load(model):
        for layer, (W, b) in zip(model.layers, checkpoint):
            layer.W, layer.b = W.copy(), b.copy()
        return model

    def init(layers):
        for layer in layers:
            layer.W = he_normal(layer.W.shape, rng=gen)
            layer.b = np.zeros_like(layer.b)

    head, zero, everything = load(fresh()), load(fresh()), load(fresh())
    init(head.layers[-1:])
    zero.layers[-1].W[:] = 0.0
    zero.layers[-1].b[:] = 0.0
    init(everything.layers)
    return {"trained": loss(net), "fresh": loss(fresh()), "load": loss(load(fresh())),
            "load, then init head": loss(head), "load, then zero head": loss(zero),
            "load, then init all": loss(everything)}


def fixed_normal(std):
    """An initializer ``(shape, rng=None) -> array`` drawing ``N(0, std^2)`` whatever the fans."""

    def init(shape, rng=None):
        return std * as_generator(rng).standard_normal(shape)

    return init


def _constant(value):
    def init(shape, rng=None):
        return np.full(shape, float(value))

    return init


DIAGNOSE_SIZES = (32, 256, 256, 256, 256, 10)
"""Layer sizes of the networks the Practice pages diagnose."""

DIAGNOSE_CASES = {
    "healthy": ("relu", "he_normal", None),
    "zeros": ("relu", "zeros", None),
    "tanh_std1": ("tanh", fixed_normal(1.0), None),
    "relu_negative_bias": ("relu", "he_normal", _constant(-5.0)),
    "tanh_std001": ("tanh", fixed_normal(0.01), None),
}
"""Case name -> (activation, weight init, bias init) of the networks on the Debug page:
He with ReLU; all zeros; std 1.0 with tanh; He with ReLU and biases of -5; std 0.01 with tanh."""


def diagnose_case(name, rng=0):
    """Build the network of `DIAGNOSE_CASES` [name] and diagnose it on a standard normal batch
    of 256 samples.

    Examples
    --------
    >>> diagnose_case("tanh_std1").verdicts
    ['saturated', 'saturated', 'saturated', 'saturated', 'exploding']
    """
    from .diagnose import diagnose

    check_choice("name", name, list(DIAGNOSE_CASES))
    activation, init, bias_init = DIAGNOSE_CASES[name]
    gen = as_generator(rng)
    net = MLP.build(DIAGNOSE_SIZES, activation, init=init, bias_init=bias_init, rng=gen)
    return diagnose(net, gen.standard_normal((256, DIAGNOSE_SIZES[0])))


def reproducibility(n=10_000) -> dict:
    """What stays identical and what does not, in NumPy alone.

    Returns
    -------
    dict of str to float
        Largest absolute difference between two arrays for: the same seed twice
        (``same seed``); seeds 0 and 1 (``other seed``); ``RandomState(0)`` against
        ``default_rng(0)``, two generators with the same seed (``other generator``); a float32
        sum of the same numbers in two orders (``sum order``), relative to the sum.

    Examples
    --------
    >>> reproducibility()["same seed"]
    0.0
    """
    a = np.random.default_rng(0).standard_normal(n)
    b = np.random.default_rng(0).standard_normal(n)
    c = np.random.default_rng(1).standard_normal(n)
    d = np.random.RandomState(0).standard_normal(n)
    w = (a * 1e3).astype(np.float32)
    forward = np.float32(0)
    for v in w:
        forward += v
    backward = np.float32(0)
    for v in w[::-1]:
        backward += v
    return {"same seed": float(np.max(np.abs(a - b))), "other seed": float(np.max(np.abs(a - c))),
            "other generator": float(np.max(np.abs(a - d))),
            "sum order": float(abs(forward - backward) / abs(np.float64(w).sum()))}


@dataclass(frozen=True)
class Equivalent:
    """One weightinit scheme and the call in each framework that draws from the same distribution.

    The calls are Python expressions, shown on the Equivalent calls page and evaluated by the
    framework tests. In them, ``w`` is a PyTorch weight of shape ``(fan_out, fan_in)`` and ``nn``
    is ``torch.nn``; ``keras`` is Keras 3; ``jinit`` is ``jax.nn.initializers`` and the JAX
    expression is an initializer ``f(key, shape)`` for a shape ``(fan_in, fan_out)``.
    ``None`` means the framework has no such call.
    """

    scheme: str
    params: dict
    torch: str | None
    keras: str | None
    jax: str | None


EQUIVALENTS = (
    Equivalent("zeros", {}, "nn.init.zeros_(w)", "keras.initializers.Zeros()", "jinit.zeros"),
    Equivalent("ones", {}, "nn.init.ones_(w)", "keras.initializers.Ones()", "jinit.ones"),
    Equivalent("constant", {"value": 0.3}, "nn.init.constant_(w, 0.3)",
               "keras.initializers.Constant(0.3)", "jinit.constant(0.3)"),
    Equivalent("normal", {"std": 0.01}, "nn.init.normal_(w, 0.0, 0.01)",
               "keras.initializers.RandomNormal(0.0, 0.01)", "jinit.normal(0.01)"),
    Equivalent("uniform", {"low": -0.05, "high": 0.05}, "nn.init.uniform_(w, -0.05, 0.05)",
               "keras.initializers.RandomUniform(-0.05, 0.05)",
               "lambda key, shape: jax.random.uniform(key, shape, minval=-0.05, maxval=0.05)"),
    Equivalent("truncated_normal", {"std": 0.01}, "nn.init.trunc_normal_(w, 0.0, 0.01, -0.02, 0.02)",
               "keras.initializers.TruncatedNormal(0.0, 0.01)", "jinit.truncated_normal(0.01)"),
    Equivalent("lecun_normal", {}, 'nn.init.kaiming_normal_(w, nonlinearity="linear")',
               'keras.initializers.VarianceScaling(1.0, "fan_in", "untruncated_normal")',
               'jinit.variance_scaling(1.0, "fan_in", "normal")'),
    Equivalent("lecun_uniform", {}, 'nn.init.kaiming_uniform_(w, nonlinearity="linear")',
               "keras.initializers.LecunUniform()", "jinit.lecun_uniform()"),
    Equivalent("glorot_normal", {}, "nn.init.xavier_normal_(w)",
               'keras.initializers.VarianceScaling(1.0, "fan_avg", "untruncated_normal")',
               'jinit.variance_scaling(1.0, "fan_avg", "normal")'),
    Equivalent("glorot_uniform", {}, "nn.init.xavier_uniform_(w)",
               "keras.initializers.GlorotUniform()", "jinit.glorot_uniform()"),
    Equivalent("he_normal", {}, 'nn.init.kaiming_normal_(w, nonlinearity="relu")',
               'keras.initializers.VarianceScaling(2.0, "fan_in", "untruncated_normal")',
               'jinit.variance_scaling(2.0, "fan_in", "normal")'),
    Equivalent("he_uniform", {}, 'nn.init.kaiming_uniform_(w, nonlinearity="relu")',
               "keras.initializers.HeUniform()", "jinit.he_uniform()"),
    Equivalent("pytorch_default", {}, "nn.init.kaiming_uniform_(w, a=math.sqrt(5))",
               'keras.initializers.VarianceScaling(1 / 3, "fan_in", "uniform")',
               'jinit.variance_scaling(1 / 3, "fan_in", "uniform")'),
    Equivalent("orthogonal", {}, "nn.init.orthogonal_(w)", "keras.initializers.Orthogonal()",
               "jinit.orthogonal()"),
    Equivalent("identity", {}, "nn.init.eye_(w)", "keras.initializers.Identity()",
               "lambda key, shape: jnp.eye(*shape)"),
    Equivalent("sparse", {"sparsity": 0.9, "std": 0.01}, "nn.init.sparse_(w.T, 0.9, 0.01)", None, None),
)
"""Every scheme of the registry with its PyTorch, Keras 3 and JAX call, for a dense weight.

PyTorch's ``w`` has the layout ``(fan_out, fan_in)``, Keras' and JAX's shapes ``(fan_in,
fan_out)``: the fans are the same. Keras' and JAX's named normal schemes (``he_normal``...) are
truncated; the untruncated ones of weightinit and PyTorch need ``variance_scaling``. PyTorch's
``sparse_`` zeroes entries per column, so it gets ``w.T`` to zero them per output unit."""


DEPTH_CASES = (("tanh", "std 0.01", 0.01), ("tanh", "Glorot normal", "glorot_normal"),
               ("tanh", "std 1.0", 1.0), ("relu", "LeCun normal", "lecun_normal"),
               ("relu", "He normal", "he_normal"), ("relu", "std 0.1", 0.1))
"""(activation, label, init) of the depth profiles on the Debug page; a float is a plain
normal of that std."""


def depth_profiles(depth=20, width=256, n_samples=256, rng=0) -> dict:
    """Std of the activations after every layer, for each case of `DEPTH_CASES`.

    Parameters
    ----------
    depth, width : int
        Number of layers and their width; the input is ``n_samples`` standard normal vectors.
    rng : int, default 0

    Returns
    -------
    dict of (activation, label) to numpy.ndarray
        Std after layers 1 to `depth`.

    Examples
    --------
    >>> p = depth_profiles(depth=5, width=64)
    >>> bool(p["relu", "He normal"][-1] > p["relu", "LeCun normal"][-1])
    True
    """
    from .experiments import activation_stats

    return {(act, label): activation_stats(fixed_normal(init) if isinstance(init, float) else init, act,
                                           widths=[width] * depth, n_samples=n_samples,
                                           rng=rng).stds
            for act, label, init in DEPTH_CASES}


def dead_fractions(biases, rng=0) -> np.ndarray:
    """Fraction of dead units in each hidden layer of the `DIAGNOSE_SIZES` He ReLU network with
    every bias set to each value of `biases`, from `weightinit.diagnose`.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(biases), number of hidden layers)``.

    Examples
    --------
    >>> dead_fractions([0.0, -5.0])[:, 0].round(1).tolist()
    [0.0, 0.9]
    """
    from .diagnose import diagnose

    rows = []
    for bias in biases:
        gen = as_generator(rng)
        net = MLP.build(DIAGNOSE_SIZES, "relu", init="he_normal", bias_init=_constant(bias), rng=gen)
        d = diagnose(net, gen.standard_normal((256, DIAGNOSE_SIZES[0])))
        rows.append([layer.dead for layer in d.layers[:-1]])
    return np.array(rows)
