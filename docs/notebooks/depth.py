# %% [markdown]
# # Depth and ReLU
#
# The deeper the network, the more a small per-layer error in the weights' scale
# compounds. This page reproduces three results in miniature, all computed when the page
# was built:
#
# 1. [He et al. (2015)](https://arxiv.org/abs/1502.01852), Figure 3: a 30-layer ReLU network trains
#    under He initialization and stalls under Glorot or LeCun initialization.
# 2. [Saxe et al. (2014)](https://arxiv.org/abs/1312.6120): in deep *linear* networks,
#    orthogonal weights keep every direction of the signal intact, Gaussian weights do
#    not, and this shows in training time as depth grows.
# 3. [Klambauer et al. (2017)](https://arxiv.org/abs/1706.02515), Theorem 1: SELU networks with LeCun
#    normal weights pull activations to mean 0 and variance 1 by themselves.
#
# To run it on your own machine, install what it imports with
# `pip install weightinit matplotlib jupyter` and open the `.ipynb` download in Jupyter.

# %%
import matplotlib.pyplot as plt
import numpy as np

from weightinit.experiments import (
    activation_stats,
    depth_sweep,
    jacobian_spectrum,
    learning_time,
    selu_fixed_point,
)

SEED = 0

# %% [markdown]
# ## A 30-layer ReLU network: He against Glorot
#
# ReLU sets the negative half of its input to 0, which halves the second moment:
# $\mathbb{E}[\operatorname{relu}(z)^2] = \tfrac12 \operatorname{Var}(z)$ for a symmetric $z$.
# With weights of variance $v$ and fan-in $n$, one layer therefore scales the second
# moment of the signal by $\tfrac12 n v$. He initialization sets $v = 2/n$ and the factor
# is 1. Glorot's $v = 2/(n_\text{in} + n_\text{out})$ is $1/n$ in a square layer, the same as
# LeCun's, and the factor is $\tfrac12$: after $L$ layers the signal's std is
# $2^{-L/2}$ times what it is under He, about $3 \times 10^{-5}$ at $L = 30$.
#
# `depth_sweep` trains an MLP with 30 hidden ReLU layers of 32 units on a three-class
# spiral dataset with plain SGD and momentum, once per initializer, from the same seed.
# A classifier that gives the three classes equal probability has cross-entropy
# $\ln 3$: that is the loss of a network that has learned nothing.

# %%
inits = {"He": "he_normal", "Glorot": "glorot_normal"}
sweep = depth_sweep(inits, depth=30, width=32, rng=SEED)
print(f"ln 3 = {np.log(3):.4f}")
for name, losses in sweep.losses.items():
    print(f"{name:>6}: loss at step 0 = {losses[0]:.4f}, "
          f"after {len(losses) - 1} steps = {losses[-1]:.4f}")

# %%
depths = np.arange(1, 31)
# Independent draws of wider nets: the ratio is then a measurement.
wide = {
    name: activation_stats(inits[name], "relu", widths=[256] * 30,
                           n_samples=200, rng=seed)
    for name, seed in [("He", 1), ("Glorot", 2)]
}
same_seed = sweep.stds["Glorot"] / sweep.stds["He"]
independent = wide["Glorot"].stds / wide["He"].stds

fig, (ax_loss, ax_std) = plt.subplots(1, 2, figsize=(7.5, 3.6),
                                      layout="constrained")
for name, losses in sweep.losses.items():
    ax_loss.plot(losses, label=name)
ax_loss.axhline(np.log(3), color="gray", ls=":", label="ln 3")
ax_loss.set(xlabel="SGD step", ylabel="training loss",
            title="30 ReLU layers of 32 units")
ax_loss.legend()
ax_std.semilogy(depths, same_seed, "o", ms=4,
                label="width 32, same seed")
ax_std.semilogy(depths, independent, "s", ms=4, mfc="none",
                label="width 256, independent")
ax_std.semilogy(depths, 2.0 ** (-depths / 2), "k-", lw=1,
                label=r"$2^{-L/2}$")
ax_std.set(xlabel="layer $L$", ylabel="std Glorot / std He",
           title="activation std at initialization")
ax_std.legend(fontsize=8)
plt.show()
print("std of activations, width 256:")
print(f"{'':>7} {'layer 1':>9} {'layer 30':>9}")
for name, stats in wide.items():
    print(f"{name:>7} {stats.stds[0]:9.3g} {stats.stds[-1]:9.3g}")
