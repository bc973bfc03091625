#!/usr/bin/python3
"""Reference values, gradients and Hessians from PyTorch for typegrad's static layer.

    /usr/bin/python3 test/reference/make_torch_reference.py > test/reference/torch_reference.inc

(/usr/bin/python3 is Debian's python3 with python3-torch 1.13). The tests
(torch_reference*.test.cpp) only read the generated file; they do not need torch.

Every formula below has a twin, under the same name, written as a typegrad generic lambda in
the tests; the tests fail when a name exists on one side only. The .inc file is a list of
X-macro calls, one per (formula, point); the including TU defines the four macros:

  TG_TORCH_REAL(name, {x...}, f, {df/dx_i...}, {{d2f/dx_i dx_j...}...})
      real scalar formulas of 1-3 float64 arguments; gradient from torch.autograd.grad, Hessian
      from torch.autograd.functional.hessian.
  TG_TORCH_HOLOMORPHIC(name, {{re, im}...}, {re, im}, {{re, im}...})
      holomorphic complex formulas of complex128 arguments: value and the complex derivatives
      df/dz_i. torch has no "complex derivative" call: for a real loss L it returns
      dL/dx + i dL/dy (autograd.md section 7), and for L = real(f) with f holomorphic that is
      conj(f'(z)) (Cauchy-Riemann). The script checks the imaginary part agrees:
      grad(imag(f)) = i conj(f').
  TG_TORCH_COMPLEX_LOSS(name, {{re, im}...}, L, {{re, im}...})
      real-valued losses of complex arguments: value and z.grad in torch's convention.
  TG_TORCH_ARRAY(name, {{arg0...}, {arg1...}, ...}, f, {{grad0...}, {grad1...}, ...})
      formulas over 1-D float64 tensors (and scalars, written as one-element lists; the C++
      side knows which arguments are scalars).

Numbers are Python's repr of the float64 (the shortest decimal that reads back to the same
double), so the C++ literals are exact. Points are fixed lists plus a few pseudo-random ones
drawn from a per-formula seed (crc32 of the name), so adding a formula leaves the others'
points alone and a rerun reproduces the file byte for byte (torch runs single-threaded here).
"""
import math
import random
import sys
import zlib

import torch

torch.set_num_threads(1)
F64 = torch.float64
C128 = torch.complex128

# ---------------------------------------------------------------------------------------------
# Real scalar formulas: (name, function of 0-d float64 tensors, per-argument domains, extra
# points). Domains are (lo, hi) for the random points; extra points pin down ties, thresholds
# and branches.
# ---------------------------------------------------------------------------------------------
t = torch
nnf = torch.nn.functional
LOG_SQRT_2PI = 0.5 * math.log(2 * math.pi)

