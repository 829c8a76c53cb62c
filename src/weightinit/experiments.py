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
