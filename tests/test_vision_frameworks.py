"""Hugging Face's vision models, as architectures/vision.md quotes them, at the version
``frameworks.txt`` pins.

- ``ViTConfig()``'s defaults are the shape the page computes at (``VIT_SHAPE``); the patch
  embedding, ``cls_token``, position embeddings and head have the stds of
  ``weightinit.architectures.vit_init_stds("hf_vit")``, every linear weight is
  N(0, 0.02^2) with zero biases, every LayerNorm one and zero, and the first stream's rows
  have the stds of ``vit_token_stds``;
- ResNet: every ``Conv2d`` is ``kaiming_normal_`` in ``fan_out`` mode, BatchNorm one and
  zero, the classifier PyTorch's ``nn.Linear`` default, and no ``zero_init_residual``;
  zeroing the last BatchNorm of a branch makes its block the identity;
- ConvNeXt: the layer scale starts at ``layer_scale_init_value`` = 1e-6, convolutions and
  linear layers at N(0, 0.02^2);
- EfficientNet draws every BatchNorm scale from N(0, 0.02^2); MobileNetV1 and V2 keep the
  generic rules (convolutions N(0, 0.02^2), BatchNorm one and zero).

Models are built from tiny configs: nothing is downloaded. Run by ``make test-frameworks``.
(timm and torchvision are not installed beside the CPU build of torch; the page quotes their
source.)
"""

from __future__ import annotations

import math
import os

import pytest

from weightinit import architectures as arch

os.environ["HF_HUB_OFFLINE"] = "1"

pytestmark = pytest.mark.frameworks


def _std_ok(t, expected, k: float = 5.0) -> bool:
    # A Gaussian sample std has relative standard error 1 / sqrt(2 n); allow k of them.
    return abs(float(t.detach().std()) / expected - 1) < k / math.sqrt(2 * t.numel())


def _vit(transformers, **extra):
    return transformers.ViTConfig(hidden_size=192, num_hidden_layers=2, num_attention_heads=3,
                                  intermediate_size=384, image_size=64, patch_size=16, num_labels=10,
                                  **extra)


def test_vit_config_defaults_are_the_shape_the_page_uses(transformers):
    config = transformers.ViTConfig()
    assert (config.patch_size, config.num_channels, config.hidden_size) == tuple(
        arch.VIT_SHAPE[k] for k in ("patch_size", "channels", "width"))
    assert config.initializer_range == 0.02


def test_vit_embeddings_and_head_have_the_stds_the_page_gives(torch, transformers):
    torch.manual_seed(0)
    config = _vit(transformers)
    model = transformers.ViTForImageClassification(config)
    emb = model.vit.embeddings
    stds = arch.vit_init_stds("hf_vit", config.patch_size, config.num_channels)
    weights = {"patch": emb.patch_embeddings.projection.weight, "cls_token": emb.cls_token,
               "pos_embed": emb.position_embeddings, "head": model.classifier.weight}
    assert set(weights) == set(arch.VIT_WEIGHTS)
    for name, w in weights.items():
        assert _std_ok(w, stds[name]), (name, float(w.std()), stds[name])
    # trunc_normal_'s cut-offs are absolute (+-2), 100 std at 0.02: draws beyond 2 std
    # (4.6 % of them) are kept.
    assert float(emb.position_embeddings.detach().abs().max()) > 2 * stds["pos_embed"]
    assert not emb.patch_embeddings.projection.bias.any() and not model.classifier.bias.any()
    linears = norms = 0
    for name, module in model.named_modules():
        if isinstance(module, torch.nn.Linear):
            assert _std_ok(module.weight, 0.02), name
            assert module.bias is None or not module.bias.any(), name
            linears += 1
        elif isinstance(module, torch.nn.LayerNorm):
            assert torch.all(module.weight == 1) and not module.bias.any(), name
            norms += 1
    assert linears == 6 * config.num_hidden_layers + 1 and norms == 2 * config.num_hidden_layers + 1


def test_vit_first_stream_has_the_token_stds_the_page_computes(torch, transformers):
    torch.manual_seed(0)
    config = _vit(transformers)
    emb = transformers.ViTModel(config).embeddings
    with torch.no_grad():
        x = emb(torch.randn(16, config.num_channels, config.image_size, config.image_size))
    t = arch.vit_token_stds("hf_vit", config.patch_size, config.num_channels)
    w = emb.patch_embeddings.projection.weight.detach()
    # Given the drawn weights, the patch tokens' variance is fan_in times their mean square;
    # 16 images x 16 patches x 192 channels make the sample std good to about 1 %.
    realized = float(w.pow(2).mean().sqrt()) * math.sqrt(w[0].numel())
    patches = x[:, 1:] - emb.position_embeddings.detach()[:, 1:]
    assert abs(float(patches.std()) / realized - 1) < 0.05
    # ... and the drawn weights' std is the page's to within 5 standard errors.
    assert abs(realized / t["patch_out"] - 1) < 5 / math.sqrt(2 * w.numel())
    row = (emb.cls_token + emb.position_embeddings[:, :1]).detach()
    assert torch.allclose(x[:, 0], row[0].expand(16, -1))
    assert _std_ok(row, t["cls_row"])


