#!/usr/bin/env bash
# Batch throughput against a fake Ramen on 127.0.0.1 with a fixed latency.
# Options as system properties: -Devents=2500 -Dvisitors=500 -Dlatencies=0,20 -Dconcurrencies=1,16,64
set -euo pipefail
cd "$(dirname "$0")/../.."
CP="$(bash bench/classpath.sh)"
# Outcome log lines (one per event) go to stderr; keep them out of the table.
java -Xmx512m "$@" -cp "$CP" io.segmentramen.bench.BatchThroughputBenchmark 2>target/bench-throughput.log
