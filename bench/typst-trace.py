#!/usr/bin/env python3
"""Where a briefing PDF's time goes, from Typst's own timings.

    DOSSIER_TYPST_TRACE=/tmp/trace.json dossier pdf -C DOSSIER
    bench/typst-trace.py /tmp/trace.json

Typst lays the document out again until every page reference settles
(up to five passes). For each pass this prints its wall time; the CPU
time of its page runs (the parts between page breaks, laid out in
parallel) and how many threads ran them; the time when no page run was
active (serial: realising the document, evaluating `context` blocks,
finishing pages) or only one was; the largest runs; and, inside the
serial realisation, the largest `context` blocks. A pass that costs as
much as the first is laying the document out again, not reusing it.
"""

import collections
import json
import sys


def spans_of(events):
    """(name, start, end, thread, depth) of every timed scope, in µs."""
    stacks = collections.defaultdict(list)
    spans = []
    for e in events:
        if e["ph"] == "B":
            stacks[e["tid"]].append(e)
        elif e["ph"] == "E":
            begin = stacks[e["tid"]].pop()
            spans.append((begin["name"], begin["ts"], e["ts"], e["tid"], len(stacks[e["tid"]])))
    return spans


def serial_time(start, end, runs):
    """Time within [start, end] with no page run active, and with one."""
    edges = sorted([(r[1], 1) for r in runs] + [(r[2], -1) for r in runs])
    active, last, none, one = 0, start, 0, 0
    for t, step in edges:
        if active == 0:
            none += t - last
        elif active == 1:
            one += t - last
        active += step
        last = t
    none += end - last
    return none, one


def main():
    spans = spans_of(json.load(open(sys.argv[1])))
    s = lambda us: f"{us / 1e6:.2f} s"
    for name in ("compile", "eval"):
        for span in (x for x in spans if x[0] == name):
            print(f"{name}: {s(span[2] - span[1])}")
    passes = sorted((x for x in spans if x[0].startswith("iter")), key=lambda x: x[1])
    for name, start, end, _, _ in passes:
        inside = [x for x in spans if start <= x[1] and x[2] <= end]
        runs = sorted((x for x in inside if x[0] == "page run"), key=lambda x: x[1])
        threads = len({r[3] for r in runs})
        none, one = serial_time(start, end, runs)
        largest = sorted(runs, key=lambda r: r[1] - r[2])[:5]
        print(
            f"{name}: {s(end - start)}; {len(runs)} page runs, {s(sum(r[2] - r[1] for r in runs))} "
            f"of CPU on {threads} threads; no run active {s(none)}, one {s(one)}; largest runs "
            + ", ".join(f"#{runs.index(r)} {s(r[2] - r[1])}" for r in largest)
        )
        contexts = sorted(
            (x for x in inside if x[0] == "context" and not any(
                r[3] == x[3] and r[1] <= x[1] and x[2] <= r[2] for r in runs)),
            key=lambda x: x[1] - x[2],
        )[:3]
        if contexts and contexts[0][2] - contexts[0][1] > 50_000:
            print("    serial context blocks: " + ", ".join(s(c[2] - c[1]) for c in contexts))


if __name__ == "__main__":
    main()
