"""PyTorch's default convolution init against DCGAN's 0.02, as architectures/generative.md
tabulates it (``weightinit_site.tables.dcgan_layer_stds``), at the version ``frameworks.txt`` pins.

PyTorch draws a (transposed) convolution's weights from U(+-1/sqrt(fan_in)), fan_in taken
from the weight's shape: (out, in, k, k) for ``Conv2d``, (in, out, k, k) for
``ConvTranspose2d``, whose "fan_in" is therefore its output channels times k^2. Run by
``make test-frameworks``.
"""

from __future__ import annotations

import math

import pytest

from weightinit_site import tables
from weightinit.initializers import compute_fans

pytestmark = pytest.mark.frameworks


def _torch():
    try:
        import torch
    except ImportError as exc:
        pytest.fail(f"torch is not installed ({exc}): run `make test-frameworks`", pytrace=False)
    return torch


@pytest.mark.parametrize("net, label, shape, bn", tables._DCGAN_LAYERS, ids=lambda v: str(v))
def test_pytorch_default_std_is_the_tables(net, label, shape, bn):
    torch = _torch()
    torch.manual_seed(0)
    if label.startswith("ConvTranspose2d"):
        layer = torch.nn.ConvTranspose2d(shape[0], shape[1], 4, bias=False)
    else:
        layer = torch.nn.Conv2d(shape[1], shape[0], 4, bias=False)
    w = layer.weight.detach()
    assert tuple(w.shape) == shape
    fan_in, _ = compute_fans(shape, in_axis=1, out_axis=0)
    bound = 1 / math.sqrt(fan_in)
    assert float(w.abs().max()) <= bound
    # U(-a, a) has std a / sqrt(3); 8 / sqrt(n) covers 8 relative standard errors.
    assert abs(float(w.std()) / (bound / math.sqrt(3)) - 1) < 8 / math.sqrt(w.numel())
    assert f"{1 / math.sqrt(3 * fan_in):.4f}" in tables.dcgan_layer_stds()
