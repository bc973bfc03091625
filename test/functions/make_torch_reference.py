#!/usr/bin/python3
"""Reference values from PyTorch 1.13 for typegrad's differentiable functions (test/functions/).

    /usr/bin/python3 test/functions/make_torch_reference.py

(/usr/bin/python3 is Debian's python3 with python3-torch.) Writes, next to this script,
torch_reference.inc: one row per case of CASES below, in this order, as a braced initializer
of `ref_case` (torch_reference.test.cpp):

  {"name", {inputs...}, output, weight, {grads...}, {v...}, {second...}, "GradFnName"},

each tensor as {defined, requires_grad, dtype, {sizes}, {values}} with the values flattened in
row-major order as double literals of 17 significant digits (complex ones as real, imaginary
pairs). For a case y = f(inputs):

  output  y (its requires_grad is true for every case; its dtype is checked too).
  weight  w, fixed weights of y's shape and dtype (a formula of the flat index, no RNG).
  grads   g_i = dL/dx_i for every input that requires grad, with the real loss
              L = (y * w).sum()                      for real y,
              L = (y * w.conj()).sum().real          for complex y,
          so g_i is torch's .grad (conjugate Wirtinger for complex x: dL/dRe + i dL/dIm); taken
          with create_graph=True. `requires_grad` of a gradient says whether it has a graph.
  v       fixed directions of the inputs' shapes and dtypes.
  second  d s / d x_i (double backward) for s = sum_i Re(sum(g_i * conj(v_i))), i.e. the
          Hessian of L applied to v; undefined (defined = false) where torch returns None
          (allow_unused) and all undefined when s has no graph at all.
  node    type(y.grad_fn).__name__.

Inputs are written out literally below (double, complex double, Long, Bool); the few float /
bfloat16 / half rows convert them with torch first, so both sides start from the same rounded
values. Cases where typegrad disagrees with torch are kept out of CASES and listed in
DISAGREEMENTS (the reason is written into the .inc as a comment).

The test only reads the .inc; it does not need torch. A rerun reproduces it byte for byte.
"""
import math
import os

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
TG = {
    torch.float16: "tg::kHalf",
    torch.bfloat16: "tg::kBFloat16",
    torch.float32: "tg::kFloat",
    torch.float64: "tg::kDouble",
    torch.complex64: "tg::kComplexFloat",
    torch.complex128: "tg::kComplexDouble",
    torch.bool: "tg::kBool",
    torch.int64: "tg::kLong",
}

# ---- literal inputs ---------------------------------------------------------------------------
X23 = [[0.3, -1.2, 0.7], [1.5, -0.4, 2.1]]         # any sign
Y23 = [[-0.8, 0.45, 1.1], [0.25, -1.7, 0.9]]        # a second one, different everywhere
P23 = [[0.3, 1.2, 0.7], [1.5, 0.4, 2.1]]            # positive
Q23 = [[1.1, 0.35, 2.4], [0.6, 1.9, 0.85]]          # positive, a second one
U23 = [[0.3, -0.6, 0.7], [0.15, -0.4, 0.85]]        # in (-1, 1)
G23 = [[10.5, 11.25, 12.0], [13.5, 10.25, 14.75]]   # >= 10, where torch 1.13's trigamma is accurate
A23 = [[1.3, 2.2, 1.7], [3.5, 1.05, 2.1]]           # > 1
X4 = [0.5, -1.25, 2.0, 0.75]
Y4 = [1.5, 0.25, -0.5, 1.0]
X3 = [0.3, -1.2, 0.7]
P3 = [0.3, 1.2, 0.7]
M32 = [[0.5, -1.0], [1.5, 0.25], [-0.75, 2.0]]
M34 = [[0.2, -0.5, 1.1, 0.4], [-1.3, 0.6, 0.3, -0.2], [0.9, 1.4, -0.8, 0.5]]
B234 = [[[0.2, -0.5, 1.1, 0.4], [-1.3, 0.6, 0.3, -0.2], [0.9, 1.4, -0.8, 0.5]],
        [[0.7, 0.1, -0.6, 1.2], [0.35, -0.9, 1.6, -0.45], [-0.15, 0.8, 0.55, -1.1]]]
B242 = [[[0.5, -1.0], [1.5, 0.25], [-0.75, 2.0], [0.3, 0.6]],
        [[-0.4, 0.9], [1.2, -0.3], [0.65, 0.45], [-1.1, 0.2]]]
