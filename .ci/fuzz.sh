#!/usr/bin/env bash
# Time-boxed coverage-guided fuzzing: each Jazzer @FuzzTest in a Maven/JVM of its own
# (Jazzer fuzzes only the first @FuzzTest of a JVM), JAZZER_FUZZ=1, maxDuration 60s each (set in
# the @FuzzTest annotation). Fails on any finding; a finding's input is written by Jazzer under
# src/test/resources/io/segmentramen/fuzz/<Class>Inputs/<method>/ and then replayed by every
# ./mvnw verify (regression mode). Prints executions per second for each target.
# Usage: bash .ci/fuzz.sh [extra Maven args, e.g. the test ports]
set -uo pipefail
cd "$(dirname "$0")/.."
targets=(
  "io.segmentramen.fuzz.BodyParserFuzzTest#parse"
  "io.segmentramen.fuzz.LambdaHandlerFuzzTest#sniff"
  "io.segmentramen.fuzz.HttpCoreFuzzTest#post"
)
failed=0
mkdir -p target/fuzz
for target in "${targets[@]}"; do
  name="${target##*.}"; name="${name//#/-}"
  log="target/fuzz/$name.log"
  printf '\n==== fuzzing %s (60 s)\n' "$target"
  JAZZER_FUZZ=1 ./mvnw -B -o test -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djacoco.skip=true "$@" >"$log" 2>&1
  status=$?
  # libFuzzer's last status line: "#<execs> DONE cov: ... exec/s: N ..."
  stats="$(grep -E '^#[0-9]+' "$log" | tail -n 1)"
  execs="$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$stats")"
  rate="$(sed -nE 's/.*exec\/s: ([0-9]+).*/\1/p' <<<"$stats")"
  echo "$target: executions=${execs:-?} exec/s=${rate:-?} exit=$status"
  if [ "$status" -ne 0 ] || grep -qE '== Java Exception|Crash|FAILURE!' "$log"; then
    echo "FINDING in $target: see $log"; grep -E 'Java Exception|at io\.segmentramen|crash-' "$log" | head -n 20
    failed=1
  fi
done
exit "$failed"
