#!/usr/bin/python3
"""Reference results from PyTorch 1.13 for typegrad's raw reduction, linear-algebra and
indexing kernels (test/tensor/kernels/{reduce,linalg,index}.test.cpp).

    /usr/bin/python3 test/tensor/kernels/make_kernel_reference.py

(/usr/bin/python3 is Debian's python3 with python3-torch.) Writes {reduce,linalg,index}_reference.inc
beside this script, each holding the fixtures its cases use:

  TG_FIXTURE(name, c++ expression)       an input tensor; the C++ literal is written from
                                         torch's `tolist()`, so both sides hold the same values
  TG_CASE(python, (c++ expression), dtype, (sizes), element, {values...})
                                         one result: torch's dtype, sizes and row-major values,
                                         as `element`: double, std::complex<double>, std::int64_t
                                         or bool

Views are applied on both sides (`x.t()` / `tg::raw::t(x)`; `x[::2]` / the test's
`every_other(x, 0)`), so transposed, expanded and narrowed inputs are checked too. The tests
only read the .inc files; they do not need torch. A rerun reproduces them byte for byte.
Results where torch 1.13 and current torch differ (Half/BFloat16 prod, Half mm/mv/bmm/dot:
not implemented in 1.13) are not here; the C++ tests check those against float results. Nor is
a complex dot: Debian's torch 1.13 returns 0 for every one (torch.dot(z, z) with z = [1+1j]
gives 0j, its BLAS cdotu/zdotu call); the C++ tests check it against mm and by hand.
"""
import math
import os
import re

import torch

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))

TG = {
    torch.float16: "kHalf",
    torch.bfloat16: "kBFloat16",
    torch.float32: "kFloat",
    torch.float64: "kDouble",
    torch.complex64: "kComplexFloat",
    torch.complex128: "kComplexDouble",
    torch.bool: "kBool",
    torch.int64: "kLong",
}


def cpp_real(x):
    if math.isnan(x):
        return "tg_nan"
    if math.isinf(x):
        return "tg_inf" if x > 0 else "-tg_inf"
    return repr(float(x))


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


def flat(t):
    v = t.reshape(-1).tolist()
    return v if isinstance(v, list) else [v]


# ---- inputs --------------------------------------------------------------------------------------

gen = torch.Generator().manual_seed(0)


def eighths(*sizes):
    """Random multiples of 1/8 in [-4, 4]: exact in every floating dtype, so sums of a few are too."""
    return torch.randint(-32, 33, sizes, generator=gen).double() / 8


FIXTURES = {}  # name -> torch tensor, in insertion order


def fixture(name, t):
    FIXTURES[name] = t


for dt, tag in [(torch.float16, "h"), (torch.bfloat16, "b"), (torch.float32, "f"), (torch.float64, "d")]:
    fixture(tag + "234", eighths(2, 3, 4).to(dt))
