#!/usr/bin/env bash
# A/B of the per-request waste (one scan of the body, the payload and the report each written once),
# A and B interleaved in one JVM, CPU time and allocation per op: see WasteAB's comment.
# Usage: bench/waste/run.sh [rounds] [millis per measurement]
set -euo pipefail
cd "$(dirname "$0")/../.."
CP="$(bash bench/classpath.sh)"
exec java -XX:+UseSerialGC -Xmx512m -cp "$CP" io.segmentramen.bench.WasteAB "$@"
