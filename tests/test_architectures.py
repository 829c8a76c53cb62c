"""The experiments behind the Architectures pages."""

from __future__ import annotations

import math

import numpy as np
import pytest

from weightinit import architectures as arch


def test_layer_norm_rows_are_standardized():
    x = np.random.default_rng(0).normal(5.0, 3.0, (7, 50))
    y = arch.layer_norm(x)
    assert np.allclose(y.mean(axis=1), 0.0, atol=1e-12)
    assert np.allclose(y.var(axis=1), 1.0, rtol=1e-5)


def test_residual_stream_grows_without_scaling_and_not_with_it():
    depth, width = 24, 64
    plain = arch.residual_stream_std(depth=depth, width=width, scale_residual=False)
    scaled = arch.residual_stream_std(depth=depth, width=width, scale_residual=True)
    # Each of the 2 depth branches adds about the same variance v: 2 depth v in all unscaled,
    # v scaled, which is below the sampling noise of the stream's variance here.
    growth = plain[-1] ** 2 - plain[0] ** 2
    assert growth > 0
    assert abs(scaled[-1] ** 2 - scaled[0] ** 2) < 0.2 * growth
    assert plain[-1] > plain[depth // 2] > plain[0]


def test_residual_stream_matches_the_variance_sum():
    # A branch adds 4 d std_out^2 E[gelu(h)^2] with h ~ N(0, d std^2): the LN output has unit
    # variance per coordinate. Summed over 2 depth independent branches.
    depth, width, std = 16, 128, 0.02
    z, w = np.polynomial.hermite_e.hermegauss(200)
    h = math.sqrt(width) * std * z
    gelu = arch._gelu(h)
    moment = float(np.sum(w * gelu**2) / math.sqrt(2 * math.pi))
    predicted = 1.0 + 2 * depth * 4 * width * std**2 * moment
    runs = [arch.residual_stream_std(depth=depth, width=width, scale_residual=False, rng=s)[-1] ** 2
            for s in range(4)]
    # Sampling error: 4 runs of 32 tokens x 128 coordinates; 10% covers it comfortably.
    assert np.mean(runs) == pytest.approx(predicted, rel=0.1)


def test_deepnorm_constants():
    alpha, beta = arch.deepnorm(100)
    assert alpha == pytest.approx(200**0.25)
    assert beta == pytest.approx(800**-0.25)
    assert arch.deepnorm(100, "encoder") == (alpha, beta)
    a, b = arch.deepnorm(6, "encoder-decoder", m_layers=6)
    assert a == pytest.approx(0.81 * (6**5) ** (1 / 16))
    assert b == pytest.approx(0.87 * (6**5) ** (-1 / 16))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n_layers": 0}, "n_layers"),
        ({"n_layers": 6, "architecture": "gpt"}, "decoder"),
        ({"n_layers": 6, "architecture": "encoder-decoder"}, "m_layers"),
        ({"n_layers": 6, "m_layers": 3}, "m_layers"),
    ],
)
def test_deepnorm_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        arch.deepnorm(**kwargs)


def test_post_ln_gradients_match_finite_differences():
    gen = np.random.default_rng(3)
    width, n = 5, 4
    x, y = gen.standard_normal((n, width)), gen.standard_normal((n, width))
    weights = [(gen.standard_normal((width, width)) * 0.4, gen.standard_normal((width, width)) * 0.4)
               for _ in range(3)]
    alpha = 1.7

    def loss(ws):
        out, _ = arch._post_ln_forward(x, ws, alpha)
        return 0.5 * np.sum((out - y) ** 2)

    out, cache = arch._post_ln_forward(x, weights, alpha)
    grads = arch._post_ln_grads(out - y, weights, alpha, cache)
    eps = 1e-6
    for layer in range(3):
        for which in range(2):
            for idx in [(0, 0), (2, 3), (4, 1)]:
                plus = [[w.copy() for w in pair] for pair in weights]
                minus = [[w.copy() for w in pair] for pair in weights]
                plus[layer][which][idx] += eps
                minus[layer][which][idx] -= eps
                numeric = (loss(plus) - loss(minus)) / (2 * eps)
                assert grads[layer][which][idx] == pytest.approx(numeric, rel=1e-5, abs=1e-8)


