#!/usr/bin/env python3
"""
Inclusive ("on the stack") shares of a perf profile recorded with call graphs, for an executable built
with frame pointers (-H:+PreserveFramePointer), where the stacks reach main(). categorize.py says who
*runs*; this says on whose behalf: each frame is counted once per sample it appears in.

  perf script -i perf.data -F comm,tid,period,ip,sym,dso | python3 bench/profile/callers.py [--top 40] [--match REGEX]

--match keeps only frames whose symbol matches (default: application and framework code, not the JDK):
the question is which start-up step or request step the CPU belongs to.
"""
import argparse
import re
import sys
from collections import Counter

DEFAULT = r"io\.segmentramen|io\.quarkus|io\.smallrye|io\.vertx|io\.netty|org\.jboss|com\.fasterxml|_ClassInit|clinit|JavaMainWrapper|PosixJavaThreads|Thread::run"


def samples(lines):
    period, frames = 0, []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if frames or period:
                yield period, frames
            period, frames = 0, []
            continue
        if line[0] not in " \t":  # header: comm tid period
            parts = line.split()
            period = int(parts[-1]) if parts and parts[-1].isdigit() else 1
            continue
        m = re.match(r"\s*[0-9a-f]+\s+(.*?)\s+\(([^)]*)\)\s*$", line)
        if m:
            frames.append(m.group(1).split("+0x")[0])
    if frames or period:
        yield period, frames


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--match", default=DEFAULT)
    args = ap.parse_args()
    keep = re.compile(args.match)
    total, inclusive = 0, Counter()
    for period, frames in samples(sys.stdin):
        total += period
        for frame in set(f for f in frames if keep.search(f)):
            inclusive[frame] += period
    if not total:
        print("no samples")
        return
    print(f"samples: {total / 1e6:.1f} ms of CPU (sum of periods)\n")
    print("| frame (on the stack of) | inclusive share |\n|---|---:|")
    for frame, period in inclusive.most_common(args.top):
        print(f"| `{frame[:140]}` | {100 * period / total:.1f} % |")


if __name__ == "__main__":
    main()
