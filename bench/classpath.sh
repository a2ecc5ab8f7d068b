#!/usr/bin/env bash
# Compiles main and test classes and prints the classpath the benchmark mains run with.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >&2
echo "target/classes:target/test-classes:$(cat target/bench-classpath.txt)"