fixture("c234", torch.complex(eighths(2, 3, 4), eighths(2, 3, 4)).to(torch.complex64))
fixture("z234", torch.complex(eighths(2, 3, 4), eighths(2, 3, 4)))
fixture("l234", torch.randint(-5, 6, (2, 3, 4), generator=gen))
fixture("o234", torch.randint(0, 2, (2, 3, 4), generator=gen).bool())
nan = float("nan")
inf = float("inf")
fixture("fnan", torch.tensor([[1.0, nan, 3.0, nan], [2.0, 2.0, 1.0, 1.0], [-inf, 0.5, -inf, 7.0]]))
fixture("lties", torch.tensor([[3, 1, 3, 0], [0, 0, -2, -2]]))
fixture("f35", eighths(3, 5).float())
fixture("f53", eighths(5, 3).float())
fixture("f3", eighths(3).float())
fixture("f5", eighths(5).float())
fixture("d35", eighths(3, 5))
fixture("d53", eighths(5, 3))
fixture("d5", eighths(5))
fixture("c35", torch.complex(eighths(3, 5), eighths(3, 5)).to(torch.complex64))
fixture("c53", torch.complex(eighths(5, 3), eighths(5, 3)).to(torch.complex64))
fixture("c5", torch.complex(eighths(5), eighths(5)).to(torch.complex64))
fixture("z35", torch.complex(eighths(3, 5), eighths(3, 5)))
fixture("z53", torch.complex(eighths(5, 3), eighths(5, 3)))
fixture("z5", torch.complex(eighths(5), eighths(5)))
fixture("l35", torch.randint(-5, 6, (3, 5), generator=gen))
fixture("l53", torch.randint(-5, 6, (5, 3), generator=gen))
fixture("l5", torch.randint(-5, 6, (5,), generator=gen))
fixture("b35", eighths(3, 5).bfloat16())
fixture("b53", eighths(5, 3).bfloat16())
fixture("b5", eighths(5).bfloat16())
fixture("f234b", eighths(2, 3, 4).float())
fixture("f243", eighths(2, 4, 3).float())
fixture("d234b", eighths(2, 3, 4))
fixture("d243", eighths(2, 4, 3))
fixture("i2", torch.tensor([2, 0]))
fixture("i3", torch.tensor([1, 1, 0]))
fixture("i0", torch.tensor(1))
fixture("s0", torch.tensor(2.5))
fixture("g2", torch.tensor([[2, 0, 1], [1, 1, 0]]))
fixture("g3", torch.tensor([[0, 2], [1, 0], [2, 2]]))
fixture("f23", eighths(2, 3).float())
fixture("f22", eighths(2, 2).float())
fixture("f32", eighths(3, 2).float())
fixture("d22", eighths(2, 2))
fixture("l22", torch.randint(-5, 6, (2, 2), generator=gen))
fixture("o22", torch.randint(0, 2, (2, 2), generator=gen).bool())
fixture("h22", eighths(2, 2).half())
fixture("c22", torch.complex(eighths(2, 2), eighths(2, 2)).to(torch.complex64))

ENV = dict(FIXTURES)
ENV["torch"] = torch

# ---- cases: (python, c++) -----------------------------------------------------------------------

CASES = {"reduce": [], "linalg": [], "index": []}
SECTION = "reduce"


def case(py, cpp):
    CASES[SECTION].append((py, cpp))


# sum / prod / mean over every dtype, all dims, some dims, keepdim, negative dims
for tag in ["h", "b", "f", "d", "c", "z", "l", "o"]:
    x = tag + "234"
    case("%s.sum()" % x, "K::sum(%s, {}, false)" % x)
    case("%s.sum((0, 2))" % x, "K::sum(%s, {0, 2}, false)" % x)
    case("%s.sum(-1, keepdim=True)" % x, "K::sum(%s, {-1}, true)" % x)
    case("%s.sum((1,), keepdim=True)" % x, "K::sum(%s, {1}, true)" % x)
    if tag not in ["h", "b"]:  # torch 1.13 has no Half/BFloat16 prod
        case("%s.prod()" % x, "K::prod(%s, {}, false)" % x)
        case("%s.prod(1)" % x, "K::prod(%s, {1}, false)" % x)
        case("%s.prod(0, keepdim=True)" % x, "K::prod(%s, {0}, true)" % x)
    if tag not in ["l", "o"]:
        case("%s.mean()" % x, "K::mean(%s, {}, false)" % x)
        case("%s.mean((0, 1))" % x, "K::mean(%s, {0, 1}, false)" % x)
        case("%s.mean(2, keepdim=True)" % x, "K::mean(%s, {2}, true)" % x)
    if tag not in ["c", "z"]:
        case("%s.amax((0, 2))" % x, "K::amax(%s, {0, 2}, false)" % x)
        case("%s.amin(1, keepdim=True)" % x, "K::amin(%s, {1}, true)" % x)
        case("%s.amax(())" % x, "K::amax(%s, {}, false)" % x)
        case("%s.max()" % x, "K::max(%s)" % x)
        case("%s.min()" % x, "K::min(%s)" % x)
        for d in [0, 1, -1]:
            case("%s.max(%d)[0]" % (x, d), "K::max_dim(%s, %d, false).first" % (x, d))
            case("%s.max(%d)[1]" % (x, d), "K::max_dim(%s, %d, false).second" % (x, d))
            case("%s.min(%d, keepdim=True)[0]" % (x, d), "K::min_dim(%s, %d, true).first" % (x, d))
            case("%s.min(%d, keepdim=True)[1]" % (x, d), "K::min_dim(%s, %d, true).second" % (x, d))

