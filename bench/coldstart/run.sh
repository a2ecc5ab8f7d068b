#!/usr/bin/env bash
# Cold-start benchmark (bench/README.md §1): fresh function processes behind ONE light Lambda Runtime API
# stand-in (bench/lib/lambda_bench.py, Python, started and warmed once before the first measured start)
# and an already-warm fake Ramen answering at once (bench/FakeRamen.java).
#
#   bench/coldstart/run.sh [--runs 10] [--builds native,jvm] [--cpu-quota none,15] [--events 1]
#                          [--no-floor] [--perf FILE] [--perf-args "-g"] [--port-base 58100]
#
# Builds: native = target/*-runner (./mvnw package -Dnative -Dlambda), as on provided.al2023;
#         jvm    = infra/dist/jvm.zip (infra/build.sh --jvm-only) under AWS's runtime interface
#                  client with -XX:TieredStopAtLevel=1 -XX:+UseSerialGC (Lambda's java17/21 defaults);
#         the floors (bench/floor/build.sh): floor-a, floor-a2 (native), floor-jvm (the JVM start floor,
#                  and floor-jvm-vertx, A + quarkus-vertx + quarkus-jackson, which splits the JVM difference;
#                  run like jvm). Each product build brings its floors along when they are built
#                  (native: floor-a and floor-a2; jvm: floor-jvm), unless --no-floor; the summary then
#                  ends with product ÷ floor for wall, CPU, minor faults and RSS, against the goals.
#         native-alt = native with the environment in BENCH_ALT_ENV added ("NAME=value ..."), or another
#                  executable (BENCH_ALT_EXE=path, e.g. the build before a change): an A/B of
#                  run-time settings in one run, e.g. BENCH_ALT_ENV="QUARKUS_LOG_CONSOLE_JSON_ENABLED=false"
#                  bench/coldstart/run.sh --builds native,native-alt --no-floor;
#                  BENCH_NATIVE_EXE=path makes native run that executable instead of target/'s (two saved
#                  builds, neither of them target/'s, A/B'd in one run)
# Each start gets one API Gateway v2 event (an identify) and --events-1 more; starts are interleaved
# (run 1 of every build and quota, then run 2, ...). Per start: wall time spawn → first response read by
# the stand-in; the function's own CPU at that moment (sum of /proc/<pid>/task/*/schedstat, and its
# cpuacct cgroup, which also counts threads that ended); the same at its first GET /next; the stand-in's
# and the fake Ramen's CPU during the start (a check that they stayed out of the way); peak RSS.
# --cpu-quota: comma list, "none" or a percent; a cgroup v1 cpu.cfs_quota_us per 100 ms period
# (15 ≈ the CPU share of a 256 MB Lambda). Raw rows: bench/coldstart/results/<stamp>/runs.json.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs=10 builds=native,jvm quota=none,15 events=1 perf="" base=58100 perfargs="-g" floors=1
while (($#)); do
  case "$1" in
    --runs) runs="$2"; shift ;;
    --builds) builds="$2"; shift ;;
    --cpu-quota) quota="${2//%/}"; shift ;;
    --events) events="$2"; shift ;;
    --no-floor) floors=0 ;;
    --perf) perf="$2"; shift ;;
    --perf-args) perfargs="$2"; shift ;;
    --port-base) base="$2"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
out="$here/results/$(date -u +%Y%m%dT%H%M%SZ)"; mkdir -p "$out"
source "$root/bench/lib/common.sh"
trap stop_ramen EXIT
variants=()
IFS=, read -r -a bs <<<"$builds"
if ((floors)); then
  more=()
  for b in "${bs[@]}"; do
    case "$b" in native) more+=(floor-a floor-a2) ;; jvm) more+=(floor-jvm floor-jvm-vertx) ;; esac
  done
  for f in ${more[@]+"${more[@]}"}; do
    [[ ",$builds," == *",$f,"* ]] && continue
    if floor_built "$f"; then bs+=("$f"); else echo "bench: $f not built (bench/floor/build.sh): measured without it" >&2; fi
  done
fi
for b in "${bs[@]}"; do
  [[ "$b" == jvm ]] && prepare_jvm
  [[ "$b" == floor-jvm ]] && prepare_jvm floor
  [[ "$b" == floor-jvm-vertx ]] && prepare_jvm floor-vertx
  variants+=(--variant "$b")
done
start_ramen $((base + 2)) 0
{
  echo "### Cold start $(date -u +%Y-%m-%dT%H:%MZ): $runs starts per build and quota, interleaved (${bs[*]}), fake Ramen answering at once"
  echo
  python3 "$root/bench/lib/lambda_bench.py" coldstart "${variants[@]}" --root "$root" --ramen "$ramen_url" \
    --ramen-pid "$ramen_pid" ${ramen_cg:+--ramen-cgroup "$ramen_cg"} --port $((base + 1)) --runs "$runs" --quota "$quota" --events "$events" \
    --out "$out" ${perf:+--perf "$perf"} --perf-args="$perfargs"
  machine_note
} | tee "$out/summary.md"
