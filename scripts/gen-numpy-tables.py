#!/usr/bin/env python3
"""Regenerates the numpy expectation tables the tests compare tcc's rules against.

Run from the repository root: python3 scripts/gen-numpy-tables.py
Writes compiler/src/test/resources/numpy/{promotion,broadcast}.csv.
"""
import itertools
import numpy as np

OUT = "compiler/src/test/resources/numpy/"
DTYPES = ["bool", "int32", "int64", "float32", "float64"]
BINARY = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.true_divide,
          "maximum": np.maximum, "gt": np.greater, "pow": np.power, "mod": np.mod}
UNARY = {"exp": np.exp, "neg": np.negative, "abs": np.abs, "sqrt": np.sqrt}


def result(fn, *args):
    try:
        return np.asarray(fn(*args)).dtype.name
    except TypeError:
        return "error"


with open(OUT + "promotion.csv", "w") as f:
    f.write("# op,left,right,result — right may be weak_int / weak_float (a Python number, NEP 50)\n")
    for name, fn in BINARY.items():
        for a, b in itertools.product(DTYPES, DTYPES + ["weak_int", "weak_float"]):
            x = np.ones(2, dtype=a)
            y = {"weak_int": 1, "weak_float": 1.0}.get(b)
            y = np.ones(2, dtype=b) if y is None else y
            f.write(f"{name},{a},{b},{result(fn, x, y)}\n")
    for name, fn in UNARY.items():
        for a in DTYPES:
            if a == "bool" and name in ("exp", "sqrt", "neg"):
                continue                   # numpy: float16 or an error; tcc documents its own choice
            f.write(f"{name},{a},,{result(fn, np.ones(2, dtype=a))}\n")

SHAPES = [(), (1,), (3,), (4,), (1, 3), (3, 1), (2, 3), (2, 1, 3), (4, 2, 3), (1, 1), (2, 4)]
with open(OUT + "broadcast.csv", "w") as f:
    f.write("# left;right;result shape or error\n")
    for a, b in itertools.product(SHAPES, SHAPES):
        try:
            r = np.broadcast_shapes(a, b)
            f.write(f"{'x'.join(map(str, a))};{'x'.join(map(str, b))};{'x'.join(map(str, r))}\n")
        except ValueError:
            f.write(f"{'x'.join(map(str, a))};{'x'.join(map(str, b))};error\n")
