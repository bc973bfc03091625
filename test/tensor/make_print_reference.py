#!/usr/bin/python3
"""Reference data from PyTorch 1.13 for typegrad's tensor data layer (test/tensor/).

    /usr/bin/python3 test/tensor/make_print_reference.py

(/usr/bin/python3 is Debian's python3 with python3-torch.) Writes, next to this script:

  print_reference.inc    TG_PRINT_CASE(python, (c++ expression), R"tg(repr)tg")
                         one per tensor: how Python builds it, the same construction in C++,
                         and Python's repr. Literal tensors are built here once in torch and the
                         C++ literal is written from `tolist()`, so both sides hold the same
                         values bit for bit.
  promote_reference.inc  TG_PROMOTE(a, b, torch.promote_types(a, b)) for all 8 x 8 dtype pairs.
  factory_reference.inc  TG_RANGE_CASE(python, (c++ expression), dtype, {values...})
                         arange / linspace results: dtype, length and values.

The tests only read these files; they do not need torch. A rerun reproduces them byte for byte.
"""
import math
import os

import torch

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))

DTYPES = [  # (torch dtype, typegrad constant), in ScalarType order
    (torch.float16, "kHalf"),
    (torch.bfloat16, "kBFloat16"),
    (torch.float32, "kFloat"),
    (torch.float64, "kDouble"),
    (torch.complex64, "kComplexFloat"),
    (torch.complex128, "kComplexDouble"),
    (torch.bool, "kBool"),
    (torch.int64, "kLong"),
]
TG = dict(DTYPES)


def cpp_real(x):
    if math.isnan(x):
        return "tg_nan"
    if math.isinf(x):
        return "tg_inf" if x > 0 else "-tg_inf"
    r = repr(float(x))
    return r


def cpp_value(x, dtype):
    if dtype.is_complex:
        return "std::complex<double>(%s, %s)" % (cpp_real(x.real), cpp_real(x.imag))
    if dtype == torch.bool:
        return "true" if x else "false"
    if dtype == torch.int64:
        return "std::int64_t{%d}" % x
    return cpp_real(x)


def cpp_nested(v, dtype):
    if isinstance(v, list):
        return "{" + ", ".join(cpp_nested(e, dtype) for e in v) + "}"
    return cpp_value(v, dtype)


def cpp_options(dtype, requires_grad):
    s = "tg::TensorOptions().dtype(tg::%s)" % TG[dtype]
    if requires_grad:
        s += ".requires_grad(true)"
    return s


def literal(values, dtype, requires_grad=False):
    """A tensor built from a (nested) Python list, and its C++ construction."""
    t = torch.tensor(values, dtype=dtype, requires_grad=requires_grad)
    py = "torch.tensor(%r, dtype=%s%s)" % (values, dtype, ", requires_grad=True" if requires_grad else "")
    cpp = "tg::tensor(%s, %s)" % (cpp_nested(t.tolist(), dtype), cpp_options(dtype, requires_grad))
    return py, cpp, t


def expr(py, cpp):
    """A tensor from a Python expression and the C++ expression that builds the same tensor."""
    return py, cpp, eval(py)


