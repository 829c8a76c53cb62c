"""Initialization in modern architectures: transformers, vision models, width scaling and
recurrent nets.

Small, exact NumPy versions of the experiments behind the Architectures pages. Each one
runs in about a second at its defaults and returns plain arrays or dataclasses that the
figures and tables only lay out. The layout is ``x @ W`` throughout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._checks import check_choice, check_count, check_positive, check_real
from .initializers import glorot_normal, normal, orthogonal
from .meanfield import second_moment

__all__ = [
    "BranchScaleRun",
    "CoordinateCheck",
    "LLM_RECIPES",
    "LLMStream",
    "LLM_SHAPE",
    "LLM_WEIGHTS",
    "attention_logit_std",
    "branch_scale_training",
    "MUP_RULES",
    "UpdateSize",
    "RESIDUAL_SCHEMES",
    "ResidualSchemeRun",
    "ZeroInitRun",
    "chrono_bias",
    "coordinate_check",
    "deepnorm",
    "gate_singular_values",
    "initial_output_std",
    "layer_norm",
    "llm_ffn_width",
    "llm_init_stds",
    "llm_residual_stream",
    "residual_schemes",
    "residual_stream_std",
    "swiglu_branch_std",
    "rnn_gradient_norm",
    "update_size",
    "VIT_RECIPES",
    "VIT_SHAPE",
    "VIT_WEIGHTS",
    "vit_init_stds",
    "vit_token_stds",
    "weightnorm_init",
    "zero_init_training",
]


def _gelu(z):
    return 0.5 * z * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (z + 0.044715 * z**3)))


def layer_norm(x, eps: float = 1e-5):
    """Normalize each row of ``x`` to zero mean and unit variance (no gain or bias).

    Examples
    --------
    >>> import numpy as np
    >>> y = layer_norm(np.array([[1.0, 2.0, 3.0]]))
    >>> bool(np.allclose(y.mean(), 0.0)), bool(np.isclose(y.var(), 1.0, rtol=1e-4))
    (True, True)
    """
    x = np.asarray(x, dtype=np.float64)
    mu = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps)


# ------------------------------------------------------------------ transformers


def residual_stream_std(depth: int = 48, width: int = 128, std: float = 0.02,
                        scale_residual: bool = True, n_tokens: int = 32, rng=0) -> np.ndarray:
    """Standard deviation of a pre-LN residual stream after each block, at initialization.

    Every block adds two residual branches to the stream, ``x <- x + f(LN(x))``, each a
    two-layer MLP ``width -> 4 width -> width`` with GELU, so that a block has two
    residual layers as a GPT block does (attention is replaced by a second MLP: at
    initialization both are a linear map of the normalized stream followed by an output
    projection). All weights are ``N(0, std^2)``; with ``scale_residual`` the output
    projections use ``std / sqrt(2 depth)``, the rule of Megatron-LM and Hugging Face's GPT-2.

    Parameters
    ----------
    depth : int
        Number of blocks (2 residual layers each).
    width : int
        Width of the stream, ``d_model``.
    std : float
        Standard deviation of every weight before residual scaling.
    scale_residual : bool
        Divide the output projections' std by ``sqrt(2 depth)``.
    n_tokens : int
        Rows of the input; the stream starts as ``N(0, 1)`` entries.
    rng : None, int or numpy.random.Generator

    Returns
    -------
    numpy.ndarray
        Shape ``(depth + 1,)``: the stream's std at the input and after each block.

    Examples
    --------
    >>> s = residual_stream_std(depth=4, width=64, scale_residual=False)
    >>> s.shape, bool(s[-1] > s[0])
    ((5,), True)
    """
    depth = check_count("depth", depth, low=1)
    width = check_count("width", width, low=1)
    n_tokens = check_count("n_tokens", n_tokens, low=1)
    if not (isinstance(std, (int, float)) and std > 0 and math.isfinite(std)):
        raise ValueError(f"std must be a positive finite number; got {std!r}")
    gen = np.random.default_rng(rng)
    out_std = std / math.sqrt(2 * depth) if scale_residual else std
    x = gen.standard_normal((n_tokens, width))
    stds = [x.std()]
    for _ in range(depth):
        for _branch in range(2):
            w_in = normal((width, 4 * width), std=std, rng=gen)
            w_out = normal((4 * width, width), std=out_std, rng=gen)
            x = x + _gelu(layer_norm(x) @ w_in) @ w_out
        stds.append(x.std())
    return np.asarray(stds)


def attention_logit_std(d_model: int = 512, d_k: int = 64, q_std: float | None = None,
                        k_std: float | None = None, scale: bool = True, n_tokens: int = 256,
                        rng=0) -> float:
    """Std of one head's attention logits ``q . k`` at initialization.

    Tokens are ``N(0, 1)`` vectors of size ``d_model`` (a normalized stream). ``W_q`` and
    ``W_k`` are ``(d_model, d_k)`` normal with the given stds (default ``1/sqrt(d_model)``,
    which gives ``q`` and ``k`` unit-variance entries); with ``scale`` the logits are divided
    by ``sqrt(d_k)`` as in Vaswani et al. (2017, §3.2.1, Eq. 1).

    Returns
    -------
    float
        The std over all ``n_tokens^2`` query-key pairs.

    Examples
    --------
    >>> round(attention_logit_std(scale=False) / attention_logit_std(scale=True))
    8
    """
    d_model = check_count("d_model", d_model, low=1)
    d_k = check_count("d_k", d_k, low=1)
    gen = np.random.default_rng(rng)
    q_std = 1 / math.sqrt(d_model) if q_std is None else q_std
    k_std = 1 / math.sqrt(d_model) if k_std is None else k_std
    x = gen.standard_normal((n_tokens, d_model))
    q = x @ normal((d_model, d_k), std=q_std, rng=gen)
    k = x @ normal((d_model, d_k), std=k_std, rng=gen)
    logits = q @ k.T
    return float(logits.std() / (math.sqrt(d_k) if scale else 1.0))


def deepnorm(n_layers: int, architecture: str = "decoder", m_layers: int | None = None) -> tuple[float, float]:
    """DeepNorm's residual multiplier alpha and initialization gain beta.

    From Wang et al. (2022), DeepNet (the decoder of their reference code, microsoft/torchscale
    ``torchscale/architecture/decoder.py``, divides by ``(8N)^(1/4)``): a DeepNorm block computes
    ``LN(alpha x + G(x))`` and the feed-forward, value and output projections of ``G`` are
    initialized with Xavier normal of gain ``beta``.

    Parameters
    ----------
    n_layers : int
        ``N``, the number of layers of the stack being scaled (for ``encoder-decoder``,
        the encoder's).
    architecture : {"decoder", "encoder", "encoder-decoder"}
        Decoder-only (GPT) and encoder-only (BERT) share ``alpha = (2N)^(1/4)`` and
        ``beta = (8N)^(-1/4)``. For ``encoder-decoder`` the result is the encoder's:
        ``alpha = 0.81 (N^4 M)^(1/16)``, ``beta = 0.87 (N^4 M)^(-1/16)``.
    m_layers : int, optional
        ``M``, the decoder's layers; required for ``encoder-decoder`` only.

    Returns
    -------
    alpha, beta : float

    Examples
    --------
    >>> a, b = deepnorm(100)
    >>> round(a, 4), round(b, 4)
    (3.7606, 0.188)
    """
    n = check_count("n_layers", n_layers, low=1)
    if architecture in ("decoder", "encoder"):
        if m_layers is not None:
            raise ValueError(f"m_layers applies to architecture='encoder-decoder' only; got {m_layers!r}")
        return (2 * n) ** 0.25, (8 * n) ** -0.25
    if architecture == "encoder-decoder":
        if m_layers is None:
            raise ValueError("m_layers (the decoder's layers) is required for architecture='encoder-decoder'")
        m = check_count("m_layers", m_layers, low=1)
        return 0.81 * (n**4 * m) ** (1 / 16), 0.87 * (n**4 * m) ** (-1 / 16)
    raise ValueError(f"architecture must be one of 'decoder', 'encoder', 'encoder-decoder'; got {architecture!r}")


@dataclass
class UpdateSize:
    """How much one SGD step moves a Post-LN network's output (see `update_size`).

    Attributes
    ----------
    depths : numpy.ndarray
        Numbers of blocks.
    post_ln, deepnorm : numpy.ndarray
        ``||F(x; theta - lr g) - F(x; theta)||`` per row, averaged over rows, for each depth.
    """

    depths: np.ndarray
    post_ln: np.ndarray
    deepnorm: np.ndarray


def _post_ln_forward(x, weights, alpha):
    cache = []
    for w1, w2 in weights:
        h = x @ w1
        u = alpha * x + h @ w2
        mu = u.mean(axis=1, keepdims=True)
        sd = np.sqrt(u.var(axis=1, keepdims=True) + 1e-5)
        y = (u - mu) / sd
        cache.append((x, h, sd, y))
        x = y
    return x, cache


def _post_ln_grads(grad, weights, alpha, cache):
    grads = []
    for (w1, w2), (x, h, sd, y) in zip(reversed(weights), reversed(cache)):
        # LayerNorm without affine: du = (g - mean(g) - y mean(g y)) / sd.
        du = (grad - grad.mean(axis=1, keepdims=True) - y * (grad * y).mean(axis=1, keepdims=True)) / sd
        grads.append((x.T @ (du @ w2.T), h.T @ du))
        grad = alpha * du + (du @ w2.T) @ w1.T
    return grads[::-1]


def update_size(depths=(2, 4, 8, 16, 32, 64), width: int = 32, lr: float = 1e-4,
                n_samples: int = 32, rng=0) -> UpdateSize:
    """One SGD step's change of a Post-LN network's output, with and without DeepNorm.

    The network has ``depth`` blocks ``x <- LN(alpha x + x W1 W2)`` with linear
    ``width x width`` branches, Xavier-normal weights of gain ``beta``, and the loss
    ``sum((F(x) - y)^2) / 2`` against random targets. Post-LN is ``alpha = beta = 1``;
    DeepNorm takes ``(alpha, beta)`` from `deepnorm`. Wang et al. (2022) bound the
    update of DeepNorm's output by a constant independent of depth, while Post-LN's grows.

    Returns
    -------
    UpdateSize

    Examples
    --------
    >>> r = update_size(depths=(4, 32))
    >>> bool(r.post_ln[1] > 5 * r.post_ln[0]), bool(r.deepnorm[1] < 2 * r.deepnorm[0])
    (True, True)
    """
    depths = np.asarray([check_count("depths", d, low=1) for d in depths])
    width = check_count("width", width, low=1)
    gen = np.random.default_rng(rng)
    x = gen.standard_normal((n_samples, width))
    y = gen.standard_normal((n_samples, width))
    sizes = {"post_ln": [], "deepnorm": []}
    for depth in depths:
        seed = gen.integers(2**32)
        for name, (alpha, beta) in (("post_ln", (1.0, 1.0)), ("deepnorm", deepnorm(int(depth)))):
            wgen = np.random.default_rng(seed)
            weights = [(glorot_normal((width, width), gain=beta, rng=wgen),
                        glorot_normal((width, width), gain=beta, rng=wgen)) for _ in range(depth)]
            out, cache = _post_ln_forward(x, weights, alpha)
            grads = _post_ln_grads(out - y, weights, alpha, cache)
            stepped = [(w1 - lr * g1, w2 - lr * g2) for (w1, w2), (g1, g2) in zip(weights, grads)]
            new, _ = _post_ln_forward(x, stepped, alpha)
            sizes[name].append(float(np.linalg.norm(new - out, axis=1).mean()))
    return UpdateSize(depths, np.asarray(sizes["post_ln"]), np.asarray(sizes["deepnorm"]))


# ------------------------------------------------------------- decoder-only LLMs

LLM_RECIPES: dict[str, str] = {
    "hf_llama": "Hugging Face Llama",
    "megatron": "Megatron-LM",
    "torchtitan": "torchtitan",
    "olmo": "OLMo (mitchell)",
    "olmo2": "OLMo 2",
    "neox": "GPT-NeoX small_init + wang_init",
}
"""The initialization recipes of Llama-style models that `llm_init_stds` knows, by name.

The values are the labels the figures and tables use. Each recipe is written from its
source (the LLM page cites the files): ``hf_llama`` is ``transformers``'
``initializer_range`` on every weight; ``megatron`` is ``init_method_normal(0.02)`` with
``scaled_init_method_normal`` on the output projections; ``torchtitan`` is its Llama 3
``init_weights`` with ``depth_init=True``; ``olmo`` is OLMo's ``mitchell`` init (OLMo 1);
``olmo2`` is ``init_fn: normal, init_std: 0.02`` with ``norm_after`` blocks; ``neox`` is
GPT-NeoX's ``small_init`` with ``wang_init`` on the output projections.
"""

LLM_SHAPE = {"d_model": 4096, "n_layers": 32, "n_heads": 32, "d_ff": 11008}
"""The shape the LLM page computes at: the defaults of Hugging Face's ``LlamaConfig``
(hidden, blocks, heads, SwiGLU width), checked against it by ``make test-frameworks``."""

LLM_WEIGHTS = ("embedding", "q", "k", "v", "o", "gate", "up", "down", "output")


def llm_init_stds(recipe: str, d_model: int, n_layers: int, layer: int = 0,
                  d_ff: int | None = None) -> dict[str, float]:
    """The std each recipe of `LLM_RECIPES` gives each weight of a Llama-style block.

    The weights are named as in Hugging Face's Llama: the token ``embedding``; the
    attention projections ``q``, ``k``, ``v`` and ``o``; the SwiGLU projections ``gate``
    (``w1``), ``up`` (``w3``) and ``down`` (``w2``), computing
    ``down(silu(gate(x)) * up(x))``; and the untied ``output`` layer (the LM head).
    RMSNorm weights start at 1 in every recipe. Stds are the nominal ones: OLMo and
    torchtitan's output layer cut their normals at 3 std, which shrinks the std by about
    1.3 %.

    Parameters
    ----------
    recipe : str
        One of `LLM_RECIPES`.
    d_model, n_layers : int
        Width of the residual stream and number of blocks ``L``.
    layer : int
        The block, from 0; torchtitan and OLMo's ``mitchell`` scale by it.
    d_ff : int, optional
        Hidden width of the SwiGLU; default ``8 d_model / 3`` rounded up to 256 as in Llama.

    Returns
    -------
    dict
        Std per weight name of `LLM_WEIGHTS`.

    Examples
    --------
    >>> s = llm_init_stds("megatron", d_model=4096, n_layers=32)
    >>> s["q"], round(s["o"], 5)
    (0.02, 0.0025)
    """
    check_choice("recipe", recipe, tuple(LLM_RECIPES))
    d = check_count("d_model", d_model, low=1)
    n = check_count("n_layers", n_layers, low=1)
    layer = check_count("layer", layer)
    if layer >= n:
        raise ValueError(f"layer must be below n_layers ({n}); got {layer}")
    h = llm_ffn_width(d) if d_ff is None else check_count("d_ff", d_ff, low=1)
    if recipe in ("hf_llama", "olmo2"):
        return dict.fromkeys(LLM_WEIGHTS, 0.02)
    if recipe == "megatron":
        out = 0.02 / math.sqrt(2 * n)
        return {**dict.fromkeys(LLM_WEIGHTS, 0.02), "o": out, "down": out}
    if recipe == "torchtitan":
        out = 0.02 / math.sqrt(2 * (layer + 1))
        return {**dict.fromkeys(("q", "k", "v", "gate"), 0.02), "o": out, "up": out, "down": out,
                "embedding": 1.0, "output": d**-0.5}
    if recipe == "olmo":
        return {**dict.fromkeys(LLM_WEIGHTS, d**-0.5), "o": (2 * d * (layer + 1)) ** -0.5,
                "down": (2 * h * (layer + 1)) ** -0.5}
    small, wang = math.sqrt(2 / (5 * d)), 2 / n / math.sqrt(d)
    return {**dict.fromkeys(LLM_WEIGHTS, small), "o": wang, "down": wang}


def llm_ffn_width(d_model: int, multiple_of: int = 256) -> int:
    """Llama's SwiGLU hidden width: ``8 d / 3`` rounded up to a multiple of ``multiple_of``.

    Examples
    --------
    >>> llm_ffn_width(4096)
    11008
    """
    d = check_count("d_model", d_model, low=1)
    m = check_count("multiple_of", multiple_of, low=1)
    return m * -(-int(8 * d / 3) // m)


def _rms_norm(x, eps: float = 1e-6):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps)


def _silu(z):
    return z / (1.0 + np.exp(-z))


def _gaussian_matmul(x, std, fan_out, gen):
    # x @ W for W with i.i.d. N(0, std^2) entries, drawn without W: the columns of x @ W
    # are independent, each Gaussian over the rows with covariance std^2 x x^T. Exact in
    # distribution, and it costs (rows x fan_out) draws instead of (fan_in x fan_out).
    vals, vecs = np.linalg.eigh(x @ x.T)
    root = vecs * np.sqrt(np.clip(vals, 0.0, None))
    return std * (root @ gen.standard_normal((x.shape[0], fan_out), dtype=np.float32))


def _attention(x, stds, n_heads, gen, matmul):
    t, d = x.shape
    q, k, v = (matmul(x, stds[name], d, gen) for name in ("q", "k", "v"))
    dh = d // n_heads
    heads = []
    causal = np.tril(np.ones((t, t), dtype=bool))
    for i in range(n_heads):
        cols = slice(i * dh, (i + 1) * dh)
        logits = np.where(causal, q[:, cols] @ k[:, cols].T / math.sqrt(dh), -np.inf)
        a = np.exp(logits - logits.max(axis=1, keepdims=True))
        heads.append((a / a.sum(axis=1, keepdims=True)) @ v[:, cols])
    return matmul(np.concatenate(heads, axis=1), stds["o"], d, gen)


def _swiglu(x, stds, d_ff, gen, matmul):
    d = x.shape[1]
    hidden = _silu(matmul(x, stds["gate"], d_ff, gen)) * matmul(x, stds["up"], d_ff, gen)
    return matmul(hidden, stds["down"], d, gen)


def swiglu_branch_std(d_model: int, d_ff: int, gate: float, up: float, down: float) -> float:
    """Expected std of a SwiGLU branch's output on an RMS-normalized input, at initialization.

    With ``|x|^2 = d`` after RMSNorm, ``x W_gate`` and ``x W_up`` have entries
    ``N(0, d gate^2)`` and ``N(0, d up^2)``; each of the ``d_ff`` products
    ``silu(a) b`` then meets a ``down`` weight, so the output's variance is
    ``d_ff down^2 E[silu(a)^2] d up^2``, ``E[silu(a)^2]`` from `meanfield.second_moment`.

    Examples
    --------
    >>> round(swiglu_branch_std(4096, 11008, 0.02, 0.02, 0.02), 3)
    2.139
    """
    d = check_count("d_model", d_model, low=1)
    h = check_count("d_ff", d_ff, low=1)
    return math.sqrt(h * down**2 * second_moment("silu", d * gate**2) * d * up**2)


@dataclass
class LLMStream:
    """The residual stream of a Llama-style model at initialization (see `llm_residual_stream`).

    Attributes
    ----------
    std : numpy.ndarray
        Shape ``(n_layers + 1,)``: the stream's std after the embedding and after each block.
    attention, mlp : numpy.ndarray
        Shape ``(n_layers,)``: the std of what each block's attention and SwiGLU branches
        add to the stream.
    """

    std: np.ndarray
    attention: np.ndarray
    mlp: np.ndarray


def llm_residual_stream(recipe: str = "hf_llama", d_model: int = 4096, n_layers: int = 32,
                        n_heads: int = 32, d_ff: int | None = None, n_tokens: int = 16,
                        rng=0, explicit_weights: bool = False) -> LLMStream:
    """Run a Llama-style decoder at initialization and record its residual stream's std.

    ``n_tokens`` distinct tokens (embedding rows drawn with the recipe's std) pass through
    ``n_layers`` blocks ``h = x + attn(norm(x)); x = h + swiglu(norm(h))`` with RMSNorm
    weights 1 (eps 1e-6, Llama's and OLMo 2's), causal softmax attention over ``n_heads`` heads scaled by
    ``1/sqrt(d_head)`` (no position encoding: RoPE rotates queries and keys and leaves
    their size), and each weight drawn with the std `llm_init_stds` gives it.
    ``olmo2`` blocks normalize the branch's output instead, ``x + norm(f(x))``, as
    OLMo 2's ``norm_after`` does (its QK-norm is left out: the normalized output does
    not depend on it).

    Every ``x @ W`` is drawn from its exact distribution given ``x`` (Gaussian columns
    with covariance ``std^2 x x^T``) rather than through ``W``, so that a 4096-wide
    model costs seconds; ``explicit_weights=True`` draws every ``W`` instead (for tests,
    at small widths).

    Returns
    -------
    LLMStream

    Examples
    --------
    >>> r = llm_residual_stream("megatron", d_model=64, n_layers=4, n_heads=4)
    >>> r.std.shape, r.mlp.shape
    ((5,), (4,))
    """
    check_choice("recipe", recipe, tuple(LLM_RECIPES))
    d = check_count("d_model", d_model, low=1)
    n = check_count("n_layers", n_layers, low=1)
    n_heads = check_count("n_heads", n_heads, low=1)
    if d % n_heads:
        raise ValueError(f"d_model ({d}) must be a multiple of n_heads; got n_heads={n_heads}")
    h = llm_ffn_width(d) if d_ff is None else check_count("d_ff", d_ff, low=1)
    t = check_count("n_tokens", n_tokens, low=2)
    gen = np.random.default_rng(rng)

    def explicit(x, std, fan_out, g):
        return x @ normal((x.shape[1], fan_out), std=std, rng=g)

    matmul = explicit if explicit_weights else _gaussian_matmul
    x = normal((t, d), std=llm_init_stds(recipe, d, n, 0, h)["embedding"], rng=gen)
    stds, attn, mlp = [x.std()], [], []
    after = recipe == "olmo2"
    for layer in range(n):
        w = llm_init_stds(recipe, d, n, layer, h)
        a = _rms_norm(_attention(x, w, n_heads, gen, matmul)) if after else \
            _attention(_rms_norm(x), w, n_heads, gen, matmul)
        x = x + a
        m = _rms_norm(_swiglu(x, w, h, gen, matmul)) if after else _swiglu(_rms_norm(x), w, h, gen, matmul)
        x = x + m
        attn.append(a.std())
        mlp.append(m.std())
        stds.append(x.std())
    return LLMStream(np.asarray(stds), np.asarray(attn), np.asarray(mlp))


# ------------------------------------------------------------------- width scaling

MUP_RULES = {
    "sp": {"input": (1.0, 1.0), "hidden": (1.0, 1.0), "output": (1.0, 1.0)},
    "mup": {"input": (1.0, "fan_out"), "hidden": (1.0, 1.0), "output": ("1/fan_in", "1/fan_in")},
}
"""Per layer type, ``(init variance times fan_in, SGD learning-rate multiplier)``.

``sp`` is the standard parametrization: variance ``1/fan_in`` and one learning rate
everywhere. ``mup`` is the maximal-update parametrization for SGD (Yang et al. 2022,
Table 3): input weights keep variance ``1/fan_in`` and learn at ``lr * fan_out``; output
weights start at variance ``1/fan_in^2`` and learn at ``lr / fan_in``; hidden weights are
unchanged. Strings name the factor; `coordinate_check` evaluates them.
"""


def _factor(rule, fan_in: int, fan_out: int) -> float:
    return {"fan_out": fan_out, "1/fan_in": 1.0 / fan_in}.get(rule, rule)


@dataclass
class CoordinateCheck:
    """Output and hidden coordinate sizes against width (see `coordinate_check`).

    Attributes
    ----------
    widths : numpy.ndarray
    output : numpy.ndarray
        Mean ``|f_t(x) - f_0(x)|``: how far the outputs moved from their initial values
        after ``t`` steps, shape ``(len(widths), steps + 1)``; column 0 is zero.
    hidden : numpy.ndarray
        Mean ``|h_t - h_0|`` of the last hidden layer's activations, same shape.
    """

    widths: np.ndarray
    output: np.ndarray
    hidden: np.ndarray


def coordinate_check(parametrization: str = "sp", widths=(64, 128, 256, 512, 1024, 2048),
                     steps: int = 3, lr: float = 0.01, d_in: int = 16, n_samples: int = 32,
                     repeats: int = 4, rng=0) -> CoordinateCheck:
    """Train a ReLU MLP for a few SGD steps at several widths and record coordinate sizes.

    The network is ``x -> relu(x W0) -> relu(. W1) -> . W2`` with ``d_in`` inputs, two
    hidden layers of ``width`` units and one output, trained on the squared error against
    fixed random targets. Initialization variances and learning rates per layer type follow
    `MUP_RULES`. Under ``sp`` the change of the outputs after a few steps grows with width;
    under ``mup`` it does not: the "coordinate check" of Yang et al. (2022).

    Parameters
    ----------
    parametrization : {"sp", "mup"}
    widths : sequence of int
    steps : int
        SGD steps; sizes are recorded before the first and after each.
    lr : float
        Base learning rate ``eta``.
    d_in, n_samples : int
        Input features and batch size (the same batch every step).
    repeats : int
        Independent initializations per width; the sizes are averaged over them.
    rng : None, int or numpy.random.Generator

    Returns
    -------
    CoordinateCheck

    Examples
    --------
    >>> sp = coordinate_check("sp", widths=(64, 1024))
    >>> bool(sp.output[1, -1] > 4 * sp.output[0, -1])
    True
    """
    if parametrization not in MUP_RULES:
        raise ValueError(f"parametrization must be one of {sorted(MUP_RULES)}; got {parametrization!r}")
    widths = np.asarray([check_count("widths", w, low=1) for w in widths])
    steps = int(steps)
    if steps < 0:
        raise ValueError(f"steps must be >= 0; got {steps}")
    rules = MUP_RULES[parametrization]
    gen = np.random.default_rng(rng)
    x = gen.standard_normal((n_samples, d_in))
    y = gen.standard_normal((n_samples, 1))
    output = np.zeros((len(widths), steps + 1))
    hidden = np.zeros_like(output)
    repeats = check_count("repeats", repeats, low=1)
    for i, n in enumerate(widths):
        for _ in range(repeats):
            out, hid = _train_mlp(rules, x, y, n, steps, lr, np.random.default_rng(gen.integers(2**32)))
            output[i] += out / repeats
            hidden[i] += hid / repeats
    return CoordinateCheck(widths, output, hidden)


def initial_output_std(parametrization: str = "sp", widths=(64, 256, 1024, 4096),
                       d_in: int = 16, n_samples: int = 256, repeats: int = 8,
                       rng=0) -> np.ndarray:
    """Std of the initial output ``f_0(x)`` of `coordinate_check`'s network, per width.

    Under ``sp`` the output layer has variance ``1/n`` on ``n`` hidden units of order 1,
    so the output's std does not depend on the width. Under ``mup`` its variance is
    ``1/n^2``: ``n * 1/n^2 = 1/n``, and the std falls like ``n^(-1/2)``, the vanishing
    initial function of Yang et al. (2022, Appendix D.2).

    Parameters
    ----------
    parametrization : {"sp", "mup"}
    widths : sequence of int
    d_in, n_samples : int
        Input features and the number of standard normal inputs.
    repeats : int
        Independent initializations per width; the variances are averaged over them.
    rng : None, int or numpy.random.Generator

    Returns
    -------
    numpy.ndarray
        Root mean square of ``f_0(x)`` over the inputs and the repeats, one per width.

    Examples
    --------
    >>> std = initial_output_std("mup", widths=(64, 4096))
    >>> bool(5 < std[0] / std[1] < 13)  # sqrt(4096 / 64) = 8
    True
    """
    if parametrization not in MUP_RULES:
        raise ValueError(f"parametrization must be one of {sorted(MUP_RULES)}; got {parametrization!r}")
    widths = [check_count("widths", w, low=1) for w in widths]
    repeats = check_count("repeats", repeats, low=1)
    gen = np.random.default_rng(rng)
    x = gen.standard_normal((check_count("n_samples", n_samples, low=1), check_count("d_in", d_in, low=1)))
    out = np.zeros(len(widths))
    for i, n in enumerate(widths):
        for _ in range(repeats):
            ws, _ = _init_mlp(MUP_RULES[parametrization], d_in, n, 0.0, np.random.default_rng(gen.integers(2**32)))
            f = np.maximum(np.maximum(x @ ws[0], 0.0) @ ws[1], 0.0) @ ws[2]
            out[i] += np.mean(f**2) / repeats
    return np.sqrt(out)


def _init_mlp(rules, d_in, n, lr, wgen):
    layers = (("input", d_in, n), ("hidden", n, n), ("output", n, 1))
    ws, lrs = [], []
    for kind, fi, fo in layers:
        var, mult = (_factor(r, fi, fo) for r in rules[kind])
        ws.append(normal((fi, fo), std=math.sqrt(var / fi), rng=wgen))
        lrs.append(lr * mult)
    return ws, lrs


def _train_mlp(rules, x, y, n, steps, lr, wgen):
    n_samples, d_in = x.shape
    output, hidden = np.zeros(steps + 1), np.zeros(steps + 1)
    ws, lrs = _init_mlp(rules, d_in, n, lr, wgen)
    for t in range(steps + 1):
        z0 = x @ ws[0]
        a0 = np.maximum(z0, 0.0)
        z1 = a0 @ ws[1]
        a1 = np.maximum(z1, 0.0)
        f = a1 @ ws[2]
        if t == 0:
            f0, a10 = f, a1
        output[t] = np.abs(f - f0).mean()
        hidden[t] = np.abs(a1 - a10).mean()
        if t == steps:
            break
        g = (f - y) / n_samples
        g2 = a1.T @ g
        d1 = (g @ ws[2].T) * (z1 > 0)
        g1 = a0.T @ d1
        d0 = (d1 @ ws[1].T) * (z0 > 0)
        g0 = x.T @ d0
        for w, grad, step in zip(ws, (g0, g1, g2), lrs):
            w -= step * grad
    return output, hidden


# ------------------------------------------------------------------ recurrent nets


def rnn_gradient_norm(radii=(0.8, 0.9, 1.0, 1.1, 1.2), steps: int = 50, width: int = 128,
                      activation: str = "tanh", n_samples: int = 16, rng=0) -> np.ndarray:
    """Norm of a vanilla RNN's gradient after backpropagating through ``steps`` steps.

    The recurrence is ``h_t = phi(h_{t-1} W + x_t U)`` with ``W = radius * Q``, ``Q``
    orthogonal, so ``radius`` is the spectral radius of ``W``. Inputs are ``N(0, 1)`` and
    ``U`` is LeCun normal. A unit-norm gradient at the last state is carried back to the
    first: the result is ``||dL/dh_0||`` averaged over ``n_samples`` sequences. For
    ``linear`` it is exactly ``radius ** steps``.

    Parameters
    ----------
    radii : sequence of float
        Spectral radii of the recurrent matrix.
    steps, width, n_samples : int
    activation : {"linear", "tanh"}
    rng : None, int or numpy.random.Generator

    Returns
    -------
    numpy.ndarray
        Shape ``(len(radii),)``.

    Examples
    --------
    >>> g = rnn_gradient_norm(radii=(0.9, 1.1), steps=10, activation="linear")
    >>> bool(np.allclose(g, [0.9**10, 1.1**10]))
    True
    """
    if activation not in ("linear", "tanh"):
        raise ValueError(f"activation must be one of 'linear', 'tanh'; got {activation!r}")
    steps = check_count("steps", steps, low=1)
    width = check_count("width", width, low=1)
    gen = np.random.default_rng(rng)
    q = orthogonal((width, width), rng=gen)
    u = normal((width, width), std=1 / math.sqrt(width), rng=gen)
    xs = gen.standard_normal((steps, n_samples, width))
    g0 = gen.standard_normal((n_samples, width))
    g0 /= np.linalg.norm(g0, axis=1, keepdims=True)
    norms = []
    for radius in radii:
        w = radius * q
        h = np.zeros((n_samples, width))
        derivs = []
        for t in range(steps):
            h = h @ w + xs[t] @ u
            if activation == "tanh":
                h = np.tanh(h)
                derivs.append(1.0 - h**2)
            else:
                derivs.append(None)
        g = g0
        for d in reversed(derivs):
            g = (g if d is None else g * d) @ w.T
        norms.append(float(np.linalg.norm(g, axis=1).mean()))
    return np.asarray(norms)


def gate_singular_values(hidden: int = 64, gates: int = 4, per_gate: bool = True, rng=0) -> np.ndarray:
    """Singular values of each gate's block of a recurrent kernel ``(hidden, gates * hidden)``.

    With ``per_gate`` every ``(hidden, hidden)`` block is drawn orthogonal on its own; without,
    the whole kernel is drawn by one `orthogonal` call, as Keras' ``recurrent_initializer=
    "orthogonal"`` does, which makes its rows orthonormal but no block orthogonal.

    Returns
    -------
    numpy.ndarray
        Shape ``(gates, hidden)``: each block's singular values, largest first.

    Examples
    --------
    >>> s = gate_singular_values(hidden=8, per_gate=True)
    >>> bool(np.allclose(s, 1.0))
    True
    """
    hidden = check_count("hidden", hidden, low=1)
    gates = check_count("gates", gates, low=1)
    gen = np.random.default_rng(rng)
    if per_gate:
        kernel = np.concatenate([orthogonal((hidden, hidden), rng=gen) for _ in range(gates)], axis=1)
    else:
        kernel = orthogonal((hidden, gates * hidden), rng=gen)
    blocks = np.split(kernel, gates, axis=1)
    return np.stack([np.linalg.svd(b, compute_uv=False) for b in blocks])


def chrono_bias(hidden: int, t_max: float, rng=None) -> tuple[np.ndarray, np.ndarray]:
    """Chrono initialization of an LSTM's forget and input gate biases.

    Tallec & Ollivier (2018): ``b_f = log(U(1, t_max - 1))`` and ``b_i = -b_f``, so
    that the gates' characteristic forgetting times spread over ``[1, t_max]``.

    Returns
    -------
    forget_bias, input_bias : numpy.ndarray
        Each of shape ``(hidden,)``.

    Examples
    --------
    >>> bf, bi = chrono_bias(4, t_max=100, rng=0)
    >>> bool(np.all(bf >= 0) and np.all(bf <= np.log(99))), bool(np.allclose(bi, -bf))
    (True, True)
    """
    hidden = check_count("hidden", hidden, low=1)
    if not (isinstance(t_max, (int, float)) and t_max > 2 and math.isfinite(t_max)):
        raise ValueError(f"t_max must be a finite number > 2 (the longest dependency); got {t_max!r}")
    forget = np.log(np.random.default_rng(rng).uniform(1.0, t_max - 1.0, size=hidden))
    return forget, -forget


# --------------------------------------------------------------- data-dependent


def weightnorm_init(x, fan_out: int, init_std: float = 0.05, rng=None):
    """Weight normalization's data-dependent initialization of one dense layer.

    Salimans & Kingma (2016, §3): draw ``v ~ N(0, init_std^2)``, compute the normalized
    pre-activations ``t = x v / ||v||`` on a batch, then set ``g = 1 / std(t)`` and
    ``b = -mean(t) / std(t)`` per unit, so that ``g t + b`` has zero mean and unit
    variance on that batch.

    Parameters
    ----------
    x : numpy.ndarray
        A batch of inputs, shape ``(n_samples, fan_in)``.
    fan_out : int
    init_std : float
    rng : None, int or numpy.random.Generator

    Returns
    -------
    v, g, b : numpy.ndarray
        Direction ``(fan_in, fan_out)``, scale ``(fan_out,)``, bias ``(fan_out,)``; the
        layer computes ``x (v / ||v||) g + b`` with ``||v||`` taken per column.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).normal(3.0, 2.0, (256, 10))
    >>> v, g, b = weightnorm_init(x, 5, rng=1)
    >>> y = x @ (v / np.linalg.norm(v, axis=0)) * g + b
    >>> bool(np.allclose(y.mean(0), 0)), bool(np.allclose(y.std(0), 1))
    (True, True)
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] < 2:
        raise ValueError(f"x must be a batch of shape (n_samples >= 2, fan_in); got {x.shape}")
    fan_out = check_count("fan_out", fan_out, low=1)
    v = normal((x.shape[1], fan_out), std=init_std, rng=rng)
    t = x @ (v / np.linalg.norm(v, axis=0))
    mu, sd = t.mean(axis=0), t.std(axis=0)
    return v, 1.0 / sd, -mu / sd


