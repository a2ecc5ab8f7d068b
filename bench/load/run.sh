#!/usr/bin/env bash
# Bounded load test of POST /events against the packaged function (default: JVM jar; --native for the
# native executable), a fake Ramen with latency on 127.0.0.1, and a peak-RSS reading of the function
# under that load. Needs a packaged build: ./mvnw package -DskipTests (JVM) or -Dnative (native; without
# -Dlambda: the load goes to the local HTTP server, which a Lambda artefact built with -Dlambda does not have).
#   bench/load/run.sh [--native] [--clients 8] [--batches 20] [--batch-size 100] [--latency 20] [--port-base 18089]
# Ports: fake Ramen on the base port, the function's HTTP endpoint on base+1, the idle Runtime API on base+2.
set -euo pipefail
cd "$(dirname "$0")/../.."
MODE=jvm CLIENTS=8 BATCHES=20 SIZE=100 LATENCY=20 BASE=18089
while [ $# -gt 0 ]; do
  case "$1" in
    --native) MODE=native ;;
    --jvm) MODE=jvm ;;
    --clients) CLIENTS=$2; shift ;;
    --batches) BATCHES=$2; shift ;;
    --batch-size) SIZE=$2; shift ;;
    --latency) LATENCY=$2; shift ;;
    --port-base) BASE=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
RAMEN_PORT=$BASE HTTP_PORT=$((BASE + 1)) API_PORT=$((BASE + 2))
export RAMEN_ORGANIZATION_ID=load-org SEGMENT_AUTH=none RAMEN_BASE_URL="http://127.0.0.1:$RAMEN_PORT" \
       QUARKUS_HTTP_PORT=$HTTP_PORT RAMEN_DEADLINE=${RAMEN_DEADLINE:-30s} RAMEN_TIMEOUT=${RAMEN_TIMEOUT:-5s}
LOG=target/bench-load-$MODE.log
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
if [ "$MODE" = native ]; then
  RUNNER=$(ls target/*-runner 2>/dev/null | head -1)
  [ -x "$RUNNER" ] || { echo "no native executable: ./mvnw package -Dnative first" >&2; exit 2; }
  java bench/load/LoadTest.java idle-runtime-api $API_PORT & pids+=($!)
  # the poll loop gives up when the Runtime API refuses: wait until it listens (source launch is slow on a busy machine)
  for _ in $(seq 1 600); do (exec 3<>"/dev/tcp/127.0.0.1/$API_PORT") 2>/dev/null && break; sleep 0.1; done
  AWS_LAMBDA_RUNTIME_API=127.0.0.1:$API_PORT "$RUNNER" >"$LOG" 2>&1 & APP=$!
else
  JAR=$(ls target/*-runner.jar 2>/dev/null | head -1)
  [ -f "$JAR" ] || { echo "no JVM build: ./mvnw package -DskipTests first" >&2; exit 2; }
  java -jar "$JAR" >"$LOG" 2>&1 & APP=$!
fi
pids+=($APP)
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$HTTP_PORT/events" && break
  sleep 0.2
done
echo "function: $MODE (pid $APP), RAMEN_DEADLINE=$RAMEN_DEADLINE, RAMEN_CONCURRENCY=${RAMEN_CONCURRENCY:-16}"
set +e
java bench/load/LoadTest.java run "http://127.0.0.1:$HTTP_PORT/events" $RAMEN_PORT "$CLIENTS" "$BATCHES" "$SIZE" "$LATENCY"
STATUS=$?
set -e
echo "peak RSS of the function under load: $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' /proc/$APP/status)"
exit $STATUS
