#!/usr/bin/env python3
"""
Summarise a perf profile of the function: top self (leaf) frames, and the share of samples whose call
stack contains a frame of each category (inclusive; one sample can count in several categories).

  perf script -i perf.data -F comm,tid,period,ip,sym,dso | python3 bench/profile/categorize.py [--top 25]
"""
import re
import sys
from collections import Counter

CATEGORIES = [  # (name, regex over the frame's symbol or dso)
    ("Ramen HTTP client (java.net.http, jdk.internal.net.http)", r"jdk\.internal\.net\.http|java\.net\.http"),
    ("Vert.x / Netty", r"io\.vertx|io\.netty"),
    ("NIO / sockets (sun.nio, java.nio channels)", r"sun\.nio\.ch|java\.nio\.channels"),
    ("logging (jboss logmanager, JUL, Quarkus log)", r"org\.jboss\.logmanager|org\.jboss\.logging|java\.util\.logging|io\.quarkus\.bootstrap\.logging|OutcomeLog"),
    ("JSON (Jackson)", r"com\.fasterxml\.jackson"),
    ("our parsing (io.segmentramen.segment, json)", r"io\.segmentramen\.segment|io\.segmentramen\.json"),
    ("mapping + signing", r"io\.segmentramen\.mapping|io\.segmentramen\.signing"),
    ("delivery (io.segmentramen.delivery, ramen)", r"io\.segmentramen\.delivery|io\.segmentramen\.ramen"),
    ("Lambda handler + poll loop", r"io\.segmentramen\.lambda|io\.quarkus\.amazon\.lambda"),
    ("CompletableFuture / executors / locks", r"java\.util\.concurrent"),
    ("threads: start, park, unpark", r"Thread.*(start|park|unpark)|LockSupport|PlatformThreads|pthread"),
    ("GC", r"com\.oracle\.svm\.core\.genscavenge|GarbageCollect|Heap.*collect"),
    ("start-up: Quarkus init, static init, class init, ArC", r"io\.quarkus\.runtime|io\.quarkus\.arc|_ClassInit|clinit|\$\$_staticInit|Application.*start|StartupContext|ApplicationImpl|io\.quarkus\.runner"),
    ("TLS / crypto (sun.security, javax.crypto)", r"sun\.security|javax\.crypto|com\.sun\.crypto"),
    ("kernel", r"\[kernel|\[unknown\]\s*\(\[kernel"),
]
compiled = [(n, re.compile(p)) for n, p in CATEGORIES]


def samples(lines):
    head, frames = None, []
    for line in lines:
        if not line.strip():
            if head is not None:
                yield head, frames
            head, frames = None, []
        elif not line.startswith((" ", "\t")):
            head, frames = line.strip(), []
        else:
            frames.append(line.strip())
    if head is not None:
        yield head, frames


def main():
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 25
    total = 0
    self_c, cat_c = Counter(), Counter()
    for head, frames in samples(sys.stdin):
        m = re.search(r"\s(\d+)\s*$", head)
        w = int(m.group(1)) if m else 1
        total += w
        if frames:
            leaf = re.sub(r"^[0-9a-f]+\s+", "", frames[0])
            leaf = re.sub(r"\+0x[0-9a-f]+", "", leaf)
            self_c[leaf] += w
        seen = set()
        text = "\n".join(frames)
        for name, rx in compiled:
            if rx.search(text):
                seen.add(name)
        for n in seen:
            cat_c[n] += w
    if not total:
        sys.exit("no samples")
    print(f"samples (weighted by period): {total}")
    print("\n| category (stack contains a frame of it) | share of samples |\n|---|---:|")
    for name, _ in CATEGORIES:
        print(f"| {name} | {100.0 * cat_c[name] / total:.1f} % |")
    print(f"\n| top self frames (leaf) | share |\n|---|---:|")
    for sym, c in self_c.most_common(top):
        print(f"| `{sym[:150]}` | {100.0 * c / total:.1f} % |")


if __name__ == "__main__":
    main()
