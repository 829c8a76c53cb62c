"""Hugging Face's Llama initialization, as architectures/llms.md quotes it, at the version
``frameworks.txt`` pins.

- ``LlamaConfig()``'s defaults are the shape the page computes at (``LLM_SHAPE``), with
  ``initializer_range`` 0.02, RMSNorm eps 1e-6 and an untied output layer;
- Llama does not override ``PreTrainedModel._init_weights``, which draws every linear and
  embedding weight from N(0, 0.02^2), with no depth scaling, and sets RMSNorm weights to 1;
  ``weightinit.architectures.llm_init_stds("hf_llama", ...)`` says the same;
- ``tie_word_embeddings=True`` makes the output layer the embedding matrix itself.

Models are built from configs: nothing is downloaded. Run by ``make test-frameworks``.
"""

from __future__ import annotations

import math
import os

import pytest

from weightinit import architectures as arch

os.environ["HF_HUB_OFFLINE"] = "1"

pytestmark = pytest.mark.frameworks

def _std_ok(t, expected) -> bool:
    # A Gaussian sample std has relative standard error 1 / sqrt(2 n); allow 5 of them.
    return abs(float(t.std()) / expected - 1) < 5 / math.sqrt(2 * t.numel())


def _tiny(transformers, **extra):
    return transformers.LlamaConfig(vocab_size=1000, hidden_size=128, intermediate_size=344,
                                    num_hidden_layers=3, num_attention_heads=4, **extra)


def test_llama_config_defaults_are_the_shape_the_page_uses(transformers):
    config = transformers.LlamaConfig()
    assert (config.hidden_size, config.num_hidden_layers, config.num_attention_heads,
            config.intermediate_size) == tuple(arch.LLM_SHAPE[k] for k in ("d_model", "n_layers", "n_heads", "d_ff"))
    assert arch.llm_ffn_width(config.hidden_size) == config.intermediate_size
    assert config.initializer_range == 0.02
    assert config.rms_norm_eps == 1e-6
    assert config.tie_word_embeddings is False


def test_llama_uses_the_generic_init_weights(transformers):
    from transformers.models.llama import modeling_llama

    assert modeling_llama.LlamaPreTrainedModel._init_weights is transformers.PreTrainedModel._init_weights


# Hugging Face's Llama module names -> the weight names of weightinit.architectures.
NAMES = {"embed_tokens": "embedding", "q_proj": "q", "k_proj": "k", "v_proj": "v", "o_proj": "o",
         "gate_proj": "gate", "up_proj": "up", "down_proj": "down", "lm_head": "output"}


def test_every_weight_is_n_0_002_and_every_rmsnorm_is_one(torch, transformers):
    torch.manual_seed(0)
    config = _tiny(transformers)
    model = transformers.LlamaForCausalLM(config)
    seen, norms = set(), 0
    for name, module in model.named_modules():
        leaf = name.rsplit(".", 1)[-1]
        if leaf in NAMES:
            layer = int(name.split(".")[2]) if ".layers." in name else 0
            expected = arch.llm_init_stds("hf_llama", config.hidden_size, config.num_hidden_layers, layer,
                                          config.intermediate_size)[NAMES[leaf]]
            w = module.weight.detach()
            assert _std_ok(w, expected), (name, float(w.std()), expected)
            assert getattr(module, "bias", None) is None, name
            seen.add(NAMES[leaf])
        elif "RMSNorm" in type(module).__name__:
            assert torch.all(module.weight == 1), name
            norms += 1
    assert seen == set(arch.LLM_WEIGHTS)
    assert norms == 2 * config.num_hidden_layers + 1
    # No depth scaling: the last block's output projections have the first block's std.
    w = torch.cat([model.model.layers[-1].self_attn.o_proj.weight.flatten(),
                   model.model.layers[-1].mlp.down_proj.weight.flatten()]).detach()
    assert _std_ok(w, 0.02)


def test_tied_output_is_the_embedding_matrix(torch, transformers):
    torch.manual_seed(0)
    model = transformers.LlamaForCausalLM(_tiny(transformers, tie_word_embeddings=True))
    assert model.lm_head.weight is model.model.embed_tokens.weight
    untied = transformers.LlamaForCausalLM(_tiny(transformers))
    assert untied.lm_head.weight is not untied.model.embed_tokens.weight
