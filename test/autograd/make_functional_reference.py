#!/usr/bin/python3
"""Reference data from PyTorch 1.13 for typegrad's functional API and gradcheck (test/autograd/).

    /usr/bin/python3 test/autograd/make_functional_reference.py

(/usr/bin/python3 is Debian's python3 with python3-torch.) Writes, next to this script:

  functional_reference.inc  TG_FUNCTIONAL_CASE(python, (c++ call), block, block, ...)
                            one torch.autograd.functional call per case: the Python call, the same
                            call in C++, and every tensor of torch's result in its nesting order
                            (func_output first for vjp/jvp/vhp/hvp), each as
                            {dtype, requires_grad, {sizes}, {values}} (complex: real, imag pairs).
  functional_errors.inc     TG_FUNCTIONAL_ERROR(python, (c++ call), message)
                            the message torch raises for a bad call.
  gradcheck_reference.inc   {"case", message}, ... the GradcheckError (or other error) text of
                            each failing gradcheck/gradgradcheck in GRADCHECK_CASES; the C++ test
                            builds the same function (node hooks that scale gradients, ...) and
                            looks the message up by name.

Messages spell sizes the C++ way ("[3]" for "torch.Size([3])"), as typegrad does everywhere.
One deliberate difference from 1.13: after a fast-mode failure, current PyTorch recomputes the
slow-mode Jacobians with gradcheck's eps (1.13 used the default 1e-3); the script patches 1.13's
_run_slow_mode_and_get_error to the current behaviour.

The tests only read the .inc files; they do not need torch. A rerun reproduces them byte for byte.
"""
import importlib
import math
import os
import re
import warnings

import torch
import torch.autograd.functional as F

gc = importlib.import_module("torch.autograd.gradcheck")  # the module (torch.autograd.gradcheck is also the function)

torch.set_num_threads(1)
warnings.simplefilter("ignore")
HERE = os.path.dirname(os.path.abspath(__file__))
DT = {torch.float32: "tg::kFloat", torch.float64: "tg::kDouble", torch.complex128: "tg::kComplexDouble"}


# ---- C++ spelling of values ------------------------------------------------------------------

def real_text(x):
    x = float(x)
    if math.isnan(x):
        return "tg_nan"
    if math.isinf(x):
        return "tg_inf" if x > 0 else "-tg_inf"
    return repr(x)


def literal(v, dtype):
    if isinstance(v, list):
        return "{" + ", ".join(literal(e, dtype) for e in v) + "}"
    if dtype.is_complex:
        return "std::complex<double>(%s, %s)" % (real_text(v.real), real_text(v.imag))
    return real_text(v)


def cpp_tensor(t):
    return "tg::tensor(%s, tg::dtype(%s))" % (literal(t.tolist(), t.dtype), DT[t.dtype])


def block(t):
    values = t.detach().reshape(-1).tolist()
    if t.dtype.is_complex:
        flat = [p for z in values for p in (z.real, z.imag)]
    else:
        flat = values
    return "{%s, %s, {%s}, {%s}}" % (DT[t.dtype], "true" if t.requires_grad else "false",
                                     ", ".join(str(s) for s in t.shape), ", ".join(real_text(v) for v in flat))


def flatten(r):
    if isinstance(r, torch.Tensor):
        return [r]
    return [t for e in r for t in flatten(e)]


def cpp_message(text):
    return re.sub(r"torch\.Size\(\[([^\]]*)\]\)", r"[\1]", text)


# ---- functions and inputs (each in Python and in C++) -----------------------------------------

INPUTS = {
    "x3": torch.tensor([0.5, -1.25, 2.0], dtype=torch.float64),
    "y3": torch.tensor([1.5, 0.25, -0.75], dtype=torch.float64),
    "v3": torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64),
    "w3": torch.tensor([0.25, 1.0, -1.5], dtype=torch.float64),
    "x2": torch.tensor([0.75, -0.5], dtype=torch.float64),
    "v2": torch.tensor([1.0, 2.0], dtype=torch.float64),
    "m22": torch.tensor([[0.5, 1.0], [-0.75, 0.25]], dtype=torch.float64),
    "n22": torch.tensor([[1.0, -1.0], [0.5, 2.0]], dtype=torch.float64),
    "s1": torch.tensor([1.5], dtype=torch.float64),
    "f3": torch.tensor([0.5, -1.25, 2.0], dtype=torch.float32),
    "z2": torch.tensor([1 + 2j, -0.5 + 0.25j], dtype=torch.complex128),
    "u2": torch.tensor([0.5 - 1j, 2 + 0.5j], dtype=torch.complex128),
}

