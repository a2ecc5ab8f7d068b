#!/usr/bin/env bash
# Heap held by a full deduplication cache (DEDUP_CAPACITY entries of UUID messageIds).
set -euo pipefail
cd "$(dirname "$0")/../.."
CP="$(bash bench/classpath.sh)"
java -XX:+UseSerialGC "$@" -cp "$CP" io.segmentramen.bench.DedupMemoryBenchmark