print(f"{'ratio':>7} {independent[0]:9.3g} {independent[-1]:9.3g}")
print(f"2^(-L/2) {2 ** -0.5:8.3g} {2.0 ** -15:9.3g}")

# The training run: He's loss falls, Glorot's stays at ln 3.
he_loss, glorot_loss = sweep.losses["He"], sweep.losses["Glorot"]
assert he_loss[-1] < 0.1 * np.log(3)
assert np.all(np.abs(glorot_loss - np.log(3)) < 0.01)
# Same seed: the ratio is 2^(-L/2) exactly (see below).
assert np.allclose(same_seed, 2.0 ** (-depths / 2), rtol=1e-9)
# Independent draws: the log of each network's std drifts by about
# 1 / sqrt(2 * 256) per layer, so the log of the ratio by 1 / sqrt(256)
# per layer; allow 5 of those, compounded over L layers.
drift = np.abs(np.log(independent / 2.0 ** (-depths / 2)))
assert np.all(drift < 5 * np.sqrt(depths / 256))

# %% [markdown]
# Under Glorot initialization the last hidden layer's output is tiny, the output layer
# sees almost the same input for every point, the loss sits at $\ln 3$ and the gradients
# that reach the early layers are scaled down by the same factor. He initialization
# keeps the signal's size and the loss falls.
#
# The ratio follows the prediction. With the same seed it is exact, not approximate:
# `he_normal` and `glorot_normal` then draw the same numbers, scaled by $\sqrt{2/n}$ and
# $\sqrt{1/n}$, and ReLU is positively homogeneous, $\operatorname{relu}(cz) = c \operatorname{relu}(z)$
# for $c > 0$, so the two networks' activations differ by exactly $2^{-1/2}$ per layer.
# With independent draws, the measured ratio follows $2^{-L/2}$ up to random
# fluctuations, which compound over the layers like the signal itself.
#
# ## Orthogonal against Gaussian weights in deep linear networks
#
# A deep linear network $y = x W_1 W_2 \cdots W_L$ computes a linear map, yet it learns
# like a deep network: its loss surface is not convex in the weights. Saxe et al. showed
# that what matters is the **singular values of the end-to-end map** $W_1 \cdots W_L$,
# which is also the network's input-output Jacobian. Scaled Gaussian weights
# ($\operatorname{Var} = 1/n$) keep the signal's *average* size, but the product of many
# random matrices stretches a few directions and crushes most of the others. Orthogonal
# weights have every singular value equal to 1, and so does their product: every
# direction passes through unchanged, however deep the net. This is **dynamical
# isometry**.

# %%
compare = {"orthogonal": "orthogonal", "Gaussian": "lecun_normal"}
spectra = jacobian_spectrum(compare, depth=32, width=128, rng=SEED)
fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
for name, s in spectra.items():
    ax.semilogy(np.arange(1, s.size + 1), s, label=name)
ax.set(xlabel="rank", ylabel="singular value",
       title="end-to-end Jacobian, 32 linear layers of 128")
ax.legend()
plt.show()
print(f"{'singular values':>15}  largest   median  smallest")
for name, s in spectra.items():
    print(f"{name:>15}  {s.max():7.3g}  {np.median(s):7.3g}  "
          f"{s.min():8.3g}")

# Orthogonal: every singular value is 1, up to rounding. Gaussian: a few
# directions stretched, most crushed by orders of magnitude.
assert np.allclose(spectra["orthogonal"], 1, atol=1e-9)
gauss = spectra["Gaussian"]
assert gauss.max() > 1 and np.median(gauss) < 1e-2

# %% [markdown]
# Saxe et al. also found that with orthogonal initialization the **time to learn** does
# not grow with depth, while with scaled Gaussian weights it does. `learning_time` trains
# deep linear networks of 16 units to fit a random linear map with full-batch SGD, and
# counts the steps until the loss is 1% of its starting value. The learning rate is
# divided by the depth, since every layer moves the end-to-end map; a missing point means
# the run did not get there within the step budget.

# %%
times = learning_time(compare, max_steps=300, rng=SEED)
fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
for name, steps in times.steps.items():
    ax.plot(times.depths, steps, "o-", label=name)
ax.axhline(times.max_steps, color="gray", ls=":", label="step budget")
ax.set(xscale="log", xlabel="depth (layers)",
       ylabel="steps to 1% of the initial loss",
       xticks=times.depths, xticklabels=times.depths)
