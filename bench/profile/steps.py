#!/usr/bin/env python3
"""
Start-up CPU by step, in ms per start, for two builds side by side (the product and a floor), from perf
profiles of cold starts recorded with call graphs on executables built with frame pointers
(-H:+PreserveFramePointer, -Dquarkus.native.debug.enabled=true; bench/profile/link-debug.sh).

Each sample goes to the FIRST step of STEPS (in that order) that has a frame on its stack, so a step's
figure includes everything it called, no sample counts twice, and the generic steps at the end only take
what no specific one claimed; samples with no matching frame go to "other (thread start, ld.so, GC,
kernel entry without a Java caller)".

  for f in /tmp/cold.native.q0.*; do perf script -i $f -F comm,tid,period,ip,sym,dso; done > product.txt
  for f in /tmp/cold.floor-a2.q0.*; do perf script -i $f -F comm,tid,period,ip,sym,dso; done > a2.txt
  python3 bench/profile/steps.py --starts 5 product.txt a2.txt

Prints ms per start for each file and the difference (first minus second).
"""
import argparse
import os
import re
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from callers import samples  # noqa: E402  (one reader of perf script output)

STEPS = [  # (step, regex over a frame's symbol); the first step with a frame on the stack takes the sample
    ("configuration: building the @ConfigMapping objects", r"SmallRyeConfig::buildMappings|ConfigMappingContext|ConfigMappingLoader"),
    ("configuration: finding and reading the properties files among the image's resources",
     r"SmallRyeConfigBuilder::getDefaultSources|AbstractLocationConfigSourceLoader|ClassPathUtils"),
    ("configuration: matching property and variable names to the mappings (isMapped)", r"Config::isMapped|PropertiesUtil::isMapped"),
    ("configuration: the rest (sources, interceptors, look-ups)",
     r"Config::readConfig|SmallRyeConfigBuilder|ConfigMappings|ConfigMappingProvider|RunTimeConfig|ConfigRecorder|io\.smallrye\.config"),
    ("logging set-up: JSON formatter (quarkus-logging-json)", r"LoggingJsonRecorder|io\.quarkus\.logging\.json"),
    ("logging set-up: handlers, formatters, categories", r"LoggingSetupRecorder|io\.quarkus\.runtime\.logging"),
    ("HTTP router / RESTEasy Reactive / Vert.x HTTP set-up", r"VertxHttpRecorder|ResteasyReactiveRecorder|io\.quarkus\.vertx\.http|"
     r"org\.jboss\.resteasy\.reactive|io\.quarkus\.resteasy\.reactive|RouterImpl"),
    ("Vert.x instance (event loops, Netty)", r"VertxCoreRecorder|io\.quarkus\.vertx\.core"),
    ("host name lookup for log records", r"InetAddress::getLocalHost|HostName"),
    ("the product's start-up beans and checks (io.segmentramen, start)", r"io\.segmentramen\.config"),
    ("the product's request handling (io.segmentramen)", r"io\.segmentramen"),
    ("Lambda poll loop: first GET /next and the first invocation (framework part)",
     r"AbstractLambdaPollLoop|LambdaPollLoop|AmazonLambdaRecorder|io\.quarkus\.amazon\.lambda"),
    ("ArC container and beans", r"io\.quarkus\.arc"),
    ("other Quarkus start-up steps (ApplicationImpl, recorders)", r"io\.quarkus\.runner|io\.quarkus\.runtime|io\.quarkus\.bootstrap"),
    ("class initialisation at run time", r"ClassInitializationInfo|_ClassInit|clinit"),
]


def by_step(path):
    rules = [(name, re.compile(rx)) for name, rx in STEPS]
    out, total = Counter(), 0
    with open(path, errors="replace") as f:
        for period, frames in samples(f):
            total += period
            step = next((name for name, rx in rules if any(rx.search(frame) for frame in frames)), None)
            out[step or "other (thread start, ld.so, GC, kernel entry without a Java caller)"] += period
    return out, total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--starts", type=float, default=1, help="starts per file (the figures are per start)")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    results = [by_step(f) for f in args.files]
    names = [n for n, _ in STEPS] + ["other (thread start, ld.so, GC, kernel entry without a Java caller)"]
    head = " | ".join(f"`{f}`, ms" for f in args.files)
    diff = len(args.files) == 2
    print(f"| step (first matching, in this order) | {head} |" + (" difference, ms |" if diff else ""))
    print("|---|" + "---:|" * (len(args.files) + (1 if diff else 0)))
    ms = lambda c, n: c.get(n, 0) / 1e6 / args.starts
    for n in names:
        vals = [ms(c, n) for c, _ in results]
        if max(vals) < 0.05:
            continue
        print(f"| {n} | " + " | ".join(f"{v:.1f}" for v in vals) + " |" + (f" {vals[0] - vals[1]:+.1f} |" if diff else ""))
    tots = [t / 1e6 / args.starts for _, t in results]
    print("| **all samples** | " + " | ".join(f"**{t:.1f}**" for t in tots) + " |" + (f" **{tots[0] - tots[1]:+.1f}** |" if diff else ""))


if __name__ == "__main__":
    main()
