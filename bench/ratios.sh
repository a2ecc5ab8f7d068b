#!/usr/bin/env bash
# The product against its floors, every figure from one run of this command (bench/README.md, "Ratios to
# the floors"): cold starts (native, A, A2, JVM artefact, JVM floor — interleaved), CPU per delivered
# event (product and per-event floor, alternating), and the batch wall time under a 15 % CPU quota.
# Prints each benchmark's own tables, then one goal table. With the defaults 6–9 minutes on 2 cores with the builds
# present (5 minutes with --runs 10 --rounds 3 --quota-rounds 2 on the loaded build machine).
#
#   bench/ratios.sh [--runs 20] [--rounds 5] [--quota-rounds 3] [--build] [--port-base 58200]
#
#   --runs N          cold starts per build (interleaved)
#   --rounds N        CPU benchmark: N product runs of 10 × 500 events, each followed by a per-event floor run
#   --quota-rounds N  the same at a 15 % CPU quota with Ramen answering after 20 ms (5 × 500 events)
#   --build           build what is missing first (native builds: several minutes each)
#
# Needs (what --build makes):
#   target/*-runner           ./mvnw -B package -Dnative -Dlambda -DskipTests [-Dquarkus.native.graalvm-home=...]
#   infra/dist/jvm.zip        infra/build.sh --jvm-only
#   bench/floor/dist/*        bench/floor/build.sh   (a-runner, a2-runner, a-jvm.zip)
# Results: bench/{coldstart,cpu}/results/<stamp>/ (each run's tables and ratios.json).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
runs=20 rounds=5 qrounds=3 build=0 base=58200
while (($#)); do
  case "$1" in
    --runs) runs="$2"; shift ;;
    --rounds) rounds="$2"; shift ;;
    --quota-rounds) qrounds="$2"; shift ;;
    --build) build=1 ;;
    --port-base) base="$2"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "ratios.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
cd "$root"
graal_arg() {
  local home="${GRAALVM_HOME_FOR_BUILD:-}"
  [[ -z "$home" && -f ../shared/native/setup-native.sh ]] && home="$(bash ../shared/native/setup-native.sh --home 2>/dev/null | tail -n 1)"
  echo ${home:+-Dquarkus.native.graalvm-home=$home}
}
missing=()
compgen -G "target/*-runner" >/dev/null || missing+=("product native: ./mvnw -B package -Dnative -Dlambda -DskipTests $(graal_arg)")
[[ -f infra/dist/jvm.zip ]] || missing+=("product JVM artefact: infra/build.sh --jvm-only")
for f in a-runner a2-runner a-jvm.zip; do
  [[ -e "bench/floor/dist/$f" ]] || missing+=("floor bench/floor/dist/$f: bench/floor/build.sh")
done
if ((${#missing[@]})); then
  if ((build == 0)); then
    echo "ratios.sh: not built yet (rerun with --build, or build them yourself):" >&2
    printf '  %s\n' "${missing[@]}" >&2
    exit 1
  fi
  wrapper=(${BUILD_WRAPPER:-})
  # the JVM artefact first: it cleans target/ of a native build's runner jar, not of the executable
  [[ -f infra/dist/jvm.zip ]] || ${wrapper[@]+"${wrapper[@]}"} infra/build.sh --jvm-only
  # shellcheck disable=SC2046
  compgen -G "target/*-runner" >/dev/null || ${wrapper[@]+"${wrapper[@]}"} ./mvnw -B package -Dnative -Dlambda -DskipTests $(graal_arg)
  bench/floor/build.sh
fi

latest() { ls -td "$1"/results/*/ | head -1; }
t0=$(date +%s)
echo "## Ratios to the floors, $(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo
bench/coldstart/run.sh --runs "$runs" --builds native,jvm --cpu-quota none --port-base "$base"
cold="$(latest bench/coldstart)"
echo
bench/cpu/run.sh --native --rounds "$rounds" --port-base $((base + 10))
cpu="$(latest bench/cpu)"
echo
RAMEN_CONCURRENCY=16 bench/cpu/run.sh --native --cpu-quota 15% --ramen-latency 20 --batches 5 --rounds "$qrounds" \
  --port-base $((base + 20))
quota="$(latest bench/cpu)"
echo
echo "### Goals, all from this run ($(( $(date +%s) - t0 )) s)"
echo
python3 - "$cold/ratios.json" "$cpu/ratios.json" "$quota/ratios.json" <<'PY'
import json, sys
print("| goal | product | floor | ratio (or difference) | |")
print("|---|---:|---:|---:|---|")
for path in sys.argv[1:]:
    try:
        rows = json.load(open(path))
    except OSError:
        print(f"| (no {path}) | | | | |")
        continue
    for r in rows:
        unit = r.get("unit", "")
        nd = 2 if unit == "× ideal" else 1
        if "difference" in r:
            what = f"{r['difference']:+.1f} MiB (≤ +{r['limit']:.0f})"
        elif unit == "× ideal":
            what = f"×{r['ratio']:.2f} (≤ ×{r['limit']})"
        else:
            what = f"×{r['ratio']:.2f} (≤ ×{r['limit']})"
        u = "" if unit == "× ideal" else " " + unit
        pre = "×" if unit == "× ideal" else ""
        print(f"| {r['goal']} | {pre}{r['product']:.{nd}f}{u} | {pre}{r['floor']:.{nd}f}{u} | {what} | "
              f"{'met' if r['met'] else '**missed**'} |")
PY