def test_deepnorm_bounds_the_update_and_post_ln_does_not():
    r = arch.update_size(depths=(2, 8, 32))
    assert r.post_ln[2] > 10 * r.post_ln[0]
    assert r.deepnorm.max() < 1.5 * r.deepnorm.min()


def test_coordinate_check_sp_grows_with_width_and_mup_does_not():
    widths = (64, 256, 1024)
    sp = arch.coordinate_check("sp", widths=widths, steps=1)
    mup = arch.coordinate_check("mup", widths=widths, steps=1)
    assert np.all(sp.output[:, 0] == 0) and np.all(mup.output[:, 0] == 0)
    assert sp.output[-1, 1] > 5 * sp.output[0, 1]
    assert mup.output[:, 1].max() < 2 * mup.output[:, 1].min()
    assert mup.hidden[:, 1].max() < 2 * mup.hidden[:, 1].min()


def test_initial_output_is_flat_in_sp_and_falls_like_one_over_root_width_in_mup():
    widths = (64, 1024)
    sp = arch.initial_output_std("sp", widths=widths, n_samples=128)
    mup = arch.initial_output_std("mup", widths=widths, n_samples=128)
    # Same draws: muP's output weights are SP's divided by sqrt(n), exactly.
    assert np.allclose(mup * np.sqrt(widths), sp, rtol=1e-12)
    # SP: two ReLU layers at variance 1/fan_in halve the second moment twice, std 1/2 at
    # any width. Eight output-weight draws per width leave the variance a relative
    # standard error of up to sqrt(2/8) = 0.5 (one dominant direction), 0.25 in std: the
    # tolerance is 2 of them (seeded).
    assert np.all(np.abs(sp / 0.5 - 1) < 0.5)
    # muP: sqrt(1024 / 64) = 4 times smaller at the larger width.
    assert 2 < mup[0] / mup[1] < 8


def test_coordinate_check_rejects_unknown_parametrization():
    with pytest.raises(ValueError, match="mup"):
        arch.coordinate_check("ntk")
    with pytest.raises(ValueError, match="parametrization"):
        arch.initial_output_std("ntk")


def test_mup_output_init_variance_is_one_over_fan_in_squared():
    rules = arch.MUP_RULES["mup"]["output"]
    assert arch._factor(rules[0], 512, 1) == pytest.approx(1 / 512)


def test_linear_rnn_gradient_is_radius_to_the_steps():
    radii = (0.5, 0.95, 1.0, 1.05)
    g = arch.rnn_gradient_norm(radii=radii, steps=20, width=32, activation="linear")
    assert np.allclose(g, np.asarray(radii) ** 20, rtol=1e-9)


def test_tanh_rnn_gradient_vanishes_below_radius_one():
    g = arch.rnn_gradient_norm(radii=(0.5, 1.0, 1.5), steps=30, width=64)
    assert g[0] < 1e-6
    assert g[0] < g[1] < g[2]


def test_rnn_rejects_unknown_activation():
    with pytest.raises(ValueError, match="tanh"):
        arch.rnn_gradient_norm(activation="relu")


def test_gate_blocks_orthogonal_only_when_drawn_per_gate():
    per_gate = arch.gate_singular_values(hidden=32, per_gate=True)
    whole = arch.gate_singular_values(hidden=32, per_gate=False)
    assert np.allclose(per_gate, 1.0)
    assert whole.max() < 1.0 + 1e-9
    # Rows of the whole kernel are orthonormal, so the blocks' squared singular values sum to
    # the hidden size: sum over blocks of ||B||_F^2 = ||W||_F^2 = hidden.
    assert np.sum(whole**2) == pytest.approx(32)
    assert whole.min() < 0.1


def test_chrono_bias_range_and_symmetry():
    bf, bi = arch.chrono_bias(10_000, t_max=50, rng=0)
    assert bf.min() >= 0 and bf.max() <= math.log(49)
    assert np.array_equal(bi, -bf)
    # log of U(1, 49): its mean is (49 ln 49 - 49 - (0 - 1)) / 48.
    mean = (49 * math.log(49) - 48) / 48
    assert bf.mean() == pytest.approx(mean, abs=5 * bf.std() / math.sqrt(bf.size))
    with pytest.raises(ValueError, match="t_max"):
        arch.chrono_bias(4, t_max=2)