# name: (Python lambda, C++ lambda, takes a tuple of inputs)
FUNCTIONS = {
    "cube": ("lambda x: x * x * x", "[](const tg::Tensor& x) { return x * x * x; }", False),
    "exp_reducer": ("lambda x: x.exp().sum(1)", "[](const tg::Tensor& x) { return x.exp().sum({1}); }", False),
    "sin_and_xcos": ("lambda x: (torch.sin(x), x * torch.cos(x))",
                     "[](const tg::Tensor& x) { return tg::tensor_list{sin(x), x * cos(x)}; }", False),
    "pow_reducer": ("lambda x: x.pow(3).sum()", "[](const tg::Tensor& x) { return x.pow(3).sum(); }", False),
    "quadratic_form": ("lambda x: 2 * x[0] * x[0] + 2 * x[0] * x[1] + 3 * x[1] * x[1]",
                       "[](const tg::Tensor& x) { return 2.0 * x.select(0, 0) * x.select(0, 0) + "
                       "2.0 * x.select(0, 0) * x.select(0, 1) + 3.0 * x.select(0, 1) * x.select(0, 1); }", False),
    "tanh_loss": ("lambda x: torch.tanh(x).sum() * x.sum()",
                  "[](const tg::Tensor& x) { return tanh(x).sum() * x.sum(); }", False),
    "sigmoid": ("lambda x: torch.sigmoid(x)", "[](const tg::Tensor& x) { return sigmoid(x); }", False),
    "mul_sin": ("lambda x, y: (x * y + torch.sin(x), y * 2)",
                "[](const tg::tensor_list& a) { return tg::tensor_list{a[0] * a[1] + sin(a[0]), a[1] * 2.0}; }", True),
    "exp_adder": ("lambda x, y: 2 * x.exp() + 3 * y",
                  "[](const tg::tensor_list& a) { return 2.0 * a[0].exp() + 3.0 * a[1]; }", True),
    "two_input_loss": ("lambda x, y: (2 * x.pow(2) + 3 * y.pow(2)).sum() + (x * y * y).sum()",
                       "[](const tg::tensor_list& a) { return (2.0 * a[0].pow(2) + 3.0 * a[1].pow(2)).sum() + "
                       "(a[0] * a[1] * a[1]).sum(); }", True),
    "linear": ("lambda x, y: 2 * x + 3 * y", "[](const tg::tensor_list& a) { return 2.0 * a[0] + 3.0 * a[1]; }", True),
    "linear_loss": ("lambda x, y: (2 * x + 3 * y).sum()",
                    "[](const tg::tensor_list& a) { return (2.0 * a[0] + 3.0 * a[1]).sum(); }", True),
    "unused_second": ("lambda x, y: x * 2", "[](const tg::tensor_list& a) { return a[0] * 2.0; }", True),
    "complex_square": ("lambda z: z * z", "[](const tg::Tensor& z) { return z * z; }", False),
}


def arg(spec):
    """An input or v: a name (one Tensor) or a tuple of names."""
    if isinstance(spec, tuple):
        return tuple(INPUTS[n] for n in spec), "tg::tensor_list{%s}" % ", ".join(cpp_tensor(INPUTS[n]) for n in spec), \
            "(%s,)" % ", ".join(spec) if len(spec) == 1 else "(%s)" % ", ".join(spec)
    return INPUTS[spec], cpp_tensor(INPUTS[spec]), spec