T23_TIES = [[1.0, 2.0, 2.0], [0.5, 0.5, -1.0]]      # ties for amax / amin / max
TIE_A = [1.0, 2.0, 3.0, -0.5]                       # maximum/minimum: equal at 0
TIE_B = [1.0, 0.5, 4.0, -0.25]
ZERO1 = [[0.5, 0.0, 2.0], [1.5, -0.5, 3.0]]         # prod with one zero
ZERO2 = [[0.5, 0.0, 0.0], [1.5, -0.5, 3.0]]         # prod with two zeros in a row
Z3 = [0.3 + 0.4j, -1.2 + 0.5j, 0.7 - 0.9j]
W3 = [-0.5 + 1.1j, 0.8 - 0.3j, 0.45 + 0.6j]
ZP3 = [0.6 + 0.4j, 0.5 - 0.7j, 1.3 + 0.2j]          # right half plane
ZS3 = [0.3 + 0.2j, -0.25 + 0.4j, 0.15 - 0.35j]      # small, |z| < 1
Z22 = [[0.3 + 0.4j, -1.2 + 0.5j], [0.7 - 0.9j, 0.2 + 1.1j]]
W22 = [[-0.5 + 1.1j, 0.8 - 0.3j], [0.45 + 0.6j, -0.9 - 0.2j]]


def D(v, dtype=torch.float64, grad=True):
    return (torch.tensor(v, dtype=dtype), grad)


def Z(v, grad=True):
    return (torch.tensor(v, dtype=torch.complex128), grad)


def L(v):
    return (torch.tensor(v, dtype=torch.int64), False)


def B(v):
    return (torch.tensor(v, dtype=torch.bool), False)


def C(v):
    """A double input that does not require grad."""
    return D(v, grad=False)


def f32(v):
    return D(v, torch.float32)


def bf16(v):
    return D(v, torch.bfloat16)


def f16(v):
    return D(v, torch.float16)


CASES = []


def case(name, fn, *inputs):
    CASES.append((name, fn, list(inputs)))


# Cases left out because typegrad and torch 1.13 disagree: name -> reason. Each is written into
# the .inc as a comment in its place and is not in the C++ table (kCases) either.
DISAGREEMENTS = {}


def disagree(names, reason):
    for name in names.split():
        DISAGREEMENTS[name] = reason


# typegrad's grad_fn names differ from torch 1.13's (values and derivatives agree):
disagree("real imag", "grad_fn RealBackward0 / ImagBackward0, torch SelectBackward0 (view_as_real(z).select(-1, k))")
disagree("polar", "grad_fn AddBackward0 (polar is composite), torch PolarBackward0")
disagree("matmul_1d_2d", "grad_fn SqueezeBackward1, torch SqueezeBackward3 (in-place squeeze_(0))")
disagree("matmul_3d_2d matmul_3d_1d matmul_3d_3d", "grad_fn ReshapeAliasBackward0, torch UnsafeViewBackward0")
disagree("matmul_2d_3d", "grad_fn ReshapeAliasBackward0, torch CloneBackward0")
# typegrad's gradient has no graph where torch's has one (whose derivative is zero): torch's
# second derivative is defined (zeros), typegrad's undefined (autograd::grad needs allow_unused):
disagree("relu", "the gradient has no graph (torch: threshold_backward(grad, result), second derivative zeros)")
disagree("nll_loss nll_loss_sum nll_loss_none nll_loss_1d",
         "the gradient has no graph (torch: nll_loss_backward(grad, self, ...), second derivative zeros)")
disagree("norm_0", "the gradient is defined zeros, torch's is undefined (None)")
disagree("polygamma_2 polygamma_3", "the backward of polygamma(3, x) and the double backward of polygamma(2, x) "
         "need polygamma(4, x): typegrad throws 'polygamma(n, x) is implemented for n <= 3 (n = 4)'")
# torch 1.13 is wrong, typegrad right:
disagree("lgamma digamma polygamma_1", "torch 1.13's trigamma is off by up to 5e-10 relative for x < 10 "
         "(1.2673772060383834 at 1.2, mpmath 1.2673772054237793 = typegrad); see the *_large cases")
disagree("prod_two_zeros", "torch's prod() backward with two or more zeros returns zeros without a graph, so its "
         "second derivative is None; the mixed second derivative at the two zeros is the product of the other "
         "elements, which typegrad gives")
disagree("dot_complex", "torch.dot of complex128 returns 0 in this torch 1.13 build (BLAS zdotu); typegrad gives "
         "the right -0.545+0.905i")


