#!/usr/bin/python3
"""Reference data from PyTorch 1.13 for typegrad's elementwise kernels (test/tensor/kernels/).

    /usr/bin/python3 test/tensor/kernels/make_elementwise_reference.py

(/usr/bin/python3 is Debian's python3 with python3-torch.) Writes, next to this script,
elementwise_reference.inc with

  TG_RESULT_TYPE(a, a_kind, b, b_kind, result)
      torch.result_type of two operands, each a 1-d tensor (dim), a 0-d tensor (zero_dim) or
      a Python number (wrapped: True, 1, 1.0, 1j are kBool, kLong, kDouble, kComplexDouble).
  TG_UNARY(op, dtype, result)  /  TG_UNARY_ERROR(op, dtype, "torch's message")
  TG_BINARY(op, a, b, result)  /  TG_BINARY_ERROR(op, a, b, "torch's message")
      the dtype of torch's operation on 1-d tensors of these dtypes, or its error.
  TG_CAN_CAST(from, to, torch.can_cast(from, to))
  TG_LAYOUT(name, {strides...})
      the strides of a result torch lays out after its operands (see LAYOUTS; the C++ test
      rebuilds each case by name).
  TG_ERROR(name, "torch's message")
      the messages of the error cases the C++ test builds the same way (see ERRORS).

Where typegrad deliberately differs, the entry is not written but listed in a comment:
torch 1.13's CPU build has no Half kernel for most math functions (typegrad computes Half
in float, as it does BFloat16), none for expm1/log1p/exp2 of complex numbers (the policies
compute them), none for softplus/hypot of integers (typegrad promotes them to kFloat, as the
other floating operations), and a Half operand with a complex one gives ComplexHalf, which
typegrad does not have (kComplexFloat instead).

An includer defines the macros it reads; the file defines the others as empty and undefines
all of them at its end. The tests only read this file; they do not need torch. A rerun reproduces it byte for byte.
"""
import os

import torch
import torch.nn.functional as F

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
TG[torch.complex32] = "kComplexFloat"  # typegrad has no ComplexHalf

WRAPPED = [(True, "kBool"), (1, "kLong"), (1.0, "kDouble"), (1j, "kComplexDouble")]

# typegrad policy -> torch function
UNARY = [
    ("neg", torch.neg), ("square", torch.square), ("exp", torch.exp), ("exp2", torch.exp2),
    ("expm1", torch.expm1), ("log", torch.log), ("log2", torch.log2), ("log10", torch.log10),
    ("log1p", torch.log1p), ("sqrt", torch.sqrt), ("sin", torch.sin), ("cos", torch.cos),
    ("tan", torch.tan), ("asin", torch.asin), ("acos", torch.acos), ("atan", torch.atan),
    ("sinh", torch.sinh), ("cosh", torch.cosh), ("tanh", torch.tanh), ("asinh", torch.asinh),
    ("acosh", torch.acosh), ("atanh", torch.atanh), ("abs", torch.abs), ("relu", torch.relu),
    ("erf", torch.erf), ("erfc", torch.erfc), ("lgamma", torch.lgamma),
    ("polygamma<0>", torch.digamma), ("polygamma<1>", lambda x: torch.polygamma(1, x)),
    ("sigmoid", torch.sigmoid), ("softplus", F.softplus), ("real", torch.real),
    ("imag", torch.imag), ("conj", torch.conj), ("arg", torch.angle),
]
BINARY = [
    ("add", torch.add), ("sub", torch.sub), ("mul", torch.mul), ("div", torch.div),
    ("pow", torch.pow), ("atan2", torch.atan2), ("hypot", torch.hypot),
    ("max", torch.maximum), ("min", torch.minimum), ("fmax", torch.fmax), ("fmin", torch.fmin),
    ("less", torch.lt), ("less_equal", torch.le), ("greater", torch.gt),
    ("greater_equal", torch.ge), ("equal_to", torch.eq), ("not_equal_to", torch.ne),
]