# dtype arguments (the input is cast first)
case("l234.sum(dtype=torch.float32)", "K::sum(l234, {}, false, tg::kFloat)")
case("f234.sum(1, dtype=torch.float64)", "K::sum(f234, {1}, false, tg::kDouble)")
case("f234.sum(1, dtype=torch.int64)", "K::sum(f234, {1}, false, tg::kLong)")
case("o234.sum(0, dtype=torch.bool)", "K::sum(o234, {0}, false, tg::kBool)")
case("f234.sum((0, 1), dtype=torch.complex128)", "K::sum(f234, {0, 1}, false, tg::kComplexDouble)")
case("l234.prod(2, dtype=torch.float64)", "K::prod(l234, {2}, false, tg::kDouble)")
case("o234.prod(2, dtype=torch.bool)", "K::prod(o234, {2}, false, tg::kBool)")
case("l234.mean(1, dtype=torch.float32)", "K::mean(l234, {1}, false, tg::kFloat)")
case("o234.mean(dtype=torch.float64)", "K::mean(o234, {}, false, tg::kDouble)")
case("f234.mean(0, dtype=torch.complex64)", "K::mean(f234, {0}, false, tg::kComplexFloat)")

# strided inputs: transposed, permuted, narrowed, expanded (stride 0), selected
case("f234.permute(2, 0, 1).sum(0)", "K::sum(tg::raw::permute(f234, {2, 0, 1}), {0}, false)")
case("f234.permute(2, 0, 1).sum((1, 2))", "K::sum(tg::raw::permute(f234, {2, 0, 1}), {1, 2}, false)")
case("d234.transpose(0, 2).sum(2, keepdim=True)", "K::sum(tg::raw::transpose(d234, 0, 2), {2}, true)")
case("f234.narrow(2, 1, 2).sum(0)", "K::sum(tg::raw::narrow(f234, 2, 1, 2), {0}, false)")
case("f234.narrow(2, 1, 2).sum(2)", "K::sum(tg::raw::narrow(f234, 2, 1, 2), {2}, false)")
case("f3.expand(4, 3).sum(0)", "K::sum(tg::raw::expand(f3, {4, 3}), {0}, false)")
case("f3.expand(4, 3).sum(1)", "K::sum(tg::raw::expand(f3, {4, 3}), {1}, false)")
case("f3.expand(2, 4, 3).sum((0, 1))", "K::sum(tg::raw::expand(f3, {2, 4, 3}), {0, 1}, false)")
case("h234.transpose(1, 2).sum(1)", "K::sum(tg::raw::transpose(h234, 1, 2), {1}, false)")
case("c234.permute(1, 2, 0).prod(2)", "K::prod(tg::raw::permute(c234, {1, 2, 0}), {2}, false)")
case("f234.permute(2, 0, 1).amax(0)", "K::amax(tg::raw::permute(f234, {2, 0, 1}), {0}, false)")
case("l234.transpose(0, 1).amin((1, 2))", "K::amin(tg::raw::transpose(l234, 0, 1), {1, 2}, false)")
case("f234.select(1, 2).mean(0)", "K::mean(tg::raw::select(f234, 1, 2), {0}, false)")
case("d234.transpose(0, 2).max(1)[0]", "K::max_dim(tg::raw::transpose(d234, 0, 2), 1, false).first")
case("d234.transpose(0, 2).max(1)[1]", "K::max_dim(tg::raw::transpose(d234, 0, 2), 1, false).second")
case("f3.expand(4, 3).min(0)[1]", "K::min_dim(tg::raw::expand(f3, {4, 3}), 0, false).second")

# NaN, infinities and ties
for d in [0, 1]:
    case("fnan.max(%d)[0]" % d, "K::max_dim(fnan, %d, false).first" % d)
    case("fnan.max(%d)[1]" % d, "K::max_dim(fnan, %d, false).second" % d)
    case("fnan.min(%d)[0]" % d, "K::min_dim(fnan, %d, false).first" % d)
    case("fnan.min(%d)[1]" % d, "K::min_dim(fnan, %d, false).second" % d)
    case("fnan.amax(%d)" % d, "K::amax(fnan, {%d}, false)" % d)
    case("fnan.amin(%d)" % d, "K::amin(fnan, {%d}, false)" % d)
    case("fnan.sum(%d)" % d, "K::sum(fnan, {%d}, false)" % d)
    case("lties.max(%d)[1]" % d, "K::max_dim(lties, %d, false).second" % d)
    case("lties.min(%d)[1]" % d, "K::min_dim(lties, %d, false).second" % d)
