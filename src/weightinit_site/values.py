"""Numbers quoted in the pages' prose, computed from the library at build time.

Each function takes no argument and returns the number as short Markdown text
(units and rounding included). A page writes ``[[value: name]]``; the build
calls the function and puts its text there, so a sentence can never keep a
number the code no longer gives.
"""

from __future__ import annotations

from functools import lru_cache, partial
import math

import numpy as np

from weightinit import experiments
from weightinit import meanfield as mf
from weightinit._sampling import normal_mass
from weightinit.initializers import TRUNCATED_STD, normal, sparse

__all__ = [
    "bert_truncated_std",
    "bfloat16_tiny",
    "dense_unit_cosine",
    "dense_unit_cosine_theory",
    "diagnose_dead_max",
    "diagnose_grad_high",
    "diagnose_grad_low",
    "diagnose_saturated_max",
    "diagnose_signal_high",
    "diagnose_signal_low",
    "explorer_gelu_gain",
    "float16_max",
    "float16_smallest_subnormal",
    "float16_tiny",
    "gelu_flat_below",
    "gelu_gain",
    "gelu_slope_at_minus_five",
    "gelu_second_moment_at_relu_gain",
    "keras_torch_escape_per_million",
    "keras_torch_truncation_escape",
    "lecun_tanh_at_one",
    "lecun_tanh_curvature_peak",
    "lecun_tanh_fixed_point",
    "lecun_tanh_unit_input",
    "llm_cut3_std_shrink",
    "llm_tied_logit_std_hf",
    "llm_tied_logit_std_titan",
    "random_large_relu_act_growth",
    "random_large_relu_grad_growth",
    "random_large_relu_weight_grad_growth",
    "random_large_sigmoid_grad_growth",
    "random_large_tanh_grad_growth",
    "random_large_tanh_saturated",
    "random_large_tanh_weight_grad_growth",
    "random_small_tanh_grad_growth",
    "selu_fixed_point_at_three_quarters",
    "selu_omega_range",
    "selu_omega_std",
    "selu_tau_range",
    "silu_gain",
    "small_init_emb_ln_rms",
    "sparse_disjoint_pairs",
    "tanh_chi_1_at_exact_gain",
    "tanh_chi_1_at_five_thirds",
    "tanh_exact_gain",
    "tanh_fixed_point_at_five_thirds",
    "trunc_normal_small_std_cut",
    "trunc_normal_std1_variance",
    "truncated_std_default_cut",
    "truncated_std_ratio",
    "truncated_std_ratio_squared",
    "version",
    "vit_head_logit_std",
]


# ------------------------------------------------- LeCun et al.'s scaled tanh (lecun.md)


def lecun_tanh_at_one() -> str:
    """``1.7159 tanh(2/3)``: 1 to four decimals."""
    return f"{float(mf.lecun_tanh(1.0)):.4f}"


def lecun_tanh_curvature_peak() -> str:
    """Where ``|f''|`` of ``a tanh(b x)`` peaks: ``tanh(b x) = 1 / sqrt(3)``, so
    ``x = atanh(1 / sqrt(3)) / b`` with ``b = 2/3`` (checked against a numerical argmax in
    ``tests/test_meanfield.py``)."""
    return f"{math.atanh(1 / math.sqrt(3)) * 1.5:.3f}"


def lecun_tanh_unit_input() -> str:
    """Second moment of the scaled tanh of a unit-variance Gaussian: one step of the variance
    map from ``q = 1`` under LeCun normal weights."""
    return f"{float(mf.variance_map(1.0, 1.0, 0.0, mf.lecun_tanh)):.3f}"


def lecun_tanh_fixed_point() -> str:
    """The fixed point of the variance map of the scaled tanh under LeCun normal weights, no bias."""
    return f"{float(mf.fixed_point(1.0, 0.0, mf.lecun_tanh)):.3f}"


# ------------------------------------------------------------- gains (architectures/gains.md)