# ------------------------------------------------------------ zero-initialized layers


@dataclass
class ZeroInitRun:
    """A few SGD steps of a residual network whose branches end in zero layers (see
    `zero_init_training`).

    Attributes
    ----------
    identity_gap : float
        ``max |F(x) - x|`` at step 0 over the batch (without the zero output layer).
    loss : numpy.ndarray
        Shape ``(steps + 1,)``: the loss before each step and after the last.
    grad_in, grad_out : numpy.ndarray
        Shape ``(steps + 1, depth)``: Frobenius norm of the gradient of each branch's first
        layer ``W1`` and of its last layer ``W2`` (the zero one) before each step.
    grad_head : numpy.ndarray
        Shape ``(steps + 1,)``: the gradient norm of the output layer ``V``.
    """

    identity_gap: float
    loss: np.ndarray
    grad_in: np.ndarray
    grad_out: np.ndarray
    grad_head: np.ndarray


def zero_init_training(depth: int = 4, width: int = 32, steps: int = 3, lr: float = 0.01,
                       zero_head: bool = False, n_samples: int = 64, rng=0) -> ZeroInitRun:
    """Train a residual network whose residual branches end in zero-initialized layers.

    The network is ``x_{l+1} = x_l + relu(x_l W1_l) W2_l`` for ``depth`` blocks, then an
    output layer ``y = x_L V``; ``W1`` is He normal, ``W2`` is zero (the zero modules of
    diffusion U-Nets, ControlNet's zero convolutions, DiT's zero gates), ``V`` is LeCun
    normal, or zero with ``zero_head`` (DiT's zero output layer). The loss is
    ``sum((y - t)^2) / (2 n)`` against random targets ``t``, and SGD takes ``steps`` steps.

    At step 0 every block is the identity, so ``F(x) = x``; the zero layer's gradient
    ``relu(x W1)^T (dL/dx_{l+1})`` is not zero, while ``W1``'s, which flows through
    ``W2 = 0``, is exactly zero. After one step ``W2`` is no longer zero and ``W1`` starts
    to learn. With ``zero_head`` only ``V`` has a gradient at step 0.

    Returns
    -------
    ZeroInitRun

    Examples
    --------
    >>> r = zero_init_training(depth=2, width=8, steps=1)
    >>> r.identity_gap, bool(r.grad_in[0].max() == 0), bool(r.grad_out[0].min() > 0)
    (0.0, True, True)
    """
    depth = check_count("depth", depth, low=1)
    width = check_count("width", width, low=1)
    steps = check_count("steps", steps)
    gen = np.random.default_rng(rng)
    x0 = gen.standard_normal((n_samples, width))
    target = gen.standard_normal((n_samples, width))
    w1 = [normal((width, width), std=math.sqrt(2 / width), rng=gen) for _ in range(depth)]
    blocks = [{"W": [a, np.zeros((width, width))]} for a in w1]
    head = np.zeros((width, width)) if zero_head else normal((width, width), std=1 / math.sqrt(width), rng=gen)
    run = _residual_sgd({"blocks": blocks, "head": head}, x0, target, steps, lr)
    gap = float(np.abs(run.streams[-1] - x0).max())
    g_in = [[np.linalg.norm(b["W"][0]) for b in g["blocks"]] for g in run.grads]
    g_out = [[np.linalg.norm(b["W"][1]) for b in g["blocks"]] for g in run.grads]
    g_head = [np.linalg.norm(g["head"]) for g in run.grads]
    return ZeroInitRun(gap, run.loss, np.asarray(g_in), np.asarray(g_out), np.asarray(g_head))