# (api, function, inputs, v, keyword arguments)
FUNCTIONAL_CASES = [
    ("jacobian", "cube", "x3", None, {}),
    ("jacobian", "cube", "x3", None, {"create_graph": True}),
    ("jacobian", "cube", "x3", None, {"vectorize": True}),
    ("jacobian", "cube", "x3", None, {"vectorize": True, "strategy": "forward-mode"}),
    ("jacobian", "exp_reducer", "m22", None, {}),
    ("jacobian", "sin_and_xcos", "x3", None, {}),
    ("jacobian", "mul_sin", ("x3", "y3"), None, {}),
    ("jacobian", "mul_sin", ("x3", "y3"), None, {"create_graph": True}),
    ("jacobian", "mul_sin", ("x3", "y3"), None, {"vectorize": True, "strategy": "forward-mode"}),
    ("jacobian", "exp_adder", ("x3", "y3"), None, {}),
    ("jacobian", "unused_second", ("x3", "y3"), None, {}),
    ("jacobian", "sigmoid", "f3", None, {}),
    # (no jacobian of a complex output: its rows are grad() calls without grad_outputs, which current
    # PyTorch refuses for complex scalars and 1.13 still allowed; functional.test.cpp checks the error)
    ("hessian", "pow_reducer", "m22", None, {}),
    ("hessian", "pow_reducer", "m22", None, {"create_graph": True}),
    ("hessian", "quadratic_form", "x2", None, {}),
    ("hessian", "tanh_loss", "x3", None, {}),
    ("hessian", "tanh_loss", "x3", None, {"vectorize": True}),
    ("hessian", "tanh_loss", "x3", None, {"vectorize": True, "outer_jacobian_strategy": "forward-mode"}),
    ("hessian", "two_input_loss", ("x3", "y3"), None, {}),
    # (no hessian of a function of complex inputs: its Jacobian is complex, see the jacobian note)
    ("vjp", "cube", "x3", "v3", {}),
    ("vjp", "cube", "x3", "v3", {"create_graph": True}),
    ("vjp", "exp_reducer", "m22", "v2", {}),
    ("vjp", "sin_and_xcos", "x3", ("v3", "w3"), {}),
    ("vjp", "mul_sin", ("x3", "y3"), ("v3", "w3"), {}),
    ("vjp", "exp_adder", ("x3", "y3"), "v3", {}),
    ("vjp", "unused_second", ("x3", "y3"), "v3", {}),
    ("vjp", "pow_reducer", "x3", None, {}),
    ("vjp", "complex_square", "z2", "u2", {}),
    ("jvp", "cube", "x3", "v3", {}),
    ("jvp", "cube", "x3", "v3", {"create_graph": True}),
    ("jvp", "cube", "s1", None, {}),
    ("jvp", "exp_reducer", "m22", "n22", {}),
    ("jvp", "sin_and_xcos", "x3", "v3", {}),
    ("jvp", "mul_sin", ("x3", "y3"), ("v3", "w3"), {}),
    ("jvp", "exp_adder", ("x3", "y3"), ("v3", "w3"), {}),
    ("jvp", "unused_second", ("x3", "y3"), ("v3", "w3"), {}),
    ("jvp", "complex_square", "z2", "u2", {}),
    ("vhp", "pow_reducer", "m22", "n22", {}),
    ("vhp", "pow_reducer", "m22", "n22", {"create_graph": True}),
    ("vhp", "tanh_loss", "x3", "v3", {}),
    ("vhp", "quadratic_form", "x2", "v2", {}),
    ("vhp", "two_input_loss", ("x3", "y3"), ("v3", "w3"), {}),
    ("hvp", "pow_reducer", "m22", "n22", {}),
    ("hvp", "pow_reducer", "m22", "n22", {"create_graph": True}),
    ("hvp", "tanh_loss", "x3", "v3", {}),
    ("hvp", "quadratic_form", "x2", "v2", {}),
    ("hvp", "two_input_loss", ("x3", "y3"), ("v3", "w3"), {}),
    ("hvp", "pow_reducer", "s1", None, {}),
]