def test_weightnorm_init_standardizes_a_batch():
    x = np.random.default_rng(1).normal(-2.0, 5.0, (500, 30))
    v, g, b = arch.weightnorm_init(x, 8, rng=0)
    y = x @ (v / np.linalg.norm(v, axis=0)) * g + b
    assert np.allclose(y.mean(axis=0), 0.0, atol=1e-10)
    assert np.allclose(y.std(axis=0), 1.0)
    with pytest.raises(ValueError, match="n_samples"):
        arch.weightnorm_init(np.ones(3), 2)


def test_attention_logits_unit_with_scaling_and_sqrt_dk_without():
    d_k, n = 64, 256
    scaled = arch.attention_logit_std(d_k=d_k, n_tokens=n)
    raw = arch.attention_logit_std(d_k=d_k, n_tokens=n, scale=False)
    # About n^2 / 2 distinct, weakly dependent pairs but only d_k random directions per head:
    # the std is an average over d_k products, so its relative error is about 1/sqrt(d_k).
    tol = 4 / math.sqrt(d_k)
    assert scaled == pytest.approx(1.0, rel=tol)
    assert raw / scaled == pytest.approx(math.sqrt(d_k))


def test_t5_folds_the_logit_scale_into_the_query_init():
    d_model, d_kv = 512, 64
    t5 = arch.attention_logit_std(d_model, d_kv, q_std=(d_model * d_kv) ** -0.5, k_std=d_model**-0.5,
                                  scale=False)
    assert t5 == pytest.approx(1.0, rel=4 / math.sqrt(d_kv))


# ------------------------------------------------------------- decoder-only LLMs


def test_gaussian_matmul_has_the_covariance_of_x_times_a_normal_matrix():
    gen = np.random.default_rng(0)
    x = gen.standard_normal((5, 40))
    n = 40_000
    y = arch._gaussian_matmul(x, 0.3, n, gen)
    expected = 0.09 * x @ x.T
    # Each entry of the sample covariance averages n products; its standard error is at
    # most sqrt((c_ii c_jj + c_ij^2) / n). The tolerance is 5 of them.
    se = np.sqrt((np.outer(np.diag(expected), np.diag(expected)) + expected**2) / n)
    assert np.all(np.abs(y @ y.T / n - expected) < 5 * se)


def test_llm_stream_is_the_same_with_explicit_weights():
    kw = dict(d_model=64, n_layers=6, n_heads=4, n_tokens=16)
    for recipe in ("hf_llama", "torchtitan"):
        fast = [arch.llm_residual_stream(recipe, rng=s, **kw).std[-1] for s in range(6)]
        slow = [arch.llm_residual_stream(recipe, rng=s, explicit_weights=True, **kw).std[-1]
                for s in range(6)]
        # Two estimates of one mean; each run's spread sets the tolerance (4 standard
        # errors of the difference).
        se = math.sqrt((np.var(fast, ddof=1) + np.var(slow, ddof=1)) / 6)
        assert abs(np.mean(fast) - np.mean(slow)) < 4 * se + 1e-12, recipe


def test_llm_mlp_branch_matches_its_expected_std():
    d, n_layers = 256, 2
    for recipe in ("hf_llama", "neox", "olmo"):
        stds = arch.llm_init_stds(recipe, d, n_layers, 0)
        expected = arch.swiglu_branch_std(d, arch.llm_ffn_width(d), stds["gate"], stds["up"], stds["down"])
        runs = [arch.llm_residual_stream(recipe, d_model=d, n_layers=n_layers, n_heads=4, rng=s).mlp[0]
                for s in range(8)]
        # 8 runs of 16 tokens x 256 coordinates; the run-to-run spread is about 2 %.
        assert np.mean(runs) == pytest.approx(expected, rel=0.05), recipe