@dataclass
class _ResidualRun:
    loss: np.ndarray  # (steps + 1,)
    streams: list  # the residual stream x_0 ... x_L at step 0
    grads: list  # per step, the gradients, shaped like the parameters


def _block_forward(blk, x, eps=1e-5):
    """One residual block ``x + branch(x)``; returns its output and what backward needs.

    The branch is ``len(W)`` layers with ReLUs between. Optional keys: ``bias_in`` (a scalar
    bias before each layer) and ``bias_act`` (before each ReLU), Fixup's; ``scale`` (a scalar
    multiplier on the branch: Fixup's, ReZero's and SkipInit's); ``gamma`` and ``beta`` (a
    batch normalization of the branch's output, zero-gamma's)."""
    h, cache = x, {"p": [], "q": []}
    m = len(blk["W"])
    for k, w in enumerate(blk["W"]):
        p = h + blk["bias_in"][k] if "bias_in" in blk else h
        z = p @ w
        cache["p"].append(p)
        if k < m - 1:
            q = z + blk["bias_act"][k] if "bias_act" in blk else z
            cache["q"].append(q)
            h = np.maximum(q, 0.0)
    u = z
    cache["u"] = u
    if "gamma" in blk:
        inv = 1.0 / np.sqrt(u.var(axis=0) + eps)
        cache["uh"], cache["inv"] = (u - u.mean(axis=0)) * inv, inv
        branch = blk["gamma"] * cache["uh"] + blk["beta"]
    elif "scale" in blk:
        branch = blk["scale"] * u
    else:
        branch = u
    return x + branch, cache