# ---- arithmetic (functions/arithmetic.hpp) ----------------------------------------------------
case("add", lambda x: x[0] + x[1], D(X23), D(Y23))
case("add_broadcast", lambda x: x[0] + x[1], D([[0.5], [-1.5]]), D([[0.25, -0.75, 1.25]]))
case("add_alpha", lambda x: torch.add(x[0], x[1], alpha=2.5), D(X23), D(Y23))
case("sub", lambda x: x[0] - x[1], D(X23), D(Y23))
case("sub_alpha", lambda x: torch.sub(x[0], x[1], alpha=-1.5), D(X23), D(Y23))
case("mul", lambda x: x[0] * x[1], D(X23), D(Y23))
case("mul_broadcast", lambda x: x[0] * x[1], D(X23), D(X3))
case("mul_self", lambda x: x[0] * x[0], D(X23))
case("div", lambda x: x[0] / x[1], D(X23), D(Q23))
case("div_broadcast", lambda x: x[0] / x[1], D(X23), D([[1.5], [0.8]]))
case("neg", lambda x: -x[0], D(X23))
case("reciprocal", lambda x: torch.reciprocal(x[0]), D(X23))
case("tensor_plus_number", lambda x: x[0] + 2.0, D(X23))
case("number_plus_tensor", lambda x: 2.0 + x[0], D(X23))
case("tensor_minus_number", lambda x: x[0] - 2.0, D(X23))
case("number_minus_tensor", lambda x: 1.0 - x[0], D(X23))
case("tensor_times_number", lambda x: x[0] * 2.0, D(X23))
case("number_times_tensor", lambda x: 2.0 * x[0], D(X23))
case("tensor_div_number", lambda x: x[0] / 2.0, D(X23))
case("number_div_tensor", lambda x: 1.0 / x[0], D(X23))
case("number_div_tensor_3", lambda x: 3.0 / x[0], D(X23))
case("add_complex", lambda x: x[0] + x[1], Z(Z3), Z(W3))
case("sub_complex", lambda x: x[0] - x[1], Z(Z3), Z(W3))
case("mul_complex", lambda x: x[0] * x[1], Z(Z3), Z(W3))
case("div_complex", lambda x: x[0] / x[1], Z(Z3), Z(W3))
case("mul_real_complex", lambda x: x[0] * x[1], D(X3), Z(W3))
case("complex_times_number", lambda x: x[0] * 2.0, Z(Z3))
case("complex_times_complex_number", lambda x: x[0] * (0.5 - 1.0j), Z(Z3))
case("real_times_complex_number", lambda x: x[0] * (0.5 - 1.0j), D(X3))
case("number_minus_complex", lambda x: 1.0 - x[0], Z(Z3))
case("number_div_complex", lambda x: 1.0 / x[0], Z(Z3))
case("reciprocal_complex", lambda x: torch.reciprocal(x[0]), Z(Z3))
case("neg_complex", lambda x: -x[0], Z(Z3))

# ---- elementwise functions (functions/pointwise.hpp) ------------------------------------------
UNARY = [  # (name, torch function, real input, complex input or None)
    ("exp", torch.exp, X23, Z3),
    ("exp2", torch.exp2, X23, None),          # torch 1.13: exp2 has no complex kernel
    ("expm1", torch.expm1, X23, None),        # torch 1.13: no complex kernel
    ("log", torch.log, P23, Z3),
    ("log2", torch.log2, P23, Z3),
    ("log10", torch.log10, P23, Z3),
    ("log1p", torch.log1p, P23, None),        # torch 1.13: no complex kernel
    ("sqrt", torch.sqrt, P23, ZP3),
    ("rsqrt", torch.rsqrt, P23, ZP3),
    ("sin", torch.sin, X23, Z3),
    ("cos", torch.cos, X23, Z3),
    ("tan", torch.tan, U23, ZS3),
    ("asin", torch.asin, U23, ZS3),
    ("acos", torch.acos, U23, ZS3),
    ("atan", torch.atan, X23, ZS3),
    ("sinh", torch.sinh, X23, Z3),
    ("cosh", torch.cosh, X23, Z3),
    ("tanh", torch.tanh, X23, Z3),
    ("asinh", torch.asinh, X23, Z3),
    ("acosh", torch.acosh, A23, ZP3),
    ("atanh", torch.atanh, U23, ZS3),
    ("erf", torch.erf, X23, None),
    ("erfc", torch.erfc, X23, None),
    ("lgamma", torch.lgamma, P23, None),
    ("digamma", torch.digamma, P23, None),
    ("sigmoid", torch.sigmoid, X23, Z3),
    ("relu", torch.relu, X23, None),
    ("softplus", F.softplus, X23, None),
    ("square", torch.square, X23, Z3),
    ("abs", torch.abs, X23, Z3),
    ("sgn", torch.sgn, X23, Z3),
    ("sign", torch.sign, X23, None),
]
for name, fn, real_input, complex_input in UNARY:
    case(name, (lambda f: lambda x: f(x[0]))(fn), D(real_input))
    if complex_input is not None:
        case(name + "_complex", (lambda f: lambda x: f(x[0]))(fn), Z(complex_input))
for n in (1, 2, 3):
    case("polygamma_%d" % n, (lambda k: lambda x: torch.polygamma(k, x[0]))(n), D(P23))
# trigamma is the derivative of digamma and the second derivative of lgamma; torch 1.13's is
# accurate for x >= 10 only (see DISAGREEMENTS), so these run there too.
case("lgamma_large", lambda x: torch.lgamma(x[0]), D(G23))
case("digamma_large", lambda x: torch.digamma(x[0]), D(G23))
case("polygamma_1_large", lambda x: torch.polygamma(1, x[0]), D(G23))