case("fnan.max()", "K::max(fnan)")
case("fnan.t().amin(1)", "K::amin(tg::raw::t(fnan), {1}, false)")

# zero-size and 0-d
case("torch.zeros(0, 3).sum(0)", "K::sum(tg::zeros({0, 3}), {0}, false)")
case("torch.zeros(0, 3).sum(1)", "K::sum(tg::zeros({0, 3}), {1}, false)")
case("torch.zeros(0, 3).sum()", "K::sum(tg::zeros({0, 3}), {}, false)")
case("torch.zeros(0, 3).prod(0, keepdim=True)", "K::prod(tg::zeros({0, 3}), {0}, true)")
case("torch.zeros(0, 3, dtype=torch.int64).prod()", "K::prod(tg::zeros({0, 3}, tg::dtype(tg::kLong)), {}, false)")
case("torch.zeros(0, 3).mean(0)", "K::mean(tg::zeros({0, 3}), {0}, false)")
case("torch.zeros(0, 3, dtype=torch.complex64).mean()", "K::mean(tg::zeros({0, 3}, tg::dtype(tg::kComplexFloat)), {}, false)")
case("torch.zeros(0, 3).amax(1)", "K::amax(tg::zeros({0, 3}), {1}, false)")
case("torch.zeros(2, 0).max(0)[1]", "K::max_dim(tg::zeros({2, 0}), 0, false).second")
case("s0.sum()", "K::sum(s0, {}, false)")
case("s0.sum(0, keepdim=True)", "K::sum(s0, {0}, true)")
case("s0.mean(-1)", "K::mean(s0, {-1}, false)")
case("s0.amax(0)", "K::amax(s0, {0}, false)")
case("s0.max(0)[0]", "K::max_dim(s0, 0, false).first")
case("s0.max(0, keepdim=True)[1]", "K::max_dim(s0, 0, true).second")

# sum_to (torch's sum_to_size, the checked at::sum_to)
case("f234.sum_to_size(4)", "K::sum_to(f234, {4})")
case("f234.sum_to_size(3, 1)", "K::sum_to(f234, {3, 1})")
case("f234.sum_to_size(1, 3, 1)", "K::sum_to(f234, {1, 3, 1})")
case("f234.sum_to_size(2, 1, 4)", "K::sum_to(f234, {2, 1, 4})")
case("f234.sum_to_size(1, 1)", "K::sum_to(f234, {1, 1})")
case("f234.sum_to_size(())", "K::sum_to(f234, {})")
case("f234.transpose(0, 2).sum_to_size(3, 2)", "K::sum_to(tg::raw::transpose(f234, 0, 2), {3, 2})")
case("l234.sum_to_size(3, 4)", "K::sum_to(l234, {3, 4})")
case("o234.sum_to_size(1, 4)", "K::sum_to(o234, {1, 4})")

SECTION = "linalg"
# mm / bmm / mv / dot: every GEMM dtype, transposed, expanded and narrowed operands
for t in ["f", "d", "c", "z", "l", "b"]:
    a, b, v = t + "35", t + "53", t + "5"
    case("%s.mm(%s)" % (a, b), "K::mm(%s, %s)" % (a, b))
    case("%s.t().mm(%s.t())" % (b, a), "K::mm(tg::raw::t(%s), tg::raw::t(%s))" % (b, a))
    case("%s.mm(%s.t())" % (a, a), "K::mm(%s, tg::raw::t(%s))" % (a, a))
    case("%s.mv(%s)" % (a, v), "K::mv(%s, %s)" % (a, v))
    case("%s.t().mv(%s.narrow(0, 0, 3))" % (a, v), "K::mv(tg::raw::t(%s), tg::raw::narrow(%s, 0, 0, 3))" % (a, v))
    if t not in ["c", "z"]:  # Debian's torch 1.13 returns 0 for every complex dot (its BLAS cdotu/zdotu)
        case("%s.dot(%s)" % (v, v), "K::dot(%s, %s)" % (v, v))
        case("%s.select(1, 1).dot(%s.select(0, 2))" % (a, b), "K::dot(tg::raw::select(%s, 1, 1), tg::raw::select(%s, 0, 2))" % (a, b))