ax.legend()
plt.show()
print(f"{'depth':>10}:", *(f"{d:>5}" for d in times.depths))
for name, steps in times.steps.items():
    cells = ("    -" if np.isnan(s) else f"{s:5.0f}" for s in steps)
    print(f"{name:>10}:", *cells)
print("(- : not reached within the step budget)")

orth, gauss = times.steps["orthogonal"], times.steps["Gaussian"]
# Orthogonal reaches the target at every depth; Gaussian slows down and,
# at the largest depth, misses the budget.
assert not np.any(np.isnan(orth)) and np.isnan(gauss[-1])
reached = ~np.isnan(gauss)
assert gauss[reached][-1] > orth[reached][-1]

# %% [markdown]
# The Gaussian network slows down with depth and eventually does not converge within the
# budget, because the directions its Jacobian crushes must first be grown back; the
# orthogonal network starts with all of them intact. Saxe et al. tuned the learning rate
# for each depth and found orthogonal training time independent of depth; with one fixed
# rule for the learning rate, as here, it grows far more slowly than the Gaussian one.
#
# ## SELU: a fixed point at mean 0, variance 1
#
# The scaled exponential linear unit is
#
# $$\operatorname{selu}(z) = \lambda \begin{cases} z & z > 0 \\ \alpha (e^z - 1) & z \le 0 \end{cases}$$
#
# with $\lambda \approx 1.0507$ and $\alpha \approx 1.6733$. Klambauer et al. chose these two
# constants so that, with weights of variance $1/n$ (LeCun normal), the map from one
# layer's activation mean and variance to the next has an attracting fixed point at
# mean 0 and variance 1. A network of SELU layers normalizes its own activations, without
# batch normalization. Here 50 SELU layers of 200 units receive inputs far from that
# point, with mean 1 and std 2, and two other starting points for comparison.

# %%
starts = [(1.0, 2.0), (0.0, 0.3), (-1.0, 1.5)]
selu = {
    (mean, std): selu_fixed_point("lecun_normal", depth=50, width=200,
                                  n_samples=100, input_mean=mean,
                                  input_std=std, rng=SEED)
    for mean, std in starts
}
layers = np.arange(1, 51)
fig, (ax_m, ax_v) = plt.subplots(1, 2, figsize=(7.5, 3.6),
                                 layout="constrained")
for (mean, std), result in selu.items():
    label = f"inputs: mean {mean:g}, std {std:g}"
    ax_m.plot(layers, result.means, label=label)
    ax_v.plot(layers, result.variances)
ax_m.axhline(0, color="k", lw=0.8)
ax_v.axhline(1, color="k", lw=0.8)
ax_m.set(xlabel="layer", ylabel="mean of activations")
ax_v.set(xlabel="layer", ylabel="variance of activations")
fig.legend(loc="outside lower center", ncols=3, fontsize=8)
plt.show()
print("after layer 50:")
for (mean, std), result in selu.items():
    print(f"start (mean {mean:g}, std {std:g}): "
          f"mean = {result.means[-1]:.2g}, "
          f"variance = {result.variances[-1]:.3f}")

# Mean 0 and variance 1 after 50 layers, within 5 standard errors of
# the 200 units x 100 samples of the last layer.
n = 200 * 100
for result in selu.values():
    assert abs(result.means[-1]) < 5 * np.sqrt(1 / n)
    assert abs(result.variances[-1] - 1) < 5 * np.sqrt(2 / n)

# %% [markdown]
# All three runs settle near mean 0 and variance 1 and stay there; the plots show how
# many layers that takes. The fixed point depends on the weights' variance being $1/n$: with He's doubled
# variance it moves, which is why SELU networks are initialized with LeCun normal.
# Ordinary dropout would move it too, so Klambauer et al. also introduced "alpha
# dropout", which keeps the mean and variance.
#
# ## References
#
# - He, K., Zhang, X., Ren, S. and Sun, J. (2015). [Delving deep into rectifiers](https://arxiv.org/abs/1502.01852). ICCV.
# - Saxe, A. M., McClelland, J. L. and Ganguli, S. (2014). [Exact solutions to the nonlinear
#   dynamics of learning in deep linear neural networks](https://arxiv.org/abs/1312.6120). ICLR 2014.
# - Klambauer, G., Unterthiner, T., Mayr, A. and Hochreiter, S. (2017). [Self-normalizing
#   neural networks](https://arxiv.org/abs/1706.02515). NeurIPS.
# - Glorot, X. and Bengio, Y. (2010). [Understanding the difficulty of training deep
#   feedforward neural networks](https://proceedings.mlr.press/v9/glorot10a.html). AISTATS.