case("pow_number_2_5", lambda x: torch.pow(x[0], 2.5), D(P23))
case("pow_number_3", lambda x: torch.pow(x[0], 3.0), D(X23))
case("pow_number_neg_1_5", lambda x: torch.pow(x[0], -1.5), D(P23))
case("pow_number_0", lambda x: torch.pow(x[0], 0.0), D(X23))
case("pow_number_2_complex", lambda x: torch.pow(x[0], 2.0), Z(Z3))
case("pow_number_complex_exponent", lambda x: torch.pow(x[0], 1.5 - 0.5j), Z(ZP3))
case("pow_base_2", lambda x: torch.pow(2.0, x[0]), D(X23))
case("pow_base_0_5", lambda x: torch.pow(0.5, x[0]), D(X23))
case("pow_base_0", lambda x: torch.pow(0.0, x[0]), D(P23))
case("pow_base_2_complex", lambda x: torch.pow(2.0, x[0]), Z(Z3))
case("pow_tensor", lambda x: torch.pow(x[0], x[1]), D(P23), D(X23))
case("pow_tensor_broadcast", lambda x: torch.pow(x[0], x[1]), D(P23), D([[2.0], [0.5]]))
case("pow_tensor_complex", lambda x: torch.pow(x[0], x[1]), Z(ZP3), Z(ZS3))
case("atan2", lambda x: torch.atan2(x[0], x[1]), D(X23), D(Y23))
case("hypot", lambda x: torch.hypot(x[0], x[1]), D(X23), D(Y23))
case("maximum", lambda x: torch.maximum(x[0], x[1]), D(X23), D(Y23))
case("minimum", lambda x: torch.minimum(x[0], x[1]), D(X23), D(Y23))
case("maximum_ties", lambda x: torch.maximum(x[0], x[1]), D(TIE_A), D(TIE_B))
case("minimum_ties", lambda x: torch.minimum(x[0], x[1]), D(TIE_A), D(TIE_B))
case("maximum_broadcast", lambda x: torch.maximum(x[0], x[1]), D(X23), D(X3))
case("fmax", lambda x: torch.fmax(x[0], x[1]), D(X23), D(Y23))
case("fmin", lambda x: torch.fmin(x[0], x[1]), D(X23), D(Y23))
case("fmax_ties", lambda x: torch.fmax(x[0], x[1]), D(TIE_A), D(TIE_B))
case("clamp", lambda x: torch.clamp(x[0], -0.5, 1.0), D(X23))
case("clamp_min", lambda x: torch.clamp(x[0], min=-0.5), D(X23))
case("clamp_max", lambda x: torch.clamp(x[0], max=1.0), D(X23))
case("clamp_at_bounds", lambda x: torch.clamp(x[0], -1.2, 0.7), D(X3))
case("where", lambda x: torch.where(x[0], x[1], x[2]), B([[True, False, True], [False, False, True]]), D(X23), D(Y23))
case("where_broadcast", lambda x: torch.where(x[0], x[1], x[2]), B([[True, False, True], [False, False, True]]), D(X3),
     D([[0.5], [-1.5]]))
case("where_number", lambda x: torch.where(x[0], x[1], 0.0), B([[True, False, True], [False, False, True]]), D(X23))
case("where_complex", lambda x: torch.where(x[0], x[1], x[2]), B([True, False, True]), Z(Z3), Z(W3))

# ---- complex (functions/complex.hpp) --------------------------------------------------------
case("real", lambda x: torch.real(x[0]), Z(Z3))
case("imag", lambda x: torch.imag(x[0]), Z(Z3))
case("conj", lambda x: torch.conj(x[0]), Z(Z3))
case("conj_times", lambda x: torch.conj(x[0]) * x[1], Z(Z3), Z(W3))
case("abs_complex_squared", lambda x: torch.abs(x[0]) * torch.abs(x[0]), Z(Z3))
case("angle", lambda x: torch.angle(x[0]), Z(Z3))
case("angle_real", lambda x: torch.angle(x[0]), D(X23))
case("polar", lambda x: torch.polar(x[0], x[1]), D(P3), D(X3))