def _block_backward(blk, cache, g):
    """Gradients of one block's parameters and of its input, from ``g``, that of its output."""
    grads = {}
    if "gamma" in blk:
        grads["gamma"], grads["beta"] = (g * cache["uh"]).sum(axis=0), g.sum(axis=0)
        d = g * blk["gamma"]
        du = cache["inv"] * (d - d.mean(axis=0) - cache["uh"] * (d * cache["uh"]).mean(axis=0))
    elif "scale" in blk:
        grads["scale"] = float((g * cache["u"]).sum())
        du = blk["scale"] * g
    else:
        du = g
    m = len(blk["W"])
    grads["W"] = [None] * m
    bias_in, bias_act = np.zeros(m), np.zeros(max(m - 1, 0))
    dz, dx = du, g
    for k in reversed(range(m)):
        grads["W"][k] = cache["p"][k].T @ dz
        dp = dz @ blk["W"][k].T
        bias_in[k] = dp.sum()
        if k == 0:
            dx = dx + dp
        else:
            dz = dp * (cache["q"][k - 1] > 0)
            bias_act[k - 1] = dz.sum()
    if "bias_in" in blk:
        grads["bias_in"], grads["bias_act"] = bias_in, bias_act
    return grads, dx


def _residual_sgd(params, x0, target, steps, lr) -> _ResidualRun:
    """SGD on ``sum((y - target)^2) / (2 n)`` for ``y = (x_L + head_bias) @ head``, every
    parameter of ``params`` trained (its blocks as in `_block_forward`; ``head_bias``, a
    scalar, is optional)."""
    n = len(x0)
    loss, grads, streams = [], [], None
    for step in range(steps + 1):
        xs, caches = [x0], []
        for blk in params["blocks"]:
            x, cache = _block_forward(blk, xs[-1])
            xs.append(x)
            caches.append(cache)
        if step == 0:
            streams = xs
        top = xs[-1] + params.get("head_bias", 0.0)
        err = top @ params["head"] - target
        loss.append(float(np.sum(err**2) / (2 * n)))
        g = err @ params["head"].T / n
        grad = {"head": top.T @ err / n, "blocks": [None] * len(params["blocks"])}
        if "head_bias" in params:
            grad["head_bias"] = float(g.sum())
        for i in reversed(range(len(params["blocks"]))):
            grad["blocks"][i], g = _block_backward(params["blocks"][i], caches[i], g)
        grads.append(grad)
        if step < steps:
            params = _sgd_step(params, grad, lr)
    return _ResidualRun(np.asarray(loss), streams, grads)


