"""What practice/hugging-face.md says ``transformers`` does when it builds and loads a model,
at the version ``frameworks.txt`` pins (the page's own blocks check the rest).

- ``_init_weights``' generic rules: linear and conv weights N(0, initializer_range^2) with zero
  biases, embeddings the same with a zero padding row, norm layers at one and zero;
- every module is flagged ``_is_hf_initialized`` once initialized, and the guarded init
  functions leave a flagged tensor alone;
- ``from_pretrained`` runs the model's ``__init__`` on the meta device.

Models are built from configs or saved to a temporary folder: nothing is downloaded. Run by
``make test-frameworks``.
"""

from __future__ import annotations

import math
import os

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"

pytestmark = pytest.mark.frameworks

def _std_ok(t, expected) -> bool:
    # A Gaussian sample std has relative standard error 1 / sqrt(2 n); allow 5 of them.
    return abs(float(t.std()) / expected - 1) < 5 / math.sqrt(2 * t.numel())


def _config(transformers, **extra):
    return transformers.LlamaConfig(vocab_size=1000, hidden_size=64, intermediate_size=176,
                                    num_hidden_layers=2, num_attention_heads=4, **extra)


def test_generic_init_weights_rules(torch, transformers):
    nn = torch.nn

    class Zoo(transformers.PreTrainedModel):
        config_class = transformers.LlamaConfig

        def __init__(self, config):
            super().__init__(config)
            self.conv = nn.Conv2d(16, 32, 3)
            self.emb = nn.Embedding(500, 64, padding_idx=0)
            self.ln = nn.LayerNorm(64)
            self.bn = nn.BatchNorm2d(32)
            self.post_init()

    torch.manual_seed(0)
    model = Zoo(_config(transformers, initializer_range=0.05))
    assert _std_ok(model.conv.weight.detach(), 0.05) and not torch.any(model.conv.bias)
    assert not torch.any(model.emb.weight[0])
    assert _std_ok(model.emb.weight[1:].detach(), 0.05)
    assert torch.all(model.ln.weight == 1) and not torch.any(model.ln.bias)
    assert torch.all(model.bn.weight == 1) and not torch.any(model.bn.bias)
    assert all(getattr(m, "_is_hf_initialized", False) for m in model.modules())


def test_guarded_init_functions_leave_a_loaded_tensor_alone(torch, transformers):
    from transformers import initialization

    t = torch.full((10, 10), 3.0)
    t._is_hf_initialized = True
    initialization.normal_(t, std=0.02)
    initialization.zeros_(t)
    assert torch.all(t == 3.0)
    with initialization.guard_torch_init_functions():
        torch.nn.init.normal_(t)
    assert torch.all(t == 3.0)
    fresh = torch.full((10, 10), 3.0)
    initialization.zeros_(fresh)
    assert not torch.any(fresh)


def test_from_pretrained_builds_the_model_on_the_meta_device(torch, transformers, tmp_path):
    devices = []

    class Probe(transformers.LlamaPreTrainedModel):
        def __init__(self, config):
            super().__init__(config)
            self.model = transformers.LlamaModel(config)
            devices.append(self.model.embed_tokens.weight.device.type)
            self.post_init()

    config = _config(transformers)
    transformers.LlamaModel(config).save_pretrained(tmp_path)
    Probe(config)
    Probe.from_pretrained(tmp_path)
    assert devices == ["cpu", "meta"]