REAL = [
    # arithmetic, mixed with constants
    ("arith", lambda x, y: x * y + x / y - 3 * x + 2 / y - (-y), [(-3, 3), (0.5, 3)], [(1.5, -0.5)]),
    ("rational", lambda x, y, z: (x * x - y * z) / (1 + x * x + y * y) + z / 4, [(-2, 2)] * 3, []),
    ("square", lambda x, y: t.square(x - 2 * y) * x, [(-2, 2)] * 2, []),
    # pow: scalar exponents (negative base allowed for integer ones), tensor exponents
    ("pow_int", lambda x: t.pow(x, 3.0) - 2 * t.pow(x, 2.0), [(-3, 3)], [(-1.5,), (0.0,)]),
    ("pow_frac", lambda x: t.pow(x, 2.5) + t.pow(x, -1.5), [(0.1, 4)], []),
    ("pow_tensor", lambda x, y: t.pow(x, y), [(0.1, 3), (-2, 3)], [(2.0, 0.5), (0.5, -1.0)]),
    ("pow_base", lambda x: t.pow(2.0, x) + t.pow(x, x), [(0.1, 3)], []),
    ("sqrt", lambda x, y: t.sqrt(x * x + y * y + 1) + t.sqrt(x * y), [(0.1, 4)] * 2, []),
    ("cbrt", lambda x: t.pow(x, 1.0 / 3.0) * x, [(0.1, 8)], [(8.0,)]),
    # exponentials and logarithms
    ("exp_log", lambda x, y: t.exp(x) * t.log(y) + x * t.exp(-x * y), [(-2, 2), (0.1, 4)], []),
    ("exp2", lambda x, y: t.exp2(x) * y + t.exp2(x * y), [(-3, 3)] * 2, []),
    ("expm1", lambda x, y: t.expm1(x) / y + t.expm1(x * y), [(-1, 1), (0.5, 2)], [(1e-5, 1.5), (-3e-9, 0.75)]),
    ("log1p", lambda x: t.log1p(x) + t.log1p(x * x), [(-0.9, 3)], [(1e-6,), (-2.5e-10,)]),
    ("log2_log10", lambda x, y: t.log2(x) * y + t.log10(x * y), [(0.1, 10)] * 2, [(8.0, 0.1)]),
    # trigonometric
    ("sin_cos", lambda x, y: t.sin(x) * t.cos(y) + t.cos(x * y), [(-4, 4)] * 2, []),
    ("tan", lambda x, y: t.tan(x * y) + t.tan(x), [(-1, 1)] * 2, []),
    ("asin_acos", lambda x, y: t.asin(x) * t.acos(y) + t.acos(x * y), [(-0.9, 0.9)] * 2, []),
    ("atan", lambda x, y: t.atan(x / y) + t.atan(x), [(-3, 3), (0.5, 3)], []),
    ("atan2", lambda y, x: t.atan2(y, x) * (1 + y), [(-2, 2)] * 2,
     [(1.0, 1.0), (1.0, -1.0), (-1.0, -1.0), (-1.0, 1.0), (0.5, -2.0)]),
    ("hypot", lambda x, y: t.hypot(x, y) + t.hypot(x * y, t.full_like(x, 1.5)), [(-3, 3)] * 2, [(3.0, -4.0)]),
    # hyperbolic
    ("sinh_cosh", lambda x, y: t.sinh(x) * t.cosh(y) + t.sinh(x * y), [(-2, 2)] * 2, []),
    ("tanh", lambda x, y: t.tanh(x * y) + t.tanh(x), [(-2, 2)] * 2, []),
    ("asinh", lambda x, y: t.asinh(x) * y + t.asinh(x * y), [(-3, 3)] * 2, []),
    ("acosh", lambda x: t.acosh(x) * x, [(1.05, 5)], []),
    ("atanh", lambda x, y: t.atanh(x) + t.atanh(x * y), [(-0.9, 0.9)] * 2, []),
    # special functions
    ("erf", lambda x, y: t.erf(x * y) + t.erf(x), [(-2, 2)] * 2, []),
    ("erfc", lambda x: t.erfc(x) * x, [(-2, 5)], [(4.5,)]),
    ("lgamma", lambda x: t.lgamma(x), [(0.2, 12)], [(-2.5,), (-0.5,), (1.0,), (2.0,), (30.5,)]),
    ("tgamma", lambda x: t.exp(t.lgamma(x)), [(0.3, 6)], [(1.0,), (4.5,)]),
    # digamma near its positive root 1.4616321449683623...: see the tolerance in the test
    ("digamma", lambda x: t.digamma(x), [(0.2, 12)], [(-1.5,), (1.4616321449683622,), (0.01,), (25.25,)]),
    ("sigmoid", lambda x, y: t.sigmoid(x) * y + t.sigmoid(x * y), [(-5, 5)] * 2, [(-30.0, 1.0)]),
    # softplus: beta = 1, threshold = 20 (above it torch returns x, and its second derivative 0)
    ("softplus", lambda x: nnf.softplus(x), [(-5, 5)], [(0.0,), (-30.0,), (19.5,)]),
    ("softplus_above_threshold", lambda x: nnf.softplus(x), [], [(21.0,), (30.0,)]),
    ("relu", lambda x, y: t.relu(x) * y + t.relu(y - x), [(-2, 2)] * 2, [(0.0, 1.0), (1.0, 1.0)]),
    # abs: gradient 0 at 0
    ("abs", lambda x, y: t.abs(x * y) + 2 * t.abs(y), [(-2, 2)] * 2, [(0.0, 1.5), (1.0, 0.0)]),
    # max/min: the gradient splits evenly at ties (torch.maximum/minimum); ties at x == y, and
    # (2, -1, 0.5) ties x * z with the constant 1
    ("maximum", lambda x, y, z: t.maximum(x, y) * z, [(-2, 2)] * 3, [(1.0, 1.0, 3.0), (-0.5, 0.5, 2.0)]),
    ("minimum", lambda x, y, z: t.minimum(x, y) * z + t.minimum(x * z, t.full_like(x, 1.0)),
     [(-2, 2)] * 3, [(1.0, 1.0, 3.0), (2.0, -1.0, 0.5)]),
    # fmax/fmin: the first operand gets the gradient at ties
    ("fmax_fmin", lambda x, y: t.fmax(x, y) - 2 * t.fmin(x, y), [(-2, 2)] * 2, [(1.0, 1.0), (-0.5, 0.5)]),
    # where: only the chosen branch gets gradient; ties pick the false branch for `>`
    ("where", lambda x, y: t.where(x > y, x * y, t.sin(x) + y), [(-2, 2)] * 2, [(1.0, 1.0), (2.0, 1.0)]),
    ("where_const", lambda x: t.where(x > 0, x * x, 0.5 * x), [(-2, 2)], [(0.0,)]),
    # compositions
    ("gauss", lambda x, mu, s: t.exp(-0.5 * t.square((x - mu) / s)) / (s * math.sqrt(2 * math.pi)),
     [(-2, 2), (-1, 1), (0.5, 2)], []),
    ("neuron", lambda w, x, b: t.tanh(w * x + b) + t.sigmoid(w * b), [(-2, 2)] * 3, []),
    ("logistic_loss", lambda w, x, y: nnf.softplus(-y * w * x) + 0.5 * w * w, [(-2, 2), (-2, 2), (-1, 1)], []),
    ("chain", lambda x, y: t.sin(t.exp(t.cos(x * y))) + t.log(1 + x * x * y * y), [(-2, 2)] * 2, []),
]