def _sgd_step(params, grads, lr):
    """``params - lr * grads``, leaf by leaf, in new arrays."""
    if isinstance(params, dict):
        return {k: _sgd_step(v, grads[k], lr) for k, v in params.items()}
    if isinstance(params, list):
        return [_sgd_step(p, g, lr) for p, g in zip(params, grads)]
    return params - lr * grads


RESIDUAL_SCHEMES = ("he", "fixup", "rezero", "skipinit", "zero_gamma")
"""The residual schemes `residual_schemes` compares: ``he`` (He and LeCun branches, nothing
scaled), Fixup (Zhang et al. 2019), ReZero (Bachlechner et al. 2021), SkipInit (De and Smith
2020) and zero-gamma (Goyal et al. 2017)."""


@dataclass
class ResidualSchemeRun:
    """One scheme's run in `residual_schemes`.

    Attributes
    ----------
    stream_std : numpy.ndarray
        Shape ``(depth + 1,)``: the std of the residual stream ``x_0 ... x_L`` at step 0.
    loss : numpy.ndarray
        Shape ``(steps + 1,)``: the loss before each SGD step and after the last.
    """

    stream_std: np.ndarray
    loss: np.ndarray


def _residual_scheme_params(scheme, depth, m, width, gen):
    """Initial parameters of `residual_schemes`' network under ``scheme``."""
    blocks = []
    for _ in range(depth):
        ws = [normal((width, width), std=math.sqrt(2 / width), rng=gen) for _ in range(m - 1)]
        ws.append(normal((width, width), std=1 / math.sqrt(width), rng=gen))
        blk = {"W": ws}
        if scheme == "fixup":
            scale = depth ** (-1 / (2 * m - 2))
            blk = {"W": [w * scale for w in ws[:-1]] + [np.zeros_like(ws[-1])],
                   "bias_in": np.zeros(m), "bias_act": np.zeros(m - 1), "scale": 1.0}
        elif scheme in ("rezero", "skipinit"):
            blk["scale"] = 0.0
        elif scheme == "zero_gamma":
            blk["gamma"], blk["beta"] = np.zeros(width), np.zeros(width)
        blocks.append(blk)
    head = normal((width, width), std=1 / math.sqrt(width), rng=gen)
    if scheme == "fixup":
        return {"blocks": blocks, "head": np.zeros_like(head), "head_bias": 0.0}
    return {"blocks": blocks, "head": head}


