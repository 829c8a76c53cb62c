# %% [markdown]
# # The tanh experiment
#
# A deep network only learns well if the signal keeps a sensible size on its way through
# the layers. This page runs the experiment from the
# [seed notebook](../../reference/sources/#seed-notebook): push 1000 inputs
# drawn from $\mathcal{N}(0, 1)$ through ten tanh layers of 500 units, with zero biases, and
# look at each layer's activations. Only the weights' scale changes between runs:
#
# | label | weights | variance |
# |---|---|---|
# | `0.01 * randn` | small Gaussian | $10^{-4}$ |
# | `1.0 * randn` | standard Gaussian | $1$ |
# | `randn / sqrt(fan_in)` | LeCun normal | $1/n_\text{in}$ |
#
# The seed notebook calls the third rule "Xavier". It is LeCun's rule: Glorot and
# Bengio's [Xavier initialization](https://proceedings.mlr.press/v9/glorot10a.html)
# (§4.2.1, Eq. 16) uses $2/(n_\text{in} + n_\text{out})$, which only coincides with
# $1/n_\text{in}$ when the layer is square, as it is here. The mislabel traces to Caffe,
# whose `XavierFiller` defaults to the fan-in variance $1/n_\text{in}$ under the name
# "Xavier": [Glorot / Xavier](../../schemes/glorot/) tells that story.
#
# Every number and plot below was computed when this page was built, by
# `weightinit.experiments.activation_stats`. To turn the knobs yourself (other schemes,
# activations, depths and widths), open the [explorer](../../explorer/).
#
# To run it on your own machine, install what it imports with
# `pip install weightinit matplotlib jupyter` and open the `.ipynb` download in Jupyter.

# %%
import math
from functools import partial

import matplotlib.pyplot as plt
import numpy as np

import weightinit as wi
from weightinit.experiments import activation_stats, variance_map

SEED = 0
tanh_inits = {
    "0.01 * randn": partial(wi.normal, std=0.01),
    "1.0 * randn": partial(wi.normal, std=1.0),
    "randn / sqrt(fan_in)": "lecun_normal",
}
# The seed notebook's setup: 1000 N(0, 1) inputs, ten tanh
# layers of 500 units.
tanh = {
    name: activation_stats(init, "tanh", widths=[500] * 10,
                           n_samples=1000, rng=SEED)
    for name, init in tanh_inits.items()
}
print(f"{'std of activations':>21}  layer 1  layer 10")
for name, stats in tanh.items():
    print(f"{name:>21}  {stats.stds[0]:7.3g}  {stats.stds[-1]:8.3g}")

# %% [markdown]
# ## Mean and spread per layer
#
# tanh is odd, so with zero-mean weights every layer's mean stays near 0 whatever the
# scale. The standard deviation is what separates the three runs; it is plotted on a log
# axis because it changes by orders of magnitude.

# %%
layers = np.arange(1, 11)


def plot_mean_std(results, title):
    fig, (ax_m, ax_s) = plt.subplots(1, 2, figsize=(7.5, 3.4),
                                     layout="constrained")
    for name, stats in results.items():
        ax_m.plot(layers, stats.means, "o-", ms=4, label=name)
        ax_s.semilogy(layers, stats.stds, "o-", ms=4)
    ax_m.set(xlabel="layer", ylabel="mean of activations",
             xticks=layers)
    ax_s.set(xlabel="layer", ylabel="std of activations",
             xticks=layers)
    fig.suptitle(title)
    fig.legend(loc="outside lower center", ncols=3)
    plt.show()


plot_mean_std(tanh, "tanh, 10 layers of 500 units")

# The prose below, checked. Tolerances are 5 standard errors; the ones
# over layers count the 500 units of a layer, the scale of the
# finite-width fluctuations.
WIDTH, SAMPLES = 500, 1000
for stats in tanh.values():
    # tanh is odd: every layer's mean is 0 up to sampling noise.
    assert np.all(np.abs(stats.means) < 5 * stats.stds / np.sqrt(SAMPLES))
small, large, lecun = tanh.values()
shrink = (small.stds[-1] / small.stds[0]) ** (1 / 9)
assert abs(shrink / (0.01 * np.sqrt(WIDTH)) - 1) < 5 * np.sqrt(2) / WIDTH
assert np.all((0.9 < large.stds) & (large.stds < 1))
# Saturation: |tanh z| > 0.99 when |z| > arctanh(0.99), with z of
# variance WIDTH * E[x^2] from the layer below.
second_moment = 1.0
for a in large.activations:
    share = np.mean(np.abs(a) > 0.99)
    expected = 1 - math.erf(np.arctanh(0.99) / np.sqrt(2 * WIDTH * second_moment))
    assert abs(share - expected) < 5 * np.sqrt(expected * (1 - expected) / WIDTH)
    assert share > 0.85
    second_moment = np.mean(a**2)
