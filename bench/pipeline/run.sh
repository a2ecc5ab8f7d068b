#!/usr/bin/env bash
# Per-event cost of the pure pipeline (parse → validate → map → sign → serialise) with JMH, one thread.
# Extra arguments go to JMH, e.g. `bench/pipeline/run.sh -wi 5 -i 10`.
set -euo pipefail
cd "$(dirname "$0")/../.."
CP="$(bash bench/classpath.sh)"
java -cp "$CP" org.openjdk.jmh.Main 'io.segmentramen.bench.PipelineBenchmark' -rf text -rff target/jmh-pipeline.txt "$@" \
  | grep -E '^(Benchmark|PipelineBenchmark)' || true
echo
awk 'NR>1 && $0 ~ /pipeline/ {printf "| %s | %.2f µs/event | %.0f events/s |\n", $2, $5, 1e6/$5}' target/jmh-pipeline.txt \
  | sed '1i | type | avg time | events/s (one thread) |\n|---|---:|---:|'
