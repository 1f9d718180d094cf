"""Op-by-op timing of the reference LeNet's training step and inference batch in Python PyTorch, channels-last,
with the same kernels, shapes and order as tools/OpProfile.java (the libtorch 2.10 side): median ms per op.
Run: OMP_NUM_THREADS=2 [PEER_DIR=...] /tmp/peer-venvs/torch/bin/python tools/op_profile.py data/mnist [reps]
"""
import os, statistics, sys, time
# the peer's folder (its data loader and LeNet): $PEER_DIR, else tools/peers/pytorch-python
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.environ.get("PEER_DIR", os.path.join(REPO, "tools", "peers", "pytorch-python")))
import torch, torch.nn.functional as F
import lenet as peer

reps = int(sys.argv[2]) if len(sys.argv) > 2 else 100
torch.set_num_interop_threads(1); torch.set_num_threads(2); torch.manual_seed(42)
x_train, y_train = peer.load(sys.argv[1] if len(sys.argv) > 1 else "data/mnist", "train", 0)
x_test, _ = peer.load(sys.argv[1] if len(sys.argv) > 1 else "data/mnist", "t10k", 0)
model = peer.LeNet().to(memory_format=torch.channels_last)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
perm = torch.randperm(len(y_train))
table = {}

def timed(name, fn):
    for _ in range(5): fn()
    t = []
    for _ in range(reps):
        t0 = time.perf_counter(); fn(); t.append((time.perf_counter() - t0) * 1e3)
    table[name] = statistics.median(t)

n = [0]
def real_step():
    s = (n[0] * 128) % 59904; n[0] += 1
    idx = perm[s:s + 128]
    xb = x_train.index_select(0, idx).contiguous(memory_format=torch.channels_last)
    yb = y_train.index_select(0, idx)
    opt.zero_grad(set_to_none=True)
    loss = F.nll_loss(model(xb), yb)
    loss.backward()
    opt.step()
for _ in range(30): real_step()
steps = max(reps, 100)
t0 = time.perf_counter()
for _ in range(steps): real_step()
step_ms = (time.perf_counter() - t0) * 1e3 / steps

idx = perm[:128]
x = x_train.index_select(0, idx).contiguous(memory_format=torch.channels_last)
y = y_train.index_select(0, idx)
w1, b1, w2, b2 = [t.detach() for t in (model.conv1.weight, model.conv1.bias, model.conv2.weight, model.conv2.bias)]
f1w, f1b, f2w, f2b = [t.detach() for t in (model.fc1.weight, model.fc1.bias, model.fc2.weight, model.fc2.bias)]
A = torch.ops.aten
with torch.no_grad():
    timed("batch: index_select x, y (+ channels-last copy)", lambda: (x_train.index_select(0, idx).contiguous(memory_format=torch.channels_last), y_train.index_select(0, idx)))
    table["normalize (done at load time here)"] = 0.0
    c1 = F.conv2d(x, w1, b1, 1, 2); timed("conv1 fwd", lambda: F.conv2d(x, w1, b1, 1, 2))
    r1 = torch.relu(c1); timed("relu1 fwd", lambda: torch.relu(c1))
    p1, i1 = A.max_pool2d_with_indices(r1, [2, 2], [2, 2]); timed("pool1 fwd (with indices)", lambda: A.max_pool2d_with_indices(r1, [2, 2], [2, 2]))
    c2 = F.conv2d(p1, w2, b2, 1, 2); timed("conv2 fwd", lambda: F.conv2d(p1, w2, b2, 1, 2))
    r2 = torch.relu(c2); timed("relu2 fwd", lambda: torch.relu(c2))
    p2, i2 = A.max_pool2d_with_indices(r2, [2, 2], [2, 2]); timed("pool2 fwd (with indices)", lambda: A.max_pool2d_with_indices(r2, [2, 2], [2, 2]))
    flat = torch.flatten(p2, 1); timed("flatten (NHWC to NCHW copy)", lambda: torch.flatten(p2, 1))
    h = torch.addmm(f1b, flat, f1w.t()); timed("fc1 fwd (addmm)", lambda: torch.addmm(f1b, flat, f1w.t()))
    hr = torch.relu(h); timed("relu3 fwd", lambda: torch.relu(h))
    z = torch.addmm(f2b, hr, f2w.t()); timed("fc2 fwd (addmm)", lambda: torch.addmm(f2b, hr, f2w.t()))
    ls = F.log_softmax(z, 1); timed("log_softmax + nll_loss fwd", lambda: F.nll_loss(F.log_softmax(z, 1), y))
    g = torch.ones(())
    gls = A.nll_loss_backward(g, ls, y, None, 1, -100, g)
    gz = A._log_softmax_backward_data(gls, ls, 1, torch.float32)
    timed("nll_loss + log_softmax bwd", lambda: A._log_softmax_backward_data(A.nll_loss_backward(g, ls, y, None, 1, -100, g), ls, 1, torch.float32))
    timed("fc2 bwd (2 mm + sum)", lambda: (torch.mm(gz, f2w), torch.mm(gz.t(), hr), gz.sum(0, keepdim=True)))
    ghr = torch.mm(gz, f2w)
    gh = A.threshold_backward(ghr, hr, 0); timed("relu3 bwd", lambda: A.threshold_backward(ghr, hr, 0))
    timed("fc1 bwd: grad input (mm)", lambda: torch.mm(gh, f1w))
    timed("fc1 bwd: grad weight (mm) + bias (sum)", lambda: (torch.mm(gh.t(), flat), gh.sum(0, keepdim=True)))
    gp2 = torch.mm(gh, f1w).view(128, 50, 7, 7)
    gr2 = A.max_pool2d_with_indices_backward(gp2, r2, [2, 2], [2, 2], [0, 0], [1, 1], False, i2)
    timed("pool2 bwd", lambda: A.max_pool2d_with_indices_backward(gp2, r2, [2, 2], [2, 2], [0, 0], [1, 1], False, i2))
    gc2 = A.threshold_backward(gr2, r2, 0); timed("relu2 bwd", lambda: A.threshold_backward(gr2, r2, 0))
    cb = lambda m: A.convolution_backward(gc2, p1, w2, [50], [1, 1], [2, 2], [1, 1], False, [0, 0], 1, m)
    gp1 = cb([True, True, True])[0]
    timed("conv2 bwd (input, weight, bias)", lambda: cb([True, True, True]))
    timed("conv2 bwd: input only", lambda: cb([True, False, False]))
    timed("conv2 bwd: weight+bias only", lambda: cb([False, True, True]))
    gr1 = A.max_pool2d_with_indices_backward(gp1, r1, [2, 2], [2, 2], [0, 0], [1, 1], False, i1)
    timed("pool1 bwd", lambda: A.max_pool2d_with_indices_backward(gp1, r1, [2, 2], [2, 2], [0, 0], [1, 1], False, i1))
    gc1 = A.threshold_backward(gr1, r1, 0); timed("relu1 bwd", lambda: A.threshold_backward(gr1, r1, 0))
    timed("conv1 bwd (weight, bias)", lambda: A.convolution_backward(gc1, x, w1, [20], [1, 1], [2, 2], [1, 1], False, [0, 0], 1, [False, True, True]))