def test_olmo2_adds_unit_variance_per_branch():
    r = arch.llm_residual_stream("olmo2", d_model=128, n_layers=8, n_heads=4)
    # Not the first attention branch: at this width its output (from a stream of std 0.02)
    # has a mean square close to RMSNorm's eps, 1e-6, and comes out below 1.
    assert np.allclose(r.attention[1:], 1.0, atol=0.02) and np.allclose(r.mlp[1:], 1.0, atol=0.03)
    # Branches are uncorrelated with the stream at initialization: 2 units of variance per
    # block. One block's increment is noisy (16 correlated tokens); the mean over 7 blocks
    # and 6 seeds is within 10 %.
    runs = [arch.llm_residual_stream("olmo2", d_model=128, n_layers=8, n_heads=4, rng=s).std
            for s in range(6)]
    assert np.mean([(r[-1] ** 2 - r[1] ** 2) / 7 for r in runs]) == pytest.approx(2.0, rel=0.1)


def test_llm_recipes_scale_what_their_sources_scale():
    d, n, h = 4096, 32, 11008
    hf = arch.llm_init_stds("hf_llama", d, n, 31)
    assert set(hf.values()) == {0.02} and set(hf) == set(arch.LLM_WEIGHTS)
    mg = arch.llm_init_stds("megatron", d, n, 5)
    assert mg["o"] == mg["down"] == pytest.approx(0.02 / 8) and mg["up"] == mg["q"] == 0.02
    tt = [arch.llm_init_stds("torchtitan", d, n, layer) for layer in (0, 31)]
    assert tt[0]["o"] == pytest.approx(0.02 / math.sqrt(2)) and tt[1]["down"] == pytest.approx(0.02 / 8)
    assert tt[1]["up"] == tt[1]["down"] and tt[1]["gate"] == 0.02 and tt[0]["embedding"] == 1.0
    ol = arch.llm_init_stds("olmo", d, n, 3)
    assert ol["q"] == d**-0.5 and ol["down"] == pytest.approx((2 * h * 4) ** -0.5)
    nx = arch.llm_init_stds("neox", d, n, 0)
    assert nx["q"] == pytest.approx(math.sqrt(2 / (5 * d))) and nx["o"] == pytest.approx(2 / n / 64)
    assert arch.llm_ffn_width(4096) == 11008 and arch.llm_ffn_width(2048) == 5632


@pytest.mark.parametrize("kwargs, match", [
    (dict(recipe="gpt5"), "recipe must be one of"),
    (dict(recipe="hf_llama", layer=4), "layer must be below n_layers"),
    (dict(recipe="hf_llama", d_model=0), "d_model must be a positive int"),
])
def test_llm_init_stds_rejects_bad_input(kwargs, match):
    args = dict(d_model=64, n_layers=4) | kwargs
    with pytest.raises(ValueError, match=match):
        arch.llm_init_stds(**args)


def test_llm_residual_stream_rejects_heads_that_do_not_divide_the_width():
    with pytest.raises(ValueError, match="multiple of n_heads"):
        arch.llm_residual_stream(d_model=100, n_heads=3)


# ------------------------------------------------------------ zero-initialized layers


def test_zero_branches_make_the_identity_and_wake_up_one_layer_at_a_time():
    r = arch.zero_init_training(depth=3, width=16, steps=2)
    assert r.identity_gap == 0.0
    assert np.all(r.grad_in[0] == 0) and np.all(r.grad_out[0] > 0)  # only the zero layer learns
    assert np.all(r.grad_in[1] > 0)  # once W2 has moved, W1 gets a gradient
    assert np.all(np.diff(r.loss) < 0)  # small SGD steps: the loss goes down


def test_a_zero_output_layer_holds_back_every_other_gradient_for_a_step():
    r = arch.zero_init_training(depth=3, width=16, steps=2, zero_head=True, lr=0.05)
    assert r.grad_head[0] > 0 and np.all(r.grad_out[0] == 0) and np.all(r.grad_in[0] == 0)
    assert np.all(r.grad_out[1] > 0) and np.all(r.grad_in[1] == 0)
    assert np.all(r.grad_in[2] > 0)
    assert np.all(np.diff(r.loss) < 0)


# ------------------------------------------------------- vision: ViT, ResNet, ConvNeXt