def residual_schemes(schemes=RESIDUAL_SCHEMES, depth: int = 16, m: int = 2, width: int = 64,
                     steps: int = 5, lr: float = 0.01, n_samples: int = 64,
                     rng=0) -> dict[str, ResidualSchemeRun]:
    """The residual schemes side by side on one network: the stream's std through depth at
    step 0, and the loss over the first SGD steps.

    The network is ``depth`` blocks ``x + branch(x)`` of ``width`` units, each branch ``m``
    dense layers with ReLUs between, then an output layer ``y = x_L V``, trained on
    ``sum((y - t)^2) / (2 n)`` against random targets ``t`` from standard normal inputs (the
    same data and draws for every scheme). Every branch layer but the last is He normal, the
    last LeCun normal, ``V`` LeCun normal; then:

    - ``he``: nothing more; the stream's variance doubles at every block.
    - ``fixup``: the last layer of every branch and ``V`` at zero, the other branch layers
      multiplied by ``depth ** (-1 / (2 m - 2))``, a scalar bias (at 0) before every layer and
      every ReLU and before ``V``, and a scalar multiplier (at 1) on every branch.
    - ``rezero`` and ``skipinit``: a scalar multiplier on every branch, at 0. Without
      normalization in the branch they are the same network.
    - ``zero_gamma``: a batch normalization (batch statistics) at the end of every branch,
      its scale ``gamma`` at 0 and shift at 0.

    Every parameter the scheme adds is trained with the weights, by plain SGD. A run that
    overflows (``he``, deep enough) has inf or nan losses from there on.

    Parameters
    ----------
    schemes : sequence of str
        Names from `RESIDUAL_SCHEMES`.
    depth, m, width, steps, n_samples : int
        ``m >= 2`` (Fixup's exponent needs it).
    lr : float
    rng : None, int or numpy.random.Generator

    Returns
    -------
    dict
        Scheme name to `ResidualSchemeRun`.

    Examples
    --------
    >>> runs = residual_schemes(("he", "fixup"), depth=8, width=32, steps=1)
    >>> bool(runs["he"].stream_std[-1] > 8 * runs["he"].stream_std[0])
    True
    >>> bool(runs["fixup"].stream_std[-1] == runs["fixup"].stream_std[0])
    True
    """
    schemes = [check_choice("schemes", s, RESIDUAL_SCHEMES) for s in schemes]
    depth = check_count("depth", depth, low=1)
    m = check_count("m", m, low=2)
    width = check_count("width", width, low=1)
    steps = check_count("steps", steps)
    n_samples = check_count("n_samples", n_samples, low=2)
    gen = np.random.default_rng(rng)
    x0 = gen.standard_normal((n_samples, width))
    target = gen.standard_normal((n_samples, width))
    seed = gen.integers(2**32)
    runs = {}
    for scheme in schemes:
        params = _residual_scheme_params(scheme, depth, m, width, np.random.default_rng(seed))
        # an unscaled stack overflows within a step or two: its inf and nan losses are the result
        with np.errstate(over="ignore", invalid="ignore"):
            run = _residual_sgd(params, x0, target, steps, lr)
        runs[scheme] = ResidualSchemeRun(np.asarray([x.std() for x in run.streams]), run.loss)
    return runs


