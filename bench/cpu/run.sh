#!/usr/bin/env bash
# CPU per delivered event (bench/README.md §2): the packaged function behind the Lambda Runtime API stand-in
# (bench/lib/lambda_bench.py), as deployed, handed N API Gateway v2 invocations of a JSON array of
# events (default 10 × 500: one in three an identify, the rest tracks, 100 visitors per batch) that it
# delivers to a warm fake Ramen answering at once (bench/FakeRamen.java --track-ids).
#
#   bench/cpu/run.sh [--native|--jvm] [--cpu-quota 15%] [--batches 10] [--batch-size 500] [--perf FILE]
#                    [--port-base 58110] [--visitors 100] [--ramen-latency 0] [--rounds 1] [--no-floor]
#   Each round runs the product, then the per-event floor (bench/floor, when built; not with --no-floor):
#   a native program that posts the product's own Ramen requests of that run — captured by the fake
#   Ramen in round 1 — with the same Vert.x client, pool, concurrency and visitor order, doing nothing
#   else. The summary ends with product ÷ floor (CPU per delivered event, batch wall time) against the goals.
#   The batch goal of bench/README.md's goal table (2 500 events, 500 visitors in chains of 5, Ramen answering after 20 ms,
#   RAMEN_CONCURRENCY=64), on the packaged function rather than in a JVM test:
#     RAMEN_CONCURRENCY=64 bench/cpu/run.sh --native --batches 3 --batch-size 2500 --visitors 500 --ramen-latency 20
#   prints each batch's wall time ÷ the ideal max(ceil(events ÷ concurrency), longest chain) × latency.
#
# Reports: the function's CPU (sum of /proc/<pid>/task/*/schedstat, user+sys, all threads) from after
# its start to after the last batch ÷ delivered events (also batches 2..N only, and the cpuacct
# cgroup's figure, which counts threads that ended); wall time per batch (under the quota, if given);
# peak RSS (VmHWM) after 1 000 events and after all; and checks that nothing was lost: every report
# counts every event delivered, and the fake Ramen received every messageId exactly once (exit 1 if not).
# --perf FILE: perf record (--perf-args, default -g) the function's pid during the batches of round 1
#   (the per-event floor's into FILE.floor).
# Environment: RAMEN_* / SEGMENT_* pass through to the function (RAMEN_CONCURRENCY defaults to 16).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
variant=native quota=0 batches=10 size=500 perf="" base=58110 perfargs="-g" visitors=100 latency=0 rounds=1 floor=1
while (($#)); do
  case "$1" in
    --native) variant=native ;;
    --jvm) variant=jvm ;;
    --cpu-quota) quota="${2//%/}"; shift ;;
    --batches) batches="$2"; shift ;;
    --batch-size) size="$2"; shift ;;
    --perf) perf="$2"; shift ;;
    --perf-args) perfargs="$2"; shift ;;
    --port-base) base="$2"; shift ;;
    --visitors) visitors="$2"; shift ;;
    --ramen-latency) latency="$2"; shift ;;
    --rounds) rounds="$2"; shift ;;
    --no-floor) floor=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
out="$here/results/$(date -u +%Y%m%dT%H%M%SZ)-$variant"; mkdir -p "$out"
source "$root/bench/lib/common.sh"
trap stop_ramen EXIT
[[ "$variant" == jvm ]] && prepare_jvm
if ((floor)) && ! floor_built floor-event; then
  echo "bench: the per-event floor is not built (bench/floor/build.sh a2): measured without it" >&2; floor=0
fi
start_ramen $((base + 2)) "$latency"
set +e
{
  echo "### CPU per event $(date -u +%Y-%m-%dT%H:%MZ): $rounds round(s)$( ((floor)) && echo " of product, then per-event floor"), $batches × $size events, $visitors visitors, fake Ramen answering after $latency ms, RAMEN_CONCURRENCY=${RAMEN_CONCURRENCY:-16 (default)}, RAMEN_DEADLINE=${RAMEN_DEADLINE:-60s}"
  echo
  python3 "$root/bench/lib/lambda_bench.py" cpu --variant "$variant" --root "$root" --ramen "$ramen_url" \
    --ramen-pid "$ramen_pid" ${ramen_cg:+--ramen-cgroup "$ramen_cg"} --port $((base + 1)) --quota "$quota" --batches "$batches" --batch-size "$size" --visitors "$visitors" --ramen-latency "$latency" \
    --rounds "$rounds" $( ((floor)) && echo --floor) --out "$out" ${perf:+--perf "$perf"} --perf-args="$perfargs"
  echo "exit=$?" > "$out/exit"
  machine_note
} | tee "$out/summary.md"
exit "$(sed -n 's/exit=//p' "$out/exit")"
