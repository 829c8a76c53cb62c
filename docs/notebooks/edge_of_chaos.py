# %% [markdown]
# # Edge of chaos
#
# The rules on the other pages (LeCun, Glorot, He) pick the weights' variance so that the
# signal keeps its size. Mean-field theory asks a sharper question: for a very wide random
# network, which weight and bias scales let *both* the signal and the gradient travel
# through many layers? The answer, from [Poole et al. (2016)](https://arxiv.org/abs/1606.05340)
# and [Schoenholz et al. (2017)](https://arxiv.org/abs/1611.01232), is a line in the plane of
# the two scales: the **edge of chaos**. This page computes it for tanh and checks the
# theory against finite networks. Every number and plot was computed when the page was
# built, and every number the text states is asserted by the cell that computes it. The
# functions come from `weightinit.meanfield`.
#
# ## The mean-field recursion
#
# Take a network with weights $W_{ij} \sim \mathcal{N}(0, \sigma_w^2 / n)$, $n$ the fan-in,
# biases $b_i \sim \mathcal{N}(0, \sigma_b^2)$ and activation $\phi$. When the layers are wide,
# each pre-activation is a sum of many independent terms and so is Gaussian, with a
# variance $q_l$ that is the same for every unit. One layer maps it to
#
# $$q_l = \sigma_w^2 \, \mathbb{E}_{z \sim \mathcal{N}(0,1)}\left[\phi\left(\sqrt{q_{l-1}}\, z\right)^2\right] + \sigma_b^2 .$$
#
# ([Poole et al. 2016](https://arxiv.org/abs/1606.05340)). Iterating this map
# drives $q_l$ to a fixed point $q^*$. For the three settings below, twelve layers bring
# every start within 0.1% of it. In the notation of the other pages, $\sigma_w^2 = 1$ is
# LeCun's rule and $\sigma_w^2 = 2$ is He's.
#
# To run it on your own machine, install what it imports with
# `pip install weightinit matplotlib jupyter` and open the `.ipynb` download in Jupyter.

# %%
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm

from weightinit.meanfield import (
    chi_1,
    critical_sigma_w,
    edge_of_chaos,
    fixed_point,
    mean_field_check,
    variance_map,
)

scales = [(0.8, 0.3), (1.5, 0.3), (2.5, 0.3)]
fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
for k, (sw, sb) in enumerate(scales):
    for q0 in (0.05, 1.0, 4.0):
        q = [q0]
        for _ in range(12):
            q.append(float(variance_map(q[-1], sw, sb)))
        label = rf"$\sigma_w$ = {sw}, $\sigma_b$ = {sb}"
        ax.plot(q, "o-", ms=3, color=f"C{k}",
                label=label if q0 == 1.0 else None)
ax.set(xlabel="layer $l$", ylabel="$q_l$",
       title="variance map from three starts (tanh)")
ax.legend()
plt.show()
for sw, sb in scales:
    q_star = float(fixed_point(sw, sb))
    # q* is a fixed point, and twelve steps from each start reach it within 0.1%.
    assert abs(float(variance_map(q_star, sw, sb)) / q_star - 1) < 1e-12
    for q0 in (0.05, 1.0, 4.0):
        q = q0
        for _ in range(12):
            q = float(variance_map(q, sw, sb))
        assert abs(q / q_star - 1) < 1e-3
    print(f"sigma_w = {sw}, sigma_b = {sb}: q* = {q_star:.4f}")


# %% [markdown]
# ## Order, chaos and $\chi_1$
#
# The fixed point says how large the signal is, not whether it carries information or
# whether gradients survive. For that, follow a small perturbation, or equivalently a
# gradient, through one layer at the fixed point. On average its squared size is
# multiplied by
#
# $$\chi_1 = \sigma_w^2 \, \mathbb{E}_{z \sim \mathcal{N}(0,1)}\left[\phi'\left(\sqrt{q^*}\, z\right)^2\right].$$
#
# ([Poole et al. 2016](https://arxiv.org/abs/1606.05340)).
#
# - $\chi_1 < 1$: the **ordered phase**. Perturbations die out, nearby inputs become
#   indistinguishable after enough layers, and back-propagated gradients vanish
#   geometrically.
# - $\chi_1 > 1$: the **chaotic phase**. Perturbations grow, nearby inputs become
#   unrelated, and gradients explode geometrically.
# - $\chi_1 = 1$: the **edge of chaos**, where neither happens at a geometric rate.
#
# For tanh with $\sigma_b = 0$, the fixed point is $q^* = 0$ for $\sigma_w < 1$ and
# $\tanh'(0) = 1$, so $\chi_1 = \sigma_w^2$ there and the edge starts at $(\sigma_w, \sigma_b) = (1, 0)$.
# **That $\sigma_w = 1$ holds only without a bias.** Biases push $q^*$ up, where tanh's slope
# is smaller, so a larger $\sigma_b$ needs a larger $\sigma_w$ to reach the edge.
# `edge_of_chaos` evaluates $q^*$ and $\chi_1$ on a grid and traces the critical line
# exactly; `critical_sigma_w` solves for the boundary's $\sigma_w$ at a given $\sigma_b$.
# The dots mark it at five values of $\sigma_b$, and the table below lists them.