PRINT_CASES = [
    # the examples
    literal([1.0, 2.0, 3.0], torch.float32),
    literal([1.5, 2.25], torch.float32),
    literal([1e-08, 1e05], torch.float32),
    literal(3.0, torch.float32),
    literal([1.0, 2.0], torch.float64),
    literal([1 + 2j], torch.complex64),
    # 0-d of every kind
    literal(3.5, torch.float64),
    literal(-0.125, torch.float32),
    literal(7, torch.int64),
    literal(True, torch.bool),
    literal(1 + 2j, torch.complex128),
    literal(2.5, torch.float16),
    literal(1e-05, torch.float32),
    literal(123456789.0, torch.float64),
    # fixed, integer and scientific modes; widths and signs
    literal([-1.5, 10.25, -100.125], torch.float32),
    literal([1.0, 1e9], torch.float32),
    literal([1e10], torch.float64),
    literal([0.0001, 0.5], torch.float32),
    literal([0.00009, 0.5], torch.float32),
    literal([1.0, 1000.0], torch.float32),
    literal([1.0, 1001.0], torch.float32),
    literal([1.5, 1500.0], torch.float32),
    literal([0.0, 0.0], torch.float32),
    literal([-0.0, 1.0], torch.float32),
    literal([-0.0, 1.5], torch.float64),
    literal([0.33333334, 2.0 / 3.0, 1.0], torch.float32),
    literal([0.00005, 0.00015], torch.float64),
    # non-finite values
    literal([float("nan"), float("-inf"), 1.0], torch.float32),
    literal([float("nan"), 1.5], torch.float32),
    literal([float("inf"), 1e-06], torch.float32),
    literal([float("nan")], torch.float64),
    # dtypes
    literal([1.5, 2.0, -3.25], torch.float16),
    literal([1.0, 2.5, 1e-05], torch.float16),
    literal([1.0, 2.5, 300.0], torch.bfloat16),
    literal([1.5 - 2.25j, 1j], torch.complex128),
    literal([1 + 2j, -0.5 - 1j], torch.complex64),
    literal([1e-05 + 1j, 2 + 3j], torch.complex64),
    literal([1.5 + 0j, -2 - 0.0j], torch.complex64),
    literal([True, False, True], torch.bool),
    literal([[True, False], [False, True]], torch.bool),
    literal([1, -20, 300], torch.int64),
    literal([[1, -20], [300, 4000000000]], torch.int64),
    # requires_grad suffix (alone and after a dtype)
    literal([0.5, 1.0], torch.float32, requires_grad=True),
    literal([0.5, 1.0], torch.float64, requires_grad=True),
    literal(2.0, torch.float32, requires_grad=True),
    literal([1 + 1j], torch.complex64, requires_grad=True),
    # 2-d and 3-d layout
    literal([[1.5, -2.25, 3.0], [4.0, 5.0, 6.125]], torch.float32),
    literal([[1e-05, 1.0], [100.0, 1000.0]], torch.float32),
    literal([[1.0, 2.0], [3.0, 4.0]], torch.float64),
    literal([[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.5]]], torch.float32),
    literal([[[[1, 2]], [[3, 4]]]], torch.int64),
    literal([[1 + 1j, 2.5 - 1j], [0j, -3 + 0.25j]], torch.complex128),
    # line wrapping of long rows, with and without suffixes
    literal([i * 1.25 for i in range(25)], torch.float32),
    literal([i * 1.25 for i in range(25)], torch.float64, requires_grad=True),
    literal([[123.4567 + i for i in range(7)], [-1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]], torch.float64, requires_grad=True),
    literal([[0.125 * i for i in range(9)]], torch.float64),
    literal([1.0 + i for i in range(9)], torch.float64, requires_grad=True),
    literal([1e-05 * (i + 1) for i in range(12)], torch.float32),
    literal([(i + 0.5) + (i - 0.25) * 1j for i in range(8)], torch.complex64),
    # views print their own elements
    expr("torch.arange(6).view(2, 3).t()", "tg::arange(6).view({2, 3}).t()"),
    expr("torch.tensor([1.0, 2.0]).expand(3, 2)", "tg::tensor({1.0f, 2.0f}).expand({3, 2})"),
    expr("torch.arange(24).view(2, 3, 4)", "tg::arange(24).view({2, 3, 4})"),
    expr("torch.arange(24, dtype=torch.float32).view(2, 3, 4).permute(2, 0, 1)",
         "tg::arange(24, tg::dtype(tg::kFloat)).view({2, 3, 4}).permute({2, 0, 1})"),
    expr("torch.arange(10).narrow(0, 2, 5)", "tg::arange(10).narrow(0, 2, 5)"),
    # empty tensors
    expr("torch.zeros(0)", "tg::zeros({0})"),
    expr("torch.zeros(0, 3)", "tg::zeros({0, 3})"),
    expr("torch.zeros(0, dtype=torch.int64)", "tg::zeros({0}, tg::dtype(tg::kLong))"),
    expr("torch.zeros(0, dtype=torch.complex64)", "tg::zeros({0}, tg::dtype(tg::kComplexFloat))"),
    expr("torch.zeros(2, 0, dtype=torch.float64)", "tg::zeros({2, 0}, tg::dtype(tg::kDouble))"),
    expr("torch.zeros(0, requires_grad=True)", "tg::zeros({0}, tg::requires_grad())"),
    # summarized (numel > 1000)
    expr("torch.arange(2000)", "tg::arange(2000)"),
    expr("torch.arange(1001, dtype=torch.float32)", "tg::arange(1001, tg::dtype(tg::kFloat))"),
    expr("torch.arange(1000, dtype=torch.float32)", "tg::arange(1000, tg::dtype(tg::kFloat))"),
    expr("torch.arange(2400, dtype=torch.float64).view(20, 120)",
         "tg::arange(2400, tg::dtype(tg::kDouble)).view({20, 120})"),
    expr("torch.arange(1200, dtype=torch.float32).view(3, 20, 20)",
         "tg::arange(1200, tg::dtype(tg::kFloat)).view({3, 20, 20})"),
    expr("torch.arange(2000, dtype=torch.float32).view(10, 10, 20).requires_grad_()",
         "tg::arange(2000, tg::dtype(tg::kFloat)).view({10, 10, 20}).requires_grad_()"),
    expr("torch.ones(1100, dtype=torch.bool)", "tg::ones({1100}, tg::dtype(tg::kBool))"),
    expr("torch.ones(40, 40, dtype=torch.complex128)", "tg::ones({40, 40}, tg::dtype(tg::kComplexDouble))"),
    expr("torch.eye(3)", "tg::eye(3)"),
]


