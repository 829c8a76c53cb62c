"""Each experiment's headline, checked at a fixed seed against numbers the test derives.

Expected values come from theory (mean-field recursions, variance arguments, exact
identities) computed here, never from an earlier run. Tolerances are stated next to them.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest

import weightinit
from weightinit import experiments as ex

SEED = 0
WIDTH = 500  # the notebook's layer width, the default of activation_stats


def mean_field_q(sigma_w2, depth, q1):
    """q_1 = q1, q_l = variance_map(q_{l-1}) for a tanh network with sigma_b = 0."""
    q = [q1]
    for _ in range(depth - 1):
        q.append(float(ex.variance_map(q[-1], math.sqrt(sigma_w2), 0.0)))
    return np.array(q)


def tanh_std(q):
    """Std of tanh(z), z ~ N(0, q): sqrt(E[tanh(sqrt(q) z)^2]), as the mean is 0."""
    return np.sqrt(ex.variance_map(q, 1.0, 0.0))


# ------------------------------------------------------------- the notebook experiment


@pytest.fixture(scope="module")
def notebook():
    return {
        "small": ex.activation_stats("normal", rng=SEED),  # 0.01 * randn
        "large": ex.activation_stats(functools.partial(weightinit.normal, std=1.0), rng=SEED),
        "lecun": ex.activation_stats("lecun_normal", rng=SEED),  # randn / sqrt(fan_in)
    }


def test_notebook_shapes(notebook):
    for stats in notebook.values():
        assert stats.means.shape == stats.stds.shape == (10,)
        assert [a.shape for a in stats.activations] == [(1000, WIDTH)] * 10
        # Zero-mean weights and inputs: the means are zero up to sampling noise, far below the std.
        assert np.all(np.abs(stats.means) < 0.05 * stats.stds)


def test_small_init_collapses_geometrically(notebook):
    stds = notebook["small"].stds
    # tanh is the identity near 0, so each layer multiplies the std by 0.01 * sqrt(500).
    ratio = 0.01 * math.sqrt(WIDTH)
    np.testing.assert_allclose(stds[1:] / stds[:-1], ratio, rtol=0.05)
    assert stds[-1] < 2 * ratio**10
    # Mean field agrees layer by layer (finite-width drift stays below 3% over 10 layers).
    np.testing.assert_allclose(stds, tanh_std(mean_field_q(WIDTH * 1e-4, 10, WIDTH * 1e-4)), rtol=0.03)


def test_large_init_saturates(notebook):
    stats = notebook["large"]
    # Pre-activations have variance q = 500 * E[a^2] ~ 500: for large q,
    # E[tanh(u)^2] = 1 - E[sech(u)^2] ~ 1 - 2 / sqrt(2 pi q), with error O(q^-3/2).
    prev = np.concatenate([[1.0], stats.stds[:-1] ** 2])
    predicted = np.sqrt(1 - 2 / np.sqrt(2 * np.pi * WIDTH * prev))
    np.testing.assert_allclose(stats.stds, predicted, rtol=0.005)
    assert np.ptp(stats.stds) < 0.01
    # Most units sit at the rails: P(|tanh(u)| < 0.99) = P(|u| < atanh(0.99)) is about 10%.
    for a, q in zip(stats.activations, WIDTH * prev):
        inside = math.erf(math.atanh(0.99) / math.sqrt(2 * q))
        assert np.mean(np.abs(a) > 0.99) == pytest.approx(1 - inside, abs=0.02)


def test_lecun_init_decays_slowly_and_monotonically(notebook):
    stds = notebook["lecun"].stds
    ratios = stds[1:] / stds[:-1]
    # Every layer shrinks the spread, by less each time: tanh(u) ~ u - u^3 / 3 loses a
    # fraction of the variance that falls with the variance itself.
    assert np.all((0.7 < ratios) & (ratios < 1))
    assert ratios[-1] > ratios[0] + 0.1
    np.testing.assert_allclose(stds, tanh_std(mean_field_q(1.0, 10, 1.0)), rtol=0.03)


# ------------------------------------------------------------------ backward statistics


@pytest.mark.parametrize(
    "init, sigma_w2",
    [
        # Glorot and Bengio's "standard" init U(-1/sqrt(n), 1/sqrt(n)) has variance 1 / (3 n).
        (lambda shape, rng=None: weightinit.uniform(shape, -1 / math.sqrt(shape[0]),
                                                    1 / math.sqrt(shape[0]), rng=rng), 1 / 3),
        ("glorot_uniform", 1.0),
    ],
)
def test_backprop_gradients_follow_mean_field(init, sigma_w2):
    stats = ex.gradient_stats(init, rng=SEED)
    q = mean_field_q(sigma_w2, 5, sigma_w2)
    # Var(dz_l) / Var(dz_{l+1}) = n Var(w) E[tanh'(z_l)^2] = chi_1 at the layer's variance.
    ratios = stats.backprop_grad_vars[:-1] / stats.backprop_grad_vars[1:]
    np.testing.assert_allclose(ratios, ex.chi_1(math.sqrt(sigma_w2), 0.0, q=q[:-1]), rtol=0.03)
    assert stats.weight_grad_norms.shape == stats.weight_grad_vars.shape == (5,)


def test_standard_init_vanishes_and_glorot_does_not():
    standard = ex.gradient_stats(
        lambda shape, rng=None: weightinit.uniform(shape, -1 / math.sqrt(shape[0]),
                                                   1 / math.sqrt(shape[0]), rng=rng),
        rng=SEED,
    ).backprop_grad_vars
    glorot = ex.gradient_stats("glorot_uniform", rng=SEED).backprop_grad_vars
    # Each of 4 steps down shrinks the standard init's gradient by at least 3x (n Var(w) = 1/3,
    # tanh' <= 1); 3% slack for sampling noise.
    assert standard[-1] / standard[0] > 0.97 * 3**4
    assert glorot[-1] / glorot[0] < 0.1 * standard[-1] / standard[0]


# ----------------------------------------------------------------------------- symmetry


def test_zero_init_is_a_trap():
    result = ex.symmetry("zeros", rng=SEED)
    assert result.identical
    # Hidden ReLUs output 0 and get 0 gradient; balanced classes zero the output bias's too.
    for name in ("W1", "b1", "W2"):
        np.testing.assert_array_equal(result.after[name], 0.0)
    np.testing.assert_allclose(result.losses, np.log(2), rtol=1e-12)


def test_constant_init_keeps_hidden_units_identical():
    result = ex.symmetry(functools.partial(weightinit.constant, value=0.5), rng=SEED)
    assert result.identical
    assert not np.array_equal(result.after["W1"], result.before["W1"])
    assert result.losses[-1] < result.losses[0]


def test_random_init_breaks_the_tie():
    result = ex.symmetry("he_normal", rng=SEED)
    assert not result.identical
    assert not np.array_equal(result.before["W1"][:, 0], result.before["W1"][:, 1])
    assert result.after["W1"].shape == (2, 2) and result.after["W2"].shape == (2, 1)


# ----------------------------------------------------------------------------- training


def test_training_curves():
    curves = ex.training_curves(rng=SEED)
    assert set(curves) == {"zeros", "normal", "he_normal"}
    # Zero init: every gradient but the output bias's is 0, and balanced classes zero that one.
    np.testing.assert_allclose(curves["zeros"], np.log(3), rtol=1e-9)
    # Tiny init: the signal through two layers of std 0.01 is ~1e-4 of He's, so the loss
    # stays within 1% of ln 3 for the first 50 steps while He has already halved it.
    assert curves["normal"][50] > 0.99 * np.log(3)
    assert curves["he_normal"][50] < 0.5 * np.log(3)
    assert curves["he_normal"][-1] < curves["normal"][-1] < np.log(3)


def test_training_curves_accept_labels():
    curves = ex.training_curves({"tiny": "normal"}, steps=3, rng=SEED)
    assert list(curves) == ["tiny"] and curves["tiny"].shape == (3,)


def test_deep_relu_trains_under_he_and_stalls_under_glorot():
    sweep = ex.depth_sweep(rng=SEED)
    he, glorot = sweep.losses["he_normal"], sweep.losses["glorot_normal"]
    assert he[-1] < 0.3 * he[0]
    assert np.nanmin(glorot) > 0.95 * glorot[0]
    # ReLU halves the second moment per layer; He doubles it back, Glorot (1/n here) does not:
    # the std ratio after L layers is 2^(L/2). Allow half a power of 2 for finite width.
    depth = len(sweep.stds["he_normal"])
    log_ratio = np.log2(sweep.stds["he_normal"] / sweep.stds["glorot_normal"])
    np.testing.assert_allclose(log_ratio, np.arange(1, depth + 1) / 2, atol=0.5)


# ------------------------------------------------------------------ deep linear networks


def test_orthogonal_jacobian_is_an_isometry_and_gaussian_is_not():
    spectra = ex.jacobian_spectrum(rng=SEED)
    orth, gauss = spectra["orthogonal"], spectra["lecun_normal"]
    assert orth.shape == gauss.shape == (128,)
    # A product of 32 orthogonal matrices is orthogonal; rounding grows like depth * eps.
    np.testing.assert_allclose(orth, 1.0, atol=32 * 128 * np.finfo(float).eps)
    assert gauss[0] > 2 and gauss[-1] < 1e-3 * gauss[0]


def test_relu_jacobian_under_he_is_not_an_isometry():
    s = ex.jacobian_spectrum(["he_normal"], activation="relu", rng=SEED)["he_normal"]
    assert s[0] > 1 and s[-1] < 0.1


def test_orthogonal_learning_time_stays_bounded_with_depth():
    result = ex.learning_time(rng=SEED)
    orth, gauss = result.steps["orthogonal"], result.steps["lecun_normal"]
    assert np.all(np.isfinite(orth))
    assert np.isnan(gauss[-1])  # the deepest Gaussian network misses the budget
    assert np.nanmax(orth) < result.max_steps / 2


# ------------------------------------------------------------------------ SELU and LSUV


def test_selu_fixed_point():
    result = ex.selu_fixed_point(rng=SEED)
    assert result.variances[0] > 2  # the inputs start far away: mean 1, variance 4
    # Finite width 500 leaves fluctuations of order sqrt(2 / 500) = 0.06 around (0, 1).
    tail = slice(len(result.means) // 2, None)
    assert np.all(np.abs(result.means[tail]) < 0.06)
    assert np.all(np.abs(result.variances[tail] - 1) < 0.1)


def test_lsuv_reaches_unit_variance():
    result = ex.lsuv(rng=SEED)
    assert len(result.weights) == len(result.variances) == 10
    for history in result.variances:
        assert abs(history[-1] - 1) < 0.1 and len(history) <= 11
    # Orthogonal weights keep the variance and ReLU halves the second moment, so every layer
    # after the first starts near 1/2 before LSUV rescales it.
    np.testing.assert_allclose([h[0] for h in result.variances[1:]], 0.5, atol=0.1)


def test_lsuv_respects_max_iter():
    result = ex.lsuv(widths=[32] * 3, activation="tanh", max_iter=0, rng=SEED)
    assert all(len(h) == 1 for h in result.variances)


# ------------------------------------------------------------------------------ errors


def test_bad_arguments():
    with pytest.raises(ValueError, match="activation must be one of .*'relu'"):
        ex.activation_stats("lecun_normal", "swish", widths=[4])
    with pytest.raises(ValueError, match="widths must be a non-empty"):
        ex.activation_stats("lecun_normal", widths=[])
    with pytest.raises(ValueError, match="widths must be a non-empty"):
        ex.lsuv(widths=[4, 0])
    with pytest.raises(TypeError, match="init must be a scheme name or a callable"):
        ex.gradient_stats(0.01, widths=[4])
    with pytest.raises(ValueError, match="activation must be one of"):
        ex.variance_map(1.0, 1.0, 0.0, "sin")


# ---------------------------------------------- saturation, unit sums, unit similarity


def test_saturated_tanh_gradient_grows_by_the_mean_field_factor():
    large = functools.partial(weightinit.normal, std=1.0)
    width = 500
    result = ex.saturation_gradients(large, "tanh", widths=[width] * 10, rng=SEED)
    assert result.saturated.shape == result.backprop_grad_vars.shape == (10,)
    assert result.saturated.min() > 0.8
    # Going back one layer multiplies the variance by n Var(w) E[tanh'(z)^2], z ~ N(0, q),
    # with q = n Var(w) E[a^2] of the layer below. Evaluate it by dense quadrature at the
    # measured q (tanh' has features of width 1/sqrt(q), so use a fine grid).
    q = width * np.mean(result.act_stds[1:] ** 2)
    z = np.linspace(-8, 8, 400_001)
    pdf = np.exp(-(z**2) / 2) / np.sqrt(2 * np.pi)
    factor = width * np.trapezoid((1 - np.tanh(np.sqrt(q) * z) ** 2) ** 2 * pdf, z)
    # Each ratio averages 500 x 1000 squared gradients, but the unsaturated units that carry
    # them are few: the geometric mean over 9 ratios still lands within a few percent.
    assert result.grad_growth == pytest.approx(factor, rel=0.05)
    assert result.weight_grad_growth == pytest.approx(factor, rel=0.05)


def test_relu_weight_gradients_are_level_when_both_passes_explode():
    large = functools.partial(weightinit.normal, std=1.0)
    result = ex.saturation_gradients(large, "relu", widths=[200] * 6, n_samples=500, rng=SEED)
    # n Var(w) / 2 = 100 per layer in each direction; their product is level.
    assert result.grad_growth == pytest.approx(100, rel=0.15)
    assert result.weight_grad_growth == pytest.approx(1, abs=0.15)


def test_small_weights_make_the_tanh_gradient_vanish():
    small = functools.partial(weightinit.normal, std=0.01)
    result = ex.saturation_gradients(small, "tanh", widths=[500] * 5, n_samples=500, rng=SEED)
    # tanh is linear near 0: the factor is n Var(w) = 500 * 1e-4 = 0.05.
    assert result.grad_growth == pytest.approx(0.05, rel=0.05)
    assert result.saturated.max() == 0


def test_unit_sums_are_standard_normal_under_lecun():
    fan_in, fan_out = 400, 2000
    sums = ex.unit_sums("lecun_normal", fan_in, fan_out, rng=SEED)
    omega, tau = sums["omega"], sums["tau"]
    # omega ~ N(0, 1) per unit: mean and variance within 4 standard errors.
    assert abs(omega.mean()) < 4 / math.sqrt(fan_out)
    assert abs(omega.var() - 1) < 4 * math.sqrt(2 / fan_out)
    # tau = sum of fan_in squares of variance 1/fan_in: mean 1, std sqrt(2 / fan_in).
    assert abs(tau.mean() - 1) < 4 * math.sqrt(2 / fan_in / fan_out)
    assert abs(tau.std() / math.sqrt(2 / fan_in) - 1) < 0.1


def test_dense_units_are_nearly_orthogonal_and_sparse_ones_often_exactly():
    fan_in, fan_out = 784, 200
    dense = ex.unit_cosines("lecun_normal", fan_in, fan_out, rng=SEED)
    assert dense.shape == (fan_out * (fan_out - 1) // 2,)
    # E|cos| = sqrt(2 / (pi n)) to first order; pairs are weakly dependent, allow 5%.
    assert dense.mean() == pytest.approx(math.sqrt(2 / (math.pi * fan_in)), rel=0.05)
    k = 15
    sparse = functools.partial(weightinit.sparse, sparsity=1 - k / fan_in, std=1.0)
    cos = ex.unit_cosines(sparse, fan_in, fan_out, rng=SEED)
    # Two units share no input with the hypergeometric probability C(n - k, k) / C(n, k).
    p_disjoint = math.comb(fan_in - k, k) / math.comb(fan_in, k)
    # 19900 pairs, but pairs that share a unit are dependent: a loose bound of 0.03.
    assert abs(np.mean(cos == 0) - p_disjoint) < 0.03


def test_saturation_and_cosine_arguments():
    with pytest.raises(ValueError, match="threshold must be a number in"):
        ex.saturation_gradients("lecun_normal", widths=[4], threshold=2)
    with pytest.raises(ValueError, match="fan_out must be at least 2"):
        ex.unit_cosines(fan_in=4, fan_out=1)
    with pytest.raises(ValueError, match="all-zero weights"):
        ex.unit_cosines("zeros", fan_in=4, fan_out=3)



# ------------------------------------------------------------ behind the site's figures
# The simulations the figures plot. Exact identities where the code allows one (the same
# seed gives the same standard normal draws, scaled); otherwise theory with a tolerance of
# a few standard errors, stated next to it.


def _rel_se_of_std(n):
    """Relative standard error of a sample std of n Gaussian values: 1 / sqrt(2 n)."""
    return 1 / math.sqrt(2 * n)


def test_std_by_fan_follows_each_schemes_variance():
    fans = (16, 64, 256)
    stds = ex.std_by_fan(fans=fans, rng=1)
    theory = {"lecun_normal": lambda n: 1 / n, "glorot_normal": lambda n: 2 / (n + n),
              "he_normal": lambda n: 2 / n, "pytorch_default": lambda n: 1 / (3 * n)}
    assert set(stds) == set(theory)
    for name, std in stds.items():
        for n, s in zip(fans, std):
            # n^2 draws; 5 standard errors (uniform and truncated draws have smaller ones).
            assert s == pytest.approx(math.sqrt(theory[name](n)), rel=5 * _rel_se_of_std(n * n)), (name, n)


@pytest.mark.parametrize("start", ["zeros", functools.partial(weightinit.constant, value=0.5)])
def test_hidden_weight_history_keeps_equal_starts_equal(start):
    history = ex.hidden_weight_history(start, steps=100)
    assert history.shape == (100, 2, 2)
    assert np.array_equal(history[:, :, 0], history[:, :, 1])


def test_hidden_weight_history_starts_from_the_draw_and_moves():
    history = ex.hidden_weight_history("he_normal", steps=100, init_rng=7)
    assert np.array_equal(history[0], weightinit.he_normal((2, 2), rng=7))
    assert not np.array_equal(history[:, :, 0], history[:, :, 1])
    assert np.abs(history[-1] - history[0]).max() > 0.1


def _funnel_se(widths, n_samples):
    # Each layer multiplies the variance by a factor whose relative sd is about
    # sqrt(2 / (n_in n_out)) from the weights plus sqrt(2 / (n_samples n_out)) from the rows.
    return math.sqrt(sum(2 / (a * b) + 2 / (n_samples * b) for a, b in zip(widths, widths[1:])))


def test_funnel_variances_fan_in_keeps_the_forward_signal_fan_out_the_gradient():
    f_in = ex.funnel_variances("fan_in", rng=SEED)
    f_out = ex.funnel_variances("fan_out", rng=SEED)
    se = _funnel_se(f_in.widths, 500)
    assert f_in.widths == [round(1024 * 2 ** (-k / 2)) for k in range(9)]
    assert f_in.forward[-1] == pytest.approx(1.0, rel=5 * se)
    assert f_out.backward[0] == pytest.approx(1.0, rel=5 * se)


def test_funnel_variances_fan_avg_drifts_by_the_product_of_fan_ratios():
    f = ex.funnel_variances("fan_avg", rng=SEED)
    w = f.widths
    forward = np.prod([2 * a / (a + b) for a, b in zip(w, w[1:])])
    backward = np.prod([2 * b / (a + b) for a, b in zip(w, w[1:])])
    se = _funnel_se(w, 500)
    assert f.forward[-1] == pytest.approx(forward, rel=5 * se)
    assert f.backward[0] == pytest.approx(backward, rel=5 * se)


def test_truncated_normal_density_integrates_to_one_with_the_librarys_std():
    grid = np.linspace(-3, 3, 600001)
    density = ex.truncated_normal_density(grid)
    # The trapezoid rule loses about half a step of the jump at +-2: 1e-5 * 0.06 * x^2.
    assert np.trapezoid(density, grid) == pytest.approx(1.0, abs=1e-5)
    assert math.sqrt(np.trapezoid(grid**2 * density, grid)) == pytest.approx(weightinit.TRUNCATED_STD, abs=1e-5)
    assert density[np.abs(grid) > 2].max() == 0.0
    wide = ex.truncated_normal_density(grid, std=2.0, cut=np.inf)
    assert np.allclose(wide, np.exp(-grid**2 / 8) / math.sqrt(8 * math.pi))


def test_variance_scaling_stds_hit_sqrt_scale_over_n():
    rows = ex.variance_scaling_stds(512, 128)
    from weightinit.schemes import variance_scaling_triples

    assert [r[:4] for r in rows] == variance_scaling_triples()
    for name, scale, mode, _, sampled, target in rows:
        n = {"fan_in": 512, "fan_out": 128, "fan_avg": 320}[mode]
        assert target == pytest.approx(math.sqrt(scale / n))
        assert sampled == pytest.approx(target, rel=5 * _rel_se_of_std(512 * 128)), name


def test_condition_by_depth():
    cond = ex.condition_by_depth(depths=(1, 8, 64), width=32)
    assert np.allclose(cond["orthogonal"], 1.0)
    # The product of Gaussian matrices spreads its spectrum exponentially with depth.
    assert cond["lecun_normal"][0] > 1 and np.all(np.diff(np.log(cond["lecun_normal"])) > 1)


def test_conv2d_same_matches_a_pixel_by_pixel_sum():
    gen = np.random.default_rng(SEED)
    for k in (1, 3, 4):
        x, kernel = gen.standard_normal((5, 6, 2)), gen.standard_normal((k, k, 2, 3))
        pad = (k - 1) // 2
        expected = np.zeros((5, 6, 3))
        for i in range(5):
            for j in range(6):
                for a in range(k):
                    for b in range(k):
                        if 0 <= i + a - pad < 5 and 0 <= j + b - pad < 6:
                            expected[i, j] += x[i + a - pad, j + b - pad] @ kernel[a, b]
        assert np.allclose(ex.conv2d_same(x, kernel), expected), k
    with pytest.raises(ValueError, match="kernel"):
        ex.conv2d_same(np.zeros((4, 4, 2)), np.zeros((3, 3, 3, 1)))


def test_identity_conv_outputs_copy_or_shift():
    out = ex.identity_conv_outputs()
    x = out["input"]
    assert np.array_equal(out["3x3 identity"], x)
    assert np.array_equal(out["4x4, tap (k-1)//2"], x)
    shifted = np.zeros_like(x)
    shifted[:-1, :-1] = x[1:, 1:]  # the tap at k // 2 reads one pixel down and right
    assert np.array_equal(out["4x4, tap k//2"], shifted)
    assert not np.allclose(out["3x3 he_normal"], x)


def test_torch_sparse_mask_zeroes_a_fixed_count_per_column():
    mask = ex.torch_sparse_mask(40, 60, 0.75, rng=SEED)
    assert mask.shape == (40, 60)
    assert np.all(mask.sum(axis=0) == 40 - math.ceil(0.75 * 40))
    assert mask.sum(axis=1).min() < mask.sum(axis=1).max()  # rows are not balanced
    with pytest.raises(ValueError, match="sparsity"):
        ex.torch_sparse_mask(4, 4, 1.5)


def test_orthogonal_preactivation_variances():
    linear = ex.orthogonal_preactivation_variances([128] * 5, "linear", rng=SEED)
    # Square orthogonal weights keep each row's norm exactly; only the mean term moves.
    assert np.allclose(linear, linear[0], rtol=0.01)
    relu = ex.orthogonal_preactivation_variances(rng=SEED)
    # ReLU halves the second moment at each layer. Each ratio has a relative sd of about
    # sqrt(2 / width) = 0.09; the geometric mean of the 9 ratios about a third of that.
    ratio = np.exp(np.mean(np.log(relu[1:] / relu[:-1])))
    assert ratio == pytest.approx(0.5, rel=3 * math.sqrt(2 / 256) / 3)


def test_residual_stack_variance():
    blocks, width = 64, 256
    zero = ex.residual_stack_variance(blocks, zero_last=True, width=width, rng=SEED)
    assert np.all(zero == zero[0])
    plain = ex.residual_stack_variance(blocks, width=width, rng=SEED)
    # Each block adds Var(W2 relu(W1 x)) = Var(x) (He, then LeCun): the variance doubles.
    # A block's factor has relative sd about sqrt(2 / width) / 2; over 64 blocks the
    # geometric mean has an eighth of that. Allow 5 of those.
    ratio = np.exp(np.mean(np.log(plain[1:] / plain[:-1])))
    assert ratio == pytest.approx(2.0, rel=5 * math.sqrt(2 / width) / 2 / 8)
    scaled = ex.residual_stack_variance(blocks, branch_scale=1 / math.sqrt(blocks), width=width, rng=SEED)
    assert scaled[-1] / scaled[0] == pytest.approx((1 + 1 / blocks) ** blocks, rel=5 * math.sqrt(2 / width) / 8)


def test_initial_loss():
    r = ex.initial_loss(rng=SEED)
    n = 4000
    pi = r.positive_rates
    # With the prior bias and logits near 0, the loss is the cross-entropy of the labels
    # against pi; one sample's loss has sd |log((1 - pi) / pi)| sqrt(pi (1 - pi)).
    se = np.abs(np.log((1 - pi) / pi)) * np.sqrt(pi * (1 - pi)) / math.sqrt(n)
    assert np.all(np.abs(r.bce_prior_bias - r.label_entropy) < 5 * se + 0.01 * r.label_entropy)
    assert np.all(r.bce_prior_bias[pi < 0.5] < r.bce_zero_bias[pi < 0.5])
    assert np.allclose(r.label_entropy, -(pi * np.log(pi) + (1 - pi) * np.log1p(-pi)))
    # Logits of sd 0.01 * |features| ~ 0.08 raise ln C by about their variance / 2.
    assert np.allclose(r.softmax["last layer std 0.01"], np.log(r.classes), atol=0.02)
    assert np.all(r.softmax["last layer std 1"] > np.log(r.classes) + 1)


def test_embedding_scales():
    vocab, d = 1000, 512
    s = ex.embedding_scales(vocab, d, rng=SEED)
    theory = {"Keras U(-0.05, 0.05)": 0.05 / math.sqrt(3), "PyTorch N(0, 1)": 1.0,
              "BERT, GPT-2 N(0, 0.02^2)": 0.02, "N(0, 1/d_model)": d**-0.5}
    for name, rms in s.rms.items():
        assert rms == pytest.approx(theory[name], rel=5 * _rel_se_of_std(vocab * d)), name
    # sin^2 + cos^2 = 1 for each pair of columns.
    assert s.positional_rms == pytest.approx(math.sqrt(0.5), rel=1e-12)


def test_saturated_fraction():
    assert ex.saturated_fraction("sigmoid", [0.5, 0.999, 0.001, 0.9]) == 0.5
    with pytest.raises(ValueError, match="activation"):
        ex.saturated_fraction("relu", [0.0])


def test_conv_stack_stds_scale_exactly_with_the_fan():
    right = ex.conv_stack_stds(9 * 8, channels=8, depth=6, rng=SEED)
    wrong = ex.conv_stack_stds(8, channels=8, depth=6, rng=SEED)
    # Same draws, weights sqrt(9) = 3 times larger, ReLU is homogeneous: 3x per layer.
    assert np.allclose(wrong / right, 3.0 ** np.arange(1, 7))
    dw_right = ex.conv_stack_stds(9, channels=8, depthwise=True, depth=6, rng=SEED)
    dw_torch = ex.conv_stack_stds(9 * 8, channels=8, depthwise=True, depth=6, rng=SEED)
    assert np.allclose(dw_torch / dw_right, 8.0 ** (-np.arange(1, 7) / 2))


def test_layout_funnel_stds_grow_by_sqrt2_when_the_axes_are_swapped():
    right = ex.layout_funnel_stds(rng=SEED)
    wrong = ex.layout_funnel_stds(-1, -2, rng=SEED)
    assert np.allclose(wrong / right, math.sqrt(2) ** np.arange(1, len(right) + 1))
    # Read the right way, He keeps E[h^2] and so the std of ReLU outputs level: 7 layers,
    # narrowest 16 units of 200 rows; each layer's factor has relative sd about sqrt(2 / n_out).
    widths = [2048 // 2**k for k in range(8)]
    se = math.sqrt(sum(2 / n for n in widths[1:])) / 2
    assert right[-1] / right[0] == pytest.approx(1.0, rel=5 * se)
