"""A tiny fully connected network in NumPy, for running initialization experiments.

Layout is ``x @ W + b`` throughout: a weight matrix has shape ``(fan_in, fan_out)`` and
inputs have shape ``(n_samples, features)``. Everything is float64 so that gradients can
be checked against finite differences.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ._checks import ArrayLike, Seed, as_generator, check_choice, check_count, check_positive
from .initializers import initializer

SELU_ALPHA = 1.6732632423543772848170429916717
"""SELU's alpha (Klambauer et al. 2017)."""
SELU_LAMBDA = 1.0507009873554804934193349852946
"""SELU's lambda, the output scale (Klambauer et al. 2017)."""
LEAKY_SLOPE = 0.01
"""Slope of ``leaky_relu`` for negative inputs (PyTorch's default)."""

_GELU_C = np.sqrt(2.0 / np.pi)


def _sigmoid(z):
    # The tanh form never overflows, unlike 1 / (1 + exp(-z)) for large negative z.
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _sigmoid_grad(z):
    s = _sigmoid(z)
    return s * (1.0 - s)


def _selu(z):
    # expm1 of min(z, 0) keeps the unused branch from overflowing for large positive z.
    return SELU_LAMBDA * np.where(z > 0, z, SELU_ALPHA * np.expm1(np.minimum(z, 0.0)))


def _selu_grad(z):
    return SELU_LAMBDA * np.where(z > 0, 1.0, SELU_ALPHA * np.exp(np.minimum(z, 0.0)))


def _gelu(z):
    return 0.5 * z * (1.0 + np.tanh(_GELU_C * (z + 0.044715 * (z * z * z))))


def _gelu_grad(z):
    t = np.tanh(_GELU_C * (z + 0.044715 * (z * z * z)))
    return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t**2) * _GELU_C * (1.0 + 3 * 0.044715 * z**2)


ACTIVATIONS: dict[str, tuple[Callable, Callable]] = {
    "linear": (lambda z: z, np.ones_like),
    "sigmoid": (_sigmoid, _sigmoid_grad),
    "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(z.dtype)),
    "leaky_relu": (
        lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
        lambda z: np.where(z > 0, 1.0, LEAKY_SLOPE),
    ),
    "selu": (_selu, _selu_grad),
    "gelu": (_gelu, _gelu_grad),
}
"""Activation name -> ``(phi, phi_prime)``, both elementwise functions of the pre-activation.

``gelu`` is the tanh approximation ``0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3)))`` and its
derivative is exact for that form. ``relu`` and ``leaky_relu`` use the derivative of the
negative side at 0.
"""


def activation(name: str) -> tuple[Callable, Callable]:
    """Look up an activation and its derivative by name.

    Parameters
    ----------
    name : str
        One of ``linear``, ``sigmoid``, ``tanh``, ``relu``, ``leaky_relu``, ``selu``, ``gelu``.

    Returns
    -------
    phi, phi_prime : callable
        The activation and its derivative, both applied elementwise to pre-activations.

    Raises
    ------
    ValueError
        If `name` is not a known activation; the message lists the valid ones.

    Examples
    --------
    >>> import numpy as np
    >>> phi, dphi = activation("tanh")
    >>> float(phi(np.float64(0.0))), float(dphi(np.float64(0.0)))
    (0.0, 1.0)
    """
    check_choice("activation", name, sorted(ACTIVATIONS))
    return ACTIVATIONS[name]


def _resolve_init(init, argname):
    if isinstance(init, str):
        return initializer(init)
    if callable(init):
        return init
    raise TypeError(
        f"{argname} must be a scheme name or a callable (shape, rng=...) -> array; "
        f"got {type(init).__name__}"
    )


def _draw(init, shape, rng, argname):
    values = np.asarray(_resolve_init(init, argname)(shape, rng=rng), dtype=np.float64)
    if values.shape != shape:
        raise ValueError(f"{argname} returned shape {values.shape}; expected {shape}")
    return values