flat_leaf = flat.detach().requires_grad_(True); g_out = torch.randn(128, 500); fc1 = torch.nn.Linear(2450, 500)
timed("fc1 fwd+bwd autograd: linear (MKL)", lambda: fc1(flat_leaf).backward(g_out))
loss = F.nll_loss(model(x), y); loss.backward()
timed("optimizer: step (grads present)", lambda: opt.step())
total = sum(v for k, v in table.items() if "only" not in k and "autograd" not in k)
print(f"real training step (peer's): {step_ms:.2f} ms = {128 / step_ms * 1000:.0f} img/s")
print(f"sum of the training ops below: {total:.2f} ms")
for k, v in table.items(): print(f"  {k:<50} {v:8.3f} ms")

model.eval(); table.clear()
with torch.inference_mode():
    tx = x_test[:256].contiguous(memory_format=torch.channels_last)
    ic1 = F.conv2d(tx, w1, b1, 1, 2); ir1 = torch.relu(ic1); ip1 = F.max_pool2d(ir1, 2)
    ic2 = F.conv2d(ip1, w2, b2, 1, 2); ir2 = torch.relu(ic2); ip2 = F.max_pool2d(ir2, 2)
    ifl = torch.flatten(ip2, 1); ih = torch.relu(torch.addmm(f1b, ifl, f1w.t())); iz = torch.addmm(f2b, ih, f2w.t())
    timed("inf: conv1 fwd", lambda: F.conv2d(tx, w1, b1, 1, 2))
    timed("inf: relu1", lambda: torch.relu(ic1))
    timed("inf: pool1 (no indices)", lambda: F.max_pool2d(ir1, 2))
    timed("inf: conv2 fwd", lambda: F.conv2d(ip1, w2, b2, 1, 2))
    timed("inf: relu2", lambda: torch.relu(ic2))
    timed("inf: pool2 (no indices)", lambda: F.max_pool2d(ir2, 2))
    timed("inf: flatten", lambda: torch.flatten(ip2, 1))
    timed("inf: fc1 (addmm) + relu", lambda: torch.relu(torch.addmm(f1b, ifl, f1w.t())))
    timed("inf: fc2 (addmm)", lambda: torch.addmm(f2b, ih, f2w.t()))
    timed("inf: log_softmax + argmax", lambda: F.log_softmax(iz, 1).argmax(1))
    s = sum(table.values())
    timed("inf: whole forward (model(x))", lambda: model(tx).argmax(1))
print(f"inference: sum of ops {s:.2f} ms per 256, whole forward {table['inf: whole forward (model(x))']:.2f} ms")
for k, v in table.items(): print(f"  {k:<50} {v:8.3f} ms")
