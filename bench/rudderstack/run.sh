#!/usr/bin/env bash
# A second real client against the packaged function (JVM jar): RudderStack's Node SDK posts
# 40 events in batches of 10 with Content-Encoding: gzip (its default) to POST /events, a fake Ramen
# on 127.0.0.1 counts what arrives. Needs Node.js and npm (not part of the Maven build) and a
# packaged build (./mvnw package -DskipTests).
#   bench/rudderstack/run.sh [--events 40] [--no-gzip] [--port-base 18189]
set -euo pipefail
cd "$(dirname "$0")/../.."
EVENTS=40 GZIP=true BASE=18189
while [ $# -gt 0 ]; do
  case "$1" in
    --events) EVENTS=$2; shift ;;
    --no-gzip) GZIP=false ;;
    --port-base) BASE=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
RAMEN_PORT=$BASE HTTP_PORT=$((BASE + 1))
export RAMEN_ORGANIZATION_ID=rudder-org SEGMENT_AUTH=none RAMEN_BASE_URL="http://127.0.0.1:$RAMEN_PORT" QUARKUS_HTTP_PORT=$HTTP_PORT
JAR=$(ls target/*-runner.jar 2>/dev/null | head -1)
[ -f "$JAR" ] || { echo "no JVM build: ./mvnw package -DskipTests first" >&2; exit 2; }
(cd bench/rudderstack && [ -d node_modules/@rudderstack/rudder-sdk-node ] || npm install --no-audit --no-fund --silent)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
java bench/FakeRamen.java --port "$RAMEN_PORT" --latency-ms 5 --track-ids & pids+=($!)
java -jar "$JAR" >target/bench-rudderstack.log 2>&1 & pids+=($!)
for _ in $(seq 1 300); do
  curl -s -o /dev/null "http://127.0.0.1:$HTTP_PORT/events" && curl -s -o /dev/null "http://127.0.0.1:$RAMEN_PORT/__count" && break
  sleep 0.2
done
set +e
node bench/rudderstack/send.js "http://127.0.0.1:$HTTP_PORT" "$EVENTS" "$GZIP"
STATUS=$?
set -e
echo "fake Ramen received: $(curl -s "http://127.0.0.1:$RAMEN_PORT/__count")"
exit $STATUS