# ------------------------------------------------------- vision: ViT, ResNet, ConvNeXt

VIT_RECIPES: dict[str, str] = {
    "hf_vit": "Hugging Face ViT",
    "timm": "timm, default mode",
    "timm_jax": "timm, 'jax' mode",
}
"""The initializations of a vision transformer's embeddings and head that
`vit_init_stds` knows, by name; the values are the tables' labels.

``hf_vit`` is ``ViTPreTrainedModel._init_weights`` of ``transformers``; ``timm`` and
``timm_jax`` are ``VisionTransformer.init_weights`` of timm with ``mode=''`` and
``mode='jax'`` (the Vision page cites the files).
"""

VIT_SHAPE = {"patch_size": 16, "channels": 3, "width": 768}
"""ViT-Base/16, the defaults of Hugging Face's ``ViTConfig``, checked against it by
``make test-frameworks``."""

VIT_WEIGHTS = ("patch", "cls_token", "pos_embed", "head")


def vit_init_stds(recipe: str, patch_size: int = 16, channels: int = 3) -> dict[str, float]:
    """The std each recipe of `VIT_RECIPES` gives a vision transformer's embeddings and head.

    The patch embedding is a convolution whose kernel and stride are the patch size, so
    its fan-in is ``channels * patch_size**2``. ``hf_vit`` draws it, like every linear and
    convolution weight, from ``N(0, 0.02^2)``, and the ``cls_token`` and position
    embeddings from a normal of std 0.02 cut at +-2 in absolute units (100 std: no cut
    in effect). timm's default mode leaves the patch embedding at PyTorch's convolution
    default ``U(+-1/sqrt(fan_in))``, std ``1/sqrt(3 fan_in)``, draws the ``cls_token``
    with std ``1e-6`` and the position embeddings and head with std 0.02; its ``'jax'``
    mode draws the patch embedding LeCun normal (std ``1/sqrt(fan_in)``) and zeroes the
    head.

    Parameters
    ----------
    recipe : str
        One of `VIT_RECIPES`.
    patch_size, channels : int
        The patch's side in pixels and the image's channels.

    Returns
    -------
    dict
        Std per name of `VIT_WEIGHTS`.

    Examples
    --------
    >>> s = vit_init_stds("timm")
    >>> s["cls_token"], round(s["patch"], 4)
    (1e-06, 0.0208)
    """
    check_choice("recipe", recipe, tuple(VIT_RECIPES))
    fan_in = check_count("channels", channels, low=1) * check_count("patch_size", patch_size, low=1) ** 2
    if recipe == "hf_vit":
        return dict.fromkeys(VIT_WEIGHTS, 0.02)
    if recipe == "timm":
        return {"patch": 1 / math.sqrt(3 * fan_in), "cls_token": 1e-6, "pos_embed": 0.02, "head": 0.02}
    return {"patch": 1 / math.sqrt(fan_in), "cls_token": 1e-6, "pos_embed": 0.02, "head": 0.0}


def vit_token_stds(recipe: str, patch_size: int = 16, channels: int = 3,
                   pixel_rms: float = 1.0) -> dict[str, float]:
    """What a vision transformer's first residual stream holds at initialization.

    A patch token is the patch embedding of ``fan_in = channels * patch_size**2``
    pixels plus its position embedding; with zero-mean weights drawn independently of
    pixels of RMS ``pixel_rms``, the patch embedding's output has std
    ``std_patch * sqrt(fan_in) * pixel_rms`` (its bias starts at zero). The ``cls_token``'s
    row is the ``cls_token`` plus its own position embedding.

    Returns
    -------
    dict
        ``patch_out`` (the patch embedding's output), ``pos_embed``, ``cls_row`` and
        ``patch_row`` stds, and ``pos_share`` and ``cls_share``: the position embedding's
        and the ``cls_token`` row's std over the patch embedding's output.

    Examples
    --------
    >>> t = vit_token_stds("hf_vit")
    >>> round(t["patch_out"], 3), round(t["cls_row"], 4)
    (0.554, 0.0283)
    """
    s = vit_init_stds(recipe, patch_size, channels)
    out = s["patch"] * math.sqrt(channels * patch_size**2) * check_positive("pixel_rms", pixel_rms)
    cls_row = math.hypot(s["cls_token"], s["pos_embed"])
    return {"patch_out": out, "pos_embed": s["pos_embed"], "cls_row": cls_row,
            "patch_row": math.hypot(out, s["pos_embed"]), "pos_share": s["pos_embed"] / out,
            "cls_share": cls_row / out}


@dataclass
class BranchScaleRun:
    """A residual network whose branches end in a learned per-channel scale ``gamma``,
    at initialization and over a few SGD steps (see `branch_scale_training`).

    Attributes
    ----------
    std : numpy.ndarray
        Shape ``(depth + 1,)``: the stream's std at the input and after each block, at
        step 0.
    branch_ratio : numpy.ndarray
        Shape ``(depth,)``: the std of what each block's branch adds (``gamma`` times its
        output) over the std of the stream it is added to, at step 0.
    identity_gap : float
        ``max |x_L - x_0|`` at step 0.
    loss : numpy.ndarray
        Shape ``(steps + 1,)``: the loss before each step and after the last.
    grad_gamma, grad_w1 : numpy.ndarray
        Shape ``(steps + 1, depth)``: the gradient norm of each block's ``gamma`` and of its
        branch's first weight matrix, before each step.
    gamma : numpy.ndarray
        Shape ``(steps + 1, depth)``: the mean ``|gamma|`` of each block before each step.
    """

    std: np.ndarray
    branch_ratio: np.ndarray
    identity_gap: float
    loss: np.ndarray
    grad_gamma: np.ndarray
    grad_w1: np.ndarray
    gamma: np.ndarray