@dataclass
class Dense:
    """One fully connected layer, ``a = phi(x @ W + b)``.

    Parameters
    ----------
    W : numpy.ndarray
        Weights, shape ``(fan_in, fan_out)``.
    b : numpy.ndarray
        Biases, shape ``(fan_out,)``.
    activation : str
        Name of the activation ``phi``, a key of `ACTIVATIONS`.

    Examples
    --------
    >>> import numpy as np
    >>> layer = Dense(np.eye(2), np.zeros(2), "relu")
    >>> layer(np.array([[1.0, -1.0]]))
    array([[1., 0.]])
    """

    W: np.ndarray
    b: np.ndarray
    activation: str = "linear"

    def __post_init__(self):
        check_choice("activation", self.activation, sorted(ACTIVATIONS))
        self.W = np.asarray(self.W, dtype=np.float64)
        self.b = np.asarray(self.b, dtype=np.float64)
        if self.W.ndim != 2 or self.b.shape != (self.W.shape[1],):
            raise ValueError(
                f"W must be 2-D (fan_in, fan_out) and b of shape (fan_out,); "
                f"got W {self.W.shape} and b {self.b.shape}"
            )

    @classmethod
    def create(
        cls,
        fan_in: int,
        fan_out: int,
        activation: str = "linear",
        init: str | Callable[..., np.ndarray] = "glorot_uniform",
        bias_init: str | Callable[..., np.ndarray] | None = None,
        rng: Seed = None,
    ) -> Dense:
        """Make a layer with weights drawn from an initializer.

        Parameters
        ----------
        fan_in, fan_out : int
            Input and output sizes.
        activation : str, default "linear"
            Name of the activation, a key of `ACTIVATIONS`.
        init : str or callable, default "glorot_uniform"
            A scheme name or alias for `weightinit.initializers.initializer`, or any callable
            ``(shape, rng=...) -> array`` called with ``shape=(fan_in, fan_out)``.
        bias_init : str or callable, optional
            Like `init`, called with ``shape=(fan_out,)``; zeros if omitted.
        rng : None, int or numpy.random.Generator
            Source of randomness, passed on to the initializers.

        Returns
        -------
        Dense

        Examples
        --------
        >>> import numpy as np
        >>> init = lambda shape, rng=None: np.full(shape, 0.5)
        >>> Dense.create(3, 2, "tanh", init=init).W
        array([[0.5, 0.5],
               [0.5, 0.5],
               [0.5, 0.5]])
        """
        rng = as_generator(rng)
        W = _draw(init, (fan_in, fan_out), rng, "init")
        b = np.zeros(fan_out) if bias_init is None else _draw(bias_init, (fan_out,), rng, "bias_init")
        return cls(W, b, activation)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Apply the layer to ``x`` of shape ``(n_samples, fan_in)``."""
        return ACTIVATIONS[self.activation][0](x @ self.W + self.b)


@dataclass
class Trace:
    """What a forward pass saw, kept for backpropagation and for plotting.

    Attributes
    ----------
    x : numpy.ndarray
        The input, shape ``(n_samples, fan_in)``.
    z : list of numpy.ndarray
        Pre-activations ``x @ W + b``, one per layer.
    a : list of numpy.ndarray
        Activations ``phi(z)``, one per layer; ``a[-1]`` is the network's output.
    """

    x: np.ndarray
    z: list = field(default_factory=list)
    a: list = field(default_factory=list)


@dataclass
class Gradients:
    """Gradients of a scalar loss, one entry per layer.

    Attributes
    ----------
    W, b : list of numpy.ndarray
        Gradients with respect to each layer's weights and biases.
    z : list of numpy.ndarray
        Back-propagated gradients with respect to each layer's pre-activations.
    x : numpy.ndarray
        Gradient with respect to the network's input.
    """

    W: list
    b: list
    z: list
    x: np.ndarray


class MLP:
    """A stack of `Dense` layers.

    Parameters
    ----------
    layers : sequence of Dense
        The layers, first to last; each layer's ``fan_in`` must match the previous ``fan_out``.

    Examples
    --------
    >>> import numpy as np
    >>> net = MLP.build([2, 8, 1], activation="tanh", init="glorot_uniform", rng=0)
    >>> [layer.W.shape for layer in net.layers]
    [(2, 8), (8, 1)]
    >>> net.predict(np.zeros((4, 2))).shape
    (4, 1)
    """

    def __init__(self, layers: Sequence[Dense]):
        self.layers = list(layers)
        if not self.layers:
            raise ValueError("layers must contain at least one Dense layer")
        for i, (prev, nxt) in enumerate(zip(self.layers, self.layers[1:]), start=1):
            if prev.W.shape[1] != nxt.W.shape[0]:
                raise ValueError(
                    f"layers[{i}] has fan_in {nxt.W.shape[0]} but layers[{i - 1}] "
                    f"has fan_out {prev.W.shape[1]}"
                )

    @classmethod
    def build(
        cls,
        sizes: Sequence[int],
        activation: str = "relu",
        output_activation: str = "linear",
        init: str | Callable[..., np.ndarray] = "he_normal",
        bias_init: str | Callable[..., np.ndarray] | None = None,
        rng: Seed = None,
    ) -> MLP:
        """Make a network from layer sizes, one initializer for every layer.

        Parameters
        ----------
        sizes : sequence of int
            ``[n_inputs, hidden_1, ..., n_outputs]``; gives ``len(sizes) - 1`` layers.
        activation : str, default "relu"
            Activation of every layer but the last.
        output_activation : str, default "linear"
            Activation of the last layer.
        init : str or callable, default "he_normal"
            Weight initializer for every layer (see `Dense.create`).
        bias_init : str or callable, optional
            Bias initializer; zeros if omitted.
        rng : None, int or numpy.random.Generator
            Source of randomness; one generator is shared so each layer gets fresh draws.

        Returns
        -------
        MLP

        Examples
        --------
        >>> net = MLP.build([3, 5, 5, 2], activation="selu", init="lecun_normal", rng=0)
        >>> [layer.activation for layer in net.layers]
        ['selu', 'selu', 'linear']
        """
        sizes = [int(s) for s in sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"sizes must list at least two positive ints; got {sizes}")
        rng = as_generator(rng)
        acts = [activation] * (len(sizes) - 2) + [output_activation]
        return cls(
            Dense.create(n_in, n_out, act, init, bias_init, rng)
            for n_in, n_out, act in zip(sizes, sizes[1:], acts)
        )

    def forward(self, x: ArrayLike) -> Trace:
        """Run the network, recording pre-activations and activations of every layer.

        Parameters
        ----------
        x : array_like
            Inputs, shape ``(n_samples, fan_in)``.

        Returns
        -------
        Trace

        Examples
        --------
        >>> import numpy as np
        >>> net = MLP.build([2, 3, 1], rng=0)
        >>> trace = net.forward(np.ones((5, 2)))
        >>> [z.shape for z in trace.z]
        [(5, 3), (5, 1)]
        """
        x = np.asarray(x, dtype=np.float64)
        n_in = self.layers[0].W.shape[0]
        if x.ndim != 2 or x.shape[1] != n_in:
            raise ValueError(f"x must have shape (n_samples, {n_in}); got {x.shape}")
        trace = Trace(x)
        for layer in self.layers:
            z = (trace.a[-1] if trace.a else x) @ layer.W + layer.b
            trace.z.append(z)
            trace.a.append(ACTIVATIONS[layer.activation][0](z))
        return trace

    def predict(self, x: ArrayLike) -> np.ndarray:
        """Return the network's output for inputs `x` of shape ``(n_samples, fan_in)``."""
        return self.forward(x).a[-1]

    def backward(self, trace: Trace, grad_output: ArrayLike) -> Gradients:
        """Backpropagate the gradient of a scalar loss with respect to the output.

        Parameters
        ----------
        trace : Trace
            The forward pass to differentiate, from `forward`.
        grad_output : array_like
            Gradient of the loss with respect to ``trace.a[-1]``, same shape.

        Returns
        -------
        Gradients

        Examples
        --------
        >>> import numpy as np
        >>> net = MLP.build([2, 1], activation="linear", init="ones")
        >>> trace = net.forward(np.array([[1.0, 2.0]]))
        >>> net.backward(trace, np.ones((1, 1))).W[0]
        array([[1.],
               [2.]])
        """
        grad = np.asarray(grad_output, dtype=np.float64)
        if grad.shape != trace.a[-1].shape:
            raise ValueError(
                f"grad_output must have the output's shape {trace.a[-1].shape}; got {grad.shape}"
            )
        n = len(self.layers)
        gW, gb, gz = [None] * n, [None] * n, [None] * n
        for i in reversed(range(n)):
            layer = self.layers[i]
            gz[i] = grad * ACTIVATIONS[layer.activation][1](trace.z[i])
            gW[i] = (trace.a[i - 1] if i else trace.x).T @ gz[i]
            gb[i] = gz[i].sum(axis=0)
            grad = gz[i] @ layer.W.T
        return Gradients(gW, gb, gz, grad)


