#!/usr/bin/env python3
"""Compare fp_dump outputs of the host-fenv path (x86-64 SSE, tininess
after rounding like RISC-V) and the exact software path used by the Wasm
build.  Results must agree bit for bit, flags included."""
import sys

NAMES = ["f64_add", "f64_mul", "f64_div", "f64_sqrt", "f32_add", "f32_mul",
         "f32_div", "f32_sqrt", "f64_to_f32", "i64_to_f64", "i64_to_f32",
         "f64_sub", "f64_muladd", "f32_muladd"]


def main():
    a = open(sys.argv[1]).read().splitlines()
    b = open(sys.argv[2]).read().splitlines()
    if len(a) != len(b) or not a:
        print("not ok fpu/exact-vs-fenv output lengths differ")
        return
    bad, total = {}, 0
    for la, lb in zip(a, b):
        ca, cb = la.split(": ")[1].split(), lb.split(": ")[1].split()
        for i, (x, y) in enumerate(zip(ca, cb)):
            total += 1
            if x == y:
                continue
            bad.setdefault(NAMES[i], []).append(la.split(": ")[0] + " " + x + " vs " + y)
    for name in NAMES:
        if name in bad:
            print("not ok fpu/%s %d mismatches, e.g. %s" % (name, len(bad[name]), bad[name][0]))
        else:
            print("ok fpu/%s" % name)
    print("# %d results compared" % total)


main()
