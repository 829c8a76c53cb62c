# %% [markdown]
# # Gradients through depth
#
# The [tanh experiment](../tanh_experiment/) followed the signal forwards. Training also
# needs the error signal to come back: backpropagation multiplies it, layer by layer, by
# the transposed weights and by the activation's slope. If each layer shrinks it, the
# layers near the input get almost no gradient (**vanishing gradients**); if each layer
# grows it, they get huge, unstable updates (**exploding gradients**).
#
# `weightinit.experiments.gradient_stats` builds the same networks as the tanh experiment,
# runs $\mathcal{N}(0, 1)$ inputs forwards, feeds a random $\mathcal{N}(0, 1)$ gradient into
# the last layer and backpropagates it. For every layer $l$ it records
#
# - the variance of the **back-propagated gradient** $\delta_l = \partial L / \partial z_l$,
#   the gradient with respect to the layer's pre-activations $z_l$, and
# - the norm of the **weight gradient** $\partial L / \partial W_l = a_{l-1}^\top \delta_l$,
#   what the optimizer actually uses.
#
# Layers are numbered from the input (layer 1) to the output, so the gradient travels from
# right to left in the plots. Every number and plot was computed when this page was built.
#
# To run it on your own machine, install what it imports with
# `pip install weightinit matplotlib jupyter` and open the `.ipynb` download in Jupyter.

# %%
from functools import partial

import matplotlib.pyplot as plt
import numpy as np
from scipy.integrate import trapezoid

import weightinit as wi
from weightinit.experiments import activation_stats, chi_1, gradient_stats, variance_map

SEED = 0
setups = {
    "tanh, 0.01 * randn": (partial(wi.normal, std=0.01), "tanh"),
    "tanh, 1.0 * randn": (partial(wi.normal, std=1.0), "tanh"),
    "tanh, randn / sqrt(fan_in)": ("lecun_normal", "tanh"),
    "ReLU, 1.0 * randn": (partial(wi.normal, std=1.0), "relu"),
    "ReLU, LeCun": ("lecun_normal", "relu"),
    "ReLU, He": ("he_normal", "relu"),
}
# Ten layers of 500 units as in the tanh experiment; 200 inputs
# keep the build fast.
grads = {
    name: gradient_stats(init, act, widths=[500] * 10,
                         n_samples=200, rng=SEED)
    for name, (init, act) in setups.items()
}
print(f"{'Var(delta)':>26}  layer 1  layer 10")
for name, g in grads.items():
    v = g.backprop_grad_vars
    print(f"{name:>26}  {v[0]:7.2g}  {v[-1]:8.2g}")

# %%
layers = np.arange(1, 11)
styles = ["o-", "s-", "^-", "o--", "s--", "^--"]
fig, (ax_d, ax_w) = plt.subplots(1, 2, figsize=(7.5, 4.2),
                                 layout="constrained")
for (name, g), style in zip(grads.items(), styles):
    ax_d.semilogy(layers, g.backprop_grad_vars, style, ms=4,
                  label=name)
    ax_w.semilogy(layers, g.weight_grad_norms, style, ms=4)
ax_d.set(ylabel=r"Var$(\delta_l)$", title="back-propagated gradient")
ax_w.set(ylabel=r"$\|\partial L / \partial W_l\|$",
         title="weight gradient")
for ax in (ax_d, ax_w):
    ax.set(xlabel="layer (1 = next to the input)", xticks=layers)
fig.legend(loc="outside lower center", ncols=3, fontsize=8)
plt.show()

# The prose below, checked. Per-layer factors are geometric means over the
# 9 steps from layer 10 down to layer 1; their tolerance is 5 standard
# errors of sqrt(2 / 500) per layer, the finite-width fluctuation.
WIDTH, SAMPLES = 500, 200
tol = 5 * np.sqrt(2 / WIDTH) / np.sqrt(9)


def per_layer(name):
    v = grads[name].backprop_grad_vars
    return (v[0] / v[-1]) ** (1 / 9)


# tanh, 0.01 * randn: linear regime, variance times 0.01**2 * 500 per layer.
assert abs(per_layer("tanh, 0.01 * randn") / (0.01**2 * WIDTH) - 1) < tol
# tanh, 1.0 * randn: variance times chi_1 = 500 E[tanh'(z)^2], with z of
# variance 500 E[x^2]; a fine grid integrates the sharp tanh'(z)^2.
large = activation_stats(partial(wi.normal, std=1.0), "tanh", widths=[WIDTH] * 10,
                         n_samples=SAMPLES, rng=SEED)
