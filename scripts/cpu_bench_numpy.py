#!/usr/bin/env python3
"""numpy side of the CPU benchmark (scripts/bench runs it next to tcc's CpuBench, on the same machine).

Prints one JSON object per line: {"case": NAME, "median_ms": ..., "min_ms": ..., "max_ms": ..., "reps": ...}.
The cases mirror dev.tcc.bench.CpuBench exactly:
  mlp_step   the seed MLP's train step (DESIGN.md section 5): N=400, 784 -> 300 -> 1, float32, forward,
             hand-written backward of the same cost, and the four SGD updates
  chain_1e7  the lecture's scalar chain d = log(a ** exp(a)), a = sqrt((x + y) * x), over 1e7 float32
  gemm_400x784x300   (400 x 784) @ (784 x 300), float32 (the MLP's first layer)
  gemm_1024          (1024 x 1024) @ (1024 x 1024), float32
Usage: cpu_bench_numpy.py [--quick] [--case NAME]...   (no --case: all cases)
"""
import json
import sys
import time

import numpy as np


def timeit(fn, reps, warmup):
    for _ in range(warmup):
        fn()
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t) * 1e3)
    ts.sort()
    return {"median_ms": ts[len(ts) // 2], "min_ms": ts[0], "max_ms": ts[-1], "reps": reps}


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


class Mlp:
    """Same network, data and learning rate as CpuBench's: one train step per call."""

    def __init__(self, n=400, feats=784, hidden=300):
        rng = np.random.default_rng(1234)
        f32 = np.float32
        self.x = rng.standard_normal((n, feats)).astype(f32)
        self.y = rng.integers(0, 2, n).astype(f32)
        self.w1 = rng.standard_normal((feats, hidden)).astype(f32)
        self.b1 = np.zeros(hidden, f32)
        self.w2 = rng.standard_normal(hidden).astype(f32)
        self.b2 = f32(0.0)

    def step(self):
        with np.errstate(all="ignore"):   # the seed network saturates: log(0) in xent, like Theano without stabilization
            return self._step()

    def _step(self):
        x, y, w1, b1, w2, b2 = self.x, self.y, self.w1, self.b1, self.w2, self.b2
        f32 = np.float32
        h = sigmoid(x @ w1 + b1)                       # (n, hidden)
        p1 = sigmoid(h @ w2 + b2)                      # (n,)
        prediction = p1 > 0.5
        xent = -y * np.log(p1) - (1 - y) * np.log(1 - p1)
        n = x.shape[0]
        # gradient of mean(xent) + 0.01 * (sum w1^2 + sum w2^2 + sum b1^2 + b2^2)
        d2 = (p1 - y) / f32(n)                         # d cost / d logit2
        gw2 = h.T @ d2 + f32(0.02) * w2
        gb2 = d2.sum() + f32(0.02) * b2
        dh = np.outer(d2, w2) * h * (1 - h)
        gw1 = x.T @ dh + f32(0.02) * w1
        gb1 = dh.sum(axis=0) + f32(0.02) * b1
        self.w1 = w1 - f32(0.1) * gw1
        self.b1 = b1 - f32(0.1) * gb1
        self.w2 = w2 - f32(0.1) * gw2
        self.b2 = f32(b2 - f32(0.1) * gb2)
        return prediction, xent


def chain(x, y):
    a = np.sqrt((x + y) * x)
    return np.log(a ** np.exp(a))


def main():
    quick = "--quick" in sys.argv
    cases = [sys.argv[i + 1] for i, a in enumerate(sys.argv[:-1]) if a == "--case"]
    want = lambda name: not cases or name in cases
    scale = 0.3 if quick else 1.0
    r = lambda k: max(3, int(k * scale))
    print(json.dumps({"case": "env", "numpy": np.__version__, "blas": blas_name()}), flush=True)

    if want("mlp_step"):
        mlp = Mlp()
        print(json.dumps({"case": "mlp_step", **timeit(mlp.step, r(200), 20)}), flush=True)

    rng = np.random.default_rng(7)
    if want("chain_1e7"):
        x = rng.uniform(0.1, 1.0, 10_000_000).astype(np.float32)
        y = rng.uniform(0.1, 1.0, 10_000_000).astype(np.float32)
        print(json.dumps({"case": "chain_1e7", **timeit(lambda: chain(x, y), r(15), 2)}), flush=True)

    for name, (m, k, n), reps in (("gemm_400x784x300", (400, 784, 300), 100), ("gemm_1024", (1024, 1024, 1024), 30)):
        if not want(name):
            continue
        a = rng.standard_normal((m, k)).astype(np.float32)
        b = rng.standard_normal((k, n)).astype(np.float32)
        res = timeit(lambda: a @ b, r(reps), 5)
        res["gflops"] = 2.0 * m * n * k / (res["median_ms"] * 1e6)
        print(json.dumps({"case": name, **res}), flush=True)


def blas_name():
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg["Build Dependencies"]["blas"]
        return "%s %s" % (blas.get("name"), blas.get("version"))
    except Exception:  # older numpy
        return "unknown"


if __name__ == "__main__":
    main()