# ---------------------------------------------------------------------------------------------
# Complex formulas (complex128 arguments). Points are (re, im) pairs, away from branch cuts.
# ---------------------------------------------------------------------------------------------
HOLOMORPHIC = [
    ("c_poly", lambda z: z * z * z - 2 * z + (1 - 3j), [(1.0, 2.0), (-0.5, 0.25), (0.0, -1.5)]),
    ("c_rational", lambda z: (z + 1) / (z * z + 2), [(1.0, 2.0), (-0.5, 0.75), (2.0, -1.0)]),
    ("c_exp_sin", lambda z: t.exp(z) * t.sin(z), [(1.0, 2.0), (-0.5, 0.25), (0.3, -1.2)]),
    ("c_log", lambda z: t.log(z) * z, [(1.0, 2.0), (-0.5, 0.25), (2.0, -1.0)]),
    ("c_sqrt", lambda z: t.sqrt(z) + 1 / z, [(1.0, 2.0), (-0.5, 0.25), (2.0, -1.0)]),
    ("c_pow", lambda z: t.pow(z, 2.5) + t.pow(z, 3.0), [(1.0, 2.0), (0.5, -0.25), (2.0, 1.0)]),
    ("c_tanh", lambda z: t.tanh(z) * t.cosh(z), [(1.0, 2.0), (-0.5, 0.25), (0.3, -1.2)]),
    ("c_inverse_trig", lambda z: t.atan(z) + t.asinh(z) * t.acos(z), [(0.5, 0.5), (-0.5, 0.25), (0.3, -0.6)]),
    ("c_two_args", lambda z, w: z * w + t.exp(z - w) / w, [(1.0, 2.0, -0.5, 0.5), (0.25, -1.0, 1.5, 0.75)]),
]

COMPLEX_LOSS = [
    ("cl_norm", lambda z: (z * z.conj()).real, [(1.0, 2.0), (-0.5, 0.25), (0.0, -1.5)]),
    ("cl_real_square", lambda z: (z * z).real, [(1.0, 2.0), (-0.5, 0.25), (0.0, -1.5)]),
    ("cl_imag", lambda z: z.imag * 3, [(1.0, 2.0), (-0.5, 0.25)]),
    ("cl_abs", lambda z: z.abs(), [(1.0, 2.0), (-0.5, 0.25), (3.0, -4.0)]),
    ("cl_angle", lambda z: z.angle(), [(1.0, 2.0), (-0.5, 0.25), (-1.0, -1.0)]),
    ("cl_abs_exp", lambda z: (z.exp() * z).abs(), [(1.0, 2.0), (-0.5, 0.25), (0.3, -1.2)]),
    ("cl_std_norm", lambda z: (lambda w: (w * w.conj()).real)(t.sin(z) + z * z), [(1.0, 2.0), (-0.5, 0.25)]),
    ("cl_log_abs", lambda z: t.log(z).real + t.log(z).imag, [(1.0, 2.0), (-0.5, 0.25), (2.0, -1.0)]),
    ("cl_mixed", lambda z: t.sin(z).imag * z.real + (z.conj() * t.exp(z)).real,
     [(1.0, 2.0), (-0.5, 0.25), (0.3, -1.2)]),
    ("cl_two_args", lambda z, w: (z - w).abs() + (z * w.conj()).real,
     [(1.0, 2.0, -0.5, 0.5), (0.25, -1.0, 1.5, 0.75)]),
]