q = WIDTH * np.mean([np.mean(a**2) for a in large.activations])
z = np.linspace(-12, 12, 480_001)
pdf = np.exp(-(z**2) / 2) / np.sqrt(2 * np.pi)
chi_large = WIDTH * trapezoid(np.cosh(np.sqrt(q) * z) ** -4 * pdf, z)
assert abs(per_layer("tanh, 1.0 * randn") / chi_large - 1) < tol
assert chi_large > 10


def assert_mean_field(v, sigma_w, samples):
    """Var(delta_l) / Var(delta_L) against the product of the mean-field
    factors chi_1(q_l) = sigma_w^2 E[tanh'(z_l)^2] over the layers crossed
    (Schoenholz et al. 2017), q_l the forward variance map's values.
    Tolerance: 5 standard errors of WIDTH * samples values per layer."""
    q, qs = sigma_w**2, []  # layer 1 sums N(0, 1) inputs
    for _ in v:
        qs.append(q)
        q = float(variance_map(q, sigma_w, 0.0))
    chis = np.array([float(chi_1(sigma_w, 0.0, q=x)) for x in qs])
    predicted = np.cumprod(chis[-2::-1])[::-1]  # layers L-1, ..., 1
    crossed = np.arange(len(v) - 1, 0, -1)
    tol = 5 * np.sqrt(2 * crossed / (WIDTH * samples))
    measured = v[:-1] / v[-1]
    assert np.all(np.abs(measured / predicted - 1) < tol), measured / predicted


# tanh, LeCun: a slow decline.
v = grads["tanh, randn / sqrt(fan_in)"].backprop_grad_vars
assert_mean_field(v, 1.0, SAMPLES)
assert np.all(np.diff(v) > 0)
# ReLU: variance times n Var(w) / 2 per layer: 250, 1/2 and 1.
relu_factors = {"ReLU, 1.0 * randn": WIDTH / 2, "ReLU, LeCun": 0.5, "ReLU, He": 1.0}
for name, factor in relu_factors.items():
    assert abs(per_layer(name) / factor - 1) < tol, name
# 0.01 * randn: the weight gradients come out about level.
norms = grads["tanh, 0.01 * randn"].weight_grad_norms
assert norms.max() / norms.min() < 1 + tol

# %% [markdown]
# Read the left panel from right to left, the way the gradient travels:
#
# - **tanh, `0.01 * randn`: vanishing.** Near 0 tanh is the identity, so each layer
#   multiplies the gradient's std by $0.01\sqrt{500} \approx 0.22$, the same factor that
#   made the forward signal collapse.
# - **tanh, `1.0 * randn`: exploding.** Each layer multiplies it by a weight matrix with
#   std-1 entries, a gain of about $\sqrt{500}$, and by the slope $\tanh'(z)$ of saturated
#   units, which is small but not small enough.
# - **tanh, `randn / sqrt(fan_in)`**: the weights keep the variance, the slope
#   $\tanh'(z) \le 1$ removes a little at every layer: a slow decline.
# - **ReLU, `1.0 * randn`** explodes; **ReLU, LeCun** halves the variance at every layer,
#   because half of the units have slope 0; **ReLU, He** doubles the weight variance to
#   compensate and stays level ([He et al. 2015](https://arxiv.org/abs/1502.01852)).
#
# The right panel is a warning about what to measure. The weight gradient
# $a_{l-1}^\top \delta_l$ multiplies the forward activations by the backward gradient. With
# `0.01 * randn` the activations shrink going up just as fast as $\delta$ shrinks going down,
# so the weight gradients come out about level even though both signals vanish. The net
# still cannot learn: a gradient that is the product of two vanishing signals carries
# little information about the input, and the deep layers' outputs are nearly 0.
#
# ## Glorot and Bengio (2010) in miniature
#
# [Glorot and Bengio (2010)](https://proceedings.mlr.press/v9/glorot10a.html) compared
# the then-standard initialization
#
# $$W_{ij} \sim U\left[-\frac{1}{\sqrt{n}}, \frac{1}{\sqrt{n}}\right], \qquad \operatorname{Var}(W_{ij}) = \frac{1}{3n},$$
#
# with their **normalized initialization**
#
# $$W_{ij} \sim U\left[-\frac{\sqrt{6}}{\sqrt{n_\text{in} + n_\text{out}}}, \frac{\sqrt{6}}{\sqrt{n_\text{in} + n_\text{out}}}\right], \qquad \operatorname{Var}(W_{ij}) = \frac{2}{n_\text{in} + n_\text{out}},$$
#
# now called Glorot or Xavier uniform. The standard rule gives each layer a third of the
# variance it needs to keep the signal's size, so both the activations (forwards) and
# the back-propagated gradients (backwards) shrink layer by layer. Their figures show it
# on 5 tanh layers; here are the same two measurements on 5 tanh layers of 500 units.
#
# In `weightinit`, the standard rule is variance scaling with scale $\tfrac13$, fan-in
# mode and a uniform distribution: the bound is $\sqrt{3 \cdot \frac{1}{3n}} = 1/\sqrt{n}$.