def explorer_gelu_gain() -> str:
    """The gain the explorer gives gelu (`weightinit_site.explorer.activation_gain`)."""
    from .explorer import activation_gain

    return f"{activation_gain('gelu')[0]:.4f}"


def gelu_gain() -> str:
    """GELU's (exact erf form) second-moment gain at unit pre-activation variance."""
    return f"{mf.exact_gain('gelu'):.2f}"


def gelu_slope_at_minus_five() -> str:
    r"""GELU's slope ``Phi(u) + u phi(u)`` (exact erf form) at ``u = -5``.

    Examples
    --------
    >>> gelu_slope_at_minus_five()
    '$-7.1 \\times 10^{-6}$'
    """
    u = -5.0
    slope = 0.5 * math.erfc(-u / math.sqrt(2)) + u * math.exp(-u * u / 2) / math.sqrt(2 * math.pi)
    mantissa, exponent = f"{slope:.1e}".split("e")
    return f"${mantissa} \\times 10^{{{int(exponent)}}}$"


def gelu_flat_below() -> str:
    """The pre-activation below which the size of GELU's slope (``weightinit.nn``'s form) stays
    under `weightinit.diagnose`'s flatness threshold, 1 % of its peak slope."""
    from weightinit.diagnose import FLAT_SLOPE, PEAK_SLOPE
    from weightinit.nn import ACTIVATIONS

    u = np.linspace(-10.0, 0.0, 100_001)
    healthy = np.abs(ACTIVATIONS["gelu"][1](u)) >= FLAT_SLOPE * PEAK_SLOPE["gelu"]
    return f"${u[healthy].min():.1f}$"


def gelu_second_moment_at_relu_gain() -> str:
    """The pre-activation variance a GELU layer passes on under He's gain sqrt(2), from q = 1."""
    return f"{2 * mf.second_moment('gelu'):.2f}"


def silu_gain() -> str:
    """SiLU's second-moment gain at unit pre-activation variance."""
    return f"{mf.exact_gain('silu'):.2f}"


def tanh_exact_gain() -> str:
    """tanh's second-moment gain at unit pre-activation variance."""
    return f"{mf.exact_gain('tanh'):.4f}"


def tanh_fixed_point_at_five_thirds() -> str:
    """Where tanh's variance settles under PyTorch's gain 5/3 and no bias."""
    return f"{float(mf.fixed_point(5 / 3, 0.0)):.3f}"


def tanh_chi_1_at_five_thirds() -> str:
    """Gradient growth per layer, chi_1, of tanh under gain 5/3 and no bias."""
    return f"{float(mf.chi_1(5 / 3, 0.0)):.3f}"


def tanh_chi_1_at_exact_gain() -> str:
    """chi_1 of tanh at its exact gain for q = 1, no bias (the fixed point is then q = 1)."""
    return f"{float(mf.chi_1(mf.exact_gain('tanh'), 0.0, q=1.0)):.3f}"


def selu_fixed_point_at_three_quarters() -> str:
    """Where SELU's pre-activation variance settles under PyTorch's gain 3/4 and no bias."""
    return f"{float(mf.fixed_point(0.75, 0.0, 'selu')):.3f}"


def bert_truncated_std() -> str:
    """Std of BERT's weights: 0.02 times the std of N(0, 1) cut at +-2."""
    return f"{0.02 * TRUNCATED_STD:.4f}"


# ---------------------------------------------------------------- reference/frameworks.md


def truncated_std_ratio() -> str:
    """Std of a standard normal cut at +-2, as a share of the parent's.

    Examples
    --------
    >>> truncated_std_ratio()
    '0.880'
    """
    return f"{TRUNCATED_STD:.3f}"


def truncated_std_ratio_squared() -> str:
    """Variance of a standard normal cut at +-2.

    Examples
    --------
    >>> truncated_std_ratio_squared()
    '0.774'
    """
    return f"{TRUNCATED_STD ** 2:.3f}"