# ---- reductions (functions/reduce.hpp, reductions.hpp) ------------------------------------
case("sum", lambda x: x[0].sum(), D(X23))
case("sum_dim", lambda x: x[0].sum(1), D(X23))
case("sum_dims_keepdim", lambda x: x[0].sum([0, 1], keepdim=True), D(X23))
case("sum_neg_dim_keepdim", lambda x: x[0].sum(-2, keepdim=True), D(X23))
case("sum_complex", lambda x: x[0].sum(), Z(Z22))
case("mean", lambda x: x[0].mean(), D(X23))
case("mean_dim", lambda x: x[0].mean(0), D(X23))
case("mean_dim_keepdim", lambda x: x[0].mean(1, keepdim=True), D(X23))
case("mean_complex", lambda x: x[0].mean(), Z(Z22))
case("prod", lambda x: torch.prod(x[0]), D(X23))
case("prod_one_zero", lambda x: torch.prod(x[0]), D(ZERO1))
case("prod_two_zeros", lambda x: torch.prod(x[0]), D(ZERO2))
case("prod_dim", lambda x: torch.prod(x[0], 1), D(X23))
case("prod_dim_zeros", lambda x: torch.prod(x[0], 1), D(ZERO2))
case("prod_dim_keepdim", lambda x: torch.prod(x[0], 0, keepdim=True), D(ZERO1))
case("prod_complex", lambda x: torch.prod(x[0]), Z(Z3))
case("amax", lambda x: torch.amax(x[0]), D(X23))
case("amax_dim", lambda x: torch.amax(x[0], 1), D(X23))
case("amax_ties", lambda x: torch.amax(x[0], 1), D(T23_TIES))
case("amax_all_ties", lambda x: torch.amax(x[0], [0, 1], keepdim=True), D(T23_TIES))
case("amin", lambda x: torch.amin(x[0], 0), D(X23))
case("amin_ties", lambda x: torch.amin(x[0], 1, keepdim=True), D(T23_TIES))
case("max", lambda x: torch.max(x[0]), D(X23))
case("max_ties", lambda x: torch.max(x[0]), D(T23_TIES))
case("min", lambda x: torch.min(x[0]), D(X23))
case("min_ties", lambda x: torch.min(x[0]), D(T23_TIES))
case("max_dim", lambda x: torch.max(x[0], 1)[0], D(X23))
case("max_dim_keepdim", lambda x: torch.max(x[0], 0, keepdim=True)[0], D(X23))
case("min_dim", lambda x: torch.min(x[0], 1)[0], D(X23))
case("max_dim_ties", lambda x: torch.max(x[0], 1)[0], D(T23_TIES))
case("min_dim_ties", lambda x: torch.min(x[0], 1)[0], D(T23_TIES))
case("norm", lambda x: torch.norm(x[0]), D(X23))
case("norm_1", lambda x: torch.norm(x[0], 1), D(X23))
case("norm_3", lambda x: torch.norm(x[0], 3), D(X23))
case("norm_0_5", lambda x: torch.norm(x[0], 0.5), D(X23))
case("norm_inf", lambda x: torch.norm(x[0], float("inf")), D(X23))
case("norm_neg_inf", lambda x: torch.norm(x[0], float("-inf")), D(X23))
case("norm_0", lambda x: torch.norm(x[0], 0), D(X23))
case("norm_dim", lambda x: torch.norm(x[0], 2, [1]), D(X23))
case("norm_3_dim_keepdim", lambda x: torch.norm(x[0], 3, [0], keepdim=True), D(X23))
case("norm_complex", lambda x: torch.norm(x[0]), Z(Z3))
case("logsumexp", lambda x: torch.logsumexp(x[0], 1), D(X23))
case("logsumexp_all_keepdim", lambda x: torch.logsumexp(x[0], [0, 1], keepdim=True), D(X23))
case("var", lambda x: torch.var(x[0]), D(X23))
case("var_dim", lambda x: torch.var(x[0], 1), D(X23))
case("var_correction_0_keepdim", lambda x: torch.var(x[0], 0, correction=0, keepdim=True), D(X23))
case("var_correction_2", lambda x: torch.var(x[0], [0, 1], correction=2), D(X23))
case("var_complex", lambda x: torch.var(x[0]), Z(Z3))
case("std", lambda x: torch.std(x[0]), D(X23))
case("std_dim", lambda x: torch.std(x[0], 1), D(X23))
case("std_correction_0_keepdim", lambda x: torch.std(x[0], 0, correction=0, keepdim=True), D(X23))
case("std_complex", lambda x: torch.std(x[0]), Z(Z3))

