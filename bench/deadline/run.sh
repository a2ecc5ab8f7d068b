#!/usr/bin/env bash
# Deadlines hold whatever the batch: wall time of the largest invocations under a CPU quota, against a
# fake Ramen (bench/FakeRamen.java) answering 200 after 400 ms ("slow") or never ("silent").
#   --native (default): the native executable target/*-runner as deployed, behind the Lambda Runtime API
#     stand-in (bench/lib/lambda_bench.py deadline), one process per shape and Ramen serving every run, the
#     Lambda timeout given in Lambda-Runtime-Deadline-Ms; wall time = invocation handed → response read.
#   --jvm-in-process: the one Lambda handler in a JVM (io.segmentramen.bench.DeadlineBenchmark, the deployed
#     defaults, the real Vert.x client and clock), its log lines to a file; --classes DIR puts other main
#     classes first (a "before" compiled from an older commit).
# The function runs in a cgroup v1 CPU quota (15 % of a core: what a 256 MB Lambda has); RAMEN_DEADLINE=4s.
#
#   bench/deadline/run.sh [--native|--jvm-in-process] [--cpu-quota 15] [--runs 20] [--sqs-timeout-ms 20000]
#                         [--http-timeout-ms 6000] [--classes DIR]
#
# Shapes: sqs = 10 records × 900 identify events (the SQS consumer; the whole invocation is its budget),
# http = 4 000 identify events through API Gateway (RAMEN_DEADLINE 4 s, the template's 6 s timeout).
# Prints one line per run and a summary per shape and Ramen: runs answered before the Lambda timeout.
# RAMENS="silent" (or "slow") runs only that Ramen.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
quota=15 runs=20 sqs_ms=20000 http_ms=6000 classes="" base=58130 how=native
while (($#)); do
  case "$1" in
    --cpu-quota) quota="${2//%/}"; shift ;;
    --runs) runs="$2"; shift ;;
    --sqs-timeout-ms) sqs_ms="$2"; shift ;;
    --http-timeout-ms) http_ms="$2"; shift ;;
    --classes) classes="$2"; shift ;;
    --native) how=native ;;
    --jvm-in-process) how=jvm ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
out="$here/results/$(date -u +%Y%m%dT%H%M%SZ)-$how-q$quota"; mkdir -p "$out"
export RAMEN_DEADLINE=4s
if [[ "$how" == jvm ]]; then
  cp_file="$root/target/bench-classpath.txt"
  [[ -s "$cp_file" ]] || (cd "$root" && bash bench/classpath.sh >/dev/null)
  CP="${classes:+$classes:}$root/target/classes:$root/target/test-classes:$(cat "$cp_file")"
fi
source "$root/bench/lib/common.sh"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; [[ -n "${cg:-}" ]] && rmdir "$cg" 2>/dev/null || true; }
trap cleanup EXIT
fake() { # <port> <latency-ms> [threads]: returns once listening (a silent one needs a thread per request it holds)
  java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m "$root/bench/FakeRamen.java" --port "$1" --latency-ms "$2" --threads "${3:-64}" \
    --port-file "$out/ramen-$1.port" 2>"$out/fake-ramen-$1.log" &
  pids+=($!)
  for _ in $(seq 1 600); do [[ -s "$out/ramen-$1.port" ]] && return 0; sleep 0.05; done
  echo "bench: fake Ramen on $1 did not start" >&2; return 1
}
fake $((base + 1)) 400
fake $((base + 2)) 3600000 2048
cg=""
if [[ "$how" == native ]]; then
  {
    echo "### Deadlines, native executable under a ${quota} % CPU quota $(date -u +%Y-%m-%dT%H:%MZ): $runs runs per shape and Ramen"
    echo
    for ramen in ${RAMENS:-slow silent}; do
      port=$((base + 1)); [[ "$ramen" == silent ]] && port=$((base + 2))
      for shape in sqs http; do
        ms=$sqs_ms; [[ "$shape" == http ]] && ms=$http_ms
        python3 "$root/bench/lib/lambda_bench.py" deadline --variant native --root "$root" --ramen "http://127.0.0.1:$port" \
          --port $((base + 3)) --quota "$quota" --runs "$runs" --shape "$shape" --lambda-timeout-ms "$ms" --label "$ramen" \
          --pause 0.2 --out "$out" || true
        echo
      done
    done
    machine_note
  } | tee "$out/summary.md"
  exit 0
fi
if [[ "$quota" != 0 ]]; then
  cg="/sys/fs/cgroup/cpu/bench-deadline-$$"
  mkdir -p "$cg"; echo 100000 > "$cg/cpu.cfs_period_us"; echo $((quota * 1000)) > "$cg/cpu.cfs_quota_us"
fi
{
  echo "### Deadlines under a ${quota} % CPU quota $(date -u +%Y-%m-%dT%H:%MZ): $runs runs per shape and Ramen${classes:+ (main classes from $classes)}"
  echo
  for ramen in slow silent; do
    port=$((base + 1)); [[ "$ramen" == silent ]] && port=$((base + 2))
    for shape in sqs http; do
      ms=$sqs_ms; [[ "$shape" == http ]] && ms=$http_ms
      env ${cg:+BENCH_CGROUP_PROCS="$cg/cgroup.procs"} "$root/bench/lib/cgexec.sh" java -XX:+UseSerialGC -Xmx512m \
        -Dorg.jboss.logging.provider=jdk -Djava.util.logging.config.file="$here/logging.properties" -cp "$CP" io.segmentramen.bench.DeadlineBenchmark \
        "http://127.0.0.1:$port" "$shape" "$ms" "$runs" "$ramen" >"$out/$ramen-$shape.log" 2>&1 || true
      grep -E '^(RESULT|SUMMARY)' "$out/$ramen-$shape.log" | sed 's/^RESULT/-/; s/^SUMMARY/**summary**/'
      [[ -n "$cg" ]] && echo "- quota throttled in $(awk '/nr_throttled/{t=$2} /nr_periods/{p=$2} END{print t " of " p}' "$cg/cpu.stat") periods so far"
      echo
    done
  done
  machine_note
} | tee "$out/summary.md"
