"""Hugging Face ``transformers`` behaviour the pages quote, at the version ``frameworks.txt`` pins.

- ``PreTrainedModel._init_weights`` draws every ``nn.Linear`` and ``nn.Embedding`` weight
  from an untruncated normal with std ``config.initializer_range`` (0.02 by default for BERT
  and GPT-2) and zeroes the biases (architectures/transformers.md, practice/pytorch.md,
  schemes/embeddings.md);
- GPT-2's ``_init_weights`` quotes the GPT-2 paper and cites Megatron-LM for its
  ``1/sqrt(2 n_layer)`` (architectures/transformers.md, schemes/residual.md; the stds
  themselves are checked in tests/test_architectures_frameworks.py);
- ``post_init()`` runs ``_init_weights`` over every module, undoing an init written before it
  (practice/debug.md);
- ``from_pretrained`` initializes only what the checkpoint did not hold
  (pitfalls/reinit-after-loading.md, practice/pytorch.md).

Every model here is built from a config or saved to and loaded from a temporary folder:
nothing is downloaded. Run by ``make test-frameworks``.
"""

from __future__ import annotations

import inspect
import math
import os

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"

pytestmark = pytest.mark.frameworks

def _std_ok(t, expected) -> bool:
    # A Gaussian sample std has relative standard error 1 / sqrt(2 n); allow 5 of them.
    return abs(float(t.std()) / expected - 1) < 5 / math.sqrt(2 * t.numel())


def _bert(transformers, **extra):
    config = transformers.BertConfig(vocab_size=1000, hidden_size=128, num_hidden_layers=2,
                                     num_attention_heads=4, intermediate_size=256, **extra)
    assert config.initializer_range == 0.02
    return config


def test_linear_and_embedding_weights_are_untruncated_normals_with_zero_biases(torch, transformers):
    torch.manual_seed(0)
    model = transformers.BertModel(_bert(transformers))
    weights = []
    for name, module in model.named_modules():
        if isinstance(module, torch.nn.Linear):
            w = module.weight.detach()
            assert _std_ok(w, 0.02), (name, float(w.std()))
            assert not torch.any(module.bias), name
            weights.append(w.flatten())
        elif isinstance(module, torch.nn.Embedding):
            w = module.weight.detach()
            if module.padding_idx is not None:  # its row is zeroed
                assert not torch.any(w[module.padding_idx])
                w = torch.cat([w[: module.padding_idx], w[module.padding_idx + 1 :]])
            assert _std_ok(w, 0.02), (name, float(w.std()))
            weights.append(w.flatten())
    assert len(weights) > 10
    w = torch.cat(weights)
    # Untruncated: a share 2 (1 - Phi(2)) = 0.0455 lies beyond 2 std (a truncated normal
    # would have none); 5 binomial standard errors of tolerance.
    p = math.erfc(2 / math.sqrt(2))
    share = float((w.abs() > 2 * 0.02).double().mean())
    assert abs(share - p) < 5 * math.sqrt(p * (1 - p) / w.numel()), share


def test_gpt2_embeddings_and_the_credit_for_its_depth_scaling(torch, transformers):
    from transformers.models.gpt2 import modeling_gpt2

    torch.manual_seed(0)
    config = transformers.GPT2Config(n_layer=2, n_embd=128, n_head=4, vocab_size=2000, n_positions=256)
    assert config.initializer_range == 0.02
    model = transformers.GPT2Model(config)
    for table in (model.wte.weight, model.wpe.weight):
        assert _std_ok(table.detach(), 0.02)
    # The comment above the c_proj scaling quotes the GPT-2 paper and names Megatron-LM.
    source = inspect.getsource(modeling_gpt2.GPT2PreTrainedModel._init_weights)
    assert "by a factor of 1/√N where N is the # of residual layers" in source
    assert "Reference (Megatron-LM)" in source
    assert "math.sqrt(2 * self.config.n_layer)" in source


def test_post_init_overwrites_an_init_written_before_it(torch, transformers):
    class Tiny(transformers.PreTrainedModel):
        config_class = transformers.BertConfig

        def __init__(self, config):
            super().__init__(config)
            self.proj = torch.nn.Linear(256, 256)
            torch.nn.init.constant_(self.proj.weight, 1.0)  # a custom init, then post_init()
            self.post_init()

    torch.manual_seed(0)
    model = Tiny(_bert(transformers))
    w = model.proj.weight.detach()
    assert _std_ok(w, 0.02), float(w.std())
    assert not torch.any(model.proj.bias)


def test_from_pretrained_initializes_only_what_the_checkpoint_lacks(torch, transformers, tmp_path):
    torch.manual_seed(0)
    config = _bert(transformers, num_labels=3)
    body = transformers.BertModel(config)
    # A trained body: values no initializer draws.
    with torch.no_grad():
        for p in body.parameters():
            p.fill_(0.5)
    body.save_pretrained(tmp_path)
    model = transformers.BertForSequenceClassification.from_pretrained(tmp_path)
    loaded = dict(model.bert.named_parameters())
    assert loaded.keys() == dict(body.named_parameters()).keys()
    for name, p in loaded.items():
        assert torch.all(p == 0.5), name  # kept as loaded
    head = model.classifier
    assert head.weight.shape == (3, 128)
    assert _std_ok(head.weight.detach(), 0.02), float(head.weight.std())
    assert not torch.any(head.bias)