def keras_torch_truncation_escape() -> str:
    r"""Share of values Keras' torch-backend truncated normal leaves uncut: 4 candidates
    per value, each outside +-2 with probability ``erfc(sqrt(2))``.

    Examples
    --------
    >>> keras_torch_truncation_escape()
    '$4.3 \\times 10^{-6}$'
    """
    import math

    share = math.erfc(2 / math.sqrt(2)) ** 4
    mantissa, exponent = f"{share:.1e}".split("e")
    return f"${mantissa} \\times 10^{{{int(exponent)}}}$"


# The source notebook's setting: 1000 inputs, 10 layers of 500 units, one seed for all.
_SEED = 0
_FAN_IN = 784  # MNIST's 28 x 28 pixels, the input width of Martens' autoencoders
_K = 15  # Martens' nonzero incoming weights per unit


@lru_cache(maxsize=None)
def _saturation(std: float, activation: str) -> experiments.SaturationGradients:
    return experiments.saturation_gradients(partial(normal, std=std), activation, rng=_SEED)


def random_large_tanh_saturated() -> str:
    """Share of saturated tanh units under ``1.0 * randn`` weights, averaged over layers.

    Examples
    --------
    >>> random_large_tanh_saturated()
    '89%'
    """
    return f"{100 * _saturation(1.0, 'tanh').saturated.mean():.0f}%"


def random_large_tanh_grad_growth() -> str:
    """Per-layer growth (toward the input) of the back-propagated gradient's variance.

    Examples
    --------
    >>> random_large_tanh_grad_growth()
    '12'
    """
    return f"{_saturation(1.0, 'tanh').grad_growth:.0f}"


def random_large_tanh_weight_grad_growth() -> str:
    """Per-layer growth (toward the input) of the weight gradients' variance, tanh.

    Examples
    --------
    >>> random_large_tanh_weight_grad_growth()
    '12'
    """
    return f"{_saturation(1.0, 'tanh').weight_grad_growth:.0f}"


def random_large_sigmoid_grad_growth() -> str:
    """Per-layer growth of the back-propagated gradient's variance, sigmoid, ``1.0 * randn``.

    Examples
    --------
    >>> random_large_sigmoid_grad_growth()
    '2.1'
    """
    return f"{_saturation(1.0, 'sigmoid').grad_growth:.1f}"


def random_large_relu_grad_growth() -> str:
    """Per-layer growth of the back-propagated gradient's variance, ReLU, ``1.0 * randn``.

    Examples
    --------
    >>> random_large_relu_grad_growth()
    '249'
    """
    return f"{_saturation(1.0, 'relu').grad_growth:.0f}"


def random_large_relu_weight_grad_growth() -> str:
    """Per-layer ratio of the weight gradients' variances, ReLU, ``1.0 * randn``.

    Examples
    --------
    >>> random_large_relu_weight_grad_growth()
    '1.00'
    """
    return f"{_saturation(1.0, 'relu').weight_grad_growth:.2f}"


def random_large_relu_act_growth() -> str:
    """Per-layer growth of the activations' variance, ReLU, ``1.0 * randn`` (forward).

    Examples
    --------
    >>> random_large_relu_act_growth()
    '248'
    """
    stds = _saturation(1.0, "relu").act_stds
    return f"{float(np.exp(np.mean(np.log(stds[1:] ** 2 / stds[:-1] ** 2)))):.0f}"


def random_small_tanh_grad_growth() -> str:
    """Per-layer factor of the back-propagated gradient's variance, tanh, ``0.01 * randn``.

    Examples
    --------
    >>> random_small_tanh_grad_growth()
    '0.049'
    """
    return f"{_saturation(0.01, 'tanh').grad_growth:.3f}"


@lru_cache(maxsize=None)
def _sums() -> dict:
    return experiments.unit_sums("lecun_normal", 500, 500, rng=_SEED)


