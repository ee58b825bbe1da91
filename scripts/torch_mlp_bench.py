#!/usr/bin/env python3
"""The seed MLP in PyTorch, for scripts/gpu-check to set beside tcc's figures.

Same network and sizes as tcc's GpuBenchmarks (400x784 inputs, 300 sigmoid hidden units, sigmoid
output, mean cross-entropy + 0.01 L2, plain gradient descent with rate 0.1, data resident on the
GPU), in float32 with TF32 off, run two ways: eager, and with the forward pass and loss under
torch.compile(mode="reduce-overhead") (CUDA graphs; the backward is compiled with it by
AOTAutograd); in both, the update is one foreach kernel. The cross-entropy is written in its stable form (binary_cross_entropy_with_logits);
the literal -y*log(p) - (1-y)*log(1-p) gives NaN in PyTorch on the seed's saturated units, where
tcc's rewrites stabilize it. Data come from torch's own generator (same distributions as tcc's
Rng, not the same numbers). Also measures cuBLAS SGEMM (n x n, TF32 off) and a device-to-device copy.

Prints "key: value" lines. Usage: torch_mlp_bench.py [STEPS] [GEMM_N] [COPY_ELEMENTS]
"""
import sys
import time


def line(key, value):
    print(f"{key}: {value}", flush=True)


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    gemm_n = int(sys.argv[2]) if len(sys.argv) > 2 else 4096
    copy_n = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000_000
    import torch
    import torch.nn.functional as F

    if not torch.cuda.is_available():
        line("torch.error", "torch.cuda.is_available() is False")
        return 0
    dev = torch.device("cuda")
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    line("torch.version", torch.__version__)
    line("torch.device", torch.cuda.get_device_name(0))

    gen = torch.Generator().manual_seed(1234)
    x = torch.randn(400, 784, generator=gen).to(dev)
    y = torch.randint(0, 2, (400,), generator=gen).float().to(dev)
    w1_0 = torch.randn(784, 300, generator=gen)
    w2_0 = torch.randn(300, generator=gen)

    def params():
        return [w1_0.clone().to(dev).requires_grad_(), torch.zeros(300, device=dev, requires_grad=True),
                w2_0.clone().to(dev).requires_grad_(), torch.zeros((), device=dev, requires_grad=True)]

    def forward(w1, b1, w2, b2, x, y):
        z = torch.sigmoid(x @ w1 + b1) @ w2 + b2
        xent = F.binary_cross_entropy_with_logits(z, y, reduction="none")
        cost = xent.mean() + 0.01 * ((w1 * w1).sum() + (w2 * w2).sum() + (b1 * b1).sum() + b2 * b2)
        return z > 0, xent, cost

    def update(ps):
        with torch.no_grad():
            torch._foreach_add_(ps, [p.grad for p in ps], alpha=-0.1)
            for p in ps:
                p.grad = None

    def run(name, fwd, upd, warmup):
        ps = params()
        mark = getattr(getattr(torch, "compiler", None), "cudagraph_mark_step_begin", None)

        def step():
            if mark is not None and name == "compiled":
                mark()
            pred, xent, cost = fwd(*ps, x, y)
            cost.backward()
            upd(ps)
            return pred, xent

        t0 = time.perf_counter()
        for _ in range(warmup):
            step()
        torch.cuda.synchronize()
        t1 = time.perf_counter()
        for _ in range(steps):
            pred, xent = step()
        torch.cuda.synchronize()
        t2 = time.perf_counter()
        acc = (pred.float() == y).float().mean().item()
        line(f"torch_{name}.warmup_steps", warmup)
        line(f"torch_{name}.warmup_s", f"{t1 - t0:.3f}")
        line(f"torch_{name}.steps", steps)
        line(f"torch_{name}.total_s", f"{t2 - t1:.3f}")
        line(f"torch_{name}.per_step_us", f"{(t2 - t1) / steps * 1e6:.1f}")
        line(f"torch_{name}.final_mean_xent", f"{xent.mean().item():.6f}")
        line(f"torch_{name}.train_accuracy", f"{acc:.4f}")

    for name, make in (("eager", lambda: (forward, update, 10)),
                       ("compiled", lambda: (torch.compile(forward, mode="reduce-overhead"), update, 30))):
        try:
            fwd, upd, warmup = make()
            run(name, fwd, upd, warmup)
        except Exception as e:  # report and go on: the PyTorch side is for comparison only
            line(f"torch_{name}.error", repr(e).replace("\n", " ")[:500])

    try:
        a = torch.randn(gemm_n, gemm_n, device=dev)
        b = torch.randn(gemm_n, gemm_n, device=dev)
        ms = timed(torch, lambda: a @ b, 10)
        line("cublas_sgemm.n", gemm_n)
        line("cublas_sgemm.median_ms", f"{ms:.3f}")
        line("cublas_sgemm.GFLOP_per_s", f"{2.0 * gemm_n ** 3 / (ms / 1e3) / 1e9:.1f}")
        del a, b
        src = torch.zeros(copy_n, device=dev)
        dst = torch.empty_like(src)
        ms = timed(torch, lambda: dst.copy_(src), 20)
        line("torch_copy.GB_per_s", f"{8.0 * copy_n / (ms / 1e3) / 1e9:.1f}")
    except Exception as e:
        line("torch_reference.error", repr(e).replace("\n", " ")[:500])
    return 0


def timed(torch, fn, reps):
    for _ in range(3):
        fn()
    times = []
    for _ in range(reps):
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end))
    times.sort()
    return times[len(times) // 2]


if __name__ == "__main__":
    sys.exit(main())