# %%
# sigma_b = 0: q* = 0 below sigma_w = 1, where chi_1 = sigma_w^2; the edge is at 1.
assert float(fixed_point(0.9, 0.0)) < 1e-12
assert abs(float(chi_1(0.9, 0.0)) - 0.81) < 1e-9
assert abs(float(critical_sigma_w(0.0)) - 1) < 1e-6

d = edge_of_chaos()
sigma_bs = np.array([0.0, 0.1, 0.05 ** 0.5, 0.5, 1.0])
boundary = critical_sigma_w(sigma_bs)
extreme = max(d.chi_1.max(), 1 / d.chi_1.min())
fig, (ax_c, ax_q) = plt.subplots(2, 1, figsize=(6.4, 6.4),
                                 sharex=True, layout="constrained")
mesh = ax_c.pcolormesh(d.sigma_w, d.sigma_b, d.chi_1,
                       shading="nearest", cmap="RdBu_r",
                       norm=LogNorm(1 / extreme, extreme))
fig.colorbar(mesh, ax=ax_c, label=r"$\chi_1$ (log scale)")
mesh = ax_q.pcolormesh(d.sigma_w, d.sigma_b, d.q_star,
                       shading="nearest", cmap="viridis")
fig.colorbar(mesh, ax=ax_q, label="$q^*$")
for ax in (ax_c, ax_q):
    ax.plot(d.critical_sigma_w, d.critical_sigma_b, "k-", lw=2,
            label=r"$\chi_1 = 1$")
    ax.plot(boundary, sigma_bs, "o", color="w", mec="k", ms=6)
    ax.set(ylabel=r"$\sigma_b$", xlim=(d.sigma_w[0], d.sigma_w[-1]),
           ylim=(d.sigma_b[0], d.sigma_b[-1]))
ax_c.text(0.65, 0.8, "ordered", fontsize=12)
ax_c.text(3.0, 0.2, "chaotic", fontsize=12)
ax_c.set_title(r"$\chi_1$: gradient growth per layer")
ax_c.legend(loc="upper right")
ax_q.set(xlabel=r"$\sigma_w$", title="fixed-point variance $q^*$")
plt.show()

# Each point is on chi_1 = 1 at its own fixed point, and lies on the traced line.
inner = sigma_bs > 0
assert np.allclose(chi_1(boundary[inner], sigma_bs[inner]), 1.0, atol=1e-9)
traced = np.interp(sigma_bs, d.critical_sigma_b, d.critical_sigma_w)
assert np.allclose(traced, boundary, atol=1e-3)
# The boundary moves to larger sigma_w as sigma_b grows.
assert np.all(np.diff(boundary) > 0)
print(f"{'sigma_b':>7} {'sigma_b^2':>9}  critical sigma_w")
for sb, sw in zip(sigma_bs, boundary):
    print(f"{sb:7.3f} {sb ** 2:9.3f}  {sw:16.4f}")


# %% [markdown]
# ## The depth scale
#
# Near the fixed point a gradient's variance changes by a factor $\chi_1$ per layer, so
# over $L$ layers by $\chi_1^L = e^{L \ln \chi_1}$. Schoenholz et al. call
#
# $$\xi_\nabla = -\frac{1}{\ln \chi_1}$$
#
# the gradient's **depth scale**: in the ordered phase, the gradient's variance shrinks by
# a factor $e$ every $\xi_\nabla$ layers. In the chaotic phase $\ln \chi_1 > 0$ and
# $1/\ln \chi_1$ is the number of layers over which it grows by $e$. Either way, a network much deeper than
# $1/|\ln \chi_1|$ layers is hard to train, and since $\ln \chi_1 \to 0$ at the edge of chaos,
# the depth scale diverges there: only near the critical line can very deep networks be
# trained. The dotted lines mark `critical_sigma_w` for each $\sigma_b$: the curves peak
# there, and the peak moves right as $\sigma_b$ grows. Schoenholz et al. found experimentally that a network trains only if its depth
# is within about six times the depth scale over which correlations between two inputs
# survive, a close relative of $\xi_\nabla$ that also diverges at the edge of chaos.