case("f35.mm(f5.expand(4, 5).t())", "K::mm(f35, tg::raw::t(tg::raw::expand(f5, {4, 5})))")
case("f5.expand(2, 5).mm(f53)", "K::mm(tg::raw::expand(f5, {2, 5}), f53)")
case("f35.narrow(1, 1, 3).mm(f53.narrow(0, 2, 3).narrow(1, 1, 2))",
     "K::mm(tg::raw::narrow(f35, 1, 1, 3), tg::raw::narrow(tg::raw::narrow(f53, 0, 2, 3), 1, 1, 2))")
case("f35[:, ::2].mm(f53[::2, :])", "K::mm(every_other(f35, 1), every_other(f53, 0))")
case("f35.mv(f5.expand(3, 5)[1])", "K::mv(f35, tg::raw::select(tg::raw::expand(f5, {3, 5}), 0, 1))")
case("f35.mv(torch.tensor(1.5).expand(5))", "K::mv(f35, tg::raw::expand(tg::tensor(1.5f), {5}))")
case("f5.dot(f35[1, :])", "K::dot(f5, tg::raw::select(f35, 0, 1))")
case("torch.ones(2, 0).mm(torch.ones(0, 3))", "K::mm(tg::ones({2, 0}), tg::ones({0, 3}))")
case("torch.ones(0, 2).mm(torch.ones(2, 3))", "K::mm(tg::ones({0, 2}), tg::ones({2, 3}))")
case("torch.ones(0).dot(torch.ones(0))", "K::dot(tg::ones({0}), tg::ones({0}))")
case("torch.ones(2, 0).mv(torch.ones(0))", "K::mv(tg::ones({2, 0}), tg::ones({0}))")
case("f234b.bmm(f243)", "K::bmm(f234b, f243)")
case("d234b.bmm(d243)", "K::bmm(d234b, d243)")
case("f243.transpose(1, 2).bmm(f234b.transpose(1, 2))", "K::bmm(tg::raw::transpose(f243, 1, 2), tg::raw::transpose(f234b, 1, 2))")
case("f234b.permute(1, 0, 2)[:, :, :2].bmm(f22.expand(3, 2, 2))",
     "K::bmm(tg::raw::narrow(tg::raw::permute(f234b, {1, 0, 2}), 2, 0, 2), tg::raw::expand(f22, {3, 2, 2}))")
case("torch.ones(0, 2, 3).bmm(torch.ones(0, 3, 2))", "K::bmm(tg::ones({0, 2, 3}), tg::ones({0, 3, 2}))")
case("torch.ones(2, 2, 0).bmm(torch.ones(2, 0, 2))", "K::bmm(tg::ones({2, 2, 0}), tg::ones({2, 0, 2}))")

SECTION = "index"
# index_select
for x in ["f234", "h234", "c234", "l234", "o234"]:
    case("%s.index_select(2, i2)" % x, "K::index_select(%s, 2, i2)" % x)
    case("%s.index_select(1, i3)" % x, "K::index_select(%s, 1, i3)" % x)
    case("%s.index_select(0, i0)" % x, "K::index_select(%s, 0, i0)" % x)
case("f234.transpose(0, 2).index_select(-3, i2)", "K::index_select(tg::raw::transpose(f234, 0, 2), -3, i2)")
case("f3.expand(2, 3).index_select(1, i2)", "K::index_select(tg::raw::expand(f3, {2, 3}), 1, i2)")
case("f3.index_select(0, i3)", "K::index_select(f3, 0, i3)")
case("s0.index_select(0, torch.tensor([0]))", "K::index_select(s0, 0, tg::tensor({std::int64_t{0}}))")
case("s0.index_select(0, torch.tensor(0))", "K::index_select(s0, 0, tg::tensor(std::int64_t{0}))")
case("f234.index_select(1, torch.tensor([], dtype=torch.int64))", "K::index_select(f234, 1, tg::zeros({0}, tg::dtype(tg::kLong)))")
case("f234.index_select(1, torch.tensor([2, 0, 1, 2, 0])[::2])", "K::index_select(f234, 1, every_other(tg::tensor({2, 0, 1, 2, 0}), 0))")

# index_add (out of place)
for x in ["f234", "h234", "b234", "d234", "z234", "l234", "o234"]:
    case("%s.index_add(1, i3, %s.narrow(1, 0, 3))" % (x, x), "K::index_add(%s, 1, i3, tg::raw::narrow(%s, 1, 0, 3))" % (x, x))
    case("%s.index_add(2, i2, %s.narrow(2, 1, 2))" % (x, x), "K::index_add(%s, 2, i2, tg::raw::narrow(%s, 2, 1, 2))" % (x, x))