# ------------------------------------------------------------------------------- LSUV


@dataclass
class LSUV:
    """Result of layer-sequential unit-variance initialization (see `lsuv`).

    Attributes
    ----------
    net : MLP
        The network with its rescaled weights and zero biases.
    variances : list of numpy.ndarray
        For every layer, the variance of its pre-activations on the batch before each
        rescaling and after the last one.

    Examples
    --------
    >>> import numpy as np
    >>> result = lsuv(np.random.default_rng(0).standard_normal((200, 16)), [16, 16], rng=0)
    >>> len(result.weights), len(result.variances)
    (2, 2)
    """

    net: MLP
    variances: list

    @property
    def weights(self) -> list:
        """The rescaled weight of every layer, ``(fan_in, fan_out)``."""
        return [layer.W for layer in self.net.layers]


def lsuv(
    x: ArrayLike,
    widths: Sequence[int],
    activation: str = "relu",
    output_activation: str = "linear",
    *,
    tol: float = 0.1,
    max_iter: int = 10,
    rng: Seed = None,
) -> LSUV:
    """Layer-sequential unit-variance initialization (Mishkin and Matas 2015).

    Every weight starts orthonormal (`weightinit.orthogonal`, gain 1) and every bias at
    zero. Then, layer by layer from first to last, the weight is divided by the standard
    deviation of the layer's pre-activations ``z = x_in @ W + b`` on the batch ``x``, until
    ``|Var(z) - 1| < tol`` or `max_iter` divisions have been made. ``Var(z)`` is the
    variance of all entries of ``z``. Each layer sees the output of the layers before it,
    already rescaled. With zero biases one division makes the variance 1 up to rounding.

    Parameters
    ----------
    x : array_like
        The batch, shape ``(n_samples, n_inputs)`` with at least two samples: a real
        minibatch in practice.
    widths : sequence of int
        Output width of every layer; the first layer takes ``n_inputs``.
    activation : str, default "relu"
        Activation of every layer but the last, a key of `ACTIVATIONS`.
    output_activation : str, default "linear"
        Activation of the last layer. LSUV measures pre-activations, so it only matters
        for the network returned.
    tol : float, default 0.1
        Accepted distance of the variance from 1 (the paper's :math:`\\text{Tol}_\\text{var}`).
    max_iter : int, default 10
        Most divisions per layer (the paper's :math:`T_\\text{max}`); 0 leaves the
        orthonormal weights as they are.
    rng : None, int or numpy.random.Generator
        Source of randomness for the orthonormal weights.

    Returns
    -------
    LSUV

    Raises
    ------
    ValueError
        If a layer's pre-activations have zero or non-finite variance on ``x`` (no
        rescaling can fix that), or for bad arguments.

    References
    ----------
    Mishkin and Matas (2016): ``"mishkin2016"`` in :data:`weightinit.bibliography.ENTRIES`.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(1).standard_normal((500, 64))
    >>> result = lsuv(x, [64] * 5, activation="tanh", rng=0)
    >>> all(abs(z.var() - 1) < 0.1 for z in result.net.forward(x).z)
    True
    """
    try:
        x = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"x must be an array of real numbers; got {type(x).__name__}") from None
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 1:
        raise ValueError("x must be a 2-D batch (n_samples, n_inputs) with n_samples >= 2 and n_inputs >= 1")
    if not np.all(np.isfinite(x)):
        raise ValueError("x must contain only finite values")
    if isinstance(widths, (str, bytes)) or not isinstance(widths, Sequence) or not widths or any(
        isinstance(w, bool) or not isinstance(w, (int, np.integer)) or w < 1 for w in widths
    ):
        raise ValueError(f"widths must be a non-empty sequence of positive ints; got {widths!r}")
    tol = check_positive("tol", tol)
    max_iter = check_count("max_iter", max_iter)
    net = MLP.build([x.shape[1], *widths], activation, output_activation, "orthogonal", rng=rng)
    history = []
    for k, layer in enumerate(net.layers, start=1):
        z = x @ layer.W + layer.b
        variances = [z.var()]
        while abs(variances[-1] - 1) >= tol and len(variances) <= max_iter:
            if not (np.isfinite(variances[-1]) and variances[-1] > 0):
                raise ValueError(
                    f"layer {k}'s pre-activations have variance {variances[-1]} on x; "
                    "LSUV cannot rescale them to 1"
                )
            layer.W /= np.sqrt(variances[-1])
            z = x @ layer.W + layer.b
            variances.append(z.var())
        history.append(np.array(variances))
        x = ACTIVATIONS[layer.activation][0](z)
    return LSUV(net, history)