# %%
sigma_w = np.linspace(0.5, 3.0, 121)
fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
for k, sb in enumerate((0.0, 0.3, 0.6)):
    depth_scale = 1 / np.abs(np.log(chi_1(sigma_w, sb)))
    edge = float(critical_sigma_w(sb))
    ax.semilogy(sigma_w, depth_scale, color=f"C{k}", label=rf"$\sigma_b$ = {sb}")
    ax.axvline(edge, color=f"C{k}", ls=":", lw=1)
    # The sampled curve peaks at the grid point next to the boundary.
    assert abs(sigma_w[np.argmax(depth_scale)] - edge) <= sigma_w[1] - sigma_w[0]
ax.set(xlabel=r"$\sigma_w$", ylabel=r"$1 / |\ln \chi_1|$ (layers)",
       title="gradient depth scale, tanh", ylim=(0.5, 2e3))
ax.legend()
plt.show()


# %% [markdown]
# ## Theory against simulation
#
# Mean-field theory describes infinitely wide networks. `mean_field_check` builds a real
# network with 300 units per layer and 30 layers at the given scales, feeds it 50
# $\mathcal{N}(0, 1)$ inputs, measures each layer's pre-activation variance $q_l$ and the
# per-layer growth of back-propagated gradients, and compares them with the recursion
# and with $\chi_1$. The three settings below lie in the ordered phase, near the edge, and
# in the chaotic phase.

# %%
checks = {
    (sw, sb): mean_field_check(sigma_w=sw, sigma_b=sb, depth=30,
                               width=300, rng=0)
    for sw, sb in scales
}
fig, ax = plt.subplots(figsize=(6, 3.8), layout="constrained")
for k, ((sw, sb), check) in enumerate(checks.items()):
    layers = np.arange(1, check.q_theory.size + 1)
    ax.plot(layers, check.q_theory, "-", color=f"C{k}",
            label=rf"theory, $\sigma_w$ = {sw}")
    ax.plot(layers, check.q_empirical, "o", ms=3, color=f"C{k}",
            label="measured")
ax.set(xlabel="layer", ylabel="pre-activation variance $q_l$",
       title=r"tanh, $\sigma_b$ = 0.3, width 300")
ax.legend(ncols=3, fontsize=8)
plt.show()
width = 300
# After layer 10 each layer's q has a relative error of about sqrt(2 / width); the
# mean over the last 20 layers about sqrt(20) times less. Allow 4 of those.
# The measured chi_1 is a geometric mean of 15 successive gradient-variance ratios: it
# telescopes to (first / last) ** (1 / 15), two variances of relative error
# sqrt(2 / width) each. Allow 4 of that, too.
q_tol = 4 * np.sqrt(2 / width / 20)
chi_tol = 4 * np.sqrt(2) * np.sqrt(2 / width) / 15
print(f"{'sigma_w':>7} {'sigma_b':>7}  chi_1 theory  chi_1 measured")
for (sw, sb), check in checks.items():
    q_rel = np.mean(check.q_empirical[10:]) / np.mean(check.q_theory[10:]) - 1
    assert abs(q_rel) < q_tol
    assert abs(check.chi_1_empirical / check.chi_1_theory - 1) < chi_tol
    print(f"{sw:7} {sb:7}  {check.chi_1_theory:12.4f}  "
          f"{check.chi_1_empirical:14.4f}")


# %% [markdown]
# The measured variances scatter around the recursion's prediction, and the measured
# gradient growth per layer matches $\chi_1$, on both sides of the edge, within the
# tolerances the cell derives from the width. The theory is
# exact only in the limit of infinite width, but a few hundred units are enough for it
# to describe a real network at initialization.
#
# ## References
#
# - Poole, B., Lahiri, S., Raghu, M., Sohl-Dickstein, J. and Ganguli, S. (2016).
#   [Exponential expressivity in deep neural networks through transient
#   chaos](https://arxiv.org/abs/1606.05340). NeurIPS.
# - Schoenholz, S. S., Gilmer, J., Ganguli, S. and Sohl-Dickstein, J. (2017). [Deep
#   information propagation](https://arxiv.org/abs/1611.01232). ICLR.