# ---------------------------------------------------------------------------------------------
# Array formulas: arguments are lists (vectors) or floats (scalars).
# ---------------------------------------------------------------------------------------------
def nll(x, mu, sigma):
    return t.sum(t.log(sigma) + LOG_SQRT_2PI + 0.5 * t.square((x - mu) / sigma))


ARRAY = [
    ("a_normal_nll", nll, [
        ([0.5, -1.25, 2.0, 0.75, 1.5, -0.25, 3.0], 0.5, 1.5),
        ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0], 4.5, 2.25),
        ([-0.3, 0.1], -0.1, 0.2),
    ]),
    ("a_log_sum_exp", lambda x: t.logsumexp(x, 0), [
        ([0.5, -1.25, 2.0, 0.75, 1.5, -0.25, 3.0],),
        ([100.0, 101.0, 99.5, 100.25, 98.0],),
        ([-2.0],),
    ]),
    ("a_softmax_xent", lambda x: t.logsumexp(x, 0) - x[2], [
        ([0.5, -1.25, 2.0, 0.75, 1.5, -0.25, 3.0],),
        ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],),
    ]),
    ("a_prod", lambda x: t.prod(x), [
        ([0.5, -1.25, 2.0, 0.75, 1.5, -0.25, 3.0],),
        ([1.5, 2.0, 0.0, -0.5, 3.0],),          # one zero: its gradient is the others' product
        ([1.5, 0.0, 2.0, 0.0, 3.0, -1.0],),     # two zeros: all gradients 0
    ]),
    ("a_dot", lambda x, y: t.dot(x, y), [
        ([0.5, -1.25, 2.0, 0.75, 1.5, -0.25, 3.0], [1.0, 2.0, -3.0, 0.5, -0.5, 4.0, 0.25]),
        ([1.0, 2.0, 3.0], [4.0, 5.0, 6.0]),
    ]),
    ("a_mean", lambda x: t.mean(t.square(x) + t.sin(x)), [
        ([0.5, -1.25, 2.0, 0.75, 1.5, -0.25, 3.0],),
        ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],),
    ]),
    ("a_norm", lambda x: t.linalg.vector_norm(x), [
        ([0.5, -1.25, 2.0, 0.75, 1.5, -0.25, 3.0],),
        ([3.0, 4.0],),
    ]),
    ("a_mixed", lambda x, w, s: t.sum(w * t.exp(x * s)) + t.dot(x, x) * s - x[0] * x[4], [
        ([0.5, -1.25, 2.0, 0.75, 1.5, -0.25, 3.0], [1.0, 2.0, -3.0, 0.5, -0.5, 4.0, 0.25], 0.3),
        ([0.1, 0.2, 0.3, 0.4, 0.5], [1.0, 1.0, 1.0, 1.0, 1.0], -1.5),
    ]),
]

# ---------------------------------------------------------------------------------------------


def lit(v):
    v = float(v)
    if not math.isfinite(v):
        raise ValueError("non-finite reference value %r" % v)
    return repr(v)


def clit(c):
    return "{%s, %s}" % (lit(c.real), lit(c.imag))


def braces(items):
    return "{" + ", ".join(items) + "}"


def random_points(name, domains, count=3):
    rng = random.Random(zlib.crc32(name.encode()))
    pts = []
    for _ in range(count):
        pts.append(tuple(round(rng.uniform(lo, hi), 3) for lo, hi in domains))
    return pts


def real_cases(name, fn, domains, extra):
    lines = []
    for p in list(extra) + (random_points(name, domains) if domains else []):
        xs = [t.tensor(v, dtype=F64, requires_grad=True) for v in p]
        y = fn(*xs)
        g = t.autograd.grad(y, xs, allow_unused=True)
        g = [0.0 if gi is None else gi.item() for gi in g]
        h = t.autograd.functional.hessian(fn, tuple(t.tensor(v, dtype=F64) for v in p))
        hm = [[h[i][j].item() for j in range(len(p))] for i in range(len(p))]
        lines.append("TG_TORCH_REAL(\"%s\", %s, %s, %s, %s)" % (
            name, braces(lit(v) for v in p), lit(y.item()), braces(lit(v) for v in g),
            braces(braces(lit(v) for v in row) for row in hm)))
    return lines