# (api, function, inputs, v, keyword arguments): calls that raise
FUNCTIONAL_ERRORS = [
    ("jacobian", "mul_sin", ("x3", "y3"), None, {"strict": True}),
    ("jacobian", "unused_second", ("x3", "y3"), None, {"strict": True}),
    ("jacobian", "exp_adder", ("x3", "y3"), None, {"create_graph": True, "strict": True}),
    ("jacobian", "cube", "x3", None, {"strategy": "forward-mode"}),
    ("jacobian", "cube", "x3", None, {"strategy": "forward-mode", "create_graph": True}),
    ("jacobian", "cube", "x3", None, {"strategy": "forward-mode", "strict": True}),
    ("jacobian", "cube", "x3", None, {"vectorize": True, "strict": True}),
    ("jacobian", "cube", "x3", None, {"strategy": "sideways"}),
    ("hessian", "cube", "x3", None, {}),
    ("hessian", "sin_and_xcos", "s1", None, {}),
    ("hessian", "quadratic_form", "x2", None, {"outer_jacobian_strategy": "forward-mode"}),
    ("hessian", "quadratic_form", "x2", None, {"outer_jacobian_strategy": "sideways"}),
    ("hessian", "exp_adder", ("x3", "y3"), None, {}),
    ("hessian", "unused_second", ("s1", "s1"), None, {"strict": True}),
    ("vjp", "cube", "x3", None, {}),
    ("vjp", "cube", "x3", "v2", {}),
    ("vjp", "sin_and_xcos", "x3", ("v3",), {}),
    ("vjp", "sin_and_xcos", "x3", ("v3", "v2"), {}),
    ("vjp", "unused_second", ("x3", "y3"), "v3", {"strict": True}),
    ("vjp", "exp_adder", ("x3", "y3"), "v3", {"strict": True, "create_graph": True}),
    ("jvp", "cube", "x3", None, {}),
    ("jvp", "mul_sin", ("x3", "y3"), ("v3", "v2"), {}),
    ("jvp", "mul_sin", ("x3", "y3"), ("v3",), {}),
    ("jvp", "unused_second", ("x3", "y3"), ("v3", "w3"), {"strict": True}),
    ("jvp", "linear", ("x3", "y3"), ("v3", "w3"), {"strict": True, "create_graph": True}),
    ("vhp", "cube", "x3", "v3", {}),
    ("vhp", "sin_and_xcos", "s1", None, {}),
    ("vhp", "pow_reducer", "x3", None, {}),
    ("vhp", "quadratic_form", "x2", "v2", {"strict": True, "create_graph": True}),
    ("vhp", "linear_loss", ("x3", "y3"), ("v3", "w3"), {"strict": True}),
    ("hessian", "linear_loss", ("x3", "y3"), None, {"strict": True}),
    ("vjp", "linear", ("x3", "y3"), "v3", {"strict": True, "create_graph": True}),
    ("hvp", "cube", "x3", "v3", {}),
    ("hvp", "quadratic_form", "x2", "v3", {}),
    ("hvp", "quadratic_form", "x2", "v2", {"strict": True, "create_graph": True}),
]

POSITIONAL = {  # C++ argument order after (fn, inputs[, v])
    "jacobian": ["create_graph", "strict", "vectorize", "strategy"],
    "hessian": ["create_graph", "strict", "vectorize", "outer_jacobian_strategy"],
}
DEFAULTS = {"create_graph": False, "strict": False, "vectorize": False, "strategy": "reverse-mode",
            "outer_jacobian_strategy": "reverse-mode"}


def cpp_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return '"%s"' % v


def make_call(api, fname, inputs, v, kwargs):
    py_fn, cpp_fn, _ = FUNCTIONS[fname]
    inp, cpp_inp, py_inp = arg(inputs)
    py_args = [py_fn, py_inp]
    if api in POSITIONAL:
        names = POSITIONAL[api]
        last = max([names.index(k) for k in kwargs] + [-1])
        cpp_args = [cpp_fn, cpp_inp] + [cpp_value(kwargs.get(k, DEFAULTS[k])) for k in names[:last + 1]]
        call = lambda: getattr(F, api)(eval(py_fn), inp, **kwargs)
    else:
        vv, cpp_v, py_v = arg(v) if v is not None else (None, "std::nullopt", "None")
        py_args.append(py_v)
        names = ["create_graph", "strict"]
        last = max([names.index(k) for k in kwargs] + [-1])
        cpp_args = [cpp_fn, cpp_inp] + ([cpp_v] if v is not None or last >= 0 else []) + \
            [cpp_value(kwargs.get(k, DEFAULTS[k])) for k in names[:last + 1]]
        call = lambda: getattr(F, api)(eval(py_fn), inp, vv, **kwargs)
    py_text = "F.%s(%s%s)" % (api, ", ".join(py_args), "".join(", %s=%r" % kv for kv in kwargs.items()))
    return py_text, "F::%s(%s)" % (api, ", ".join(cpp_args)), call


# ---- gradcheck cases ---------------------------------------------------------------------------

def scaled(scale):
    def fn(a):
        y = a * a
        y.grad_fn.register_hook(lambda gi, go: None if go[0] is None else tuple(g * scale for g in gi))
        return y
    return fn