# %%
standard = partial(wi.variance_scaling, scale=1 / 3, mode="fan_in",
                   distribution="uniform")
gb_inits = {"standard": standard, "normalized": "glorot_uniform"}
gb_widths = [500] * 5
gb_grads = {
    name: gradient_stats(init, "tanh", widths=gb_widths,
                         n_samples=250, rng=SEED)
    for name, init in gb_inits.items()
}
gb_acts = {
    name: activation_stats(init, "tanh", widths=gb_widths,
                           n_samples=250, rng=SEED)
    for name, init in gb_inits.items()
}
print("Var(delta), layers 1 to 5:")
for name, g in gb_grads.items():
    v = g.backprop_grad_vars
    print(f"{name:>10}: {np.array2string(v, precision=3)}")
    print(f"{'':>10}  largest / smallest = {v.max() / v.min():.3g}")

# Both follow the mean-field prediction: sigma_w^2 = n Var(W) is 1/3 for
# the standard rule and 1 for the normalized one on these square layers.
standard_v = gb_grads["standard"].backprop_grad_vars
normalized_v = gb_grads["normalized"].backprop_grad_vars
assert_mean_field(standard_v, np.sqrt(1 / 3), 250)
assert_mean_field(normalized_v, 1.0, 250)
# The standard rule loses more per layer than the normalized one, at every layer,
# and its activations narrow faster.
assert np.all(standard_v[:-1] / standard_v[1:] < normalized_v[:-1] / normalized_v[1:])
assert np.all(gb_acts["standard"].stds < gb_acts["normalized"].stds)

# %%
gb_layers = np.arange(1, len(gb_widths) + 1)
fig = plt.figure(figsize=(7.5, 6), layout="constrained")
top, bottom = fig.subfigures(2, 1)
ax_g = top.subplots()
for name, g in gb_grads.items():
    ax_g.semilogy(gb_layers, g.backprop_grad_vars, "o-", label=name)
ax_g.set(xlabel="layer (1 = next to the input)", xticks=gb_layers,
         ylabel=r"Var$(\delta_l)$", title="back-propagated gradient")
ax_g.legend()
bins = np.linspace(-1, 1, 51)
axes = bottom.subplots(1, 2, sharey=True)
for ax, (name, stats) in zip(axes, gb_acts.items()):
    for layer, a in enumerate(stats.activations, start=1):
        counts, _ = np.histogram(a, bins=bins)
        ax.stairs(counts / a.size, bins, label=f"layer {layer}",
                  color=plt.cm.viridis((layer - 1) / 4))
    ax.set(xlabel="activation value", title=f"activations, {name}")
axes[0].set_ylabel("fraction of activations")
axes[1].legend(fontsize=8)
plt.show()

# %% [markdown]
# As in the paper: under the standard rule the back-propagated gradient's variance falls
# by a roughly constant factor per layer on its way down, and the activation histograms
# narrow from layer to layer; under normalized initialization the gradient's variance
# changes much less from layer to layer and the histograms stay wide. The normalized
# rule is a compromise: keeping forward variance needs $n_\text{in} \operatorname{Var}(W) = 1$,
# keeping backward variance needs $n_\text{out} \operatorname{Var}(W) = 1$, and
# $2/(n_\text{in} + n_\text{out})$ satisfies both when the layer is square.
#
# Both measurements are taken at initialization, before any training step: the state
# that the choice of initialization controls directly.
#
# ## References
#
# - Glorot, X. and Bengio, Y. (2010). [Understanding the difficulty of training deep
#   feedforward neural networks](https://proceedings.mlr.press/v9/glorot10a.html). AISTATS.
# - He, K., Zhang, X., Ren, S. and Sun, J. (2015). [Delving deep into rectifiers](https://arxiv.org/abs/1502.01852). ICCV.