def operand(dtype):
    return torch.tensor([True, False]) if dtype == torch.bool else torch.tensor([0.5, 0.25]).to(dtype)


def outcome(f):
    try:
        return ("dtype", f().dtype)
    except RuntimeError as e:
        return ("error", str(e).split("\n")[0])


def deliberate_difference(name, dtypes, result):
    """Why typegrad computes what torch rejects here, or None."""
    kind, value = result
    if kind == "dtype":
        return "torch: ComplexHalf" if value == torch.complex32 else None
    if "for 'Half'" in value:
        return "torch 1.13 has no Half CPU kernel"
    if name in ("expm1", "log1p", "exp2") and any(d.is_complex for d in dtypes):
        return "torch has no complex kernel; the policy computes it"
    if name in ("softplus", "hypot") and ("for 'Long'" in value or "for 'Bool'" in value):
        return "torch has no integer kernel; typegrad computes in kFloat"
    return None


def c_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def grid(*shape):
    return torch.arange(float(torch.Size(shape).numel())).view(*shape)


# Results whose layout follows their operands (the C++ test rebuilds them by name).
LAYOUTS = {
    "sin_transposed": lambda: torch.sin(grid(2, 3).t()),
    "transposed_plus_contiguous": lambda: grid(2, 3).t() + grid(3, 2),
    "contiguous_plus_transposed": lambda: grid(3, 2) + grid(2, 3).t(),
    "transposed_plus_row": lambda: grid(2, 3).t() + grid(2),
    "permuted_times_number": lambda: grid(2, 3, 4).permute(2, 0, 1) * 2,
    "expanded_plus_row": lambda: grid(3, 1).expand(3, 4) + grid(4),
    "column_plus_row": lambda: grid(3, 1) + grid(1, 4),
    "every_other_column": lambda: grid(3, 4)[:, ::2] + 1,
    "transposed_less_transposed": lambda: grid(2, 3).t() < grid(2, 3).t(),
    "where_transposed": lambda: torch.where(grid(2, 3).t() > 2, grid(2, 3).t(), grid(3, 2)),
    "long_to_float_transposed": lambda: torch.sin(torch.arange(6).view(2, 3).t()),
}

# Error cases the C++ test rebuilds by name (same operands, same operation).
ERRORS = {
    "broadcast": lambda: torch.ones(3) + torch.ones(2),
    "broadcast_inner": lambda: torch.ones(3, 2) + torch.ones(4, 1, 3),
    "out_shape": lambda: torch.ones(2).add_(torch.ones(3, 2)),
    "cast_float_to_long": lambda: torch.ones(2, dtype=torch.long).add_(torch.ones(2)),
    "cast_complex_to_float": lambda: torch.ones(2).add_(torch.ones(2, dtype=torch.complex64)),
    "cast_long_to_bool": lambda: torch.ones(2, dtype=torch.bool).add_(torch.ones(2, dtype=torch.long)),
    "cast_sin_long": lambda: torch.ones(2, dtype=torch.long).sin_(),
    "sub_one_bool": lambda: torch.ones(2) - torch.tensor([True, False]),
    "sub_wrapped_bool": lambda: torch.tensor([True, False]) - True,
    "partial_overlap": lambda: (lambda x: x[1:].add_(x[:-1]))(torch.arange(4.0)),
    "partial_overlap_transposed": lambda: (lambda x: x.add_(x.t()))(torch.arange(4.0).view(2, 2)),
    "internal_overlap": lambda: torch.arange(4.0).expand(3, 4).add_(1),
    "copy_partial_overlap": lambda: (lambda x: x[1:].copy_(x[:-1]))(torch.arange(4.0)),
    "copy_internal_overlap": lambda: torch.arange(4.0).expand(3, 4).copy_(torch.ones(3, 4)),
    "copy_shape": lambda: torch.ones(2, dtype=torch.long).copy_(torch.ones(3, 2)),
    "copy_broadcast": lambda: torch.ones(3).copy_(torch.ones(2)),
    "where_condition": lambda: torch.where(torch.ones(2, dtype=torch.long), torch.ones(2), torch.ones(2)),
    "where_broadcast": lambda: torch.where(torch.ones(3, dtype=torch.bool), torch.ones(2, 1), torch.ones(2)),
    "fill_long_overflow": lambda: torch.ones(2, dtype=torch.long).fill_(1e30),
    "fill_half_overflow": lambda: torch.ones(2, dtype=torch.half).fill_(1e30),
    "fill_complex_into_float": lambda: torch.ones(2).fill_(1j),
}