# ---- matrix products (functions/linalg.hpp) -----------------------------------------------
case("mm", lambda x: torch.mm(x[0], x[1]), D(X23), D(M32))
case("mm_complex", lambda x: torch.mm(x[0], x[1]), Z(Z22), Z(W22))
case("mv", lambda x: torch.mv(x[0], x[1]), D(X23), D(X3))
case("mv_complex", lambda x: torch.mv(x[0], x[1]), Z(Z22), Z(W3[:2]))
case("bmm", lambda x: torch.bmm(x[0], x[1]), D(B234), D(B242))
case("dot", lambda x: torch.dot(x[0], x[1]), D(X4), D(Y4))
case("dot_complex", lambda x: torch.dot(x[0], x[1]), Z(Z3), Z(W3))
case("outer", lambda x: torch.outer(x[0], x[1]), D(X3), D(Y4))
case("matmul_1d_1d", lambda x: torch.matmul(x[0], x[1]), D(X4), D(Y4))
case("matmul_2d_1d", lambda x: torch.matmul(x[0], x[1]), D(M34), D(X4))
case("matmul_1d_2d", lambda x: torch.matmul(x[0], x[1]), D(X3), D(M34))
case("matmul_2d_2d", lambda x: torch.matmul(x[0], x[1]), D(X23), D(M34))
case("matmul_3d_2d", lambda x: torch.matmul(x[0], x[1]), D(B234), D(M32[:2] + [[0.1, 0.2], [0.3, -0.4]]))
case("matmul_3d_3d", lambda x: torch.matmul(x[0], x[1]), D(B234), D(B242))
case("matmul_3d_1d", lambda x: torch.matmul(x[0], x[1]), D(B234), D(X4))
case("matmul_2d_3d", lambda x: torch.matmul(x[0], x[1]), D(X23), D([[[0.5, -1.0], [1.5, 0.25], [-0.75, 2.0]],
                                                                      [[0.2, 0.4], [-0.6, 1.1], [0.9, -0.3]]]))
case("matmul_complex", lambda x: torch.matmul(x[0], x[1]), Z(Z22), Z(W22))

# ---- views and copies (functions/shape.hpp) -----------------------------------------------
case("view", lambda x: x[0].view(3, 2) * x[1], D(X23), D(M32))
case("view_alone", lambda x: x[0].view(-1), D(X23))
case("reshape", lambda x: x[0].reshape(3, 2), D(X23))
case("reshape_copy", lambda x: x[0].t().reshape(-1), D(X23))
case("transpose", lambda x: x[0].transpose(0, 1), D(X23))
case("t", lambda x: x[0].t(), D(X23))
case("permute", lambda x: x[0].permute(2, 0, 1), D(B234))
case("select", lambda x: x[0].select(1, 2), D(X23))
case("select_neg", lambda x: x[0].select(0, -1), D(X23))
case("narrow", lambda x: x[0].narrow(1, 1, 2), D(X23))
case("squeeze", lambda x: x[0].squeeze(), D([[[0.5], [-1.5], [2.5]]]))
case("squeeze_dim", lambda x: x[0].squeeze(2), D([[[0.5], [-1.5], [2.5]]]))
case("unsqueeze", lambda x: x[0].unsqueeze(1), D(X23))
case("expand", lambda x: x[0].expand(2, 3, 4), D([[0.5], [-1.5], [2.5]]))
case("expand_as", lambda x: x[0].expand_as(x[1]), D(X3), D(X23))
case("flatten", lambda x: x[0].flatten(), D(B234))
case("flatten_range", lambda x: x[0].flatten(1, 2), D(B234))
case("clone", lambda x: x[0].clone(), D(X23))
case("contiguous", lambda x: x[0].t().contiguous(), D(X23))
case("to_float", lambda x: x[0].to(torch.float32), D(X23))
case("to_complex", lambda x: x[0].to(torch.complex128), D(X3))
case("view_complex", lambda x: x[0].view(4), Z(Z22))
case("transpose_complex", lambda x: x[0].t(), Z(Z22))

# ---- joining and splitting (functions/join.hpp) ----------------------------------------------
case("cat", lambda x: torch.cat([x[0], x[1]]), D(X23), D(Y23))
case("cat_dim1", lambda x: torch.cat([x[0], x[1], x[0]], 1), D(X23), D(M32[:2]))
case("stack", lambda x: torch.stack([x[0], x[1]]), D(X23), D(Y23))
case("stack_dim2", lambda x: torch.stack([x[0], x[1]], 2), D(X23), D(Y23))
case("split", lambda x: torch.split(x[0], 2, 1)[1], D(M34))
case("split_product", lambda x: (lambda p: p[0] * p[1])(torch.split(x[0], 2, 1)), D(M34))
case("split_with_sizes", lambda x: torch.split(x[0], [1, 3], 1)[1], D(M34))
case("chunk", lambda x: torch.chunk(x[0], 2, 0)[0], D(M34))
case("unbind", lambda x: torch.unbind(x[0], 1)[2], D(M34))
case("unbind_product", lambda x: (lambda p: p[0] * p[2])(torch.unbind(x[0])), D(M34))

# ---- indexing (functions/indexing.hpp) ------------------------------------------------------
case("index_select", lambda x: torch.index_select(x[0], 1, x[1]), D(M34), L([3, 0, 3]))
case("index_select_dim0", lambda x: torch.index_select(x[0], 0, x[1]), D(M34), L([2, 2, 0, 1]))
case("index_add", lambda x: torch.index_add(x[0], 0, x[2], x[1]), D(M34),
     D([[0.5, -1.0, 0.25, 2.0], [1.5, 0.3, -0.7, 0.9]]), L([2, 0]))