def write(name, text):
    with open(os.path.join(HERE, name), "w") as f:
        f.write(text)


def header(what):
    return "// Generated by test/tensor/make_print_reference.py (torch %s): %s. Do not edit.\n" % (torch.__version__, what)


def raw(s):
    assert ")tg\"" not in s
    return 'R"tg(' + s + ')tg"'


lines = [header("Python reprs of tensors")]
for py, cpp, t in PRINT_CASES:
    lines.append("TG_PRINT_CASE(%s,\n              (%s),\n              %s)\n" % (raw(py), cpp, raw(repr(t))))
write("print_reference.inc", "".join(lines))

lines = [header("torch.promote_types for every pair of dtypes")]
for a, ta in DTYPES:
    for b, tb in DTYPES:
        lines.append("TG_PROMOTE(tg::%s, tg::%s, tg::%s)\n" % (ta, tb, TG[torch.promote_types(a, b)]))
write("promote_reference.inc", "".join(lines))

# (python call, C++ call): literal types match (Python int <-> C++ int, float <-> double).
RANGE_CASES = [
    ("torch.arange(5)", "tg::arange(5)"),
    ("torch.arange(0)", "tg::arange(0)"),
    ("torch.arange(5.0)", "tg::arange(5.0)"),
    ("torch.arange(2, 11, 3)", "tg::arange(2, 11, 3)"),
    ("torch.arange(10, 0, -3)", "tg::arange(10, 0, -3)"),
    ("torch.arange(0, 1, 0.1)", "tg::arange(0, 1, 0.1)"),
    ("torch.arange(0, 1, 0.1, dtype=torch.float64)", "tg::arange(0, 1, 0.1, tg::dtype(tg::kDouble))"),
    ("torch.arange(1, 2.5, 0.5)", "tg::arange(1, 2.5, 0.5)"),
    ("torch.arange(-1.0, 1.0, 0.3)", "tg::arange(-1.0, 1.0, 0.3)"),
    ("torch.arange(1.0, -1.0, -0.25, dtype=torch.float64)", "tg::arange(1.0, -1.0, -0.25, tg::dtype(tg::kDouble))"),
    ("torch.arange(0, 2.5, dtype=torch.int64)", "tg::arange(0, 2.5, tg::dtype(tg::kLong))"),
    ("torch.arange(0.5, 3, dtype=torch.int64)", "tg::arange(0.5, 3, tg::dtype(tg::kLong))"),
    ("torch.arange(0, 3, 0.7, dtype=torch.float16)", "tg::arange(0, 3, 0.7, tg::dtype(tg::kHalf))"),
    ("torch.arange(0, 3, 0.7, dtype=torch.bfloat16)", "tg::arange(0, 3, 0.7, tg::dtype(tg::kBFloat16))"),
    ("torch.arange(5, dtype=torch.float32)", "tg::arange(5, tg::dtype(tg::kFloat))"),
    ("torch.arange(0, 10, 10)", "tg::arange(0, 10, 10)"),
    ("torch.linspace(0, 1, 5)", "tg::linspace(0, 1, 5)"),
    ("torch.linspace(0, 1, 0)", "tg::linspace(0, 1, 0)"),
    ("torch.linspace(2, 3, 1)", "tg::linspace(2, 3, 1)"),
    ("torch.linspace(-1, 1, 7, dtype=torch.float64)", "tg::linspace(-1, 1, 7, tg::dtype(tg::kDouble))"),
    ("torch.linspace(0, 10, 4, dtype=torch.int64)", "tg::linspace(0, 10, 4, tg::dtype(tg::kLong))"),
    ("torch.linspace(10, 0, 4, dtype=torch.int64)", "tg::linspace(10, 0, 4, tg::dtype(tg::kLong))"),
    ("torch.linspace(0, 1, 3, dtype=torch.float16)", "tg::linspace(0, 1, 3, tg::dtype(tg::kHalf))"),
    ("torch.linspace(0, 0.3, 4, dtype=torch.float64)", "tg::linspace(0, 0.3, 4, tg::dtype(tg::kDouble))"),
    ("torch.linspace(1, 2, 3)", "tg::linspace(1, 2, 3)"),
    ("torch.arange(-1.3, 2.9, 0.37, dtype=torch.float64)", "tg::arange(-1.3, 2.9, 0.37, tg::dtype(tg::kDouble))"),
    ("torch.arange(-1.3, 2.9, 0.37, dtype=torch.float16)", "tg::arange(-1.3, 2.9, 0.37, tg::dtype(tg::kHalf))"),
    ("torch.arange(-1.3, 2.9, 0.37)", "tg::arange(-1.3, 2.9, 0.37)"),
    ("torch.linspace(0, 1, 7, dtype=torch.float32)", "tg::linspace(0, 1, 7, tg::dtype(tg::kFloat))"),
    ("torch.linspace(0, 1, 7, dtype=torch.float64)", "tg::linspace(0, 1, 7, tg::dtype(tg::kDouble))"),
    ("torch.linspace(0, 1, 7, dtype=torch.float16)", "tg::linspace(0, 1, 7, tg::dtype(tg::kHalf))"),
    ("torch.linspace(0, 1, 7, dtype=torch.bfloat16)", "tg::linspace(0, 1, 7, tg::dtype(tg::kBFloat16))"),
    ("torch.linspace(0, 1, 7, dtype=torch.int64)", "tg::linspace(0, 1, 7, tg::dtype(tg::kLong))"),
    ("torch.linspace(-1, 1, 7, dtype=torch.float32)", "tg::linspace(-1, 1, 7, tg::dtype(tg::kFloat))"),
    ("torch.linspace(-1, 1, 7, dtype=torch.float64)", "tg::linspace(-1, 1, 7, tg::dtype(tg::kDouble))"),
    ("torch.linspace(-1, 1, 7, dtype=torch.float16)", "tg::linspace(-1, 1, 7, tg::dtype(tg::kHalf))"),
    ("torch.linspace(-1, 1, 7, dtype=torch.bfloat16)", "tg::linspace(-1, 1, 7, tg::dtype(tg::kBFloat16))"),
    ("torch.linspace(-1, 1, 7, dtype=torch.int64)", "tg::linspace(-1, 1, 7, tg::dtype(tg::kLong))"),
    ("torch.linspace(0.1, 2.7, 9, dtype=torch.float32)", "tg::linspace(0.1, 2.7, 9, tg::dtype(tg::kFloat))"),
    ("torch.linspace(0.1, 2.7, 9, dtype=torch.float64)", "tg::linspace(0.1, 2.7, 9, tg::dtype(tg::kDouble))"),
    ("torch.linspace(0.1, 2.7, 9, dtype=torch.float16)", "tg::linspace(0.1, 2.7, 9, tg::dtype(tg::kHalf))"),
    ("torch.linspace(0.1, 2.7, 9, dtype=torch.bfloat16)", "tg::linspace(0.1, 2.7, 9, tg::dtype(tg::kBFloat16))"),
    ("torch.linspace(0.1, 2.7, 9, dtype=torch.int64)", "tg::linspace(0.1, 2.7, 9, tg::dtype(tg::kLong))"),
    ("torch.linspace(-3.3, 1.1, 11, dtype=torch.float32)", "tg::linspace(-3.3, 1.1, 11, tg::dtype(tg::kFloat))"),
    ("torch.linspace(-3.3, 1.1, 11, dtype=torch.float64)", "tg::linspace(-3.3, 1.1, 11, tg::dtype(tg::kDouble))"),
    ("torch.linspace(-3.3, 1.1, 11, dtype=torch.float16)", "tg::linspace(-3.3, 1.1, 11, tg::dtype(tg::kHalf))"),
    ("torch.linspace(-3.3, 1.1, 11, dtype=torch.bfloat16)", "tg::linspace(-3.3, 1.1, 11, tg::dtype(tg::kBFloat16))"),
    ("torch.linspace(-3.3, 1.1, 11, dtype=torch.int64)", "tg::linspace(-3.3, 1.1, 11, tg::dtype(tg::kLong))"),
    ("torch.linspace(0, 1, 17, dtype=torch.float32)", "tg::linspace(0, 1, 17, tg::dtype(tg::kFloat))"),
    ("torch.linspace(0, 1, 17, dtype=torch.float64)", "tg::linspace(0, 1, 17, tg::dtype(tg::kDouble))"),
    ("torch.linspace(0, 1, 17, dtype=torch.float16)", "tg::linspace(0, 1, 17, tg::dtype(tg::kHalf))"),
    ("torch.linspace(0, 1, 17, dtype=torch.bfloat16)", "tg::linspace(0, 1, 17, tg::dtype(tg::kBFloat16))"),
    ("torch.linspace(0, 1, 17, dtype=torch.int64)", "tg::linspace(0, 1, 17, tg::dtype(tg::kLong))"),
    ("torch.linspace(0.1, 2.7, 21, dtype=torch.float32)", "tg::linspace(0.1, 2.7, 21, tg::dtype(tg::kFloat))"),
    ("torch.linspace(0.1, 2.7, 21, dtype=torch.float64)", "tg::linspace(0.1, 2.7, 21, tg::dtype(tg::kDouble))"),
    ("torch.linspace(0.1, 2.7, 21, dtype=torch.float16)", "tg::linspace(0.1, 2.7, 21, tg::dtype(tg::kHalf))"),
    ("torch.linspace(0.1, 2.7, 21, dtype=torch.bfloat16)", "tg::linspace(0.1, 2.7, 21, tg::dtype(tg::kBFloat16))"),
    ("torch.linspace(0.1, 2.7, 21, dtype=torch.int64)", "tg::linspace(0.1, 2.7, 21, tg::dtype(tg::kLong))"),
]
lines = [header("arange and linspace results")]
for py, cpp in RANGE_CASES:
    t = eval(py)
    values = ", ".join(cpp_real(float(v)) for v in t.tolist())
    lines.append("TG_RANGE_CASE(%s, (%s), tg::%s, {%s})\n" % (raw(py), cpp, TG[t.dtype], values))
write("factory_reference.inc", "".join(lines))
