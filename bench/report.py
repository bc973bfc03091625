#!/usr/bin/env python3
"""Turns the benchmark JSON files and compile.json into a markdown report of RATIOS.

  report.py --json-dir DIR --compile FILE --out results.md [--machine FILE]

Benchmarks are named "<case>/<size>/<contestant>" (bench/common.hpp). Times are the medians
of the repetitions; CPU time, not wall time, because the machines are shared and a
descheduled benchmark thread inflates wall time but not CPU time.
  ours / hand     typegrad's time / the hand-written gradient's time  (goal: <= 1.2)
  peer / ours     a peer's time / typegrad's time                     (goal: > 1, faster than every peer)
  batch speedup   4 scalar typegrad calls / one batch<double> call    (goal: >= 3)
  Jet / ours      on the 16x16 Jacobian                               (goal: >= 2)
"""
import argparse
import glob
import json
import os

UNIT = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
OURS = "typegrad"
PEERS = ["ceres-jet", "eigen-autodiff", "sacado-sfad", "sacado-dfad", "sacado-rad", "adol-c", "adol-c-retape", "libtorch"]


def load(json_dir):
    """{(case, size): {contestant: {"ns": median cpu ns} or {"error": msg}}}, context list."""
    data, contexts = {}, []
    for path in sorted(glob.glob(os.path.join(json_dir, "*.json"))):
        with open(path) as f:
            d = json.load(f)
        contexts.append((os.path.basename(path), d.get("context", {})))
        for b in d.get("benchmarks", []):
            run = b.get("run_name", b["name"])
            parts = run.split("/")
            if len(parts) < 3:
                continue
            case, size, who = parts[0], parts[1], "/".join(parts[2:])
            slot = data.setdefault((case, size), {})
            if b.get("error_occurred"):
                slot[who] = {"error": b.get("error_message", "error")}
            elif b.get("run_type") == "aggregate" and b.get("aggregate_name") == "median":
                slot[who] = {"ns": b["cpu_time"] * UNIT[b.get("time_unit", "ns")]}
            elif b.get("run_type") == "iteration" and who not in slot:
                slot[who] = {"ns": b["cpu_time"] * UNIT[b.get("time_unit", "ns")]}
    return data, contexts


def fmt_t(ns):
    if ns is None:
        return "-"
    if ns < 1e3:
        return f"{ns:.3g} ns"
    if ns < 1e6:
        return f"{ns / 1e3:.3g} us"
    return f"{ns / 1e6:.3g} ms"


def fmt_r(r, good=None):
    if r is None:
        return "-"
    s = f"{r:.2f}" if r < 100 else f"{r:.0f}"
    if good is not None:
        s += " ✓" if good(r) else " ✗"
    return s


def t(slot, who):
    v = slot.get(who)
    return v.get("ns") if v else None


def ratio(a, b):
    return a / b if (a is not None and b is not None and b > 0) else None


def size_key(s):
    digits = "".join(c for c in s if c.isdigit())
    return (int(digits) if digits else 0, s)


CASE_ORDER = ["rosenbrock", "black-scholes", "sin-exp", "normal-logpdf", "log_sum_exp", "sum", "prod", "jacobian", "batch4"]