case("f234.index_add(0, i0, f234.narrow(0, 1, 1))", "K::index_add(f234, 0, i0, tg::raw::narrow(f234, 0, 1, 1))")
case("f234.transpose(0, 2).index_add(0, i2, f234.transpose(0, 2).narrow(0, 0, 2))",
     "K::index_add(tg::raw::transpose(f234, 0, 2), 0, i2, tg::raw::narrow(tg::raw::transpose(f234, 0, 2), 0, 0, 2))")
case("f3.index_add(0, i3, f3.expand(2, 3)[1])", "K::index_add(f3, 0, i3, tg::raw::select(tg::raw::expand(f3, {2, 3}), 0, 1))")
case("s0.index_add(0, torch.tensor([0]), torch.tensor(1.0))", "K::index_add(s0, 0, tg::tensor({std::int64_t{0}}), tg::tensor(1.0f))")
case("f3.index_add(0, torch.tensor([], dtype=torch.int64), torch.zeros(0))",
     "K::index_add(f3, 0, tg::zeros({0}, tg::dtype(tg::kLong)), tg::zeros({0}))")

# gather / scatter_add
for x in ["f234", "h234", "c234", "l234", "o234"]:
    case("%s[0].gather(1, g2)" % x, "K::gather(tg::raw::select(%s, 0, 0), 1, g2)" % x)
    case("%s[1].gather(0, g3)" % x, "K::gather(tg::raw::select(%s, 0, 1), 0, g3)" % x)
for x in ["f234", "h234", "b234", "z234", "l234", "o234"]:
    case("%s[0].scatter_add(1, g2, %s[1])" % (x, x), "K::scatter_add(tg::raw::select(%s, 0, 0), 1, g2, tg::raw::select(%s, 0, 1))" % (x, x))
    case("%s[1].scatter_add(0, g3, %s[0])" % (x, x), "K::scatter_add(tg::raw::select(%s, 0, 1), 0, g3, tg::raw::select(%s, 0, 0))" % (x, x))
case("f234[0].t().gather(0, g2.t())", "K::gather(tg::raw::t(tg::raw::select(f234, 0, 0)), 0, tg::raw::t(g2))")
case("f234[0].gather(1, torch.tensor([[1], [3]]).expand(2, 3))", "K::gather(tg::raw::select(f234, 0, 0), 1, tg::raw::expand(tg::tensor({{1}, {3}}), {2, 3}))")
case("f234[0].gather(-1, torch.tensor([[3]]))", "K::gather(tg::raw::select(f234, 0, 0), -1, tg::tensor({{3}}))")
case("s0.gather(0, torch.tensor(0))", "K::gather(s0, 0, tg::tensor(std::int64_t{0}))")
case("s0.gather(0, torch.tensor([0, 0]))", "K::gather(s0, 0, tg::tensor({0, 0}))")
case("f3.gather(0, torch.tensor(2))", "K::gather(f3, 0, tg::tensor(std::int64_t{2}))")
case("f234[0].gather(1, torch.zeros(0, 0, dtype=torch.int64))", "K::gather(tg::raw::select(f234, 0, 0), 1, tg::zeros({0, 0}, tg::dtype(tg::kLong)))")
case("f234[0].scatter_add(1, torch.tensor([[3, 3, 3]]), f234[1])", "K::scatter_add(tg::raw::select(f234, 0, 0), 1, tg::tensor({{3, 3, 3}}), tg::raw::select(f234, 0, 1))")
case("f234[0].t().scatter_add(0, g2.t(), f234[1].t())",
     "K::scatter_add(tg::raw::t(tg::raw::select(f234, 0, 0)), 0, tg::raw::t(g2), tg::raw::t(tg::raw::select(f234, 0, 1)))")
case("s0.scatter_add(0, torch.tensor(0), torch.tensor(1.5))", "K::scatter_add(s0, 0, tg::tensor(std::int64_t{0}), tg::tensor(1.5f))")
case("f3.scatter_add(0, torch.tensor([2, 2, 0]), f3.expand(2, 3)[0])", "K::scatter_add(f3, 0, tg::tensor({2, 2, 0}), tg::raw::select(tg::raw::expand(f3, {2, 3}), 0, 0))")
case("f234[0].scatter_add(0, torch.zeros(0, 4, dtype=torch.int64), f234[1])", "K::scatter_add(tg::raw::select(f234, 0, 0), 0, tg::zeros({0, 4}, tg::dtype(tg::kLong)), tg::raw::select(f234, 0, 1))")

