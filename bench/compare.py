#!/usr/bin/env python3
"""Full builds of dossier and Hugo side by side, in one run.

    bench/compare.py [--runs 3] [--hugo-up-to 10000] [--pgo] [SIZES...]   (default sizes: 1000 10000)

For each size it generates the same articles twice with
../shared/tools/gencorpus.py (`--layout dossier` and `--layout hugo`), on
tmpfs, then runs the two builds interleaved (dossier, Hugo, dossier, Hugo…),
each into an empty output folder, and prints medians of wall time, CPU time
(user + system), peak memory and pages per second, and the ratio: of the
medians, and round by round (each Hugo build against the dossier build of
its round: the median, and the lowest and highest). After
each cold dossier build it also times the builds that reuse its cache: one
with nothing changed, one after appending a line to one article, and the
same edit again (the staging folder then already mirrors the site); their
medians are printed with their share of the cold build. Two
floors: reading every article (`cat` into /dev/null), and writing the site
dossier built (`cp -r` of its output into an empty folder: the same files
and bytes, which the kernel must make for any build). They are reference
figures, not strict bounds: `cp` runs on one core and reads as it writes,
and it leaves out the build cache.

Hugo runs up to `--hugo-up-to` articles (default 10,000): at 100,000 its
memory (~1.7 GiB per 10,000 articles) would not fit beside the corpora on
tmpfs on a 24 GiB machine.

dossier is the plain release build of this checkout (`target/release`);
Hugo is the `hugo` on PATH (Debian's 0.111 on the development machine).
With `--pgo`, the PGO binary `scripts/release` makes (the same program
optimised with a profile of its own builds) runs too, as `dossier-pgo`,
in the same rounds (the two dossier binaries taking turns at going
first): its cold builds are timed beside the others, and its ratios to
Hugo and to the plain build are printed. Not a test: compare runs made
the same way, and read the machine's load (printed) before the figures.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(ROOT, "..", "shared", "tools", "gencorpus.py")
# Where `cargo build --release` (run from ROOT) puts it.
BIN = os.path.join(ROOT, os.environ.get("CARGO_TARGET_DIR", "target"), "release", "dossier")


def fresh(out):
    """An empty output folder: no previous site, staging folder or build
    cache (dossier's cold build)."""
    parent, name = os.path.split(out)
    for path in (out, os.path.join(parent, f".{name}.staging"), os.path.join(parent, f".{name}.cache")):
        shutil.rmtree(path, ignore_errors=True)


def corpus(n, layout):
    path = f"/dev/shm/dossier-compare-{layout}-{n}"
    if not os.path.exists(os.path.join(path, "corpus-manifest.json")):
        shutil.rmtree(path, ignore_errors=True)
        subprocess.run(
            [sys.executable, GEN, "-n", str(n), "--layout", layout, "--out", path],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return path


# A process started from this one inherits its peak memory: Linux keeps the
# largest resident size a process had, across `exec`, and a child made by
# `vfork` (as `subprocess` does) or `fork` starts with this script's. A
# 1,000-article build measured 94 MiB that way, 76 MiB on its own. GNU
# time forks the command from a process of ~1 MiB and reports its peak.
GNU_TIME = "/usr/bin/time"


def timed(cmd, cwd):
    """Wall seconds, CPU seconds and peak KiB of one command."""
    # Errors go to a file, not a pipe: a pipe nobody reads until the end
    # would stall a command that writes more than it holds.
    with tempfile.TemporaryFile() as errors, tempfile.NamedTemporaryFile("r") as peak:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [GNU_TIME, "-f", "%M", "-o", peak.name, *cmd],
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        # CPU time of GNU time and of the command it waited for.
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            sys.exit(f"{' '.join(cmd)} failed in {cwd}: {errors.read().decode()[-2000:]}")
        peak_kib = int(peak.read().split()[-1])
    return wall, usage.ru_utime + usage.ru_stime, peak_kib


def pages(folder):
    return sum(1 for _, _, files in os.walk(folder) for f in files if f.endswith(".html"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--hugo-up-to", type=int, default=10000)
    parser.add_argument("--pgo", action="store_true", help="also time the binary scripts/release makes")
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    args = parser.parse_args()
    if not os.access(GNU_TIME, os.X_OK):
        sys.exit(f"{GNU_TIME} (GNU time) measures peak memory: apt-get install time")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    pgo = None
    if args.pgo:
        made = subprocess.run([os.path.join(ROOT, "scripts", "release")], cwd=ROOT, check=True, stdout=subprocess.PIPE)
        pgo = os.path.abspath(made.stdout.decode().strip().splitlines()[-1])
    print(f"load average before: {os.getloadavg()[0]:.2f}; {args.runs} interleaved runs, medians")
    print(f"{'articles':>9} {'tool':<11} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9} {'pages/s':>9} {'pages':>7}")
    for n in args.sizes:
        with_hugo = n <= args.hugo_up_to
        mine = corpus(n, "dossier")
        hugo = corpus(n, "hugo") if with_hugo else None
        results = {"dossier": []}
        if pgo:
            results["dossier-pgo"] = []
        if with_hugo:
            results["hugo"] = []
        counted = {}
        writes = []
        out = "/dev/shm/dossier-compare-out"
        copy = "/dev/shm/dossier-compare-copy"
        cached = {"unchanged": [], "one edit": [], "one edit again": []}
        edited = os.path.join(mine, "content", "articles", sorted(os.listdir(os.path.join(mine, "content", "articles")))[0])
        def pgo_build():
            fresh(out)
            results["dossier-pgo"].append(timed([pgo, "-q", "build", "--output", out], mine))
            counted["dossier-pgo"] = pages(out)

        for round_ in range(args.runs):
            # The two dossier binaries take turns at going first: neither
            # always runs right after Hugo, or after the cache's builds.
            if pgo and round_ % 2 == 1:
                pgo_build()
            fresh(out)
            build = [BIN, "-q", "build", "--output", out]
            results["dossier"].append(timed(build, mine))
            counted["dossier"] = pages(out)
            cached["unchanged"].append(timed(build, mine))
            with open(edited, "rb") as f:
                original = f.read()
            try:
                for kind, line in (("one edit", b"\nAn added line.\n"), ("one edit again", b"\nAnother.\n")):
                    with open(edited, "ab") as f:
                        f.write(line)
                    cached[kind].append(timed(build, mine))
            finally:
                with open(edited, "wb") as f:
                    f.write(original)
            shutil.rmtree(copy, ignore_errors=True)
            writes.append(timed(["cp", "-r", out, copy], mine))
            shutil.rmtree(copy, ignore_errors=True)
            if pgo and round_ % 2 == 0:
                pgo_build()
            if with_hugo:
                fresh(out)
                results["hugo"].append(timed(["hugo", "--quiet", "--destination", out], hugo))
                counted["hugo"] = pages(out)
            fresh(out)
        floor = timed(["sh", "-c", "find content/articles -name '*.md' -exec cat {} + > /dev/null"], mine)
        write_wall = statistics.median(w[0] for w in writes)
        write_cpu = statistics.median(w[1] for w in writes)
        medians = {}
        for tool, runs in results.items():
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            peak = statistics.median(r[2] for r in runs) / 1024
            medians[tool] = wall
            print(
                f"{n:>9} {tool:<11} {wall:>8.2f} {cpu:>8.2f} {peak:>9.0f} "
                f"{counted[tool] / wall:>9.0f} {counted[tool]:>7}"
            )
        for kind, runs in cached.items():
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            peak = statistics.median(r[2] for r in runs) / 1024
            share = 100 * wall / medians["dossier"]
            print(f"{n:>9} {'cached':<11} {wall:>8.2f} {cpu:>8.2f} {peak:>9.0f}   ({kind}: {share:.0f} % of cold)")
        print(f"{n:>9} {'floor':<11} {floor[0]:>8.2f} {floor[1]:>8.2f}   (reading every article)")
        print(f"{n:>9} {'floor':<11} {write_wall:>8.2f} {write_cpu:>8.2f}   (writing dossier's site: cp -r)")
        if pgo:
            if counted["dossier-pgo"] != counted["dossier"]:
                sys.exit(f"the two dossier binaries made {counted['dossier']} and {counted['dossier-pgo']} pages")
            paired = sorted(d[0] / p[0] for d, p in zip(results["dossier"], results["dossier-pgo"]))
            print(
                f"{n:>9} ratio    dossier / dossier-pgo wall time: {medians['dossier'] / medians['dossier-pgo']:.2f}x; "
                f"round by round median {statistics.median(paired):.2f}x, {paired[0]:.2f}x to {paired[-1]:.2f}x"
            )
        for tool in [t for t in results if with_hugo and t != "hugo"]:
            print(f"{n:>9} ratio    Hugo / {tool} wall time: {medians['hugo'] / medians[tool]:.1f}x")
            # Each round's Hugo build against the dossier build of the same
            # round, seconds apart: the machine's speed drifts by a third over
            # minutes (other tenants), and a pair shares the speed of its
            # moment, where two medians may come from different moments.
            paired = sorted(h[0] / d[0] for d, h in zip(results[tool], results["hugo"]))
            print(
                f"{n:>9} ratio    round by round: median {statistics.median(paired):.1f}x, "
                f"{paired[0]:.1f}x to {paired[-1]:.1f}x"
            )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
