# %% [markdown]
# # The tanh experiment
#
# Push 1000 inputs drawn from $\mathcal{N}(0, 1)$ through ten tanh layers of 500 units and watch
# the activations. Three initializations: weights times 0.01, weights from $\mathcal{N}(0, 1)$,
# and weights divided by $\sqrt{n_\text{in}}$ (LeCun's rule, often mislabelled "Xavier").
# Every number below was computed when this page was built.

# %%
import matplotlib.pyplot as plt
import numpy as np

import weightinit as wi

inits = {
    "0.01 * randn": lambda shape, rng: wi.normal(shape, std=0.01, rng=rng),
    "1.0 * randn": lambda shape, rng: wi.normal(shape, std=1.0, rng=rng),
    "randn / sqrt(fan_in)": lambda shape, rng: wi.lecun_normal(shape, rng=rng),
}


def run(init, n_layers=10, width=500, n_samples=1000, seed=0):
    rng = np.random.default_rng(seed)
    h = rng.standard_normal((n_samples, width))
    stds = []
    for _ in range(n_layers):
        h = np.tanh(h @ init((width, width), rng))
        stds.append(h.std())
    return np.array(stds)


results = {name: run(init) for name, init in inits.items()}
for name, stds in results.items():
    print(f"{name:>22}: layer 10 std = {stds[-1]:.3g}")

# %% [markdown]
# ## Standard deviation per layer

# %%
fig, ax = plt.subplots(figsize=(6.4, 3.6))
for name, stds in results.items():
    ax.semilogy(range(1, 11), stds, "o-", label=name)
ax.set_xlabel("layer")
ax.set_ylabel("std of activations")
ax.legend()
plt.show()