def shifted(shift):
    def fn(a):
        y = a * a
        y.grad_fn.register_hook(lambda gi, go: None if go[0] is None else tuple(g + shift * go[0] for g in gi))
        return y
    return fn


class OnesForUndefined(torch.autograd.Function):
    """y = a * a whose backward answers an undefined incoming gradient with ones."""
    @staticmethod
    def forward(ctx, a):
        ctx.set_materialize_grads(False)
        ctx.save_for_backward(a)
        return a * a

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return torch.ones_like(a) if g is None else 2 * a * g


def nondeterministic(a):
    y = a * a
    calls = [0]

    def hook(gi, go):
        calls[0] += 1
        return tuple(g * (1 + 1e-9 * calls[0]) for g in gi)
    y.grad_fn.register_hook(hook)
    return y


def adds_one_for_zero_grad(a):
    y = a * a
    y.grad_fn.register_hook(lambda gi, go: tuple(g + 1 for g in gi) if bool((go[0] == 0).all()) else None)
    return y


def refuses_undefined_grad(a):
    y = a * a

    def pre(go):
        if go[0] is None:
            raise RuntimeError("undefined gradient")
    y.grad_fn.register_prehook(pre)
    return y


def second_input_scaled(a, b):
    y = a * b
    y.grad_fn.register_hook(lambda gi, go: (gi[0], gi[1] * 1.5))
    return y


def first_derivative_ignores_x(a):
    y = a * a
    y.grad_fn.register_hook(lambda gi, go: tuple(a.detach() * go[0] for _ in gi))
    return y


def first_derivative_detached(a):
    y = a * a
    y.grad_fn.register_hook(lambda gi, go: tuple(g.detach() for g in gi))
    return y


def leaf(values, dtype=torch.float64):
    return torch.tensor(values, dtype=dtype, requires_grad=True)


X = leaf([1.0, 2.0])
X10 = leaf([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0])
W = leaf([0.5, -1.5])
Z = leaf([1 + 2j, 3 - 1j], torch.complex128)
G = leaf([0.5, -0.25])
XC = leaf([2.0, -0.509728])
XF = leaf([1.0, 2.0], torch.float32)

# name: (how the C++ test builds it, the Python call)
GRADCHECK_CASES = {
    "mismatch": lambda: gc.gradcheck(scaled(1.5), (X,)),
    "mismatch of the second input": lambda: gc.gradcheck(second_input_scaled, (X, W)),
    "mismatch of the second output": lambda: gc.gradcheck(lambda a: (a * 2, scaled(1.5)(a)), (X,)),
    "mismatch with a complex input": lambda: gc.gradcheck(lambda a: scaled(1.5)(a).real, (Z,)),
    "mismatch with a complex output": lambda: gc.gradcheck(scaled(1.5), (Z,)),
    "mismatch with a real input and a complex output": lambda: gc.gradcheck(lambda a: scaled(1.5)(a * (1 + 2j)), (X,)),
    # eps = 1e-6 is below float's resolution: the float input's numerical derivative is coarse
    "mismatch with a float input": lambda: gc.gradcheck(lambda a, b: a + b * 3.0, (X, XF), atol=1e-2, rtol=1e-2),
    "nondeterministic backward": lambda: gc.gradcheck(nondeterministic, (X,), nondet_tol=1e-12),
    "fast mode mismatch": lambda: gc.gradcheck(scaled(1.5), (X,), fast_mode=True),
    "fast mode mismatch of a larger input":
        lambda: gc.gradcheck(scaled(1.00001), (X10,), atol=0, rtol=1e-7, fast_mode=True),
    # x[1] = -x[0] u0 v0 / (u1 v1) for fast mode's first random u, v: v^T J u vanishes, so the
    # relative tolerance cannot absorb the shift that slow mode accepts element by element
    "fast mode mismatch that slow mode passes": lambda: gc.gradcheck(shifted(5e-4), (XC,), atol=0, fast_mode=True),
    "fast mode mismatch with a complex input": lambda: gc.gradcheck(scaled(1.5), (Z,), fast_mode=True),
    "backward not multiplied by grad_output": lambda: gc.gradcheck(adds_one_for_zero_grad, (X,)),
    "undefined output grads refused": lambda: gc.gradcheck(refuses_undefined_grad, (X,)),
    "undefined output grads give non-zero grads": lambda: gc.gradcheck(OnesForUndefined.apply, (X,)),
    "no differentiable outputs": lambda: gc.gradcheck(lambda a: a.detach() * 2, (X,)),
    "no input requires grad": lambda: gc.gradcheck(lambda a: a * 2, (X.detach(),)),
    "input with stride 0": lambda: gc.gradcheck(lambda a: a * 2, (X.expand(3, 2),)),
    "neither backward nor forward checks": lambda: gc.gradcheck(lambda a: a * 2, (X,), check_backward_ad=False),
    "gradgradcheck: wrong second derivative": lambda: gc.gradgradcheck(first_derivative_ignores_x, (X,), (G,)),
    "gradgradcheck: first derivative without graph": lambda: gc.gradgradcheck(first_derivative_detached, (X,), (G,)),
    "gradgradcheck: undefined grad check without rev over rev":
        lambda: gc.gradgradcheck(lambda a: a * a, (X,), check_rev_over_rev=False, check_fwd_over_rev=True),
    "gradgradcheck: neither":
        lambda: gc.gradgradcheck(lambda a: a * a, (X,), check_rev_over_rev=False, check_undefined_grad=False),
}