def test_vit_patch_embedding_output_is_std_times_root_fan_in():
    fan_in = 3 * 16**2
    hf = arch.vit_token_stds("hf_vit")
    assert hf["patch_out"] == pytest.approx(0.02 * math.sqrt(fan_in))
    assert hf["cls_row"] == pytest.approx(0.02 * math.sqrt(2))
    # PyTorch's conv default U(+-1/sqrt(fan_in)) hands a unit input on at 1/sqrt(3).
    assert arch.vit_token_stds("timm")["patch_out"] == pytest.approx(1 / math.sqrt(3))
    assert arch.vit_token_stds("timm_jax")["patch_out"] == pytest.approx(1.0)
    assert arch.vit_init_stds("timm_jax")["head"] == 0.0
    for recipe in arch.VIT_RECIPES:
        t = arch.vit_token_stds(recipe, pixel_rms=2.0)
        assert t["pos_share"] == pytest.approx(t["pos_embed"] / t["patch_out"])
        assert set(arch.vit_init_stds(recipe)) == set(arch.VIT_WEIGHTS)


def test_vit_patch_embedding_std_matches_a_sampled_patch_embedding():
    """The formula against an explicit convolution-as-matmul over sampled patches."""
    gen = np.random.default_rng(0)
    fan_in, width, n = 3 * 8**2, 256, 4000
    w = gen.uniform(-1, 1, (fan_in, width)) / math.sqrt(fan_in)  # PyTorch's conv default
    out = gen.standard_normal((n, fan_in)) @ w
    expected = arch.vit_token_stds("timm", patch_size=8)["patch_out"]
    # The sample std of n * width entries: a relative standard error near 1 / sqrt(2 n).
    assert abs(out.std() / expected - 1) < 5 / math.sqrt(2 * n) + 4 / math.sqrt(2 * w.size)


@pytest.mark.parametrize("block", ["resnet", "convnext"])
def test_branch_scale_gradients_match_finite_differences(block):
    gen = np.random.default_rng(1)
    width, n = 6, 10
    shapes = ((width, width),) * 2 if block == "resnet" else ((width, 4 * width), (4 * width, width))
    w1, w2 = (gen.standard_normal(s) / math.sqrt(s[0]) for s in shapes)
    gamma = gen.uniform(0.5, 1.5, width)
    x = np.abs(gen.standard_normal((n, width))) + 0.5 if block == "resnet" else gen.standard_normal((n, width))
    r = gen.standard_normal((n, width))

    def loss(x, w1, w2, gamma):
        return float(np.sum(arch._branch_forward(block, x, w1, w2, gamma)[0] * r))

    out, cache = arch._branch_forward(block, x, w1, w2, gamma)
    grads = arch._branch_backward(block, r, w1, w2, gamma, cache)
    args = [gamma, w1, w2, x]
    for k, g in enumerate(grads):
        numeric = np.zeros_like(g)
        for idx in np.ndindex(g.shape):
            plus, minus = [a.copy() for a in args], [a.copy() for a in args]
            plus[k][idx] += 1e-6
            minus[k][idx] -= 1e-6
            numeric[idx] = (loss(plus[3], plus[1], plus[2], plus[0])
                            - loss(minus[3], minus[1], minus[2], minus[0])) / 2e-6
        assert np.allclose(g, numeric, rtol=1e-4, atol=1e-6), (block, k)


def test_zero_gamma_makes_the_identity_and_only_gamma_learns_at_step_0():
    r = arch.branch_scale_training("resnet", gamma=0.0, depth=6, width=16, steps=2)
    assert r.identity_gap == 0.0 and np.all(r.std == r.std[0])
    assert np.all(r.grad_gamma[0] > 0) and np.all(r.grad_w1[0] == 0)
    assert np.all(r.gamma[1] > 0) and np.all(r.grad_w1[1] > 0)
    assert np.all(np.diff(r.loss) < 0)
    plain = arch.branch_scale_training("resnet", gamma=1.0, depth=6, width=16, steps=0)
    assert plain.std[-1] > 1.5 * plain.std[0]  # every block adds a unit-variance branch


def test_layer_scale_multiplies_the_first_branch_by_its_value():
    kw = dict(depth=3, width=16, steps=1, n_samples=32)
    one = arch.branch_scale_training("convnext", gamma=1.0, **kw)
    small = arch.branch_scale_training("convnext", gamma=1e-6, **kw)
    # Block 1 sees the same input and weights: its branch is exactly 1e-6 times smaller.
    assert small.branch_ratio[0] == pytest.approx(1e-6 * one.branch_ratio[0], rel=1e-9)
    assert small.identity_gap < 1e-5 * one.identity_gap
    assert np.all(small.grad_gamma[0] > 0)
    assert np.all(small.grad_w1[0] < 1e-5 * one.grad_w1[0])