case("index_add_repeated", lambda x: torch.index_add(x[0], 1, x[2], x[1]), D(M34), D(M32), L([1, 1]))
case("gather", lambda x: torch.gather(x[0], 1, x[1]), D(M34), L([[0, 3], [1, 1], [2, 0]]))
case("scatter_add", lambda x: torch.scatter_add(x[0], 1, x[2], x[1]), D(M34), D(M32), L([[0, 3], [1, 1], [2, 0]]))
case("repeat", lambda x: x[0].repeat(2, 1, 3), D(X23))
case("repeat_same_rank", lambda x: x[0].repeat(3, 2), D(X23))

# ---- neural-network functions (functions/nn.hpp) ------------------------------------------
case("softmax", lambda x: torch.softmax(x[0], 1), D(X23))
case("softmax_dim0", lambda x: torch.softmax(x[0], 0), D(X23))
case("log_softmax", lambda x: torch.log_softmax(x[0], 1), D(X23))
case("log_softmax_dim0", lambda x: torch.log_softmax(x[0], 0), D(X23))
case("mse_loss", lambda x: F.mse_loss(x[0], x[1]), D(X23), D(Y23))
case("mse_loss_sum", lambda x: F.mse_loss(x[0], x[1], reduction="sum"), D(X23), D(Y23))
case("mse_loss_none", lambda x: F.mse_loss(x[0], x[1], reduction="none"), D(X23), D(Y23))
case("mse_loss_constant_target", lambda x: F.mse_loss(x[0], x[1]), D(X23), C(Y23))
case("nll_loss", lambda x: F.nll_loss(x[0], x[1]), D(M34), L([1, 3, 0]))
case("nll_loss_sum", lambda x: F.nll_loss(x[0], x[1], reduction="sum"), D(M34), L([1, 3, 0]))
case("nll_loss_none", lambda x: F.nll_loss(x[0], x[1], reduction="none"), D(M34), L([1, 3, 0]))
case("nll_loss_1d", lambda x: F.nll_loss(x[0], x[1]), D(X4), L(2))
case("cross_entropy", lambda x: F.cross_entropy(x[0], x[1]), D(M34), L([1, 3, 0]))
case("cross_entropy_sum", lambda x: F.cross_entropy(x[0], x[1], reduction="sum"), D(M34), L([1, 3, 0]))
case("cross_entropy_none", lambda x: F.cross_entropy(x[0], x[1], reduction="none"), D(M34), L([1, 3, 0]))
case("cross_entropy_1d", lambda x: F.cross_entropy(x[0], x[1]), D(X4), L(2))

# ---- in-place operations on non-leaves (functions/inplace.hpp) ----------------------------
case("add_", lambda x: (x[0] * 1.0).add_(x[1], alpha=2.0), D(X23), D(Y23))
case("add_number_", lambda x: (x[0] * x[0]).add_(1.5), D(X23))
case("sub_", lambda x: (x[0] * x[0]).sub_(x[1]), D(X23), D(Y23))
case("mul_", lambda x: (x[0] * 1.0).mul_(x[1]), D(X23), D(Y23))
case("mul_number_", lambda x: (x[0] * x[0]).mul_(-2.0), D(X23))
case("div_", lambda x: (x[0] * x[0]).div_(x[1]), D(X23), D(Q23))
case("div_number_", lambda x: (x[0] * x[0]).div_(4.0), D(X23))
case("zero_", lambda x: (x[0] * x[0]).zero_() + x[0], D(X23))
case("fill_", lambda x: (x[0] * x[0]).fill_(2.5), D(X23))
case("copy_", lambda x: (x[0] * 1.0).copy_(x[1] * x[1]), D(X23), D(Y23))
case("copy_broadcast_", lambda x: (x[0] * 1.0).copy_(x[1]), D(X23), D(X3))
case("clamp_", lambda x: (x[0] * x[0]).clamp_(0.2, 1.5), D(X23))
case("clamp_min_", lambda x: (x[0] * 1.0).clamp_(-0.5), D(X23))
case("mul_complex_", lambda x: (x[0] * 1.0).mul_(x[1]), Z(Z3), Z(W3))

# ---- float, bfloat16 and half (computed in float and stored narrow) -------------------------
case("exp_float", lambda x: torch.exp(x[0]), f32(X23))
case("sigmoid_float", lambda x: torch.sigmoid(x[0]), f32(X23))
case("mul_float", lambda x: x[0] * x[1], f32(X23), f32(Y23))
case("mm_float", lambda x: torch.mm(x[0], x[1]), f32(X23), f32(M32))
case("softmax_float", lambda x: torch.softmax(x[0], 1), f32(X23))
case("sum_float", lambda x: (x[0] * x[0]).sum(), f32(X23))
case("exp_bfloat16", lambda x: torch.exp(x[0]), bf16(X23))
case("mul_bfloat16", lambda x: x[0] * x[1], bf16(X23), bf16(Y23))
case("tanh_bfloat16", lambda x: torch.tanh(x[0]), bf16(X23))
case("mul_half", lambda x: x[0] * x[1], f16(X23), f16(Y23))
case("div_half", lambda x: x[0] / x[1], f16(X23), f16(Q23))
case("pow_half", lambda x: torch.pow(x[0], 2.0), f16(X23))
case("mixed_float_double", lambda x: x[0] * x[1], f32(X23), D(Y23))