def ordered(data):
    keys = list(data.keys())
    return sorted(keys, key=lambda k: (CASE_ORDER.index(k[0]) if k[0] in CASE_ORDER else 99, size_key(k[1])))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--json-dir", required=True)
    ap.add_argument("--compile", required=False)
    ap.add_argument("--machine", required=False, help="text file with the machine description")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    data, contexts = load(a.json_dir)
    L = []
    w = L.append
    goals = {}

    w("# typegrad benchmark results\n")
    if a.machine and os.path.exists(a.machine):
        w("## Machine\n")
        w("```")
        w(open(a.machine).read().rstrip())
        w("```\n")
    if contexts:
        c = contexts[0][1]
        w(f"Google Benchmark: {c.get('num_cpus')} CPUs at {c.get('mhz_per_cpu')} MHz, "
          f"load average at start {c.get('load_avg')}, library build {c.get('library_build_type')}.")
        w("Times are medians of the repetitions, CPU time (shared machine: wall time is inflated by "
          "other processes). Every contestant is one out-of-line call computing value and gradient "
          "(bench/common.hpp), checked against the hand-written gradient before it is timed. "
          "('library build debug' is how Debian's libbenchmark package reports itself; it concerns the "
          "timing harness, not the code measured.)\n")

    errors = [(k, who, v["error"]) for k in ordered(data) for who, v in data[k].items() if "error" in v]

    # ---- ours vs hand -------------------------------------------------------------------
    w("## typegrad / hand-written (goal: <= 1.2 on every case)\n")
    variants = sorted({who for k in data for who in data[k] if who.startswith(OURS) and k[0] != "batch4"})
    variants = [OURS] + [v for v in variants if v != OURS]
    w("| case | size | hand | " + " | ".join(variants) + " |")
    w("|---|---|---|" + "---|" * len(variants))
    worst = None
    for k in ordered(data):
        if k[0] in ("batch4", "bandwidth"):
            continue
        s = data[k]
        h = t(s, "hand")
        cells = []
        for v in variants:
            r = ratio(t(s, v), h)
            if v == OURS and r is not None:
                worst = max(worst or 0, r)
                goals.setdefault("hand", []).append((k, r))
            cells.append(fmt_r(r, (lambda x: x <= 1.2) if v == OURS else None))
        extra = ""
        if "hand-closed-form" in s:
            extra = f" (closed-form Greeks: {fmt_t(t(s, 'hand-closed-form'))}, typegrad / closed-form = {fmt_r(ratio(t(s, OURS), t(s, 'hand-closed-form')))})"
        w(f"| {k[0]} | {k[1]} | {fmt_t(h)}{extra} | " + " | ".join(cells) + " |")
    w("\nColumns are time / hand-written time. `typegrad`: the function written naturally, with `double`"
      " constants; `-literals`: constants as compile-time literals (`2_c`), which keeps every subtree"
      " canonical so shared subexpressions are evaluated once; `-array`: Rosenbrock with one"
      " `std::array` argument and compile-time indices; `-inlined`: tg::grad written straight into the"
      " benchmark loop; `-dual`: tg::dual<double, 16> used directly like Ceres' Jet.\n")

    # ---- peers / ours -----------------------------------------------------------------------
    w("## peer / typegrad (goal: > 1, typegrad faster than every peer)\n")
    present = [p for p in PEERS if any(p in data[k] for k in data)]
    w("| case | size | typegrad | " + " | ".join(present) + " |")
    w("|---|---|---|" + "---|" * len(present))
    for k in ordered(data):
        if k[0] in ("batch4", "bandwidth"):
            continue
        s = data[k]
        o = t(s, OURS)
        cells = []
        for p in present:
            r = ratio(t(s, p), o)
            if r is not None:
                goals.setdefault("peers", []).append((k, p, r))
            cells.append(fmt_r(r, lambda x: x > 1.0))
        w(f"| {k[0]} | {k[1]} | {fmt_t(o)} | " + " | ".join(cells) + " |")
    w("\nEach cell: the peer's time / typegrad's time (> 1: typegrad is faster). '-': not run (forward-mode"
      " peers need one direction per input, O(N^2) work: Jet/AutoDiffScalar/SFad run up to N = 128, DFad"
      " up to N = 1024). ADOL-C: tape recorded once, replayed by `gradient()`; `adol-c-retape` records"
      " the tape on every call.\n")

    # ---- fusion ---------------------------------------------------------------------------
    fuse_keys = [k for k in ordered(data) if k[0] in ("fuse_chain", "fuse_affine")]
    if fuse_keys:
        n = 10_000_000
        triad = t(data.get(("bandwidth", f"n={n}"), {}), "triad")
        copy = t(data.get(("bandwidth", f"n={n}"), {}), "copy")
        bw = lambda nbytes, ns: nbytes / ns if ns else None  # bytes per ns = GB/s
        triad_bw, copy_bw = bw(3 * n * 4, triad), bw(2 * n * 4, copy)
        w("## Fusion: elementwise chains of 10^7 floats, forward + backward (goals: libtorch / fused >= 3"
          " for 4 ops or more; fused at >= 70% of the triad bandwidth)\n")
        w(f"Bandwidth measured in the same run: copy {fmt_r(copy_bw)} GB/s, triad {fmt_r(triad_bw)} GB/s.\n")
        w("| chain | ops | fused | unfused | libtorch | unfused / fused | libtorch / fused | fused GB/s | of triad |")
        w("|---|---|---|---|---|---|---|---|---|")
        for k in fuse_keys:
            s = data[k]
            f_, u_, l_ = t(s, "typegrad"), t(s, "typegrad-unfused"), t(s, "libtorch")
            ops = int(k[1].split("=")[1])
            r = ratio(l_, f_)
            fbw = bw(8 * n * 4, f_)
            share = ratio(fbw, triad_bw)
            if r is not None and ops >= 4:
                goals.setdefault("fuse-vs-libtorch", []).append((k, r))
            if share is not None and k[0] == "fuse_affine":
                goals.setdefault("fuse-bandwidth", []).append((k, share))
            kind = "sin(y) * w" if k[0] == "fuse_chain" else "y * w + x"
            w(f"| {kind} | {ops} | {fmt_t(f_)} | {fmt_t(u_)} | {fmt_t(l_)} | {fmt_r(ratio(u_, f_))} | "
              f"{fmt_r(r, (lambda x: x >= 3) if ops >= 4 else None)} | {fmt_r(fbw)} | "
              f"{fmt_r(share and 100 * share)}% |")
        w("\nBytes a fused chain must move: forward reads x, w and writes y; backward reads x, w and the"
          " output gradient and writes both gradients: 8 x 4 bytes per element. The bandwidth goal is read on"
          " the multiply-add chains; the sine chains are compute-bound (a sine forward, a sine and a cosine"
          " backward per pair of operations).\n")

    # ---- batch ----------------------------------------------------------------------------
    w("## 4 points: one batch<double> call vs 4 scalar calls (goal: >= 3x)\n")
    w("| function | batch call | 4 scalar typegrad calls | speedup | 4 hand-written calls | batch / 4 hand |")
    w("|---|---|---|---|---|---|")
    for k in ordered(data):
        if k[0] != "batch4":
            continue
        s = data[k]
        b, sc, hc = t(s, "typegrad-batch"), t(s, "typegrad-scalar-calls"), t(s, "hand-scalar-calls")
        r = ratio(sc, b)
        if r is not None:
            goals.setdefault("batch", []).append((k, r))
        w(f"| {k[1]} | {fmt_t(b)} | {fmt_t(sc)} | {fmt_r(r, lambda x: x >= 3)} | {fmt_t(hc)} | {fmt_r(ratio(b, hc))} |")
    w("")

    # ---- jacobian -------------------------------------------------------------------------
    jk = ("jacobian", "16x16")
    if jk in data:
        s = data[jk]
        w("## 16x16 Jacobian: Ceres Jet / typegrad (goal: >= 2)\n")
        w("| typegrad variant | time | Jet / it | AutoDiffScalar / it | SFad / it | it / hand |")
        w("|---|---|---|---|---|---|")
        for v in [x for x in (OURS, "typegrad-literals", "typegrad-dual") if x in s]:
            r = ratio(t(s, "ceres-jet"), t(s, v))
            if v == OURS:
                goals["jacobian"] = r
            w(f"| {v} | {fmt_t(t(s, v))} | {fmt_r(r, lambda x: x >= 2)} | {fmt_r(ratio(t(s, 'eigen-autodiff'), t(s, v)))} | "
              f"{fmt_r(ratio(t(s, 'sacado-sfad'), t(s, v)))} | {fmt_r(ratio(t(s, v), t(s, 'hand')))} |")
        w(f"\nJet: {fmt_t(t(s, 'ceres-jet'))}, hand-written Jacobian: {fmt_t(t(s, 'hand'))}.\n")

    # ---- compile times ---------------------------------------------------------------------
    comp = None
    if a.compile and os.path.exists(a.compile):
        with open(a.compile) as f:
            comp = json.load(f)
        w("## Compile time and memory\n")
        w(f"`{comp.get('flags')}`, no ccache; each compile limited to {comp.get('cpu_limit_s')} s of CPU and "
          f"{comp.get('mem_limit_gb')} GB of address space (a series stops at its first failure). "
          + "; ".join(f"{k}: {v}" for k, v in comp.get("compilers", {}).items()) + ".\n")
        w("| series | size | CPU time | wall time | peak RSS | result |")
        w("|---|---|---|---|---|---|")
        for name, rows in comp["series"].items():
            for r in rows:
                if r.get("skipped"):
                    res = r["failure"]
                elif r["ok"]:
                    res = "ok" + (f", run: {r.get('run_output')}" if "run_ok" in r else "")
                    if r.get("run_ok") is False:
                        res += " (WRONG)"
                else:
                    res = r.get("failure", "failed")
                cpu = "-" if r.get("skipped") else (f"{r['cpu_s']} s" if r["ok"] else f">= {r['cpu_s']} s")
                wall = "-" if r.get("skipped") else f"{r['wall_s']} s"
                rss = "-" if r.get("skipped") else f"{r.get('max_rss_mb', '?')} MB"
                w(f"| {name} | {r['size']} | {cpu} | {wall} | {rss} | {res} |")
        w("\nSizes: operations of the generated straight-line function (grad-*, primal, header), squarings"
          " of `0.5 * x` (constants), types in the list (dedupe-*). `run`: the compiled program's check of"
          " its gradient (value, for primal) against the generator's exact one.\n")
        fl = {r["size"]: r for r in comp["series"].get("dedupe-flat", [])}
        hn = {r["size"]: r for r in comp["series"].get("dedupe-hana", [])}
        if fl and hn:
            w("### Boost.Hana vs typegrad's flat pack layout (dedupe N types, find each one's index)\n")
            w("N = 0: the header alone (`<boost/hana.hpp>` vs `<typegrad/graph/collect.hpp>`).\n")
            w("| N | flat: CPU, RSS | Hana: CPU, RSS | Hana / flat CPU | Hana / flat RSS |")
            w("|---|---|---|---|---|")
            for n in sorted(set(fl) | set(hn)):
                f_, h_ = fl.get(n), hn.get(n)
                def cell(r):
                    if not r or r.get("skipped"):
                        return "-"
                    return (f"{r['cpu_s']} s, {r.get('max_rss_mb')} MB" if r["ok"] else f"{r.get('failure')}")
                rc = ratio(h_.get("cpu_s"), f_.get("cpu_s")) if (f_ and h_ and f_["ok"] and h_["ok"]) else None
                rm = ratio(h_.get("max_rss_mb"), f_.get("max_rss_mb")) if (f_ and h_ and f_["ok"] and h_["ok"]) else None
                w(f"| {n} | {cell(f_)} | {cell(h_)} | {fmt_r(rc)} | {fmt_r(rm)} |")
            w("")

    # ---- goals ------------------------------------------------------------------------------
    w("## Goals\n")
    h = goals.get("hand", [])
    if h:
        bad = [f"{k[0]} {k[1]} ({r:.2f})" for k, r in h if r > 1.2]
        w(f"- Gradient within 1.2x of hand-written on every case: **{'met' if not bad else 'NOT met'}**"
          f" (worst {max(r for _, r in h):.2f}x" + (f"; over 1.2x: {', '.join(bad)}" if bad else "") + ").")
    p = goals.get("peers", [])
    if p:
        lost = [f"{k[0]} {k[1]} vs {peer} ({r:.2f})" for k, peer, r in p if r <= 1.0]
        w(f"- Faster than every peer: **{'met' if not lost else 'NOT met'}**"
          + (f" (slower in {len(lost)} of {len(p)} comparisons: {', '.join(lost)})" if lost else f" ({len(p)} comparisons)") + ".")
    b = goals.get("batch", [])
    if b:
        w(f"- 4-point batch gradient >= 3x faster than 4 scalar calls: **{'met' if all(r >= 3 for _, r in b) else 'NOT met'}**"
          f" ({', '.join(f'{k[1]}: {r:.2f}x' for k, r in b)}).")
    fl = goals.get("fuse-vs-libtorch", [])
    if fl:
        w(f"- Fused chains of 4 or more ops >= 3x faster than libtorch: **{'met' if all(r >= 3 for _, r in fl) else 'NOT met'}**"
          f" ({', '.join(f'{k[0]} {k[1]}: {r:.2f}x' for k, r in fl)}).")
    fb = goals.get("fuse-bandwidth", [])
    if fb:
        w(f"- Fused multiply-add chains at >= 70% of the triad bandwidth: **{'met' if all(r >= 0.7 for _, r in fb) else 'NOT met'}**"
          f" ({', '.join(f'{k[1]}: {100 * r:.0f}%' for k, r in fb)}).")
    if "jacobian" in goals and goals["jacobian"] is not None:
        r = goals["jacobian"]
        w(f"- Multi-direction Jacobian >= 2x faster than Ceres Jet: **{'met' if r >= 2 else 'NOT met'}** (Jet / tg::jacobian = {r:.2f}).")
    if comp:
        rows = {r["size"]: r for r in comp["series"].get("grad-g++", [])}
        r = rows.get(1000)
        if r:
            met = r["ok"] and r["cpu_s"] < 60 and r["wall_s"] < 60 and r.get("max_rss_mb", 1e9) < 2048
            desc = (f"{r['cpu_s']} s CPU, {r['wall_s']} s wall, {r.get('max_rss_mb')} MB" if r["ok"] else r.get("failure"))
            if r.get("skipped"):
                first = next((x for x in comp["series"]["grad-g++"] if not x["ok"] and not x.get("skipped")), None)
                last_ok = [x for x in comp["series"]["grad-g++"] if x["ok"]]
                desc = "not attempted"
                if first:
                    desc += (f": {first['size']} operations already hit the limit ({first.get('failure')}, "
                             f"{first.get('max_rss_mb')} MB by then)")
                if last_ok:
                    x = last_ok[-1]
                    desc += f"; largest that compiled: {x['size']} operations in {x['cpu_s']} s CPU, {x.get('max_rss_mb')} MB"
            w(f"- 1000-operation gradient compiles with g++ -O2 in under 60 s and 2 GB: **{'met' if met else 'NOT met'}** ({desc}).")
    if errors:
        w("\n## Benchmarks that failed their correctness check\n")
        for k, who, msg in errors:
            w(f"- {k[0]}/{k[1]}/{who}: {msg}")
    with open(a.out, "w") as f:
        f.write("\n".join(L) + "\n")
    print("wrote", a.out)


if __name__ == "__main__":
    main()
