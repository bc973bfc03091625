#!/usr/bin/env python3
"""Compile-time measurements for typegrad (issue §4), written as JSON for bench/report.py.

  measure.py --include DIR --out DIR [--cpu-limit S] [--mem-limit-gb G]

Each compile runs under /usr/bin/time -v (elapsed wall time, user+sys CPU time, maximum
resident set size) with a CPU-time limit and an address-space limit (RLIMIT_CPU / RLIMIT_AS,
inherited by cc1plus / clang), so that a blow-up cannot take the machine down: a compile that
hits a limit is recorded as such, and the larger sizes of its series are then skipped.
No ccache: every compile is real.

Series:
  header          <typegrad/static.hpp> and a 1-operation gradient (the fixed cost)
  primal          the 1000-operation function on doubles only, no typegrad (baseline)
  grad-g++        tg::grad of generated straight-line functions (gen_straightline.py), g++ -O2
  grad-clang++    the same with clang++ -O2
  constants       u = 0.5 * x, then u = u * u k times: a runtime constant inside a reused
                  subtree (see the report: each use becomes a distinct node)
  dedupe-hana / dedupe-flat   gen_dedupe.py: Boost.Hana vs typegrad's flat pack layout
                  (size 0: the header alone)
"""
import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run_timed(cmd, cpu_limit, mem_limit_gb, cwd):
    def limits():
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_limit, cpu_limit + 5))
        b = int(mem_limit_gb * 1024**3)
        resource.setrlimit(resource.RLIMIT_AS, (b, b))

    full = ["/usr/bin/time", "-v"] + cmd
    t0 = time.monotonic()
    p = subprocess.run(full, cwd=cwd, capture_output=True, text=True, preexec_fn=limits)
    wall = time.monotonic() - t0
    r = {"cmd": " ".join(cmd), "wall_s": round(wall, 2), "ok": p.returncode == 0}
    for line in p.stderr.splitlines():
        line = line.strip()
        if line.startswith("User time (seconds):"):
            r["user_s"] = float(line.split(":")[1])
        elif line.startswith("System time (seconds):"):
            r["sys_s"] = float(line.split(":")[1])
        elif line.startswith("Maximum resident set size (kbytes):"):
            r["max_rss_mb"] = round(int(line.split(":")[1]) / 1024, 1)
        elif line.startswith("Command terminated by signal"):
            r["signal"] = int(line.split()[-1])
    r["cpu_s"] = round(r.get("user_s", 0) + r.get("sys_s", 0), 2)
    if not r["ok"]:
        if r.get("signal") in (9, 24) or r["cpu_s"] >= cpu_limit - 1:
            r["failure"] = f"CPU limit ({cpu_limit} s) reached"
        elif "memory" in p.stderr.lower() or "bad_alloc" in p.stderr:
            r["failure"] = f"memory limit ({mem_limit_gb} GB) reached"
        else:
            r["failure"] = "compile error: " + "\n".join(
                l for l in p.stderr.splitlines() if "error" in l)[:400]
    return r


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def gen(args_list):
    return subprocess.run([sys.executable] + args_list, capture_output=True, text=True, check=True).stdout


CONST_TU = """#include <typegrad/static.hpp>
#include <cstdio>
struct f_t {{
  constexpr auto operator()(const auto& x) const {{
    auto u0 = 0.5 * x;
{body}
    return u{k};
  }}
}};
int main() {{
  volatile double in = 1.01;
  const double x = in;
  std::printf("%g\\n", typegrad::grad(f_t{{}}, x)[0]);
}}
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--include", required=True, help="typegrad's include directory")
    ap.add_argument("--out", required=True, help="work directory; writes compile.json there")
    ap.add_argument("--cpu-limit", type=int, default=60)
    ap.add_argument("--mem-limit-gb", type=float, default=4.0)
    ap.add_argument("--quick", action="store_true", help="small sizes only (for testing this script)")
    a = ap.parse_args()
    work = os.path.join(os.path.abspath(a.out), "compile")
    os.makedirs(work, exist_ok=True)
    inc = os.path.abspath(a.include)
    base = ["-std=c++20", "-O2", "-I", inc]
    results = {"cpu_limit_s": a.cpu_limit, "mem_limit_gb": a.mem_limit_gb, "flags": "-std=c++20 -O2", "series": {}}

    def versions():
        v = {}
        for c in ("g++", "clang++"):
            try:
                v[c] = subprocess.run([c, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
            except OSError:
                v[c] = "not found"
        return v

    results["compilers"] = versions()

    def series(name, items, compile_one):
        """items: list of (size, source text); stops at the first failure."""
        out = []
        failed = False
        for size, make_src, compiler, extra in items:
            if failed:
                out.append({"size": size, "ok": False, "skipped": True,
                            "failure": "skipped (a smaller size hit a limit)"})
                continue
            src = os.path.join(work, f"{name}_{size}.cpp")
            write(src, make_src())
            obj = src[:-4] + ".o"
            r = run_timed([compiler] + base + extra + ["-c", src, "-o", obj], a.cpu_limit, a.mem_limit_gb, work)
            r["size"] = size
            if r["ok"] and compile_one:
                compile_one(r, obj, compiler)
            out.append(r)
            print(f"  {name} {size}: " + (f"{r['cpu_s']} s CPU, {r['wall_s']} s wall, {r.get('max_rss_mb')} MB"
                                          if r["ok"] else r["failure"]), flush=True)
            failed = not r["ok"]
        results["series"][name] = out

    def check_run(r, obj, compiler):
        exe = obj[:-2]
        subprocess.run([compiler, obj, "-o", exe], check=True)
        p = subprocess.run([exe], capture_output=True, text=True)
        r["run_ok"] = p.returncode == 0
        r["run_output"] = p.stdout.strip()

    g = os.path.join(HERE, "gen_straightline.py")
    d = os.path.join(HERE, "gen_dedupe.py")
    grad_sizes_gcc = [25, 50] if a.quick else [100, 200, 300, 1000]
    grad_sizes_clang = [25] if a.quick else [25, 50, 75, 100, 300, 1000]
    print("compile-time measurements (CPU limit %d s, address space %g GB):" % (a.cpu_limit, a.mem_limit_gb), flush=True)
    series("header", [(1, lambda: gen([g, "1"]), "g++", [])], check_run)
    series("primal", [(1000, lambda: gen([g, "1000", "--primal"]), "g++", [])], check_run)
    series("grad-g++", [(n, (lambda n=n: gen([g, str(n)])), "g++", []) for n in grad_sizes_gcc], check_run)
    series("grad-clang++", [(n, (lambda n=n: gen([g, str(n)])), "clang++", []) for n in grad_sizes_clang], check_run)

    def const_src(k):
        body = "\n".join(f"    auto u{i} = u{i - 1} * u{i - 1};" for i in range(1, k + 1))
        return CONST_TU.format(body=body, k=k)

    series("constants", [(k, (lambda k=k: const_src(k)), "g++", []) for k in ([2, 4] if a.quick else [4, 6, 8])], None)
    dd_sizes = [0, 50] if a.quick else [0, 100, 300, 1000]
    series("dedupe-flat", [(n, (lambda n=n: gen([d, "flat", str(n)])), "g++", []) for n in dd_sizes], None)
    series("dedupe-hana", [(n, (lambda n=n: gen([d, "hana", str(n)])), "g++", []) for n in dd_sizes], None)
    path = os.path.join(a.out, "compile.json")
    write(path, json.dumps(results, indent=1))
    print("wrote", path)


if __name__ == "__main__":
    main()
