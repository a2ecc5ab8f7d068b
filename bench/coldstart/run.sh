#!/usr/bin/env bash
# Cold-start benchmark (SPEC §12): fresh function processes under the local Lambda Runtime API
# (infra/local/invoke.sh), against a fake Ramen (bench/FakeRamen.java).
#
#   bench/coldstart/run.sh [--runs N] [--events N] [--cpu-quota 60%] [--latency-ms N]
#                          [--builds native,jvm,jvm-c1] [--event FILE] [--dir DIR] [--memory MB]
#
# Builds measured (each started --runs times, default 10, interleaved run by run):
#   native   target/*-runner
#   jvm      the JVM build under the Lambda Java runtime interface client, default JVM flags
#   jvm-c1   the same with -XX:TieredStopAtLevel=1 -XX:+UseSerialGC (Lambda's java17/21 defaults)
# Each start gets --events events (default 1000; copies of --event, default bench/coldstart/event.json,
# with %SEQ% replaced by 1..N so that messageIds differ). Measured per start: process start -> first
# response; peak RSS (VmHWM) after the first event and after the last; wall time of all events.
# Prints a markdown table of medians and the JVM/native ratios of this run.
#
# --cpu-quota Q   run each function process under a CPU quota (e.g. 60% ≈ a 1 GB Lambda; 100% = one
#                 core): systemd-run --scope -p CPUQuota=Q when systemd is running, else a cgroup
#                 (v2 cpu.max or v1 cpu.cfs_quota_us) made by this script (needs root), else taskset to
#                 one core (not a quota: noted in the output).
# Environment: JAVA (java for the function), RAMEN_* / SEGMENT_* are passed to the function;
# RAMEN_BASE_URL is set to the fake Ramen. Per-run raw numbers: bench/coldstart/results/<timestamp>/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="$(cd "$here/../.." && pwd)"
runs=10 events=1000 quota="" latency=5 builds="native,jvm,jvm-c1" event="$here/event.json" memory=1024

while (($#)); do
  case "$1" in
    --runs) runs="$2"; shift ;;
    --events) events="$2"; shift ;;
    --cpu-quota) quota="$2"; shift ;;
    --latency-ms) latency="$2"; shift ;;
    --builds) builds="$2"; shift ;;
    --event) event="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift ;;
    --dir) dir="$(cd "$2" && pwd)"; shift ;;
    --memory) memory="$2"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ "$runs" =~ ^[0-9]+$ && "$runs" -ge 1 && "$events" =~ ^[0-9]+$ && "$events" -ge 1 ]] || { echo "run.sh: --runs/--events must be positive integers" >&2; exit 2; }

invoke="$dir/infra/local/invoke.sh"
[[ -x "$invoke" ]] || invoke="$here/../../infra/local/invoke.sh"
target="$dir/target"
java="${JAVA:-java}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$here/results/$stamp"
mkdir -p "$out"
notes=()