# LeCun: the std follows the mean-field map q -> E[tanh(sqrt(q) z)^2]
# (Poole et al. 2016) and shrinks slowly, not geometrically.
q, predicted = 1.0, []
for layer in layers:
    q = float(variance_map(q, 1.0, 0.0))
    predicted.append(np.sqrt(q))
tol = 5 * np.sqrt(2 * layers) / WIDTH
assert np.all(np.abs(lecun.stds / predicted - 1) < tol)
assert np.all(np.diff(lecun.stds) < 0) and lecun.stds[-1] > 0.2

# %% [markdown]
# What happens, layer by layer:
#
# - **`0.01 * randn`: collapse.** A unit sums 500 inputs, so its pre-activation has std
#   $0.01\sqrt{500} \approx 0.22$ times that of its inputs. Near 0, $\tanh(z) \approx z$, so
#   every layer shrinks the signal by that factor: the std falls geometrically and the
#   last layers output almost exactly 0. Their gradients vanish too (see
#   [Gradients through depth](../gradients/)).
# - **`1.0 * randn`: saturation.** Now the pre-activations have std about $\sqrt{500}
#   \approx 22$, so tanh outputs almost always $\pm 1$ and the std stays just under 1.
#   Saturated units have $\tanh'(z) \approx 0$: the signal is large but the network
#   cannot learn from it.
# - **`randn / sqrt(fan_in)`: a healthy spread.** Variance $1/n$ keeps the
#   pre-activation variance equal to the input variance, $n \cdot \frac{1}{n} \cdot
#   \operatorname{Var}(x) = \operatorname{Var}(x)$. tanh then squashes a little at every
#   layer ($|\tanh z| < |z|$), so the spread shrinks slowly instead of geometrically. It
#   follows, layer by layer, the mean-field variance map $q \mapsto
#   \mathbb{E}[\tanh(\sqrt{q}\, z)^2]$ of [Poole et al. (2016)](https://arxiv.org/abs/1606.05340),
#   as the checks in the code above assert.
#
# ## Histograms per layer
#
# One row per initialization, one column per layer, all on the same range $[-1, 1]$. The
# collapse shows as a spike at 0, the saturation as two spikes at $\pm 1$.

# %%
fig, axes = plt.subplots(3, 10, figsize=(7.5, 3.2), sharex=True)
bins = np.linspace(-1, 1, 41)
short = {"0.01 * randn": "0.01 randn", "1.0 * randn": "1.0 randn",
         "randn / sqrt(fan_in)": "LeCun"}
for row, (name, stats) in zip(axes, tanh.items()):
    for ax, a in zip(row, stats.activations):
        counts, _ = np.histogram(a, bins=bins)
        ax.stairs(counts / a.size, bins, fill=True)
        ax.set_yticks([])
    row[0].set_ylabel(short[name], fontsize=8)
for layer, ax in enumerate(axes[0], start=1):
    ax.set_title(f"layer {layer}", fontsize=7)
for ax in axes[:-1].flat:
    ax.tick_params(bottom=False)
for ax in axes[-1]:
    ax.tick_params(labelsize=6)
axes[-1, 0].set(xlim=(-1.2, 1.2), xticks=[-1, 0, 1])
fig.subplots_adjust(left=0.04, right=0.99, bottom=0.14, top=0.92,
                    wspace=0.08, hspace=0.12)
fig.supxlabel("activation value", y=0.0, fontsize=9)
plt.show()

# %% [markdown]
# ## The per-layer table
#
# The numbers behind the plots, as the seed notebook printed them: each layer's
# activation mean and standard deviation under each initialization.

# %%
def table(results):
    short = ["0.01 * randn", "1.0 * randn", "randn/sqrt(n)"]
    print("     " + "".join(f"{n:>18}" for n in short))
    print("layer" + f"{'mean':>11}{'std':>7}" * len(results))
    for i in range(len(layers)):
        cells = (f"{s.means[i]:10.1e} {s.stds[i]:7.2g}"
                 for s in results.values())
        print(f"{i + 1:5}", *cells)


table(tanh)