def mse(y_pred: ArrayLike, y: ArrayLike) -> tuple[float, np.ndarray]:
    """Mean squared error, ``mean((y_pred - y)^2)`` over every entry, and its gradient.

    Parameters
    ----------
    y_pred, y : array_like
        Predictions and targets of the same shape.

    Returns
    -------
    loss : float
    grad : numpy.ndarray
        Gradient of `loss` with respect to `y_pred`.

    Examples
    --------
    >>> import numpy as np
    >>> loss, grad = mse(np.array([[1.0], [3.0]]), np.array([[0.0], [0.0]]))
    >>> loss, grad.ravel()
    (5.0, array([1., 3.]))
    """
    y_pred, y = np.asarray(y_pred, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if y.shape != y_pred.shape:
        raise ValueError(f"y must have the predictions' shape {y_pred.shape}; got {y.shape}")
    diff = y_pred - y
    return float(np.mean(diff**2)), 2.0 * diff / diff.size


def _check_labels(y, n_samples, n_classes):
    y = np.asarray(y)
    if y.shape != (n_samples,) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y must be integer class labels of shape ({n_samples},); got {y.dtype} {y.shape}")
    if y.min() < 0 or y.max() >= n_classes:
        raise ValueError(f"y must hold labels in 0..{n_classes - 1}")
    return y


def cross_entropy(logits: ArrayLike, y: ArrayLike) -> tuple[float, np.ndarray]:
    """Softmax cross-entropy averaged over samples, and its gradient.

    Parameters
    ----------
    logits : array_like
        Unnormalised scores, shape ``(n_samples, n_classes)``; use a linear output layer.
    y : array_like of int
        Class labels, shape ``(n_samples,)``.

    Returns
    -------
    loss : float
    grad : numpy.ndarray
        Gradient of `loss` with respect to `logits`.

    Examples
    --------
    >>> import numpy as np
    >>> loss, _ = cross_entropy(np.zeros((4, 3)), np.array([0, 1, 2, 0]))
    >>> bool(np.isclose(loss, np.log(3)))
    True
    """
    logits = np.asarray(logits, dtype=np.float64)
    if logits.ndim != 2:
        raise ValueError(f"logits must have shape (n_samples, n_classes); got {logits.shape}")
    y = _check_labels(y, *logits.shape)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(len(y))
    grad = np.exp(log_p)
    grad[rows, y] -= 1.0
    return float(-log_p[rows, y].mean()), grad / len(y)


def binary_cross_entropy(p: ArrayLike, y: ArrayLike) -> tuple[float, np.ndarray]:
    """Binary cross-entropy of probabilities, averaged over samples, and its gradient.

    Use with a one-unit ``sigmoid`` output layer. Probabilities are clipped to
    ``[1e-12, 1 - 1e-12]`` so the loss stays finite.

    Parameters
    ----------
    p : array_like
        Predicted probabilities, shape ``(n_samples, 1)``.
    y : array_like
        Targets in {0, 1}, shape ``(n_samples, 1)`` or ``(n_samples,)``.

    Returns
    -------
    loss : float
    grad : numpy.ndarray
        Gradient of `loss` with respect to `p`.

    Examples
    --------
    >>> import numpy as np
    >>> loss, _ = binary_cross_entropy(np.full((2, 1), 0.5), np.array([0, 1]))
    >>> bool(np.isclose(loss, np.log(2)))
    True
    """
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-12, 1 - 1e-12)
    y = np.asarray(y, dtype=np.float64)
    if p.ndim != 2 or p.shape[1] != 1 or y.size != len(p):
        raise ValueError(f"p must have shape (n_samples, 1) matching y; got {p.shape} and {y.shape}")
    y = y.reshape(p.shape)
    loss = -np.mean(y * np.log(p) + (1 - y) * np.log1p(-p))
    return float(loss), (p - y) / (p * (1 - p)) / len(p)