# --- which builds exist ------------------------------------------------------------------------------
IFS=, read -r -a want <<<"$builds"
todo=()
have_native=0 have_jvm=0
for f in "$target"/*-runner; do [[ -f "$f" && -x "$f" ]] && have_native=1; done
[[ -f "$target/../infra/dist/jvm.zip" ]] && have_jvm=1 # invoke.sh --jvm runs the JVM artefact as deployed
for b in "${want[@]}"; do
  case "$b" in
    native) if ((have_native)); then todo+=(native); else notes+=("native: skipped, no executable $target/*-runner (build with ./mvnw package -Dnative)"); fi ;;
    jvm|jvm-c1) if ((have_jvm)); then todo+=("$b"); else notes+=("$b: skipped, no infra/dist/jvm.zip (build with infra/build.sh --jvm-only)"); fi ;;
    *) echo "run.sh: unknown build $b (native, jvm, jvm-c1)" >&2; exit 2 ;;
  esac
done
((${#todo[@]})) || { printf '%s\n' "${notes[@]}" >&2; echo "run.sh: nothing to measure" >&2; exit 1; }

busy="$(pgrep -fa 'native-image|plexus-classworlds|quarkus:dev' || true)"
[[ -n "$busy" ]] && notes+=("other heavy processes were running (numbers are noisy): $(echo "$busy" | awk '{print $1, $2}' | tr '\n' ';')")

# --- CPU quota wrapper ---------------------------------------------------------------------------------
wrap="" cg=""
cleanup() {
  [[ -n "${ramen_pid:-}" ]] && kill "$ramen_pid" 2>/dev/null && wait "$ramen_pid" 2>/dev/null || true
  if [[ -n "$cg" && -d "$cg" ]]; then rmdir "$cg" 2>/dev/null || true; fi
}
trap cleanup EXIT
if [[ -n "$quota" ]]; then
  pct="${quota%\%}"
  [[ "$pct" =~ ^[0-9]+$ && "$pct" -ge 1 ]] || { echo "run.sh: --cpu-quota wants e.g. 60%" >&2; exit 2; }
  period=100000 q=$((pct * 1000))
  if command -v systemd-run >/dev/null && systemd-run --scope --quiet -p CPUQuota="$pct%" true 2>/dev/null; then
    wrap="systemd-run --scope --quiet -p CPUQuota=$pct% --"
    quota_how="systemd-run --scope -p CPUQuota=$pct%"
  else
    why="$(systemd-run --scope --quiet -p CPUQuota="$pct%" true 2>&1 | head -1 || true)"
    [[ -z "$why" ]] && why="systemd-run not found"
    name="bench-coldstart-$$"
    if [[ -f /sys/fs/cgroup/cgroup.controllers ]] && grep -qw cpu /sys/fs/cgroup/cgroup.controllers \
       && mkdir "/sys/fs/cgroup/$name" 2>/dev/null; then
      cg="/sys/fs/cgroup/$name"; echo "$q $period" > "$cg/cpu.max"
    elif [[ -w /sys/fs/cgroup/cpu ]] && mkdir "/sys/fs/cgroup/cpu/$name" 2>/dev/null; then
      cg="/sys/fs/cgroup/cpu/$name"; echo "$period" > "$cg/cpu.cfs_period_us"; echo "$q" > "$cg/cpu.cfs_quota_us"
    fi
    if [[ -n "$cg" ]]; then
      printf '#!/bin/sh\necho $$ > %s/cgroup.procs || exit 125\nexec "$@"\n' "$cg" > "$out/cgexec"
      chmod +x "$out/cgexec"; wrap="$out/cgexec"
      quota_how="cgroup $cg, quota ${q}us per ${period}us (systemd-run unusable here: $why)"
    elif command -v taskset >/dev/null; then
      wrap="taskset -c 0"
      quota_how="NOT a quota: taskset -c 0 (one core); systemd-run unusable ($why) and no writable cgroup"
    else
      quota_how="NONE: systemd-run unusable ($why), no writable cgroup, no taskset"
    fi
  fi
  notes+=("CPU quota $quota: $quota_how")
fi

# --- fake Ramen ---------------------------------------------------------------------------------------
"$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC "$here/../FakeRamen.java" --latency-ms "$latency" \
  --port-file "$out/ramen.port" 2>"$out/fake-ramen.log" &
ramen_pid=$!
for _ in $(seq 1 300); do [[ -s "$out/ramen.port" ]] && break; sleep 0.05; done
[[ -s "$out/ramen.port" ]] || { echo "run.sh: fake Ramen did not start:" >&2; cat "$out/fake-ramen.log" >&2; exit 1; }
ramen="http://127.0.0.1:$(cat "$out/ramen.port")"
count_url() { # the fake Ramen's request counter, through bash's /dev/tcp (no curl needed)
  exec 3<>"/dev/tcp/127.0.0.1/$(cat "$out/ramen.port")" && printf 'GET /__count HTTP/1.0\r\n\r\n' >&3 &&
    sed -n 's/.*"requests":\([0-9]*\).*/\1/p' <&3; exec 3<&- 3>&-
}

export RAMEN_BASE_URL="$ramen"
export RAMEN_ORGANIZATION_ID="${RAMEN_ORGANIZATION_ID:-bench-org}"
export SEGMENT_AUTH="${SEGMENT_AUTH:-none}"
# As deployed (infra/template.yaml): Lambda needs no HTTP listener.
export QUARKUS_HTTP_HOST_ENABLED="${QUARKUS_HTTP_HOST_ENABLED:-false}"

# --- runs -------------------------------------------------------------------------------------------------
echo "run.sh: ${todo[*]} x $runs fresh starts, $events events each, fake Ramen latency $latency ms${quota:+, CPU quota $quota}; raw results in $out" >&2
printf 'build\trun\tfirst_ms\trss_first_kib\trss_last_kib\tall_events_ms\tanswered\terrors\tfatal\tramen_requests\n' > "$out/runs.tsv"
for r in $(seq 1 "$runs"); do
  for b in "${todo[@]}"; do
    case "$b" in
      native) flag=--native; jopts="" ;;
      jvm) flag=--jvm; jopts="" ;;
      jvm-c1) flag=--jvm; jopts="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" ;;
    esac
    before="$(count_url)"
    tf="$out/$b.$r.timing"
    set +e
    JAVA="$java" JAVA_OPTS="$jopts" INVOKE_WRAP="$wrap" "$invoke" --dir "$dir" "$flag" "$event" \
      --repeat "$events" --seq --quiet --memory "$memory" --init-timeout-ms 60000 \
      --timing-file "$tf" --function-log "$out/$b.$r.log" > "$out/$b.$r.out" 2>>"$out/$b.$r.log"
    rc=$?
    set -e
    after="$(count_url)"
    get() { sed -n "s/^$1=//p" "$tf" 2>/dev/null | head -1; }
    first="$(get start_to_first_response_ms)" h1="$(get peak_rss_first_kib)" hn="$(get peak_rss_last_kib)"
    first_resp="$first" last="$(get start_to_last_response_ms)"
    all=$(( ${last:--1} >= 0 && ${first_resp:--1} >= 0 ? last - first_resp : -1 ))
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$b" "$r" "${first:--1}" "${h1:--1}" "${hn:--1}" "$all" \
      "$(get answered)" "$(get function_errors)" "$(get fatal)" "$(( ${after:-0} - ${before:-0} ))" >> "$out/runs.tsv"
    if ((rc != 0)); then
      echo "run.sh: $b run $r failed (exit $rc): $(head -c 300 "$out/$b.$r.out")" >&2
    fi
    printf '  %-7s run %2d: first response %5s ms, peak RSS %6s / %6s KiB, %s events in %s ms\n' \
      "$b" "$r" "${first:--}" "${h1:--}" "${hn:--}" "$(get answered)" "$all" >&2
  done