# current PyTorch's _run_slow_mode_and_get_error takes gradcheck's eps (1.13: default 1e-3); every
# fast-mode case above runs with the default eps
_slow_mode_1_13 = gc._run_slow_mode_and_get_error


def _run_slow_mode_current(func, tupled_inputs, outputs, input_idx, output_idx, rtol, atol, is_forward_ad):
    real_get = gc._get_numerical_jacobian
    gc._get_numerical_jacobian = lambda *a, **k: real_get(*a, **dict(k, eps=1e-6))
    try:
        return _slow_mode_1_13(func, tupled_inputs, outputs, input_idx, output_idx, rtol, atol, is_forward_ad)
    finally:
        gc._get_numerical_jacobian = real_get


gc._run_slow_mode_and_get_error = _run_slow_mode_current


def raw_string(s):
    assert ")tg\"" not in s
    return 'R"tg(%s)tg"' % s


def main():
    version = torch.__version__
    lines = ["// Generated by test/autograd/make_functional_reference.py (torch %s): "
             "torch.autograd.functional results. Do not edit." % version]
    for api, fname, inputs, v, kwargs in FUNCTIONAL_CASES:
        py_text, cpp_text, call = make_call(api, fname, inputs, v, kwargs)
        result = flatten(call())
        if kwargs.get("outer_jacobian_strategy") == "forward-mode":
            # torch's forward-over-reverse Hessian hangs on the inner jacobian's private leaves
            # (requires_grad=True, nothing a caller can reach); typegrad's has no history
            result = [t.detach() for t in result]
        blocks = [block(t) for t in result]
        lines.append("TG_FUNCTIONAL_CASE(%s,\n    (%s),\n    %s)" % (raw_string(py_text), cpp_text,
                                                                   ",\n    ".join(blocks)))
    with open(os.path.join(HERE, "functional_reference.inc"), "w") as f:
        f.write("\n".join(lines) + "\n")

    lines = ["// Generated by test/autograd/make_functional_reference.py (torch %s): "
             "torch.autograd.functional error texts. Do not edit." % version]
    for api, fname, inputs, v, kwargs in FUNCTIONAL_ERRORS:
        py_text, cpp_text, call = make_call(api, fname, inputs, v, kwargs)
        try:
            call()
        except Exception as e:  # RuntimeError, NotImplementedError, AssertionError
            message = cpp_message(str(e))
        else:
            raise SystemExit("no error: " + py_text)
        lines.append("TG_FUNCTIONAL_ERROR(%s,\n    (%s),\n    %s)" % (raw_string(py_text), cpp_text, raw_string(message)))
    with open(os.path.join(HERE, "functional_errors.inc"), "w") as f:
        f.write("\n".join(lines) + "\n")

    lines = ["// Generated by test/autograd/make_functional_reference.py (torch %s): "
             "gradcheck and gradgradcheck failure texts. Do not edit." % version]
    for name, call in GRADCHECK_CASES.items():
        try:
            call()
        except Exception as e:  # GradcheckError, ValueError, RuntimeError, AssertionError
            message = cpp_message(str(e))
        else:
            raise SystemExit("no error: " + name)
        lines.append("{%s,\n %s}," % (raw_string(name), raw_string(message)))
    with open(os.path.join(HERE, "gradcheck_reference.inc"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
