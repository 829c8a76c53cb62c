"""Framework defaults quoted on the Architectures pages, checked against the installed versions.

Run by ``make test-frameworks``, which installs the pins of ``frameworks.txt`` (Keras on
the torch backend).
"""

from __future__ import annotations

import math
import os

import numpy as np
import pytest

from conftest import _require

os.environ.setdefault("KERAS_BACKEND", "torch")

pytestmark = pytest.mark.frameworks




def _uniform_std_ok(t, bound) -> bool:
    # U(-a, a) has std a / sqrt(3); 8 / sqrt(n) covers 8 relative standard errors.
    return abs(float(t.std()) / (bound / math.sqrt(3)) - 1) < 8 / math.sqrt(t.numel())


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_torch_recurrent_layers_draw_every_parameter_from_u_one_over_sqrt_h(kind):
    torch = _require("torch")
    torch.manual_seed(0)
    h = 128
    layer = getattr(torch.nn, kind)(32, h, num_layers=2)
    for name, p in layer.named_parameters():
        assert float(p.abs().max()) <= 1 / math.sqrt(h), name
        assert _uniform_std_ok(p.detach(), 1 / math.sqrt(h)), name


def test_torch_multihead_attention_fuses_qkv_for_xavier():
    torch = _require("torch")
    torch.manual_seed(0)
    d = 256
    mha = torch.nn.MultiheadAttention(d, num_heads=4)
    w = mha.in_proj_weight.detach()
    bound = math.sqrt(6 / (d + 3 * d))
    assert w.shape == (3 * d, d)
    assert float(w.abs().max()) <= bound
    assert _uniform_std_ok(w, bound)
    # Separate (d, d) matrices would have the larger bound sqrt(6 / 2d).
    assert float(w.abs().max()) < math.sqrt(6 / (2 * d)) * 0.75
    assert not torch.any(mha.in_proj_bias) and not torch.any(mha.out_proj.bias)


def test_keras_lstm_and_gru_defaults():
    keras = _require("keras")
    assert keras.backend.backend() == "torch"
    keras.utils.set_random_seed(0)
    h, n_in = 48, 20
    lstm = keras.layers.LSTM(h)
    lstm.build((None, 5, n_in))
    cell = lstm.cell
    assert cell.kernel_initializer.__class__.__name__ == "GlorotUniform"
    assert cell.recurrent_initializer.__class__.__name__ == "Orthogonal"
    assert cell.unit_forget_bias is True
    recurrent = np.asarray(cell.recurrent_kernel)
    assert np.allclose(recurrent @ recurrent.T, np.eye(h), atol=1e-5)
    bias = np.asarray(cell.bias)
    assert np.all(bias[h : 2 * h] == 1.0)
    assert np.all(bias[:h] == 0) and np.all(bias[2 * h :] == 0)
    kernel = np.asarray(cell.kernel)
    assert np.abs(kernel).max() <= math.sqrt(6 / (n_in + 4 * h))
    gru = keras.layers.GRU(h)
    gru.build((None, 5, n_in))
    assert gru.cell.kernel_initializer.__class__.__name__ == "GlorotUniform"
    assert gru.cell.recurrent_initializer.__class__.__name__ == "Orthogonal"
    assert not np.any(np.asarray(gru.cell.bias))


def _std_ok(t, expected) -> bool:
    # A Gaussian sample std has relative standard error 1 / sqrt(2 n); allow 5 of them.
    return abs(float(t.std()) / expected - 1) < 5 / math.sqrt(2 * t.numel())


def test_hugging_face_gpt2_scales_the_output_projections_by_one_over_sqrt_2l():
    torch = _require("torch")
    transformers = _require("transformers")
    torch.manual_seed(0)
    n_layer, d = 6, 256
    config = transformers.GPT2Config(n_layer=n_layer, n_embd=d, n_head=4, vocab_size=1000, n_positions=64)
    assert config.initializer_range == 0.02
    model = transformers.GPT2LMHeadModel(config)
    for name, p in model.named_parameters():
        if p.dim() != 2 or ".h." not in name:
            continue
        scaled = name.endswith("c_proj.weight")
        expected = 0.02 / math.sqrt(2 * n_layer) if scaled else 0.02
        assert _std_ok(p.detach(), expected), (name, float(p.std()), expected)


def test_hugging_face_bert_default_range_and_t5_scales():
    torch = _require("torch")
    transformers = _require("transformers")
    assert transformers.BertConfig().initializer_range == 0.02
    torch.manual_seed(0)
    d_model, d_kv, heads, d_ff = 128, 32, 4, 256
    config = transformers.T5Config(d_model=d_model, d_kv=d_kv, num_heads=heads, d_ff=d_ff, num_layers=2,
                                   vocab_size=500)
    model = transformers.T5ForConditionalGeneration(config)
    block = dict(model.encoder.block[0].named_parameters())
    expected = {
        "layer.0.SelfAttention.q.weight": (d_model * d_kv) ** -0.5,
        "layer.0.SelfAttention.k.weight": d_model**-0.5,
        "layer.0.SelfAttention.v.weight": d_model**-0.5,
        "layer.0.SelfAttention.o.weight": (heads * d_kv) ** -0.5,
        "layer.1.DenseReluDense.wi.weight": d_model**-0.5,
        "layer.1.DenseReluDense.wo.weight": d_ff**-0.5,
    }
    for name, std in expected.items():
        assert _std_ok(block[name].detach(), std), (name, float(block[name].std()), std)