# %% [markdown]
# ## ReLU: He against LeCun and Glorot
#
# ReLU zeroes half of its inputs, so it halves the second moment of the signal:
# $\mathbb{E}[\operatorname{relu}(z)^2] = \tfrac{1}{2}\operatorname{Var}(z)$ for a symmetric
# $z$. [He et al. (2015)](https://arxiv.org/abs/1502.01852) double the weight variance to
# make up for it: $2/n_\text{in}$. With LeCun's $1/n_\text{in}$ the signal's second moment
# halves at every layer, so its std shrinks by $1/\sqrt{2}$ per layer. In square layers
# Glorot's variance $2/(n + n)$ equals LeCun's $1/n$, and with the same seed the two
# draw identical weights: their curves coincide.
#
# To keep the build fast, these runs use 250 inputs instead of 1000; the statistics over
# $250 \times 500$ activations barely change.

# %%
relu = {
    name: activation_stats(name, "relu", widths=[500] * 10,
                           n_samples=250, rng=SEED)
    for name in ("he_normal", "lecun_normal", "glorot_normal")
}
plot_mean_std(relu, "ReLU, 10 layers of 500 units")
print(f"2^(-9/2) = {2 ** -4.5:.3g}")
for name, stats in relu.items():
    ratio = stats.stds[-1] / stats.stds[0]
    print(f"{name:>13}: std layer 10 / std layer 1 = {ratio:.3g}")

he, lecun, glorot = relu.values()
# Square layers, same seed: Glorot's weights are LeCun's, number for number.
assert np.array_equal(lecun.stds, glorot.stds)
# LeCun's weights are He's times 1/sqrt(2) and ReLU is positively
# homogeneous, so layer l's activations are exactly 2**(-l/2) of He's.
assert np.allclose(lecun.stds / he.stds, 2.0 ** (-layers / 2), rtol=1e-9)
# He stays level: over 9 layers, within 5 standard errors of a std
# over the layer's 500 units, 1 / sqrt(2 * 500) each.
assert abs(he.stds[-1] / he.stds[0] - 1) < 5 * np.sqrt(9 / (2 * WIDTH))

# %% [markdown]
# ReLU outputs are non-negative, so their mean is positive and tracks the std. Under He
# both stay level; under LeCun and Glorot both shrink by a constant factor per layer. Ten
# layers of halving cost a factor $2^{-9/2}$ in std between layer 1 and layer 10; the
# [depth experiment](../depth/) takes this to 30 layers, where it stops training.
#
# ## Sigmoid
#
# The logistic sigmoid $\sigma(z) = 1/(1 + e^{-z})$ is not centred: $\sigma(0) = \tfrac12$.
# Every unit's output has mean about $\tfrac12$, and the next layer sums 500 of them, so the
# pre-activations get a spread from the mean alone. Its slope at 0 is only
# $\sigma'(0) = \tfrac14$, so for small weights it is close to the affine map
# $\tfrac12 + \tfrac{z}{4}$.

# %%
sigmoid = {
    name: activation_stats(init, "sigmoid", widths=[500] * 10,
                           n_samples=250, rng=SEED)
    for name, init in tanh_inits.items()
}
plot_mean_std(sigmoid, "sigmoid, 10 layers of 500 units")
table(sigmoid)

small, large, lecun = sigmoid.values()
for stats in sigmoid.values():
    # Every layer's mean is sigma(0) = 1/2, up to sampling noise.
    assert np.all(np.abs(stats.means - 0.5) < 5 * stats.stds / np.sqrt(250))
# The spread: small for 0.01 * randn, in between for LeCun, and most of
# 1.0 * randn's outputs piled up within 0.01 of 0 or 1.
assert np.all((small.stds < lecun.stds) & (lecun.stds < large.stds))
piled = [np.mean((a < 0.01) | (a > 0.99)) for a in large.activations[1:]]
assert min(piled) > 0.5, piled

# %% [markdown]
# - **`0.01 * randn`**: every unit sits near $\sigma(0) = \tfrac12$ with a small spread.
#   Unlike tanh the signal does not die out, because the mean of $\tfrac12$ feeds every
#   layer, but the part of it that depends on the input is small.
# - **`1.0 * randn`**: the pre-activations are large and the outputs pile up at 0 and 1,
#   where $\sigma' \approx 0$.
# - **`randn / sqrt(fan_in)`**: a spread in between. Glorot and Bengio (2010, §3.1) found
#   that deep sigmoid networks train badly from a start of this kind, their
#   $\mathcal{U}(\pm 1/\sqrt{n})$ (a third of this variance): the top hidden layer is
#   driven into saturation at 0 early in training.
#
# ## References
#
# - Glorot, X. and Bengio, Y. (2010). [Understanding the difficulty of training deep
#   feedforward neural networks](https://proceedings.mlr.press/v9/glorot10a.html). AISTATS.
# - He, K., Zhang, X., Ren, S. and Sun, J. (2015). [Delving deep into rectifiers](https://arxiv.org/abs/1502.01852). ICCV.