done

if [[ -n "$cg" && -r "$cg/cpu.stat" ]]; then
  cp "$cg/cpu.stat" "$out/cgroup-cpu.stat"
  notes+=("cgroup check: $(awk '$1=="nr_periods"{p=$2} $1=="nr_throttled"{t=$2} END {printf "throttled in %d of %d scheduler periods", t, p}' "$cg/cpu.stat")")
fi

# --- summary ----------------------------------------------------------------------------------------------
median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) {print "-"; exit} if (NR%2) print a[(NR+1)/2]; else printf "%.1f\n", (a[NR/2]+a[NR/2+1])/2}'; }
col() { awk -F'\t' -v b="$1" -v c="$2" 'NR>1 && $1==b && $3>=0 && $9=="none" {print $c}' "$out/runs.tsv"; }
mib() { awk -v k="$1" 'BEGIN { if (k=="-") print "-"; else printf "%.0f", k/1024 }'; }
declare -A med_first med_h1 med_hn
{
  echo "### Cold start, $(date -u +%Y-%m-%d) — $(nproc) cores${quota:+, CPU quota $quota}, $runs fresh starts per build, $events events per start, fake Ramen latency $latency ms"
  echo
  echo "| build | ok runs | start → first response, median (min–max) ms | peak RSS after 1st event, median MiB | peak RSS after $events events, median MiB | events 2–$events, wall median ms | errors |"
  echo "|---|---|---|---|---|---|---|"
  for b in "${todo[@]}"; do
    ok="$(col "$b" 3 | wc -l)"
    f="$(col "$b" 3 | median)"; mn="$(col "$b" 3 | sort -n | head -1)"; mx="$(col "$b" 3 | sort -n | tail -1)"
    h1="$(col "$b" 4 | median)"; hn="$(col "$b" 5 | median)"; al="$(col "$b" 6 | median)"
    errs="$(awk -F'\t' -v b="$b" 'NR>1 && $1==b {e+=$8; if ($9!="none") f++; if ($10!=$7) m++}
      END {printf "%d function errors, %d failed starts", e, f; if (m) printf ", %d starts where Ramen requests ≠ events", m}' "$out/runs.tsv")"
    med_first[$b]="$f" med_h1[$b]="$h1" med_hn[$b]="$hn"
    case "$b" in
      native) label="native (\`*-runner\`)" ;;
      jvm) label="JVM, default flags" ;;
      jvm-c1) label="JVM, \`-XX:TieredStopAtLevel=1 -XX:+UseSerialGC\`" ;;
    esac
    echo "| $label | $ok/$runs | $f (${mn:--}–${mx:--}) | $(mib "$h1") | $(mib "$hn") | $al | $errs |"
  done
  echo
  if [[ -n "${med_first[native]:-}" && "${med_first[native]}" != "-" ]]; then
    for b in jvm jvm-c1; do
      [[ -n "${med_first[$b]:-}" && "${med_first[$b]}" != "-" ]] || continue
      awk -v b="$b" -v f="${med_first[$b]}" -v nf="${med_first[native]}" -v h="${med_h1[$b]}" -v nh="${med_h1[native]}" \
          -v l="${med_hn[$b]}" -v nl="${med_hn[native]}" \
        'BEGIN { printf "- %s / native (same run): start → first response ×%.1f, peak RSS after 1st ×%.1f, after all ×%.1f\n", b, f/nf, h/nh, l/nl }'
    done
  else
    echo "- JVM/native ratio: n/a (no native build measured in this run)"
  fi
  echo "- function java: $("$java" -version 2>&1 | head -1); JVM builds run under aws-lambda-java-runtime-interface-client 2.10.1"
  for n in "${notes[@]+"${notes[@]}"}"; do echo "- $n"; done
  echo "- absolute times on this machine do not predict Lambda; compare the ratios (SPEC §12)"
} | tee "$out/summary.md"