def selu_omega_std() -> str:
    """Standard deviation over 500 units of ``omega = sum_i w_i``, LeCun normal, fan-in 500.

    Examples
    --------
    >>> selu_omega_std()
    '1.02'
    """
    return f"{_sums()['omega'].std():.2f}"


def selu_omega_range() -> str:
    """The middle 95% of the 500 units' ``omega``.

    Examples
    --------
    >>> selu_omega_range()
    '$-2.14$ to $1.99$'
    """
    lo, hi = np.percentile(_sums()["omega"], [2.5, 97.5])
    return f"${lo:.2f}$ to ${hi:.2f}$"


def selu_tau_range() -> str:
    """Smallest and largest ``tau = sum_i w_i^2`` over the 500 units.

    Examples
    --------
    >>> selu_tau_range()
    '$0.81$ to $1.17$'
    """
    tau = _sums()["tau"]
    return f"${tau.min():.2f}$ to ${tau.max():.2f}$"


def trunc_normal_std1_variance() -> str:
    """Variance of ``N(0, 1)`` cut at the absolute bounds -2 and 2: ``TRUNCATED_STD**2``.

    Examples
    --------
    >>> trunc_normal_std1_variance()
    '0.774'
    """
    return f"{TRUNCATED_STD**2:.3f}"


def trunc_normal_small_std_cut() -> str:
    """Where PyTorch's default bounds +-2 sit for ``std=0.02``, in standard deviations.

    Examples
    --------
    >>> trunc_normal_small_std_cut()
    '100'
    """
    return f"{2.0 / 0.02:.0f}"


def keras_torch_escape_per_million() -> str:
    """Expected untruncated values per million from Keras 3's torch-backend truncated normal.

    It keeps the first of four standard-normal draws inside +-2, and the first draw when
    none of the four is inside, which happens with probability ``P(|Z| > 2)^4``.

    Examples
    --------
    >>> keras_torch_escape_per_million()
    '4.3'
    """
    return f"{1e6 * (1 - normal_mass(-2.0, 2.0)) ** 4:.1f}"


@lru_cache(maxsize=None)
def _cosines(init) -> np.ndarray:
    return experiments.unit_cosines(init, _FAN_IN, 500, rng=_SEED)


def dense_unit_cosine() -> str:
    """Mean ``|cos|`` between two dense LeCun-normal units' weight vectors, fan-in 784.

    Examples
    --------
    >>> dense_unit_cosine()
    '0.029'
    """
    return f"{_cosines('lecun_normal').mean():.3f}"


def dense_unit_cosine_theory() -> str:
    """``sqrt(2 / (pi n))``, the mean ``|cos|`` of two random directions in high dimension.

    Examples
    --------
    >>> dense_unit_cosine_theory()
    '0.028'
    """
    return f"{math.sqrt(2 / (math.pi * _FAN_IN)):.3f}"


def sparse_disjoint_pairs() -> str:
    """Share of pairs of Martens-sparse units (15 inputs of 784) with no input in common.

    Examples
    --------
    >>> sparse_disjoint_pairs()
    '75%'
    """
    init = partial(sparse, sparsity=1 - _K / _FAN_IN, std=1.0)
    return f"{100 * np.mean(_cosines(init) == 0):.0f}%"


# ------------------------------------------------------------------- practice pages


def float16_max() -> str:
    """The largest finite float16."""
    import numpy as np

    return f"{float(np.finfo(np.float16).max):,.0f}"


def float16_tiny() -> str:
    """The smallest positive normal float16."""
    import numpy as np

    return f"{float(np.finfo(np.float16).tiny):.3g}"


def float16_smallest_subnormal() -> str:
    """The smallest positive float16, a subnormal."""
    import numpy as np

    return f"{float(np.finfo(np.float16).smallest_subnormal):.3g}"


def bfloat16_tiny() -> str:
    """The smallest positive normal bfloat16 (bfloat16 has float32's exponent range)."""
    import numpy as np

    return f"{float(np.finfo(np.float32).tiny):.3g}"


