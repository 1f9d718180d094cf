"""The PyTorch peer (tools/peers/pytorch-python/lenet.py) with each forward pass under bfloat16 autocast,
as a Python user would write it: training and inference as the peer runs them, the model's forward wrapped in
torch.autocast("cpu", dtype=torch.bfloat16). One autocast region per forward pass, so the cached bfloat16
copies of the weights are dropped after each step (one region around the whole loop would train the first
step's weights forever).
Run: OMP_NUM_THREADS=2 [PEER_DIR=...] /tmp/peer-venvs/torch/bin/python tools/peer_pytorch_bf16.py data/mnist --channels-last
"""
import os
import sys

import torch

# the peer's folder: $PEER_DIR, else tools/peers/pytorch-python
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.environ.get("PEER_DIR", os.path.join(REPO, "tools", "peers", "pytorch-python")))
import lenet  # noqa: E402

plain_forward = lenet.LeNet.forward


def forward_bf16(self, x):
    with torch.autocast("cpu", dtype=torch.bfloat16):
        return plain_forward(self, x)


lenet.LeNet.forward = forward_bf16
sys.argv[0] = "lenet.py"
lenet.main()