LOSSES: dict[str, Callable] = {
    "mse": mse,
    "cross_entropy": cross_entropy,
    "binary_cross_entropy": binary_cross_entropy,
}
"""Loss name -> ``loss(prediction, target) -> (value, gradient)``."""


def train(
    net: MLP,
    x: ArrayLike,
    y: ArrayLike,
    loss: str = "mse",
    steps: int = 300,
    lr: float = 0.1,
    momentum: float = 0.9,
    batch_size: int | None = None,
    target_loss: float | None = None,
    rng: Seed = None,
) -> np.ndarray:
    """Train `net` in place with SGD and momentum, returning the loss at every step.

    The update is ``v = momentum * v - lr * grad; param += v``.

    Parameters
    ----------
    net : MLP
        The network to train; its weights are updated in place.
    x : array_like
        Inputs, shape ``(n_samples, fan_in)``.
    y : array_like
        Targets in the form the loss expects (see `LOSSES`).
    loss : str, default "mse"
        A key of `LOSSES`.
    steps : int, default 300
        Number of updates.
    lr : float, default 0.1
        Learning rate, > 0.
    momentum : float, default 0.9
        Momentum coefficient in ``[0, 1)``.
    batch_size : int, optional
        Minibatch size, sampled without replacement each step; full batch if omitted.
    target_loss : float, optional
        Stop as soon as the loss is at or below this value.
    rng : None, int or numpy.random.Generator
        Source of randomness for minibatch sampling.

    Returns
    -------
    numpy.ndarray
        Loss on the batch before each update, shape ``(steps,)``. Entries after an early
        stop (`target_loss` reached, or the loss no longer finite) are NaN.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.linspace(-1, 1, 20)[:, None]
    >>> net = MLP.build([1, 1], activation="linear", init="zeros")
    >>> history = train(net, x, 3 * x, steps=100)
    >>> bool(history[-1] < 1e-3 * history[0])
    True
    """
    check_choice("loss", loss, sorted(LOSSES))
    if int(steps) < 1 or lr <= 0 or not 0 <= momentum < 1:
        raise ValueError(
            f"need steps >= 1, lr > 0 and 0 <= momentum < 1; got {steps}, {lr}, {momentum}"
        )
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y)
    if len(y) != len(x):
        raise ValueError(f"x and y must have the same number of samples; got {len(x)} and {len(y)}")
    rng = as_generator(rng)
    velocity = [(np.zeros_like(layer.W), np.zeros_like(layer.b)) for layer in net.layers]
    history = np.full(int(steps), np.nan)
    for step in range(int(steps)):
        batch = slice(None) if batch_size is None else rng.choice(len(x), batch_size, replace=False)
        trace = net.forward(x[batch])
        value, grad = LOSSES[loss](trace.a[-1], y[batch])
        if not np.isfinite(value):
            break
        history[step] = value
        if target_loss is not None and value <= target_loss:
            break
        grads = net.backward(trace, grad)
        for layer, (vW, vb), gW, gb in zip(net.layers, velocity, grads.W, grads.b):
            vW *= momentum
            vW -= lr * gW
            vb *= momentum
            vb -= lr * gb
            layer.W += vW
            layer.b += vb
    return history