def complex_args(p):
    return [complex(p[2 * i], p[2 * i + 1]) for i in range(len(p) // 2)]


def holomorphic_cases(name, fn, points):
    lines = []
    for p in points:
        zs = complex_args(p)
        ts = [t.tensor(z, dtype=C128, requires_grad=True) for z in zs]
        f = fn(*ts)
        g_re = t.autograd.grad(f.real, ts, retain_graph=True, allow_unused=True)
        g_im = t.autograd.grad(f.imag, ts, allow_unused=True)
        d = []
        for a, b in zip(g_re, g_im):
            a = 0j if a is None else a.item()
            b = 0j if b is None else b.item()
            dz = a.conjugate()  # f' = conj(grad real(f))
            # Cauchy-Riemann: grad imag(f) = i conj(f')
            if abs(b - 1j * dz.conjugate()) > 1e-12 * max(1.0, abs(dz)):
                raise AssertionError("%s is not holomorphic at %r in torch: %r vs %r" % (name, zs, a, b))
            d.append(dz)
        lines.append("TG_TORCH_HOLOMORPHIC(\"%s\", %s, %s, %s)" % (
            name, braces(clit(z) for z in zs), clit(f.item()), braces(clit(v) for v in d)))
    return lines


def complex_loss_cases(name, fn, points):
    lines = []
    for p in points:
        zs = complex_args(p)
        ts = [t.tensor(z, dtype=C128, requires_grad=True) for z in zs]
        loss = fn(*ts)
        assert not loss.is_complex()
        g = t.autograd.grad(loss, ts, allow_unused=True)
        g = [0j if gi is None else gi.item() for gi in g]
        lines.append("TG_TORCH_COMPLEX_LOSS(\"%s\", %s, %s, %s)" % (
            name, braces(clit(z) for z in zs), lit(loss.item()), braces(clit(v) for v in g)))
    return lines


def array_cases(name, fn, points):
    lines = []
    for p in points:
        ts = [t.tensor(a, dtype=F64, requires_grad=True) for a in p]
        y = fn(*ts)
        g = t.autograd.grad(y, ts, allow_unused=True)
        gl = []
        for a, gi in zip(p, g):
            n = len(a) if isinstance(a, list) else 1
            gl.append([0.0] * n if gi is None else gi.reshape(-1).tolist())
        args = [a if isinstance(a, list) else [a] for a in p]
        lines.append("TG_TORCH_ARRAY(\"%s\", %s, %s, %s)" % (
            name, braces(braces(lit(v) for v in a) for a in args), lit(y.item()),
            braces(braces(lit(v) for v in gi) for gi in gl)))
    return lines


def main():
    names = [e[0] for e in REAL + HOLOMORPHIC + COMPLEX_LOSS + ARRAY]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise SystemExit("duplicate formula names: %s" % sorted(dup))
    out = [
        "// Generated by test/reference/make_torch_reference.py with torch %s (float64/complex128);"
        % torch.__version__,
        "// do not edit. Regenerate: /usr/bin/python3 test/reference/make_torch_reference.py"
        " > test/reference/torch_reference.inc",
        "// %d formulas: %d real scalar, %d holomorphic, %d real-valued of complex arguments, %d array."
        % (len(names), len(REAL), len(HOLOMORPHIC), len(COMPLEX_LOSS), len(ARRAY)),
        "// TG_TORCH_REAL(name, {x...}, f, {df/dx...}, {{d2f/dx_i dx_j...}...})",
        "// TG_TORCH_HOLOMORPHIC(name, {{re, im}...}, f, {df/dz_i...})",
        "// TG_TORCH_COMPLEX_LOSS(name, {{re, im}...}, L, {dL/dx_i + i dL/dy_i...})",
        "// TG_TORCH_ARRAY(name, {{arg...}...}, f, {{grad...}...})",
    ]
    for name, fn, domains, extra in REAL:
        out += real_cases(name, fn, domains, extra)
    for name, fn, points in HOLOMORPHIC:
        out += holomorphic_cases(name, fn, points)
    for name, fn, points in COMPLEX_LOSS:
        out += complex_loss_cases(name, fn, points)
    for name, fn, points in ARRAY:
        out += array_cases(name, fn, points)
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
