#!/usr/bin/env python3
"""Two dossier binaries side by side: cold build, one edit, the same edit again.

    bench/versus.py OLD_BINARY NEW_BINARY [ROUNDS] [CORPUS]

CORPUS defaults to the 10,000-article dossier `bench/compare.py` makes on
tmpfs (/dev/shm/dossier-compare-dossier-10000). Each round builds each
binary cold into its own output folder (no staging folder, no build
cache), then appends a line to one article three times; after each
append both binaries build through their own cache, in alternating
order. The first of the three is the "edit" (its staging folder is made
a mirror of the whole site), the other two the "edit again". The article
is restored at the end. Prints medians of wall time per binary and the
edit-again builds one by one.

For comparing two commits built into their own binaries (e.g. with `git
worktree`): on a shared, noisy machine only runs interleaved like this
say which is faster. Not a test.
"""

import os
import shutil
import statistics
import subprocess
import sys
import time


def clean(out):
    parent, name = os.path.split(out)
    for path in (out, os.path.join(parent, f".{name}.staging"), os.path.join(parent, f".{name}.cache")):
        shutil.rmtree(path, ignore_errors=True)


def build(binary, corpus, out):
    start = time.perf_counter()
    subprocess.run([binary, "-q", "build", "-C", corpus, "-o", out], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binaries = [os.path.abspath(b) for b in sys.argv[1:3]]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    corpus = sys.argv[4] if len(sys.argv) > 4 else "/dev/shm/dossier-compare-dossier-10000"
    articles = os.path.join(corpus, "content", "articles")
    article = os.path.join(articles, sorted(os.listdir(articles))[len(os.listdir(articles)) // 20])
    original = open(article, encoding="utf-8").read()
    outs = [f"/dev/shm/dossier-versus-{i}" for i in range(2)]
    times = {b: {"cold": [], "edit": [], "edit again": []} for b in binaries}
    try:
        for r in range(rounds):
            for b in binaries if r % 2 == 0 else binaries[::-1]:
                out = outs[binaries.index(b)]
                clean(out)
                times[b]["cold"].append(build(b, corpus, out))
            for k in range(3):
                with open(article, "a", encoding="utf-8") as f:
                    f.write(f"\nA line added in round {r}, edit {k}.\n")
                for b in binaries if (r + k) % 2 == 0 else binaries[::-1]:
                    kind = "edit" if k == 0 else "edit again"
                    times[b][kind].append(build(b, corpus, outs[binaries.index(b)]))
    finally:
        with open(article, "w", encoding="utf-8") as f:
            f.write(original)
        for out in outs:
            clean(out)
    for b in binaries:
        m = {kind: statistics.median(t) for kind, t in times[b].items()}
        share = 100 * m["edit again"] / m["cold"]
        again = ", ".join(f"{t:.3f}" for t in times[b]["edit again"])
        print(f"{b}: cold {m['cold']:.3f} s, edit {m['edit']:.3f} s, "
              f"edit again {m['edit again']:.3f} s ({share:.1f} % of cold); edit again: {again}")


if __name__ == "__main__":
    main()