# ---- evaluation -------------------------------------------------------------------------------

def weights(shape, dtype, salt):
    """Fixed values k/8 (never 0) from the flat index: the same on every run, exact in half."""
    n = 1
    for s in shape:
        n *= s
    re = [((k * 5 + 3 + salt) % 11 - 5.5) / 4.0 for k in range(n)]
    if dtype.is_complex:
        im = [((k * 7 + 2 + salt) % 9 - 4.5) / 4.0 for k in range(n)]
        t = torch.complex(torch.tensor(re, dtype=torch.float64), torch.tensor(im, dtype=torch.float64))
    else:
        t = torch.tensor(re, dtype=torch.float64)
    return t.to(dtype).reshape(shape)


def number(x):
    x = float(x)
    if math.isnan(x):
        return "tg_nan"
    if math.isinf(x):
        return "tg_inf" if x > 0 else "-tg_inf"
    s = "%.17g" % x
    if all(c not in s for c in ".en"):
        s += ".0"
    return s


def block(t):
    if t is None:
        return "{false, false, tg::kDouble, {}, {}}"
    data = t.detach()
    if data._is_zerotensor():  # torch's storage-less zeros (ZeroTensor), from some formulas
        data = torch.zeros(data.shape, dtype=data.dtype)
    values = data.resolve_conj().resolve_neg().reshape(-1).tolist()
    if t.dtype.is_complex:
        flat = [p for z in values for p in (z.real, z.imag)]
    else:
        flat = values
    return "{true, %s, %s, {%s}, {%s}}" % ("true" if t.requires_grad else "false", TG[t.dtype],
                                           ", ".join(str(s) for s in t.shape), ", ".join(number(v) for v in flat))


def real_loss(y, w):
    if y.dtype.is_complex:
        return (y * w.conj()).sum().real
    return (y * w).sum()


def evaluate(name, fn, specs):
    inputs = []
    for value, grad in specs:
        t = value.clone()
        if grad:
            t.requires_grad_(True)
        inputs.append(t)
    diff = [t for t in inputs if t.requires_grad]
    y = fn(inputs)
    assert isinstance(y, torch.Tensor) and y.requires_grad and y.grad_fn is not None, name
    w = weights(tuple(y.shape), y.dtype, 0)
    loss = real_loss(y, w)
    grads = torch.autograd.grad(loss, diff, create_graph=True, allow_unused=True)
    vs = [weights(tuple(t.shape), t.dtype, 3 + i) for i, t in enumerate(diff)]
    s = None
    for g, v in zip(grads, vs):
        if g is None:
            continue
        term = (g * v.conj()).sum()
        term = term.real if term.dtype.is_complex else term
        s = term if s is None else s + term
    if s is not None and s.requires_grad:
        second = torch.autograd.grad(s, diff, allow_unused=True)
    else:
        second = [None] * len(diff)
    rows = [
        '{"%s",' % name,
        "    {%s}," % ", ".join(block(t) for t in inputs),
        "    %s," % block(y),
        "    %s," % block(w),
        "    {%s}," % ", ".join(block(g) for g in grads),
        "    {%s}," % ", ".join(block(v) for v in vs),
        "    {%s}," % ", ".join(block(g) for g in second),
        '    "%s"},' % type(y.grad_fn).__name__,
    ]
    return "\n".join(rows)


def main():
    names = [c[0] for c in CASES]
    assert len(names) == len(set(names)), "duplicate case names"
    assert all(n in names for n in DISAGREEMENTS), "a left-out case is not in CASES"
    lines = ["// Generated by test/functions/make_torch_reference.py (torch %s): values, first and second"
             % torch.__version__,
             "// derivatives and grad_fn names of typegrad's differentiable functions. Do not edit.",
             "// ref_case: {name, {inputs}, output, weight, {grads}, {v}, {second}, node};",
             "// tensors: {defined, requires_grad, dtype, {sizes}, {values (complex: re, im pairs)}}."]
    for name, fn, specs in CASES:
        if name in DISAGREEMENTS:
            lines.append("// left out (typegrad and torch 1.13 disagree): %s: %s" % (name, DISAGREEMENTS[name]))
            continue
        lines.append(evaluate(name, fn, specs))
    text = "\n".join(lines) + "\n"
    with open(os.path.join(HERE, "torch_reference.inc"), "w") as f:
        f.write(text)
    print("torch_reference.inc: %d cases (%d left out)" % (len(CASES) - len(DISAGREEMENTS), len(DISAGREEMENTS)))


if __name__ == "__main__":
    main()
