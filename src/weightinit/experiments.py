"""The experiments behind the site's figures, as plain functions returning plain results.

Each function runs in about a second or less at its defaults and returns a dataclass or a
dict of NumPy arrays and floats; the figure functions only plot them. Wherever an
initializer is asked for, pass a scheme name for `weightinit.get` or any callable
``(shape, rng=...) -> array``; ``functools.partial(weightinit.normal, std=1.0)`` gives a
scheme with non-default parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .datasets import moons, spirals
from ._checks import as_generator

# The mean-field functions live in weightinit.meanfield; they stay importable from here.
from .meanfield import (  # noqa: F401
    EdgeOfChaos,
    MeanFieldCheck,
    chi_1,
    edge_of_chaos,
    fixed_point,
    mean_field_check,
    variance_map,
)
from .nn import MLP, activation as _activation, mse, train


def _label(init):
    return init if isinstance(init, str) else getattr(init, "__name__", repr(init))


def _labelled(inits) -> dict:
    return dict(inits) if isinstance(inits, Mapping) else {_label(i): i for i in inits}


def _widths(widths):
    widths = [int(w) for w in widths]
    if not widths or min(widths) < 1:
        raise ValueError(f"widths must be a non-empty sequence of positive ints; got {widths}")
    return widths


def _notebook_net(init, activation, widths, rng):
    # The notebook's network: inputs have widths[0] features, one layer per entry of widths.
    return MLP.build([widths[0], *widths], activation, activation, init, rng=rng)


# ------------------------------------------------------------------ forward and backward


@dataclass
class ActivationStats:
    """Per-layer statistics of a forward pass (see `activation_stats`).

    Attributes
    ----------
    means, stds : numpy.ndarray
        Mean and standard deviation of each layer's activations, shape ``(n_layers,)``.
    activations : list of numpy.ndarray
        Each layer's activations, shape ``(n_samples, width)``, for histograms.
    """

    means: np.ndarray
    stds: np.ndarray
    activations: list


def activation_stats(init, activation="tanh", widths=(500,) * 10, n_samples=1000,
                     input_mean=0.0, input_std=1.0, rng=None) -> ActivationStats:
    """Push Gaussian inputs through a deep network and record each layer's activations.

    This is the source notebook's experiment: 1000 inputs through 10 tanh layers of 500
    units with zero biases. ``0.01 * randn`` weights make the activations collapse to 0,
    ``1.0 * randn`` saturates tanh at +-1, ``randn / sqrt(fan_in)`` keeps a healthy spread.

    Parameters
    ----------
    init : str or callable
        Weight initializer for every layer.
    activation : str, default "tanh"
        Activation of every layer.
    widths : sequence of int, default ``(500,) * 10``
        One layer per entry: layer ``i`` maps ``widths[i-1]`` to ``widths[i]`` units and
        the first maps ``widths[0]`` inputs to ``widths[0]`` units.
    n_samples : int, default 1000
        Number of input vectors.
    input_mean, input_std : float, default 0.0 and 1.0
        Inputs are drawn from ``N(input_mean, input_std^2)``.
    rng : None, int or numpy.random.Generator
        Source of randomness for inputs and weights.

    Returns
    -------
    ActivationStats

    Examples
    --------
    >>> stats = activation_stats("lecun_normal", "tanh", widths=[100] * 5, n_samples=200, rng=0)
    >>> stats.stds.shape, stats.activations[-1].shape
    ((5,), (200, 100))
    """
    gen = as_generator(rng)
    widths = _widths(widths)
    x = input_mean + input_std * gen.standard_normal((int(n_samples), widths[0]))
    acts = _notebook_net(init, activation, widths, gen).forward(x).a
    return ActivationStats(np.array([a.mean() for a in acts]), np.array([a.std() for a in acts]), acts)


@dataclass
class GradientStats:
    """Per-layer gradient statistics of one backward pass (see `gradient_stats`).

    Attributes
    ----------
    weight_grad_norms : numpy.ndarray
        Frobenius norm of each layer's weight gradient, shape ``(n_layers,)``.
    weight_grad_vars : numpy.ndarray
        Variance of the entries of each layer's weight gradient.
    backprop_grad_vars : numpy.ndarray
        Variance of the back-propagated gradient with respect to each layer's
        pre-activations (Glorot and Bengio's "back-propagated gradients").
    """

    weight_grad_norms: np.ndarray
    weight_grad_vars: np.ndarray
    backprop_grad_vars: np.ndarray


def gradient_stats(init, activation="tanh", widths=(500,) * 5, n_samples=1000,
                   rng=None) -> GradientStats:
    """Backpropagate a random unit-variance gradient and record per-layer gradient sizes.

    Glorot and Bengio (2010) in miniature: with ``U(-1/sqrt(n), 1/sqrt(n))`` weights the
    back-propagated gradient shrinks about 3x per layer towards the input; with
    ``glorot_uniform`` it stays roughly level.

    Parameters
    ----------
    init : str or callable
        Weight initializer for every layer.
    activation : str, default "tanh"
        Activation of every layer.
    widths : sequence of int, default ``(500,) * 5``
        Layer sizes, as in `activation_stats`.
    n_samples : int, default 1000
        Number of ``N(0, 1)`` input vectors.
    rng : None, int or numpy.random.Generator
        Source of randomness for inputs, weights and the upstream gradient.

    Returns
    -------
    GradientStats
        Entries are ordered from the first layer (next to the input) to the last.

    Examples
    --------
    >>> stats = gradient_stats("glorot_uniform", widths=[100] * 4, n_samples=200, rng=0)
    >>> stats.backprop_grad_vars.shape
    (4,)
    """
    gen = as_generator(rng)
    widths = _widths(widths)
    net = _notebook_net(init, activation, widths, gen)
    trace = net.forward(gen.standard_normal((int(n_samples), widths[0])))
    grads = net.backward(trace, gen.standard_normal(trace.a[-1].shape))
    return GradientStats(
        np.array([np.linalg.norm(g) for g in grads.W]),
        np.array([g.var() for g in grads.W]),
        np.array([g.var() for g in grads.z]),
    )


# ------------------------------------------------------------------------- training


@dataclass
class Symmetry:
    """Weights of the 2-2-1 network before and after training (see `symmetry`).

    Attributes
    ----------
    before, after : dict of str to numpy.ndarray
        ``W1`` (2, 2), ``b1`` (2,), ``W2`` (2, 1), ``b2`` (1,), as in the course notes.
    identical : bool
        Whether the two hidden units still have identical incoming and outgoing
        weights after training.
    losses : numpy.ndarray
        Training loss at every step.
    """

    before: dict
    after: dict
    identical: bool
    losses: np.ndarray


def _weights(net):
    return {f"{p}{i}": getattr(layer, p).copy()
            for i, layer in enumerate(net.layers, start=1) for p in ("W", "b")}


def symmetry(init, steps=500, lr=0.5, n_samples=100, rng=None) -> Symmetry:
    """Train the course notes' 2-2-1 network and check whether its hidden units stay twins.

    The network has two inputs, two ReLU hidden units and one sigmoid output, zero biases,
    and is trained with binary cross-entropy on `moons`. Under zero or constant init both
    hidden units compute the same function and receive the same gradient, so they never
    become different; random init breaks the tie.

    Parameters
    ----------
    init : str or callable
        Weight initializer for both layers.
    steps : int, default 500
        Number of full-batch SGD steps (momentum 0.9).
    lr : float, default 0.5
        Learning rate.
    n_samples : int, default 100
        Size of the training set.
    rng : None, int or numpy.random.Generator
        Source of randomness for the data and the weights.

    Returns
    -------
    Symmetry

    Examples
    --------
    >>> symmetry("zeros", steps=50, rng=0).identical
    True
    >>> symmetry("he_normal", steps=50, rng=0).identical
    False
    """
    gen = as_generator(rng)
    x, y = moons(n_samples, rng=gen)
    net = MLP.build([2, 2, 1], "relu", "sigmoid", init, rng=gen)
    before = _weights(net)
    losses = train(net, x, y, "binary_cross_entropy", steps, lr)
    after = _weights(net)
    identical = bool(np.array_equal(after["W1"][:, 0], after["W1"][:, 1])
                     and after["b1"][0] == after["b1"][1]
                     and after["W2"][0, 0] == after["W2"][1, 0])
    return Symmetry(before, after, identical, losses)


def training_curves(inits=("zeros", "normal", "he_normal"), activation="relu", hidden=(64, 64),
                    steps=300, lr=0.1, n_samples=300, rng=None) -> dict:
    """Train the same MLP on `spirals` once per initializer and return the loss curves.

    Zero init leaves a ReLU network stuck at ``ln 3`` (every gradient but the output bias
    is zero, and balanced classes make that one zero too); ``normal`` (std 0.01) is slow
    to get going; ``he_normal`` learns fastest.

    Parameters
    ----------
    inits : sequence or mapping, default ``("zeros", "normal", "he_normal")``
        Initializers to compare; a mapping gives each one a label.
    activation : str, default "relu"
        Hidden activation; the output layer is linear (softmax cross-entropy loss).
    hidden : sequence of int, default (64, 64)
        Hidden layer widths.
    steps : int, default 300
        Full-batch SGD steps (momentum 0.9).
    lr : float, default 0.1
        Learning rate.
    n_samples : int, default 300
        Points in the three-arm spiral dataset.
    rng : None, int or numpy.random.Generator
        Seed or generator; every initializer sees the same data and the same seed.

    Returns
    -------
    dict of str to numpy.ndarray
        Label -> loss at every step.

    Examples
    --------
    >>> curves = training_curves(["zeros", "he_normal"], steps=20, rng=0)
    >>> bool(curves["he_normal"][-1] < curves["zeros"][-1])
    True
    """
    seed = int(as_generator(rng).integers(2**32))
    x, y = spirals(n_samples, rng=seed)
    curves = {}
    for label, init in _labelled(inits).items():
        net = MLP.build([2, *hidden, 3], activation, "linear", init, rng=seed)
        curves[label] = train(net, x, y, "cross_entropy", steps, lr)
    return curves


@dataclass
class DepthSweep:
    """Training and signal propagation in a deep ReLU network (see `depth_sweep`).

    Attributes
    ----------
    losses : dict of str to numpy.ndarray
        Label -> training loss at every step.
    stds : dict of str to numpy.ndarray
        Label -> activation std after each layer at initialization, ``(depth,)``, for
        ``N(0, 1)`` inputs through ``depth`` square layers of the same width.
    """

    losses: dict
    stds: dict


def depth_sweep(inits=("he_normal", "glorot_normal"), depth=30, width=32, steps=300, lr=0.001,
                n_samples=100, rng=None) -> DepthSweep:
    """He et al. (2015) in miniature: a deep ReLU MLP trains under He init and stalls under Glorot.

    ReLU halves the second moment at every layer; He's ``2 / fan_in`` doubles it back,
    Glorot's ``1 / fan_in`` (square layers) does not, so after ``L`` layers the Glorot
    network's activations are about ``2^(-L/2)`` times the He network's and its gradients
    vanish.

    Parameters
    ----------
    inits : sequence or mapping, default ``("he_normal", "glorot_normal")``
        Initializers to compare; a mapping gives each one a label.
    depth : int, default 30
        Number of hidden layers.
    width : int, default 32
        Width of every hidden layer.
    steps : int, default 300
        Full-batch SGD steps (momentum 0.9) on a three-arm `spirals` dataset.
    lr : float, default 0.001
        Learning rate; deep plain ReLU networks spike at larger ones.
    n_samples : int, default 100
        Training points, and inputs for the activation statistics.
    rng : None, int or numpy.random.Generator
        Seed or generator; every initializer sees the same data and the same seed.

    Returns
    -------
    DepthSweep

    Examples
    --------
    >>> sweep = depth_sweep(depth=10, steps=5, rng=0)
    >>> sorted(sweep.losses), sweep.stds["he_normal"].shape
    (['glorot_normal', 'he_normal'], (10,))
    """
    seed = int(as_generator(rng).integers(2**32))
    x, y = spirals(n_samples, rng=seed)
    losses, stds = {}, {}
    for label, init in _labelled(inits).items():
        net = MLP.build([2, *[width] * depth, 3], "relu", "linear", init, rng=seed)
        losses[label] = train(net, x, y, "cross_entropy", steps, lr)
        stds[label] = activation_stats(init, "relu", [width] * depth, n_samples, rng=seed).stds
    return DepthSweep(losses, stds)


# ---------------------------------------------------------------- deep linear networks


def jacobian_spectrum(inits=("orthogonal", "lecun_normal"), depth=32, width=128,
                      activation="linear", rng=None) -> dict:
    """Singular values of a deep network's input-output Jacobian at initialization.

    For a deep linear network the Jacobian is the product of the weight matrices:
    orthogonal weights make every singular value exactly 1 (dynamical isometry, Saxe et
    al. 2013), scaled Gaussian weights spread them over orders of magnitude. For other
    activations the Jacobian is taken at one ``N(0, 1)`` input.

    Parameters
    ----------
    inits : sequence or mapping, default ``("orthogonal", "lecun_normal")``
        Initializers to compare; a mapping gives each one a label.
    depth : int, default 32
        Number of square layers.
    width : int, default 128
        Width of every layer.
    activation : str, default "linear"
        Activation of every layer.
    rng : None, int or numpy.random.Generator
        Seed or generator; every initializer sees the same input and the same seed.

    Returns
    -------
    dict of str to numpy.ndarray
        Label -> singular values, largest first, shape ``(width,)``.

    Examples
    --------
    >>> import numpy as np
    >>> s = jacobian_spectrum(["orthogonal"], depth=8, width=16, rng=0)["orthogonal"]
    >>> bool(np.allclose(s, 1.0))
    True
    """
    seed = int(as_generator(rng).integers(2**32))
    x = np.random.default_rng(seed).standard_normal((1, width))
    dphi = _activation(activation)[1]
    spectra = {}
    for label, init in _labelled(inits).items():
        net = _notebook_net(init, activation, _widths([width] * depth), seed)
        jac = np.eye(width)
        # Row vector layout: d out / d x = W_1 D_1 W_2 D_2 ... with D_l = diag(phi'(z_l)).
        for layer, z in zip(net.layers, net.forward(x).z):
            jac = (jac @ layer.W) * dphi(z)
        spectra[label] = np.linalg.svd(jac, compute_uv=False)
    return spectra


@dataclass
class LearningTime:
    """Steps to train deep linear networks of several depths (see `learning_time`).

    Attributes
    ----------
    depths : numpy.ndarray
        The depths tried.
    steps : dict of str to numpy.ndarray
        Label -> steps needed to reach the threshold at each depth, NaN if not reached
        within `max_steps`.
    max_steps : int
        The step budget.
    """

    depths: np.ndarray
    steps: dict
    max_steps: int


def learning_time(inits=("orthogonal", "lecun_normal"), depths=(1, 2, 4, 8, 16, 32), width=16,
                  threshold=0.01, max_steps=500, lr=0.5, n_samples=64, rng=None) -> LearningTime:
    """Steps for a deep linear network to fit a linear map, against depth (Saxe et al. 2013).

    The task is ``y = x @ A`` with Gaussian ``x`` and ``A``; training is full-batch SGD
    with momentum 0.9 on the mean squared error until the loss falls to `threshold`
    times its initial value. The learning rate is ``lr / depth`` because each of the
    ``depth`` layers moves the end-to-end map by about the same step. Orthogonal init
    keeps the time bounded as depth grows; scaled Gaussian init does not.

    Parameters
    ----------
    inits : sequence or mapping, default ``("orthogonal", "lecun_normal")``
        Initializers to compare; a mapping gives each one a label.
    depths : sequence of int, default (1, 2, 4, 8, 16, 32)
        Numbers of layers.
    width : int, default 16
        Width of the input, the output and every layer.
    threshold : float, default 0.01
        Target loss as a fraction of the initial loss.
    max_steps : int, default 500
        Step budget per run.
    lr : float, default 0.5
        Learning rate before division by depth.
    n_samples : int, default 64
        Training points.
    rng : None, int or numpy.random.Generator
        Seed or generator; every initializer sees the same task and the same seed.

    Returns
    -------
    LearningTime

    Examples
    --------
    >>> result = learning_time(["orthogonal"], depths=[2, 4], rng=0)
    >>> result.steps["orthogonal"].shape
    (2,)
    """
    seed = int(as_generator(rng).integers(2**32))
    gen = np.random.default_rng(seed)
    x = gen.standard_normal((n_samples, width))
    y = x @ gen.standard_normal((width, width)) / np.sqrt(width)
    steps = {}
    for label, init in _labelled(inits).items():
        steps[label] = np.full(len(depths), np.nan)
        for k, depth in enumerate(depths):
            net = MLP.build([width] * (depth + 1), "linear", "linear", init, rng=seed)
            target = threshold * mse(net.predict(x), y)[0]
            history = train(net, x, y, "mse", max_steps, lr / depth, target_loss=target)
            reached = np.flatnonzero(history <= target)
            if reached.size:
                steps[label][k] = reached[0]
    return LearningTime(np.asarray(depths), steps, int(max_steps))


# ------------------------------------------------------------------------ SELU and LSUV


@dataclass
class MeanVar:
    """Mean and variance of every layer's activations.

    Attributes
    ----------
    means, variances : numpy.ndarray
        Shape ``(n_layers,)``.
    """

    means: np.ndarray
    variances: np.ndarray


def selu_fixed_point(init="lecun_normal", depth=50, width=500, n_samples=500,
                     input_mean=1.0, input_std=2.0, rng=None) -> MeanVar:
    """SELU's self-normalization (Klambauer et al. 2017): mean and variance go to (0, 1).

    With ``lecun_normal`` weights, ``(0, 1)`` is an attracting fixed point of the map from
    one layer's activation mean and variance to the next, so even inputs with mean 1 and
    std 2 settle there within ten to twenty layers.

    Parameters
    ----------
    init : str or callable, default "lecun_normal"
        Weight initializer for every layer.
    depth : int, default 50
        Number of SELU layers.
    width : int, default 500
        Width of the inputs and of every layer.
    n_samples : int, default 500
        Number of input vectors.
    input_mean, input_std : float, default 1.0 and 2.0
        Inputs are drawn from ``N(input_mean, input_std^2)``.
    rng : None, int or numpy.random.Generator
        Source of randomness.

    Returns
    -------
    MeanVar

    Examples
    --------
    >>> result = selu_fixed_point(depth=20, width=64, rng=0)
    >>> bool(abs(result.variances[-1] - 1) < 0.2)
    True
    """
    stats = activation_stats(init, "selu", [width] * depth, n_samples, input_mean, input_std, rng)
    return MeanVar(stats.means, stats.stds**2)


def lsuv(widths=(256,) * 10, activation="relu", n_samples=500, tol=0.1, max_iter=10,
         rng=None):
    """LSUV (Mishkin and Matas 2015) on a batch of ``N(0, 1)`` inputs: `weightinit.lsuv`.

    Layer by layer, first to last, the orthonormal weight is divided by the standard
    deviation of the layer's output (pre-activation) on one minibatch until
    ``|Var - 1| < tol`` or `max_iter` rescalings have been made. Every layer, the last
    one too, uses `activation`.

    Parameters
    ----------
    widths : sequence of int, default ``(256,) * 10``
        Layer sizes, as in `activation_stats`.
    activation : str, default "relu"
        Activation of every layer.
    n_samples : int, default 500
        Size of the ``N(0, 1)`` minibatch.
    tol : float, default 0.1
        Accepted distance of the output variance from 1.
    max_iter : int, default 10
        Most rescalings per layer.
    rng : None, int or numpy.random.Generator
        Source of randomness for the minibatch and the orthonormal weights.

    Returns
    -------
    weightinit.nn.LSUV
        The network, its weights, and each layer's variances before each rescaling and
        after the last one.

    Examples
    --------
    >>> result = lsuv(widths=[64] * 4, rng=0)
    >>> all(abs(v[-1] - 1) < 0.1 for v in result.variances)
    True
    """
    from .nn import lsuv as lsuv_net

    gen = as_generator(rng)
    widths = _widths(widths)
    x = gen.standard_normal((int(n_samples), widths[0]))
    return lsuv_net(x, widths, activation, activation, tol=tol, max_iter=max_iter, rng=gen)


# ------------------------------------------------- saturation, unit sums, unit similarity


def _growth(per_layer):
    # Geometric mean of layer l-1 over layer l: the factor per layer toward the input.
    per_layer = np.asarray(per_layer, dtype=np.float64)
    if per_layer.size < 2:
        return float("nan")
    return float(np.exp(np.mean(np.log(per_layer[:-1] / per_layer[1:]))))


@dataclass
class SaturationGradients:
    """Forward saturation and backward gradient growth of one network (see `saturation_gradients`).

    Attributes
    ----------
    saturated : numpy.ndarray
        Per layer, the share of units (over all samples) whose slope ``|phi'(z)|`` is below
        ``threshold`` times the activation's largest slope on ``[-1, 1]``.
    act_stds : numpy.ndarray
        Standard deviation of each layer's activations.
    backprop_grad_vars : numpy.ndarray
        Variance of the gradient with respect to each layer's pre-activations.
    weight_grad_vars : numpy.ndarray
        Variance of the entries of each layer's weight gradient.
    grad_growth, weight_grad_growth : float
        Geometric mean over layers of the ratio of a layer's variance to the next one's:
        how much each variance is multiplied per layer going toward the input.
    """

    saturated: np.ndarray
    act_stds: np.ndarray
    backprop_grad_vars: np.ndarray
    weight_grad_vars: np.ndarray
    grad_growth: float
    weight_grad_growth: float


def saturation_gradients(init, activation="tanh", widths=(500,) * 10, n_samples=1000,
                         threshold=0.01, rng=None) -> SaturationGradients:
    """One forward and one backward pass: how many units saturate, how the gradients grow.

    The source notebook's setting by default: 1000 ``N(0, 1)`` inputs through 10 tanh
    layers of 500 units, zero biases; the backward pass starts from a ``N(0, 1)``
    gradient at the output. With ``1.0 * randn`` weights most tanh units saturate, and
    yet the back-propagated gradient grows toward the input: each layer multiplies its
    variance by ``n Var(w) E[phi'(z)^2]``, and ``n Var(w) = 500`` outweighs the small
    ``E[phi'(z)^2]``.

    Parameters
    ----------
    init : str or callable
        Weight initializer for every layer.
    activation : str, default "tanh"
        Activation of every layer.
    widths : sequence of int, default ``(500,) * 10``
        Layer sizes, as in `activation_stats`.
    n_samples : int, default 1000
        Number of input vectors.
    threshold : float, default 0.01
        A unit counts as saturated when its slope is below this share of the largest slope.
    rng : None, int or numpy.random.Generator
        Source of randomness for inputs, weights and the output gradient.

    Returns
    -------
    SaturationGradients

    Examples
    --------
    >>> from functools import partial
    >>> import weightinit as wi
    >>> large = partial(wi.normal, std=1.0)
    >>> result = saturation_gradients(large, widths=[200] * 4, n_samples=200, rng=0)
    >>> bool(result.saturated.min() > 0.5 and result.grad_growth > 1)
    True
    """
    if not 0 < float(threshold) < 1:
        raise ValueError(f"threshold must be a number in (0, 1); got {threshold!r}")
    gen = as_generator(rng)
    widths = _widths(widths)
    dphi = _activation(activation)[1]
    largest = float(np.max(np.abs(dphi(np.linspace(-1.0, 1.0, 201)))))
    net = _notebook_net(init, activation, widths, gen)
    trace = net.forward(gen.standard_normal((int(n_samples), widths[0])))
    grads = net.backward(trace, gen.standard_normal(trace.a[-1].shape))
    z_vars = np.array([g.var() for g in grads.z])
    w_vars = np.array([g.var() for g in grads.W])
    return SaturationGradients(
        np.array([np.mean(np.abs(dphi(z)) < threshold * largest) for z in trace.z]),
        np.array([a.std() for a in trace.a]),
        z_vars, w_vars, _growth(z_vars), _growth(w_vars),
    )


def unit_sums(init="lecun_normal", fan_in=500, fan_out=500, rng=None) -> dict:
    """Each unit's weight sum ``omega`` and sum of squares ``tau`` (Klambauer et al. 2017).

    A unit ``z = sum_i w_i x_i`` fed inputs of mean ``mu`` and variance ``nu`` has mean
    ``mu omega`` and variance ``nu tau``. Under LeCun normal weights ``omega`` is
    ``N(0, fan_in Var(w)) = N(0, 1)`` for each unit: zero only on average over units.

    Parameters
    ----------
    init : str or callable, default "lecun_normal"
        Weight initializer.
    fan_in, fan_out : int, default 500 and 500
        Shape of the ``(fan_in, fan_out)`` weight; one unit per column.
    rng : None, int or numpy.random.Generator
        Source of randomness.

    Returns
    -------
    dict of str to numpy.ndarray
        ``omega`` and ``tau``, each of shape ``(fan_out,)``.

    Examples
    --------
    >>> sums = unit_sums(fan_in=100, fan_out=50, rng=0)
    >>> sums["omega"].shape, sums["tau"].shape
    ((50,), (50,))
    """
    fan_in, fan_out = _widths([fan_in, fan_out])
    W = _notebook_net(init, "linear", [fan_in, fan_out], as_generator(rng)).layers[-1].W
    return {"omega": W.sum(axis=0), "tau": (W**2).sum(axis=0)}


def unit_cosines(init="lecun_normal", fan_in=784, fan_out=500, rng=None) -> np.ndarray:
    """``|cos|`` of the angle between the weight vectors of every pair of units of one layer.

    Two dense random units are far from alike: their weight vectors are nearly
    orthogonal, ``E|cos|`` is about ``sqrt(2 / (pi fan_in))``. Sparse units with disjoint
    inputs are exactly orthogonal.

    Parameters
    ----------
    init : str or callable, default "lecun_normal"
        Weight initializer.
    fan_in, fan_out : int, default 784 and 500
        Shape of the ``(fan_in, fan_out)`` weight; one unit per column.
    rng : None, int or numpy.random.Generator
        Source of randomness.

    Returns
    -------
    numpy.ndarray
        One ``|cos|`` per pair of distinct units, shape ``(fan_out (fan_out - 1) / 2,)``.

    Examples
    --------
    >>> c = unit_cosines(fan_in=400, fan_out=50, rng=0)
    >>> c.shape, bool(c.mean() < 0.1)
    ((1225,), True)
    """
    fan_in, fan_out = _widths([fan_in, fan_out])
    if fan_out < 2:
        raise ValueError(f"fan_out must be at least 2 to form a pair; got {fan_out}")
    W = _notebook_net(init, "linear", [fan_in, fan_out], as_generator(rng)).layers[-1].W
    norms = np.linalg.norm(W, axis=0)
    if np.any(norms == 0):
        raise ValueError("init gave a unit with all-zero weights; its angle is undefined")
    U = W / norms
    return np.abs((U.T @ U)[np.triu_indices(fan_out, k=1)])


# ------------------------------------------------------------- behind the site's figures
# The simulations that the figure functions plotted inline before; each is tested in
# tests/test_experiments.py and the figures only draw what these return.


def std_by_fan(schemes=("lecun_normal", "glorot_normal", "he_normal", "pytorch_default"),
               fans=(16, 32, 64, 128, 256, 512, 1024), rng=1) -> dict:
    """Standard deviation of the weights each scheme samples for square layers.

    Parameters
    ----------
    schemes : sequence of str, default LeCun, Glorot, He and PyTorch's default
        Scheme names for `weightinit.get`.
    fans : sequence of int, default 16 to 1024
        Each layer is ``(n, n)`` for ``n`` in `fans`.
    rng : int, default 1
        Seed used for every draw, so that the curves differ only by the scheme.

    Returns
    -------
    dict of str to numpy.ndarray
        Scheme name -> sampled std at each fan.

    Examples
    --------
    >>> stds = std_by_fan(["he_normal"], fans=[100], rng=0)
    >>> bool(abs(stds["he_normal"][0] - (2 / 100) ** 0.5) < 0.01)
    True
    """
    from .schemes import get

    return {name: np.array([get(name)((int(n), int(n)), rng=rng).std() for n in fans]) for name in schemes}


def hidden_weight_history(init, steps=300, lr=0.5, n_samples=200, rng=3, init_rng=7) -> np.ndarray:
    """Incoming weights of the course notes' 2-2-1 network over plain gradient descent.

    Two inputs, two ReLU hidden units, one sigmoid output, zero biases, binary
    cross-entropy, full-batch gradient descent without momentum on the linearly
    separable labels ``x1 + x2 / 2 > 0``. Under zeros or a constant both hidden units
    receive the same gradient at every step, so their weights stay equal.

    Parameters
    ----------
    init : str or callable
        Weight initializer for both layers, called as ``init(shape, rng=init_rng)``.
    steps : int, default 300
        Gradient steps.
    lr : float, default 0.5
        Learning rate.
    n_samples : int, default 200
        Training points.
    rng : int, default 3
        Seed of the data.
    init_rng : int, default 7
        Seed passed to the initializer, for each layer.

    Returns
    -------
    numpy.ndarray
        ``W1`` before every step, shape ``(steps, 2, 2)``: input by hidden unit.

    Examples
    --------
    >>> h = hidden_weight_history("zeros", steps=20)
    >>> h.shape, bool((h[:, :, 0] == h[:, :, 1]).all())
    ((20, 2, 2), True)
    """
    from .schemes import get

    draw = get(init) if isinstance(init, str) else init
    gen = np.random.default_rng(rng)
    x = gen.standard_normal((int(n_samples), 2))
    y = (x[:, :1] + 0.5 * x[:, 1:] > 0).astype(float)
    W1, b1 = np.asarray(draw((2, 2), rng=init_rng), dtype=float), np.zeros(2)
    W2, b2 = np.asarray(draw((2, 1), rng=init_rng), dtype=float), np.zeros(1)
    history = []
    for _ in range(int(steps)):
        history.append(W1.copy())
        z1 = x @ W1 + b1
        a1 = np.maximum(z1, 0.0)
        p = 1.0 / (1.0 + np.exp(-(a1 @ W2 + b2)))
        dz2 = (p - y) / len(x)  # binary cross-entropy through the sigmoid
        dz1 = (dz2 @ W2.T) * (z1 > 0)
        W2, b2 = W2 - lr * a1.T @ dz2, b2 - lr * dz2.sum(0)
        W1, b1 = W1 - lr * x.T @ dz1, b1 - lr * dz1.sum(0)
    return np.array(history)


@dataclass
class Funnel:
    """Forward and backward variances through a linear funnel (see `funnel_variances`).

    Attributes
    ----------
    widths : list of int
        Layer widths, input first.
    forward, backward : numpy.ndarray
        Variance of the activations at each width, input first, and of the
        back-propagated gradient at each width, also input first.
    """

    widths: list
    forward: np.ndarray
    backward: np.ndarray


def funnel_variances(mode="fan_avg", widths=None, n_samples=500, rng=0) -> Funnel:
    """Glorot's compromise: signal and gradient variance through linear layers of unequal fans.

    Weights are ``variance_scaling(shape, 1.0, mode)``; the forward signal starts from
    ``N(0, 1)`` inputs, the backward one from an ``N(0, 1)`` gradient at the output.
    ``fan_in`` keeps the forward variance at 1, ``fan_out`` the backward one,
    ``fan_avg`` splits the drift between them.

    Parameters
    ----------
    mode : {"fan_in", "fan_out", "fan_avg"}, default "fan_avg"
        The fan of `weightinit.variance_scaling`.
    widths : sequence of int, optional
        Defaults to 1024 shrinking by sqrt(2) per layer down to 64.
    n_samples : int, default 500
        Rows of the input and of the output gradient.
    rng : None, int or numpy.random.Generator
        Source of randomness for weights, inputs and gradients, in that order.

    Returns
    -------
    Funnel

    Examples
    --------
    >>> f = funnel_variances("fan_in", widths=[256, 128, 64], rng=0)
    >>> bool(abs(f.forward[-1] - 1) < 0.2), bool(f.backward[0] < 0.5)
    (True, True)
    """
    from .initializers import variance_scaling

    widths = _widths([round(1024 * 2 ** (-k / 2)) for k in range(9)] if widths is None else widths)
    gen = as_generator(rng)
    Ws = [variance_scaling((a, b), 1.0, mode, rng=gen) for a, b in zip(widths, widths[1:])]
    h = gen.standard_normal((int(n_samples), widths[0]))
    forward = [h.var()]
    for W in Ws:
        h = h @ W
        forward.append(h.var())
    g = gen.standard_normal((int(n_samples), widths[-1]))
    backward = [g.var()]
    for W in reversed(Ws):
        g = g @ W.T
        backward.append(g.var())
    return Funnel(widths, np.array(forward), np.array(backward[::-1]))


def truncated_normal_density(x, std=1.0, cut=2.0):
    """Density of ``N(0, std^2)`` cut at ``+-cut * std`` and renormalised to integrate to 1.

    Parameters
    ----------
    x : array_like
        Points to evaluate at.
    std : float, default 1.0
        Standard deviation of the parent normal.
    cut : float, default 2.0
        Cut in units of `std`, as TensorFlow and PyTorch cut at two.

    Returns
    -------
    numpy.ndarray
        0 outside the cut.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.integrate import trapezoid
    >>> grid = np.linspace(-3, 3, 60001)
    >>> round(float(trapezoid(truncated_normal_density(grid), grid)), 4)
    1.0
    """
    import math

    x = np.asarray(x, dtype=float) / std
    mass = math.erf(cut / math.sqrt(2))
    return np.where(np.abs(x) < cut, np.exp(-0.5 * x**2) / (math.sqrt(2 * math.pi) * std * mass), 0.0)


def variance_scaling_stds(fan_in=512, fan_out=128) -> list:
    """Sampled against prescribed std of every named variance-scaling scheme on one layer.

    Parameters
    ----------
    fan_in, fan_out : int, default 512 and 128
        The dense layer's shape.

    Returns
    -------
    list of tuple
        ``(name, scale, mode, distribution, sampled_std, target_std)`` per scheme, with
        ``target_std = sqrt(scale / n)`` for the mode's fan ``n``; scheme ``k`` is
        drawn with seed ``k``.

    Examples
    --------
    >>> rows = variance_scaling_stds()
    >>> all(abs(r[4] / r[5] - 1) < 0.02 for r in rows)
    True
    """
    from .initializers import variance_scaling
    from .schemes import variance_scaling_triples

    fans = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}
    rows = []
    for k, (name, scale, mode, distribution) in enumerate(variance_scaling_triples()):
        w = variance_scaling((fan_in, fan_out), scale, mode, distribution, rng=k)
        rows.append((name, scale, mode, distribution, float(w.std()), float(np.sqrt(scale / fans[mode]))))
    return rows


def condition_by_depth(inits=("orthogonal", "lecun_normal"), depths=(1, 2, 4, 8, 16, 32, 64),
                       width=64, rng=1) -> dict:
    """Largest over smallest singular value of a deep linear network's Jacobian, by depth.

    Parameters
    ----------
    inits : sequence or mapping, default ``("orthogonal", "lecun_normal")``
        Initializers to compare; a mapping gives each one a label.
    depths : sequence of int
        Numbers of layers.
    width : int, default 64
        Width of every layer.
    rng : int, default 1
        Seed passed to `jacobian_spectrum` at every depth.

    Returns
    -------
    dict of str to numpy.ndarray
        Label -> condition number at each depth.

    Examples
    --------
    >>> c = condition_by_depth(["orthogonal"], depths=[4], width=16)
    >>> round(float(c["orthogonal"][0]), 6)
    1.0
    """
    out = {}
    for label, init in _labelled(inits).items():
        ratios = []
        for depth in depths:
            s = jacobian_spectrum({label: init}, depth=int(depth), width=width, rng=rng)[label]
            ratios.append(s[0] / s[-1])
        out[label] = np.array(ratios)
    return out


def conv2d_same(x, kernel) -> np.ndarray:
    """Cross-correlation of ``x`` (h, w, in) with ``kernel`` (kh, kw, in, out), "same" padding.

    Zero padding as PyTorch, TensorFlow and XLA place it: ``(k - 1) // 2`` before, the
    rest after, so tap ``(k - 1) // 2`` sits over the output pixel.

    Parameters
    ----------
    x : numpy.ndarray
        Image, shape ``(h, w, in_channels)``.
    kernel : numpy.ndarray
        Shape ``(kh, kw, in_channels, out_channels)``.

    Returns
    -------
    numpy.ndarray
        Shape ``(h, w, out_channels)``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(12.0).reshape(2, 3, 2)
    >>> k = np.zeros((3, 3, 2, 2)); k[1, 1] = np.eye(2)
    >>> bool(np.array_equal(conv2d_same(x, k), x))
    True
    """
    x, kernel = np.asarray(x, dtype=float), np.asarray(kernel, dtype=float)
    if x.ndim != 3 or kernel.ndim != 4 or kernel.shape[2] != x.shape[2]:
        raise ValueError(f"x must be (h, w, c) and kernel (kh, kw, c, out); got {x.shape} and {kernel.shape}")
    kh, kw = kernel.shape[:2]
    ph, pw = (kh - 1) // 2, (kw - 1) // 2
    padded = np.pad(x, ((ph, kh - 1 - ph), (pw, kw - 1 - pw), (0, 0)))
    h, w = x.shape[:2]
    out = np.zeros((h, w, kernel.shape[3]))
    for i in range(kh):
        for j in range(kw):
            out += padded[i:i + h, j:j + w] @ kernel[i, j]
    return out


def identity_conv_outputs(rng=0) -> dict:
    """A two-channel 24 x 24 test image through "same" convolutions with five kernels.

    The kernels: none (the input), a 3x3 `weightinit.identity`, a 3x3 He normal, a 4x4
    `weightinit.identity` (centre tap at ``k // 2``, as PyTorch's ``dirac_``) and a 4x4
    delta at ``(k - 1) // 2`` (JAX's ``delta_orthogonal``).

    Parameters
    ----------
    rng : int, default 0
        Seed of the He kernel.

    Returns
    -------
    dict of str to numpy.ndarray
        Title -> output image, shape ``(24, 24, 2)``; ``"input"`` is the image itself.

    Examples
    --------
    >>> import numpy as np
    >>> out = identity_conv_outputs()
    >>> bool(np.array_equal(out["3x3 identity"], out["input"]))
    True
    """
    from .initializers import he_normal, identity

    yy, xx = np.mgrid[:24, :24]
    image = ((np.abs(xx - 8) + np.abs(yy - 9) < 6) | ((xx - 16) ** 2 + (yy - 15) ** 2 < 20)).astype(float)
    x = np.stack([image, image.T], axis=-1)
    jax_centre = np.zeros((4, 4, 2, 2))
    jax_centre[1, 1] = np.eye(2)
    return {
        "input": x,
        "3x3 identity": conv2d_same(x, identity((3, 3, 2, 2))),
        "3x3 he_normal": conv2d_same(x, he_normal((3, 3, 2, 2), rng=rng)),
        "4x4, tap k//2": conv2d_same(x, identity((4, 4, 2, 2))),
        "4x4, tap (k-1)//2": conv2d_same(x, jax_centre),
    }


def torch_sparse_mask(rows, cols, sparsity, rng=None) -> np.ndarray:
    """The nonzero pattern of PyTorch's ``sparse_`` on a ``(rows, cols)`` tensor.

    In each column, ``ceil(sparsity * rows)`` random rows are zeroed (`torch/nn/init.py`
    at the version ``frameworks.txt`` pins); PyTorch stores a layer as ``(out, in)``, so
    every input then feeds the same number of outputs.

    Parameters
    ----------
    rows, cols : int
        Shape of the tensor.
    sparsity : float
        Fraction of each column set to zero, in ``[0, 1]``.
    rng : None, int or numpy.random.Generator
        Source of randomness.

    Returns
    -------
    numpy.ndarray of bool
        True where the weight is nonzero.

    Examples
    --------
    >>> mask = torch_sparse_mask(10, 4, 0.3, rng=0)
    >>> mask.sum(axis=0).tolist()
    [7, 7, 7, 7]
    """
    import math

    if not 0 <= sparsity <= 1:
        raise ValueError(f"sparsity must be in [0, 1]; got {sparsity}")
    gen = as_generator(rng)
    mask = np.ones((int(rows), int(cols)), dtype=bool)
    n_zero = math.ceil(sparsity * rows)
    for c in range(int(cols)):
        mask[gen.permutation(int(rows))[:n_zero], c] = False
    return mask


def orthogonal_preactivation_variances(widths=(256,) * 10, activation="relu", n_samples=500,
                                       rng=None) -> np.ndarray:
    """Variance of each layer's pre-activations with orthonormal weights and no rescaling.

    LSUV's starting point: without its rescaling, a ReLU network's variance halves at every
    layer after the first.

    Parameters
    ----------
    widths : sequence of int, default ``(256,) * 10``
        Layer sizes, as in `activation_stats`.
    activation : str, default "relu"
        Activation of every layer.
    n_samples : int, default 500
        Rows of the ``N(0, 1)`` input.
    rng : None, int or numpy.random.Generator
        Source of randomness.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(widths),)``.

    Examples
    --------
    >>> v = orthogonal_preactivation_variances([64] * 3, "linear", rng=0)
    >>> bool(np.allclose(v, v[0], rtol=0.01))
    True
    """
    from .initializers import orthogonal

    gen = as_generator(rng)
    widths = _widths(widths)
    phi = _activation(activation)[0]
    x = gen.standard_normal((int(n_samples), widths[0]))
    out = []
    for n_in, n_out in zip([widths[0], *widths], widths):
        z = x @ orthogonal((n_in, n_out), rng=gen)
        out.append(z.var())
        x = phi(z)
    return np.array(out)


def residual_stack_variance(blocks=64, branch_scale=1.0, zero_last=False, width=256, n_samples=256,
                            rng=0) -> np.ndarray:
    """Variance of the residual stream over blocks ``x <- x + branch_scale * W2 relu(W1 x)``.

    ``W1`` is He normal, ``W2`` LeCun normal (or zeros with `zero_last`, as Fixup and
    zero-gamma start), so an unscaled branch adds about the stream's own variance and
    doubles it per block.

    Parameters
    ----------
    blocks : int, default 64
        Number of residual blocks.
    branch_scale : float, default 1.0
        Factor on each branch, e.g. ``1 / sqrt(blocks)``.
    zero_last : bool, default False
        Start the branch's last weight at zero.
    width, n_samples : int, default 256
        Width of the stream and number of inputs.
    rng : None, int or numpy.random.Generator
        Source of randomness.

    Returns
    -------
    numpy.ndarray
        Variance before the first block and after each one, shape ``(blocks + 1,)``.

    Examples
    --------
    >>> v = residual_stack_variance(blocks=4, zero_last=True, width=32, rng=0)
    >>> bool(np.all(v == v[0]))
    True
    """
    from .initializers import he_normal, lecun_normal

    gen = as_generator(rng)
    x = gen.standard_normal((int(n_samples), int(width)))
    out = [x.var()]
    for _ in range(int(blocks)):
        h = np.maximum(x @ he_normal((width, width), rng=gen), 0.0)
        w2 = np.zeros((width, width)) if zero_last else lecun_normal((width, width), rng=gen)
        x = x + branch_scale * (h @ w2)
        out.append(x.var())
    return np.array(out)


@dataclass
class InitialLoss:
    """Loss at initialization against the label prior (see `initial_loss`).

    Attributes
    ----------
    positive_rates : numpy.ndarray
        Positive rates ``pi`` of the binary task.
    bce_zero_bias, bce_prior_bias : numpy.ndarray
        Binary cross-entropy with output bias 0 and with ``-log((1 - pi) / pi)``.
    label_entropy : numpy.ndarray
        Entropy of the labels, the best constant predictor's loss.
    classes : numpy.ndarray
        Numbers of classes of the softmax task.
    softmax : dict of str to numpy.ndarray
        Label -> cross-entropy at each number of classes.
    """

    positive_rates: np.ndarray
    bce_zero_bias: np.ndarray
    bce_prior_bias: np.ndarray
    label_entropy: np.ndarray
    classes: np.ndarray
    softmax: dict


def initial_loss(rng=0) -> InitialLoss:
    """Loss at initialization of a sigmoid and a softmax output on random ReLU features.

    Binary: 4000 samples of 128 ReLU features, a Glorot output layer times 0.1, labels
    positive with rate ``pi``; the prior bias brings the loss to the labels' entropy.
    Softmax: 1000 samples, ``C`` balanced classes, a last layer of std 0.01 or 1; the
    small one starts at ``ln C``, the large one far above.

    Parameters
    ----------
    rng : None, int or numpy.random.Generator
        Source of randomness.

    Returns
    -------
    InitialLoss

    Examples
    --------
    >>> r = initial_loss()
    >>> bool(abs(r.softmax["last layer std 0.01"][0] - np.log(2)) < 0.01)
    True
    """
    import math

    from .initializers import glorot_normal
    from .nn import binary_cross_entropy, cross_entropy

    gen = as_generator(rng)
    n, width = 4000, 128
    features = np.maximum(gen.standard_normal((n, width)), 0.0)
    w = glorot_normal((width, 1), rng=gen) * 0.1
    pis = np.array([0.5, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001])
    zero, prior = [], []
    for pi in pis:
        y = (gen.random(n) < pi).astype(float)
        logit = features @ w
        for store, b in ((zero, 0.0), (prior, -math.log((1 - pi) / pi))):
            p = 0.5 * (1 + np.tanh(0.5 * (logit + b)))
            store.append(binary_cross_entropy(p, y)[0])
    entropy = -(pis * np.log(pis) + (1 - pis) * np.log1p(-pis))
    classes = np.array([2, 5, 10, 100, 1000])
    softmax = {}
    for label, std in {"last layer std 0.01": 0.01, "last layer std 1": 1.0}.items():
        losses = []
        for c in classes:
            logits = features[:1000] @ (std * gen.standard_normal((width, c)))
            losses.append(cross_entropy(logits, gen.integers(0, c, 1000))[0])
        softmax[label] = np.array(losses)
    return InitialLoss(pis, np.array(zero), np.array(prior), entropy, classes, softmax)


@dataclass
class EmbeddingScales:
    """RMS of embedding tables against positional encodings (see `embedding_scales`).

    Attributes
    ----------
    rms : dict of str to float
        Initializer label -> root mean square of the table's entries.
    positional_rms : float
        RMS of the sinusoidal positional encodings of the same shape.
    d_model : int
        Embedding width.
    """

    rms: dict
    positional_rms: float
    d_model: int


def embedding_scales(vocab=1000, d_model=512, rng=0) -> EmbeddingScales:
    """RMS of embedding tables under the frameworks' defaults and of sinusoidal positions.

    Parameters
    ----------
    vocab, d_model : int, default 1000 and 512
        Table shape.
    rng : None, int or numpy.random.Generator
        Source of randomness.

    Returns
    -------
    EmbeddingScales

    Examples
    --------
    >>> s = embedding_scales(vocab=200, d_model=64)
    >>> bool(abs(s.rms["PyTorch N(0, 1)"] - 1) < 0.05)
    True
    """
    import math

    from .initializers import normal, uniform

    gen = as_generator(rng)
    tables = {
        "Keras U(-0.05, 0.05)": uniform((vocab, d_model), low=-0.05, high=0.05, rng=gen),
        "PyTorch N(0, 1)": normal((vocab, d_model), std=1.0, rng=gen),
        "BERT, GPT-2 N(0, 0.02^2)": normal((vocab, d_model), std=0.02, rng=gen),
        "N(0, 1/d_model)": normal((vocab, d_model), std=d_model**-0.5, rng=gen),
    }
    pos = np.arange(vocab)[:, None] / 10000 ** (np.arange(0, d_model, 2) / d_model)
    pe_rms = math.sqrt(np.mean(np.concatenate([np.sin(pos), np.cos(pos)], axis=1) ** 2))
    return EmbeddingScales({k: math.sqrt(np.mean(t**2)) for k, t in tables.items()}, pe_rms, int(d_model))


def saturated_fraction(activation, a) -> float:
    """Share of tanh or sigmoid units whose slope is below 1% of the slope at 0.

    Parameters
    ----------
    activation : {"tanh", "sigmoid"}
        The activation that produced `a`.
    a : array_like
        Activations (outputs of the nonlinearity).

    Returns
    -------
    float

    Examples
    --------
    >>> saturated_fraction("tanh", [0.0, 0.999, -0.9999, 0.5])
    0.5
    """
    if activation not in ("tanh", "sigmoid"):
        raise ValueError(f"activation must be 'tanh' or 'sigmoid'; got {activation!r}")
    a = np.asarray(a, dtype=float)
    slope = 1.0 - a**2 if activation == "tanh" else 4.0 * a * (1.0 - a)
    return float(np.mean(slope < 0.01))


def conv_stack_stds(fan_in, channels=32, depthwise=False, depth=10, rng=0) -> np.ndarray:
    """Activation std after each 3x3 "same" ReLU convolution with He weights for a given fan_in.

    Weights are ``N(0, 2 / fan_in)``; the input is 4 images of 16 x 16 with `channels`
    channels. The right fan keeps the std level; a wrong one makes it grow or shrink
    geometrically.

    Parameters
    ----------
    fan_in : int
        The fan the weight variance divides by (right: ``9 * channels``, or 9 depthwise).
    channels : int, default 32
        Channels in and out.
    depthwise : bool, default False
        One 3x3 filter per channel, kernel ``(3, 3, channels)``.
    depth : int, default 10
        Number of layers.
    rng : None, int or numpy.random.Generator
        Source of randomness.

    Returns
    -------
    numpy.ndarray
        Shape ``(depth,)``.

    Examples
    --------
    >>> s = conv_stack_stds(9 * 8, channels=8, depth=4)
    >>> bool(0.5 < s[-1] / s[0] < 2)
    True
    """
    from numpy.lib.stride_tricks import sliding_window_view

    gen = as_generator(rng)
    h = gen.standard_normal((4, 16, 16, int(channels)))
    std = np.sqrt(2.0 / fan_in)
    stds = []
    for _ in range(int(depth)):
        patches = sliding_window_view(np.pad(h, ((0, 0), (1, 1), (1, 1), (0, 0))), (3, 3), axis=(1, 2))
        if depthwise:  # one 3x3 filter per channel: kernel (3, 3, channels)
            z = np.einsum("bhwcij,ijc->bhwc", patches, std * gen.standard_normal((3, 3, channels)))
        else:  # kernel (3, 3, in, out)
            z = np.einsum("bhwcij,ijcd->bhwd", patches, std * gen.standard_normal((3, 3, channels, channels)))
        h = np.maximum(z, 0.0)
        stds.append(h.std())
    return np.array(stds)


def layout_funnel_stds(in_axis=-2, out_axis=-1, widths=None, n_samples=200, rng=0) -> np.ndarray:
    """Activation std through a dense ReLU funnel with He normal weights read in a given layout.

    The weights are ``(n_in, n_out)``; ``in_axis=-2, out_axis=-1`` is the right reading,
    ``in_axis=-1, out_axis=-2`` takes the fan from the output axis, which in a funnel
    that halves each layer gives twice the right variance: the std grows by about
    ``sqrt(2)`` per layer.

    Parameters
    ----------
    in_axis, out_axis : int, default -2 and -1
        Passed to `weightinit.he_normal`.
    widths : sequence of int, optional
        Defaults to 2048 halving down to 16.
    n_samples : int, default 200
        Number of ``N(0, 1)`` inputs.
    rng : None, int or numpy.random.Generator
        Source of randomness.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(widths) - 1,)``.

    Examples
    --------
    >>> right = layout_funnel_stds(widths=[512, 256, 128])
    >>> wrong = layout_funnel_stds(-1, -2, widths=[512, 256, 128])
    >>> bool(wrong[-1] > 1.5 * right[-1])
    True
    """
    from .initializers import he_normal

    widths = _widths([2048 // 2**k for k in range(8)] if widths is None else widths)
    gen = as_generator(rng)
    h = gen.standard_normal((int(n_samples), widths[0]))
    stds = []
    for n_in, n_out in zip(widths, widths[1:]):
        W = he_normal((n_in, n_out), in_axis=in_axis, out_axis=out_axis, rng=gen)
        h = np.maximum(h @ W, 0.0)
        stds.append(h.std())
    return np.array(stds)