# cat / stack: promotion, legacy empty tensors, strided inputs
case("torch.cat([f23, f22], 1)", "K::cat({f23, f22}, 1)")
case("torch.cat([f23, f32.t(), f23], 0)", "K::cat({f23, tg::raw::t(f32), f23}, 0)")
case("torch.cat([f23, f23], -1)", "K::cat({f23, f23}, -1)")
case("torch.cat([f22, d22, l22], 0)", "K::cat({f22, d22, l22}, 0)")
case("torch.cat([o22, l22], 1)", "K::cat({o22, l22}, 1)")
case("torch.cat([h22, torch.ones(1, 2).bfloat16()], 0)", "K::cat({h22, tg::ones({1, 2}, tg::dtype(tg::kBFloat16))}, 0)")
case("torch.cat([c22, d22], 0)", "K::cat({c22, d22}, 0)")
case("torch.cat([f23, torch.tensor([]), f23], 0)", "K::cat({f23, tg::zeros({0}), f23}, 0)")
case("torch.cat([torch.tensor([]).double(), f23], 1)", "K::cat({tg::zeros({0}, tg::dtype(tg::kDouble)), f23}, 1)")
case("torch.cat([torch.tensor([]), torch.tensor([]).double()], 0)", "K::cat({tg::zeros({0}), tg::zeros({0}, tg::dtype(tg::kDouble))}, 0)")
case("torch.cat([torch.zeros(0, 3), f23], 0)", "K::cat({tg::zeros({0, 3}), f23}, 0)")
case("torch.cat([f3.expand(2, 3), f23], 0)", "K::cat({tg::raw::expand(f3, {2, 3}), f23}, 0)")
case("torch.cat([f23], 1)", "K::cat({f23}, 1)")
case("torch.stack([f23, f23], 1)", "K::stack({f23, f23}, 1)")
case("torch.stack([f23, f32.t()], 2)", "K::stack({f23, tg::raw::t(f32)}, 2)")
case("torch.stack([f23, d22.narrow(1, 0, 1).expand(2, 3)], -2)", "K::stack({f23, tg::raw::expand(tg::raw::narrow(d22, 1, 0, 1), {2, 3})}, -2)")
case("torch.stack([s0, torch.tensor(3)], 0)", "K::stack({s0, tg::tensor(3)}, 0)")
case("torch.stack([torch.tensor([]), torch.tensor([])], 1)", "K::stack({tg::zeros({0}), tg::zeros({0})}, 1)")


# ---- output ---------------------------------------------------------------------------------------


def element_type(dtype):
    if dtype.is_complex:
        return "std::complex<double>"
    return {torch.bool: "bool", torch.int64: "std::int64_t"}.get(dtype, "double")


def expected_value(x, dtype):
    return str(x) if dtype == torch.int64 else cpp_value(x, dtype)


def raw(s):
    return 'R"tg(%s)tg"' % s


def result_of(py):
    try:
        return eval(py, ENV)
    except Exception:
        print("failing case:", py)
        raise


for section, cases in CASES.items():
    lines = ["// Generated by test/tensor/kernels/make_kernel_reference.py (torch %s). Do not edit.\n" % torch.__version__]
    used = [name for name in FIXTURES if any(re.search(r"\b%s\b" % name, py) for py, _ in cases)]
    for name in used:
        t = FIXTURES[name]
        lines.append("TG_FIXTURE(%s, tg::tensor(%s, tg::dtype(tg::%s)))\n" % (name, cpp_nested(t.tolist(), t.dtype), TG[t.dtype]))
    for py, cpp in cases:
        r = result_of(py)
        sizes = "(V{" + ", ".join(str(s) for s in r.shape) + "})"
        values = ", ".join(expected_value(v, r.dtype) for v in flat(r))
        lines.append("TG_CASE(%s,\n        (%s),\n        tg::%s, %s, %s, {%s})\n"
                     % (raw(py), cpp, TG[r.dtype], sizes, element_type(r.dtype), values))
    with open(os.path.join(HERE, "%s_reference.inc" % section), "w") as f:
        f.write("".join(lines))
    print("%s_reference.inc: %d fixtures, %d cases" % (section, len(used), len(cases)))