def _normalize(x, axis: int, eps: float = 1e-5):
    mu = x.mean(axis=axis, keepdims=True)
    sd = np.sqrt(x.var(axis=axis, keepdims=True) + eps)
    return (x - mu) / sd, sd


def _normalize_grad(g, y, sd, axis: int):
    # Backward of y = (x - mean) / sd over `axis`, with no affine.
    return (g - g.mean(axis=axis, keepdims=True) - y * (g * y).mean(axis=axis, keepdims=True)) / sd


def _gelu_grad(z):
    c = math.sqrt(2.0 / math.pi)
    t = np.tanh(c * (z + 0.044715 * z**3))
    return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t**2) * c * (1.0 + 3 * 0.044715 * z**2)


def _branch_forward(block, x, w1, w2, gamma):
    """One residual block; returns its output and what the backward pass needs."""
    if block == "resnet":
        a, sa = _normalize(x @ w1, axis=0)
        h = np.maximum(a, 0.0)
        b, sb = _normalize(h @ w2, axis=0)
        pre = x + gamma * b
        return np.maximum(pre, 0.0), (x, a, sa, h, b, sb, pre)
    u, su = _normalize(x, axis=-1)
    a = u @ w1
    h = _gelu(a)
    b = h @ w2
    return x + gamma * b, (u, su, a, h, b)


def _branch_backward(block, g, w1, w2, gamma, cache):
    """Gradients (d gamma, d w1, d w2, d x) of one block from the gradient at its output."""
    if block == "resnet":
        x, a, sa, h, b, sb, pre = cache
        g = g * (pre > 0)
        db = _normalize_grad(g * gamma, b, sb, axis=0)
        da = _normalize_grad((db @ w2.T) * (a > 0), a, sa, axis=0)
        return (g * b).sum(axis=0), x.T @ da, h.T @ db, g + da @ w1.T
    u, su, a, h, b = cache
    db = g * gamma
    da = (db @ w2.T) * _gelu_grad(a)
    return (g * b).sum(axis=0), u.T @ da, h.T @ db, g + _normalize_grad(da @ w1.T, u, su, axis=-1)


def branch_scale_training(block: str = "resnet", gamma: float = 0.0, depth: int = 16,
                          width: int = 64, steps: int = 3, lr: float = 0.05,
                          n_samples: int = 256, rng=0) -> BranchScaleRun:
    """Zero-gamma and layer scale: a residual network whose branches end in a learned
    per-channel scale ``gamma``, at initialization and over a few SGD steps.

    Two dense stand-ins for the blocks of modern CNNs (the spatial convolutions become
    ``width x width`` matrices; a row of the batch is a pixel):

    - ``"resnet"``: torchvision's ``BasicBlock``,
      ``x <- relu(x + gamma * BN(relu(BN(x W1)) W2))``, BatchNorm over the batch, He
      weights. Zero-gamma (Goyal et al. 2017, ``zero_init_residual=True``) is
      ``gamma = 0``: the last BatchNorm's scale; torchvision's default is 1. The input
      is ``relu`` of a standard normal, as after a ResNet's stem.
    - ``"convnext"``: ConvNeXt's block without its depthwise convolution,
      ``x <- x + gamma * (gelu(LN(x) W1) W2)``, ``W1`` of shape ``(width, 4 width)``,
      weights ``N(0, 0.02^2)`` as in torchvision's and Hugging Face's ConvNeXt;
      ``gamma`` is the layer scale (``1e-6`` in both). The input is standard normal.

    Every ``gamma`` starts at the value given; an output layer ``V`` (LeCun normal)
    follows the last block, and the loss is ``sum((x_L V - t)^2) / (2 n)`` against
    random targets ``t``. With ``gamma = 0`` each block is the identity at step 0 and
    the branches' weights get no gradient, but ``gamma`` does:
    ``dL/dgamma = sum over rows of branch output times dL/d(block output)``. After one
    step ``gamma`` is no longer zero and the branches start to learn.

    Parameters
    ----------
    block : {"resnet", "convnext"}
    gamma : float
        The value every branch scale starts at.
    depth, width : int
        Number of blocks and channels.
    steps : int
        SGD steps.
    lr : float
        SGD learning rate.
    n_samples : int
        Rows of the batch (BatchNorm's statistics are taken over them).
    rng : None, int or numpy.random.Generator

    Returns
    -------
    BranchScaleRun

    Examples
    --------
    >>> r = branch_scale_training("resnet", gamma=0.0, depth=4, width=16, steps=1)
    >>> r.identity_gap, bool(r.grad_w1[0].max() == 0), bool(r.grad_gamma[0].min() > 0)
    (0.0, True, True)
    """
    check_choice("block", block, ("resnet", "convnext"))
    gamma0 = check_real("gamma", gamma)
    depth = check_count("depth", depth, low=1)
    width = check_count("width", width, low=1)
    steps = check_count("steps", steps)
    lr = check_positive("lr", lr)
    n = check_count("n_samples", n_samples, low=2)
    gen = np.random.default_rng(rng)
    x0 = gen.standard_normal((n, width))
    if block == "resnet":
        x0 = np.maximum(x0, 0.0)
        shapes, stds = ((width, width), (width, width)), (math.sqrt(2 / width),) * 2
    else:
        shapes, stds = ((width, 4 * width), (4 * width, width)), (0.02, 0.02)
    target = gen.standard_normal((n, width))
    ws = [[normal(shape, std=s, rng=gen) for shape, s in zip(shapes, stds)] for _ in range(depth)]
    gammas = [np.full(width, gamma0) for _ in range(depth)]
    head = normal((width, width), std=1 / math.sqrt(width), rng=gen)
    loss, g_gamma, g_w1, mean_gamma = [], [], [], []
    for step in range(steps + 1):
        xs, caches = [x0], []
        for (w1, w2), gm in zip(ws, gammas):
            x, cache = _branch_forward(block, xs[-1], w1, w2, gm)
            xs.append(x)
            caches.append(cache)
        if step == 0:
            std = np.asarray([x.std() for x in xs])
            # c[4] is the branch's output before gamma, in both kinds of block.
            ratio = np.asarray([np.std(gm * c[4]) / x.std()
                                for gm, c, x in zip(gammas, caches, xs[:-1])])
            gap = float(np.abs(xs[-1] - x0).max())
        err = xs[-1] @ head - target
        loss.append(float(np.sum(err**2) / (2 * n)))
        grad_head = xs[-1].T @ err / n
        g = err @ head.T / n
        grads = []
        for (w1, w2), gm, cache in zip(reversed(ws), reversed(gammas), reversed(caches)):
            dg, dw1, dw2, g = _branch_backward(block, g, w1, w2, gm, cache)
            grads.append((dg, dw1, dw2))
        grads.reverse()
        g_gamma.append([np.linalg.norm(dg) for dg, _, _ in grads])
        g_w1.append([np.linalg.norm(dw1) for _, dw1, _ in grads])
        mean_gamma.append([np.abs(gm).mean() for gm in gammas])
        if step == steps:
            break
        ws = [[w1 - lr * dw1, w2 - lr * dw2] for (w1, w2), (_, dw1, dw2) in zip(ws, grads)]
        gammas = [gm - lr * dg for gm, (dg, _, _) in zip(gammas, grads)]
        head = head - lr * grad_head
    return BranchScaleRun(std, ratio, gap, np.asarray(loss), np.asarray(g_gamma),
                          np.asarray(g_w1), np.asarray(mean_gamma))
