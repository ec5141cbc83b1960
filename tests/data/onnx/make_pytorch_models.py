#!/usr/bin/env python3
"""Writes the PyTorch reference models of tests/layers/onnx/onnx_pytorch_test.cpp.

Usage: make_pytorch_models.py OUT_DIR

Each model NAME gets NAME.onnx (torch.onnx.export, opset 14), NAME_input.npy and
NAME_output.npy (float32, batch-major (batch, time, features): a batch_first=False model's
arrays are transposed from PyTorch's (time, batch, features)), and torch_version.txt the torch
version that wrote them. The weights come from torch.manual_seed(seed).
"""
import os
import sys

import numpy as np
import torch


class GruThenLinear(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = torch.nn.GRU(3, 5, batch_first=True)
        self.linear = torch.nn.Linear(5, 2)

    def forward(self, x):
        y, _ = self.gru(x)
        return self.linear(y)


MODELS = {
    "gru_1_layer": (lambda: torch.nn.GRU(3, 4), False),
    "gru_2_layers_batch_first": (lambda: torch.nn.GRU(3, 4, num_layers=2, batch_first=True), True),
    "gru_bidirectional_batch_first": (
        lambda: torch.nn.GRU(3, 4, bidirectional=True, batch_first=True), True),
    "gru_bidirectional_2_layers": (lambda: torch.nn.GRU(3, 4, num_layers=2, bidirectional=True), False),
    "gru_linear_batch_first": (GruThenLinear, True),
}


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for seed, (name, (make, batch_first)) in enumerate(sorted(MODELS.items())):
        torch.manual_seed(seed)
        model = make().eval()
        x = torch.randn(2, 6, 3) if batch_first else torch.randn(6, 2, 3)
        with torch.no_grad():
            y = model(x)
        y = y[0] if isinstance(y, tuple) else y
        torch.onnx.export(model, (x,), os.path.join(out_dir, name + ".onnx"), opset_version=14,
                          input_names=["x"], output_names=["y"])
        x_np, y_np = x.numpy(), y.numpy()
        if not batch_first:
            x_np, y_np = x_np.transpose(1, 0, 2), y_np.transpose(1, 0, 2)
        np.save(os.path.join(out_dir, name + "_input.npy"), np.ascontiguousarray(x_np, np.float32))
        np.save(os.path.join(out_dir, name + "_output.npy"), np.ascontiguousarray(y_np, np.float32))
    with open(os.path.join(out_dir, "torch_version.txt"), "w") as f:
        f.write(torch.__version__ + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