def _pct(x) -> str:
    return f"{100 * x:g} %"


def diagnose_dead_max() -> str:
    """`weightinit.diagnose`'s threshold on the fraction of dead units."""
    from weightinit.diagnose import DEAD_MAX

    return _pct(DEAD_MAX)


def diagnose_saturated_max() -> str:
    """`weightinit.diagnose`'s threshold on the fraction of saturated entries."""
    from weightinit.diagnose import SATURATED_MAX

    return _pct(SATURATED_MAX)


def diagnose_signal_low() -> str:
    """Lower bound of `weightinit.diagnose`'s healthy signal range."""
    from weightinit.diagnose import SIGNAL_RANGE

    return f"{SIGNAL_RANGE[0]:g}"


def diagnose_signal_high() -> str:
    """Upper bound of `weightinit.diagnose`'s healthy signal range."""
    from weightinit.diagnose import SIGNAL_RANGE

    return f"{SIGNAL_RANGE[1]:g}"


def diagnose_grad_low() -> str:
    """Lower bound of `weightinit.diagnose`'s healthy gradient ratio."""
    from weightinit.diagnose import GRAD_RANGE

    return f"{GRAD_RANGE[0]:g}"


def diagnose_grad_high() -> str:
    """Upper bound of `weightinit.diagnose`'s healthy gradient ratio."""
    from weightinit.diagnose import GRAD_RANGE

    return f"{GRAD_RANGE[1]:g}"


def truncated_std_default_cut() -> str:
    """Std of a standard normal truncated at +-2, to four decimals."""
    from weightinit.practice import torch_trunc_normal_cut

    return f"{torch_trunc_normal_cut(1.0)[1]:.4f}"


# ------------------------------------------------------------------------- the package


def version() -> str:
    """The version of the library the site documents, ``weightinit.__version__``."""
    import weightinit

    return weightinit.__version__


def _tied_logit_std(recipe: str) -> str:
    from weightinit.architectures import LLM_SHAPE, llm_init_stds

    d = LLM_SHAPE["d_model"]
    return f"{llm_init_stds(recipe, d, LLM_SHAPE['n_layers'])['embedding'] * math.sqrt(d):.3g}"


def llm_cut3_std_shrink() -> str:
    """How much a normal cut at 3 std shrinks its std, in per cent (OLMo's
    weights, torchtitan's output layer).

    Examples
    --------
    >>> llm_cut3_std_shrink()
    '1.3 %'
    """
    from weightinit.practice import torch_trunc_normal_cut

    ratio = torch_trunc_normal_cut(1.0, -3.0, 3.0)[1]
    return f"{100 * (1 - ratio):.1f} %"


def small_init_emb_ln_rms() -> str:
    """RMS of a U(-1e-4, 1e-4) embedding after PyTorch's LayerNorm (eps 1e-5):
    ``sqrt(var / (var + eps))``, the variance ``1e-8 / 3`` far below `eps`.

    Examples
    --------
    >>> small_init_emb_ln_rms()
    '0.018'
    """
    var = (2e-4) ** 2 / 12
    return f"{math.sqrt(var / (var + 1e-5)):.2g}"


def llm_tied_logit_std_hf() -> str:
    """The logits' std of a tied Llama at width 4096 with Hugging Face's 0.02 embedding."""
    return _tied_logit_std("hf_llama")


def llm_tied_logit_std_titan() -> str:
    """The logits' std of a tied Llama at width 4096 with torchtitan's std-1 embedding."""
    return _tied_logit_std("torchtitan")


def vit_head_logit_std() -> str:
    """The logits' std of Hugging Face's ViT-Base head at initialization, on final states of
    RMS 1 (the final LayerNorm's output): the head's std times sqrt(d)."""
    from weightinit.architectures import VIT_SHAPE, vit_init_stds

    return f"{vit_init_stds('hf_vit')['head'] * math.sqrt(VIT_SHAPE['width']):.2f}"