def main():
    macros = ["TG_RESULT_TYPE", "TG_UNARY", "TG_UNARY_ERROR", "TG_BINARY", "TG_BINARY_ERROR", "TG_CAN_CAST",
              "TG_LAYOUT", "TG_ERROR"]
    lines = [
        "// Generated by test/tensor/kernels/make_elementwise_reference.py (torch %s). Do not edit." % torch.__version__,
        "// Missing entries are deliberate differences, listed with the reason.",
    ]
    for m in macros:
        lines += ["#ifndef " + m, "#define %s(...)" % m, "#endif"]
    # -- result_type -------------------------------------------------------------------------
    operands = []
    for dtype, name in DTYPES:
        operands.append((torch.ones(2, dtype=dtype), name, "dim"))
        operands.append((torch.ones((), dtype=dtype), name, "zero_dim"))
    for value, name in WRAPPED:
        operands.append((value, name, "wrapped"))
    for a, an, ak in operands:
        for b, bn, bk in operands:
            if ak == "wrapped" and bk == "wrapped":
                continue
            r = torch.result_type(a, b)
            note = "  // torch: ComplexHalf" if r == torch.complex32 else ""
            lines.append("TG_RESULT_TYPE(tg::%s, %s, tg::%s, %s, tg::%s)%s" % (an, ak, bn, bk, TG[r], note))
    # -- unary and binary result dtypes --------------------------------------------------------
    for name, f in UNARY:
        for dtype, dn in DTYPES:
            r = outcome(lambda: f(operand(dtype)))
            why = deliberate_difference(name, [dtype], r)
            if why:
                lines.append("// %s(%s): %s" % (name, dn, why))
            elif r[0] == "dtype":
                lines.append("TG_UNARY(ops::%s, tg::%s, tg::%s)" % (name, dn, TG[r[1]]))
            else:
                lines.append("TG_UNARY_ERROR(ops::%s, tg::%s, %s)" % (name, dn, c_string(r[1])))
    for name, f in BINARY:
        for a, an in DTYPES:
            for b, bn in DTYPES:
                r = outcome(lambda: f(operand(a), operand(b)))
                why = deliberate_difference(name, [a, b], r)
                if why:
                    lines.append("// %s(%s, %s): %s" % (name, an, bn, why))
                elif r[0] == "dtype":
                    lines.append("TG_BINARY(ops::%s, tg::%s, tg::%s, tg::%s)" % (name, an, bn, TG[r[1]]))
                else:
                    lines.append("TG_BINARY_ERROR(ops::%s, tg::%s, tg::%s, %s)" % (name, an, bn, c_string(r[1])))
    # -- can_cast and layouts -------------------------------------------------------------------
    for a, an in DTYPES:
        for b, bn in DTYPES:
            lines.append("TG_CAN_CAST(tg::%s, tg::%s, %s)" % (an, bn, "true" if torch.can_cast(a, b) else "false"))
    for name, f in LAYOUTS.items():
        lines.append("TG_LAYOUT(%s, {%s})" % (name, ", ".join(str(s) for s in f().stride())))
    # -- error texts -------------------------------------------------------------------------
    for name, f in ERRORS.items():
        r = outcome(f)
        assert r[0] == "error", name
        lines.append("TG_ERROR(%s, %s)" % (name, c_string(r[1])))
    lines += ["#undef " + m for m in macros]
    with open(os.path.join(HERE, "elementwise_reference.inc"), "w") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
