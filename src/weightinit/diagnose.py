"""A drop-in check of a network at initialization: one batch forward and backward, one verdict per layer.

`diagnose` pushes a batch through an `MLP` of `weightinit.nn`, backpropagates a loss, and
reports for each layer the mean and standard deviation of its activations, the fraction of
saturated entries and of dead units, the standard deviation of its weight gradient, and a
verdict with the fix. The rules (`RULES`) are checked in order; the first that matches is the
verdict, so a layer shows its most basic problem.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import ArrayLike, Seed, as_generator, check_choice
from .nn import ACTIVATIONS, LOSSES, MLP

__all__ = ["DEAD_MAX", "Diagnosis", "FIXES", "FLAT_SLOPE", "LayerDiagnosis", "PEAK_SLOPE", "RULES",
           "SATURATED_MAX", "SIGNAL_RANGE", "GRAD_RANGE", "diagnose"]

#: Activations with flat tails: the only ones whose entries can be "saturated".
_BOUNDED = ("tanh", "sigmoid")
PEAK_SLOPE = {name: float(np.max(ACTIVATIONS[name][1](np.linspace(-4.0, 4.0, 8001))))
              for name in ACTIVATIONS}
"""The largest slope of each activation of `weightinit.nn.ACTIVATIONS`."""
FLAT_SLOPE = 0.01
"""An entry is flat where the size of its slope is below this fraction of `PEAK_SLOPE`."""

SATURATED_MAX = 0.25
"""Largest healthy fraction of saturated entries. With Glorot and tanh it is about 1 %."""
DEAD_MAX = 0.5
"""Largest healthy fraction of dead units, units whose slope is flat on every sample."""
SIGNAL_RANGE = (0.1, 10.0)
"""Healthy range of a layer's pre-activation std divided by the input's root mean square."""
GRAD_RANGE = (1e-2, 1e2)
"""Healthy range of a layer's weight-gradient std divided by the last layer's."""

RULES = ("non-finite", "symmetric", "dead", "saturated", "vanishing", "exploding",
         "vanishing gradient", "exploding gradient", "ok")
"""Every verdict, in the order the rules are checked."""

FIXES = {
    "non-finite": "weights far too large, or inf/NaN in the input: use a variance-scaling "
                  "scheme and check the data",
    "symmetric": "every unit of the layer computes the same thing: draw random weights "
                 "(He for ReLU, Glorot or LeCun for tanh); zero biases are fine",
    "dead": "units never active on the batch: zero the biases and use He for ReLU",
    "saturated": "tanh/sigmoid pinned at its limits: weights too large, use Glorot or LeCun",
    "vanishing": "signal shrinks with depth: weights too small (or the layers below are "
                 "dead), use the scheme of the activation (He for ReLU, Glorot or LeCun for tanh)",
    "exploding": "signal grows with depth: weights too large, use the scheme of the activation",
    "vanishing gradient": "this layer's gradient is tiny next to the last layer's: check the "
                          "scale and gain of the layers above it",
    "exploding gradient": "this layer's gradient is huge next to the last layer's: check the "
                          "scale and gain of the layers above it",
    "ok": "",
}
"""Verdict -> what it usually means and the fix."""


@dataclass(frozen=True)
class LayerDiagnosis:
    """What one layer looked like on the batch.

    Attributes
    ----------
    index : int
        Layer number, 1 for the first.
    activation : str
        The layer's activation.
    shape : tuple of int
        Its weight's shape ``(fan_in, fan_out)``.
    mean, std : float
        Mean and standard deviation of its activations over the batch and the units.
    saturated : float
        Fraction of entries on a flat tail (slope below 1 % of the peak); NaN for activations
        without flat tails (everything but tanh and sigmoid).
    dead : float
        Fraction of units whose slope is flat on every sample of the batch.
    signal : float
        Std of its pre-activations divided by the root mean square of the network's input.
    grad_std : float
        Std of the gradient of the loss with respect to its weights.
    grad_ratio : float
        `grad_std` divided by the last layer's.
    verdict : str
        One of `RULES`.
    """

    index: int
    activation: str
    shape: tuple
    mean: float
    std: float
    saturated: float
    dead: float
    signal: float
    grad_std: float
    grad_ratio: float
    verdict: str

    @property
    def fix(self) -> str:
        """What the verdict usually means and what to do, from `FIXES`."""
        return FIXES[self.verdict]


@dataclass(frozen=True)
class Diagnosis:
    """The report of `diagnose`: one `LayerDiagnosis` per layer and the loss.

    Attributes
    ----------
    layers : list of LayerDiagnosis
    loss : float
        The loss on the batch (NaN when no target was given).
    """

    layers: list
    loss: float

    @property
    def verdicts(self) -> list:
        """The verdict of every layer, first to last."""
        return [layer.verdict for layer in self.layers]

    @property
    def healthy(self) -> bool:
        """True when every layer's verdict is ``ok``."""
        return all(v == "ok" for v in self.verdicts)

    def _rows(self):
        def pct(x):
            return "–" if np.isnan(x) else f"{100 * x:.0f}%"

        return [
            [str(r.index), r.activation, f"{r.shape[0]}x{r.shape[1]}", f"{r.mean:.3g}",
             f"{r.std:.3g}", pct(r.saturated), pct(r.dead), f"{r.grad_std:.3g}", r.verdict]
            for r in self.layers
        ]

    _HEADER = ["layer", "activation", "shape", "mean", "std", "saturated", "dead",
               "grad std", "verdict"]

    def fixes(self) -> list:
        """The distinct verdicts other than ``ok``, each with its fix, in layer order."""
        seen = dict.fromkeys(v for v in self.verdicts if v != "ok")
        return [(v, FIXES[v]) for v in seen]

    def markdown(self) -> str:
        """The report as a Markdown table, followed by one line per distinct problem."""
        lines = ["| " + " | ".join(self._HEADER) + " |", "|" + "---|" * len(self._HEADER)]
        lines += ["| " + " | ".join(row) + " |" for row in self._rows()]
        fixes = self.fixes()
        if fixes:
            lines.append("")
            lines += [f"- **{v}**: {fix}." for v, fix in fixes]
        return "\n".join(lines) + "\n"

    def __str__(self) -> str:
        rows = [self._HEADER] + self._rows()
        widths = [max(len(row[i]) for row in rows) for i in range(len(self._HEADER))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
        lines += [f"{v}: {fix}" for v, fix in self.fixes()]
        return "\n".join(lines)


def _verdict(layer, z, a, slope_flat, dead, saturated, signal, grad_ratio) -> str:
    if not (np.isfinite(z).all() and np.isfinite(a).all() and np.isfinite(grad_ratio)):
        return "non-finite"
    W = layer.W
    if W.shape[1] > 1 and np.ptp(W, axis=1).max() == 0 and np.ptp(layer.b) == 0:
        return "symmetric"
    if dead > DEAD_MAX:
        return "dead"
    if saturated > SATURATED_MAX:
        return "saturated"
    if signal < SIGNAL_RANGE[0]:
        return "vanishing"
    if signal > SIGNAL_RANGE[1]:
        return "exploding"
    if grad_ratio < GRAD_RANGE[0]:
        return "vanishing gradient"
    if grad_ratio > GRAD_RANGE[1]:
        return "exploding gradient"
    return "ok"


def diagnose(net: MLP, x: ArrayLike, y: ArrayLike | None = None, loss: str = "mse", rng: Seed = 0) -> Diagnosis:
    """Check a network at initialization on one batch: statistics and a verdict per layer.

    Parameters
    ----------
    net : weightinit.nn.MLP
        The network, as initialized.
    x : array_like
        A batch of inputs, shape ``(n_samples, fan_in)``; a few hundred samples is plenty.
    y : array_like, optional
        Targets for `loss`. Without them the gradient is that of ``sum(g * output)`` for a
        standard normal ``g`` divided by the batch size, a random probe of the backward pass.
    loss : str, default "mse"
        A key of `weightinit.nn.LOSSES`, used only with `y`.
    rng : None, int or numpy.random.Generator, default 0
        Source of the probe ``g``.

    Returns
    -------
    Diagnosis
        Print it for a plain-text table, or call its ``markdown()``.

    Raises
    ------
    TypeError
        If `net` is not a `weightinit.nn.MLP`.
    ValueError
        If `loss` is not a known loss, or `x` does not fit the network.

    Examples
    --------
    >>> import numpy as np
    >>> from weightinit.nn import MLP
    >>> x = np.random.default_rng(1).standard_normal((256, 32))
    >>> diagnose(MLP.build([32, 64, 64, 10], "relu", init="he_normal", rng=0), x).verdicts
    ['ok', 'ok', 'ok']
    >>> diagnose(MLP.build([32, 64, 64, 10], "tanh", init="zeros"), x).verdicts
    ['symmetric', 'symmetric', 'symmetric']
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net must be a weightinit.nn.MLP; got {type(net).__name__}")
    check_choice("loss", loss, sorted(LOSSES))
    rng = as_generator(rng)
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(all="ignore"):
        trace = net.forward(x)
        out = trace.a[-1]
        if y is None:
            value, grad = float("nan"), rng.standard_normal(out.shape) / len(out)
        else:
            value, grad = LOSSES[loss](out, y)
        grads = net.backward(trace, grad)
        x_rms = float(np.sqrt(np.mean(x**2)))
        grad_stds = [float(np.std(g)) for g in grads.W]
        last = grad_stds[-1]
        layers = []
        for i, (layer, z, a, g_std) in enumerate(zip(net.layers, trace.z, trace.a, grad_stds)):
            # GELU's and SiLU's slope is negative on part of the negative side: a unit there
            # still learns, so the size of the slope is what counts.
            flat = np.abs(ACTIVATIONS[layer.activation][1](z)) < FLAT_SLOPE * PEAK_SLOPE[layer.activation]
            dead = float(np.mean(flat.all(axis=0)))
            saturated = float(np.mean(flat)) if layer.activation in _BOUNDED else float("nan")
            signal = float(np.std(z)) / x_rms if x_rms > 0 else float("nan")
            ratio = g_std / last if last > 0 else (1.0 if g_std == 0 else float("inf"))
            layers.append(LayerDiagnosis(
                index=i + 1, activation=layer.activation, shape=layer.W.shape,
                mean=float(np.mean(a)), std=float(np.std(a)), saturated=saturated, dead=dead,
                signal=signal, grad_std=g_std, grad_ratio=ratio,
                verdict=_verdict(layer, z, a, flat, dead, saturated, signal, ratio)))
    return Diagnosis(layers, value)