@pytest.mark.parametrize(("kwargs", "match"), [
    (dict(block="vit"), "block must be one of"),
    (dict(gamma=float("nan")), "gamma must be finite"),
    (dict(lr=0.0), "lr must be a positive"),
    (dict(n_samples=1), "n_samples must be"),
])
def test_branch_scale_training_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        arch.branch_scale_training(**kwargs)


def test_vit_init_stds_rejects_bad_input():
    with pytest.raises(ValueError, match="recipe must be one of"):
        arch.vit_init_stds("deit")
    with pytest.raises(ValueError, match="pixel_rms must be a positive"):
        arch.vit_token_stds("hf_vit", pixel_rms=0.0)


# ------------------------------------------------------------------ residual schemes


def _perturbed(params, path, eps):
    """A copy of `params` with the entry at `path` (keys and indices) moved by eps."""
    import copy

    out = copy.deepcopy(params)
    *head, last = path
    node = out
    for key in head:
        node = node[key]
    if isinstance(node[last], float):
        node[last] += eps
    else:
        node[last] = node[last].copy()
        node[last][(0,) * node[last].ndim] += eps
    return out


def _entry(grads, path):
    node = grads
    for key in path:
        node = node[key]
    return float(node) if np.ndim(node) == 0 else float(node[(0,) * np.ndim(node)])


@pytest.mark.parametrize("scheme, m", [("fixup", 3), ("rezero", 2), ("zero_gamma", 2), ("he", 2)])
def test_residual_gradients_match_finite_differences(scheme, m):
    """The NumPy backward of every parameter a scheme adds (and of the weights) against
    central differences of the loss, in float64."""
    gen = np.random.default_rng(0)
    x, t = gen.standard_normal((8, 6)), gen.standard_normal((8, 6))
    params = arch._residual_scheme_params(scheme, 3, m, 6, np.random.default_rng(1))
    # move the zero starts away from zero so that every gradient is exercised
    params = arch._sgd_step(params, arch._residual_sgd(params, x, t, 0, 0.0).grads[0], 0.05)
    grads = arch._residual_sgd(params, x, t, 0, 0.0).grads[0]
    paths = [("head",), ("blocks", 1, "W", 0), ("blocks", 1, "W", m - 1), ("blocks", 0, "W", 0)]
    paths += {"fixup": [("blocks", 1, "bias_in"), ("blocks", 1, "bias_act"), ("blocks", 2, "scale"),
                        ("head_bias",)],
              "rezero": [("blocks", 1, "scale")],
              "zero_gamma": [("blocks", 1, "gamma"), ("blocks", 1, "beta")]}.get(scheme, [])
    eps = 1e-6
    for path in paths:
        up = arch._residual_sgd(_perturbed(params, path, eps), x, t, 0, 0.0).loss[0]
        down = arch._residual_sgd(_perturbed(params, path, -eps), x, t, 0, 0.0).loss[0]
        numeric = (up - down) / (2 * eps)
        assert _entry(grads, path) == pytest.approx(numeric, rel=1e-5, abs=1e-8), path


def test_residual_schemes_start_as_the_identity_and_train():
    runs = arch.residual_schemes(depth=8, width=32, steps=3)
    he = runs.pop("he")
    assert he.stream_std[-1] > 8 * he.stream_std[0]       # 2^(8/2) = 16 in expectation
    for name, run in runs.items():
        assert np.all(run.stream_std == run.stream_std[0]), name
        assert np.all(np.diff(run.loss) < 0), name
    np.testing.assert_array_equal(runs["rezero"].loss, runs["skipinit"].loss)
    # Fixup's output layer is zero: its first loss is that of predicting 0
    assert runs["fixup"].loss[0] < runs["zero_gamma"].loss[0]


def test_residual_schemes_reject_bad_input():
    with pytest.raises(ValueError, match="schemes must be one of"):
        arch.residual_schemes(("fixup", "t-fixup"))
    with pytest.raises(ValueError, match="m"):
        arch.residual_schemes(m=1)