def _resnet(transformers, **extra):
    return transformers.ResNetConfig(embedding_size=16, hidden_sizes=[32, 64], depths=[2, 2], num_labels=10,
                                     **extra)


@pytest.mark.parametrize("layer_type", ["basic", "bottleneck"])
def test_resnet_convs_are_he_fan_out_and_batchnorm_one_and_zero(torch, transformers, layer_type):
    torch.manual_seed(0)
    config = _resnet(transformers, layer_type=layer_type)
    assert not hasattr(config, "zero_init_residual")
    model = transformers.ResNetForImageClassification(config)
    convs = bns = 0
    for name, module in model.named_modules():
        if isinstance(module, torch.nn.Conv2d):
            fan_out = module.weight.shape[0] * module.weight[0, 0].numel()
            assert _std_ok(module.weight, math.sqrt(2 / fan_out)), name
            convs += 1
        elif isinstance(module, torch.nn.BatchNorm2d):
            assert torch.all(module.weight == 1) and not module.bias.any(), name
            bns += 1
    assert convs == bns > 0
    head = model.classifier[1].requires_grad_(False)
    bound = 1 / math.sqrt(head.in_features)  # PyTorch's nn.Linear default
    assert float(head.weight.detach().abs().max()) <= bound and float(head.bias.detach().abs().max()) <= bound
    assert _std_ok(head.weight, bound / math.sqrt(3), k=8)


def test_resnet_zero_gamma_makes_identity_blocks_and_gamma_learns(torch, transformers):
    torch.manual_seed(0)
    model = transformers.ResNetModel(_resnet(transformers))
    blocks = [layer for stage in model.encoder.stages for layer in stage.layers]
    for block in blocks:
        torch.nn.init.zeros_(block.layer[-1].normalization.weight)
    identity = [b for b in blocks if isinstance(b.shortcut, torch.nn.Identity)]
    assert len(identity) == 2
    for block in identity:
        channels = block.layer[-1].normalization.num_features
        x = torch.relu(torch.randn(4, channels, 8, 8))
        y = block(x)
        assert torch.equal(y, x)
        y.pow(2).sum().backward()
        assert block.layer[-1].normalization.weight.grad.abs().sum() > 0
        assert all(layer.convolution.weight.grad.abs().sum() == 0 for layer in block.layer)


def test_convnext_layer_scale_and_weights(torch, transformers):
    defaults = transformers.ConvNextConfig()
    assert defaults.layer_scale_init_value == 1e-6 and defaults.initializer_range == 0.02
    assert defaults.hidden_sizes[0] == 96  # the width of the page's ConvNeXt run
    torch.manual_seed(0)
    config = transformers.ConvNextConfig(hidden_sizes=[96, 192], depths=[2, 2], num_stages=2)
    model = transformers.ConvNextModel(config)
    scales = norms = 0
    for name, module in model.named_modules():
        if isinstance(module, (torch.nn.Conv2d, torch.nn.Linear)):
            assert _std_ok(module.weight, 0.02), name
            assert not module.bias.any(), name
        elif isinstance(module, torch.nn.LayerNorm) or type(module).__name__ == "ConvNextLayerNorm":
            assert torch.all(module.weight == 1) and not module.bias.any(), name
            norms += 1
        if hasattr(module, "layer_scale_parameter"):
            assert torch.all(module.layer_scale_parameter == 1e-6), name
            scales += 1
    assert scales == sum(config.depths)
    assert norms > sum(config.depths), norms  # every block's norm and the stems'


def test_efficientnet_draws_batchnorm_scales_near_zero(torch, transformers):
    torch.manual_seed(0)
    config = transformers.EfficientNetConfig(image_size=32, width_coefficient=0.5, depth_coefficient=0.5,
                                             hidden_dim=128)
    model = transformers.EfficientNetForImageClassification(config)
    gammas, linears = [], 0
    for name, module in model.named_modules():
        if isinstance(module, (torch.nn.Conv2d, torch.nn.Linear)):
            assert _std_ok(module.weight, 0.02, k=8), name
            assert module.bias is None or not module.bias.any(), name
            linears += isinstance(module, torch.nn.Linear)
        elif isinstance(module, torch.nn.BatchNorm2d):
            assert not module.bias.any(), name
            gammas.append(module.weight.detach())
    assert linears == 1  # the classifier
    gammas = torch.cat(gammas)
    assert _std_ok(gammas, 0.02)
    assert abs(float(gammas.mean())) < 5 * 0.02 / math.sqrt(gammas.numel())


@pytest.mark.parametrize("family", ["MobileNetV1", "MobileNetV2"])
def test_mobilenet_keeps_the_generic_rules(torch, transformers, family):
    torch.manual_seed(0)
    config = getattr(transformers, f"{family}Config")(depth_multiplier=0.5, image_size=32)
    model = getattr(transformers, f"{family}Model")(config)
    assert type(model)._init_weights is transformers.PreTrainedModel._init_weights
    convs = 0
    for name, module in model.named_modules():
        if isinstance(module, torch.nn.Conv2d):
            assert _std_ok(module.weight, 0.02, k=8), name
            convs += 1
        elif isinstance(module, torch.nn.BatchNorm2d):
            assert torch.all(module.weight == 1) and not module.bias.any(), name
    assert convs > 0
