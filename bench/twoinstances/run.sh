#!/usr/bin/env bash
# Exactly once across instances, with real processes: two function processes (the packaged JVM build,
# local HTTP server POST /events) sharing one idempotency table in moto_server, Segment resending each
# batch to the other process after a failed or lost answer, and a Ramen failing 20 % of requests (half
# refused unprocessed, half processed with the answer lost). The same with a second pair without the
# table. Prints both runs as a table; exits 1 when, with the table, a messageId reached Ramen more often
# than its lost answers explain (or an event never reached it), or when, without it, nothing was
# delivered twice. The model and the verdict: bench/twoinstances/TwoInstances.java.
#
#   bench/twoinstances/run.sh [--seed N] [--events 600] [--ramen-attempts 1] [--fail-open] [--sabotage]
#     --ramen-attempts  the functions' RAMEN_MAX_ATTEMPTS (default 1: every failed Ramen request fails its
#                  event, so Segment resends it to the other process and the release of a claim is tested
#                  across processes ~40 times, not ~once as with the setting's default of 3)
#     --fail-open  IDEMPOTENCY_WHEN_UNREACHABLE=deliver (the default setting) instead of fail: a table call
#                  slower than its 250 ms budget on a loaded machine then delivers unchecked (logged; the
#                  verdict admits one duplicate per event so delivered)
#     --sabotage   the "with the table" pair started without IDEMPOTENCY_TABLE: the run must fail
# Needs: ./mvnw -B package -DskipTests (target/*-runner.jar with the local HTTP server), moto_server, the
# aws CLI, python3 (free ports). Ports: free ones on 127.0.0.1. Logs: target/twoinstances/.
set -euo pipefail
cd "$(dirname "$0")/../.."
SEED=20261206 EVENTS=600 WHEN_UNREACHABLE=fail SABOTAGE=no RAMEN_ATTEMPTS=1
while [ $# -gt 0 ]; do
  case "$1" in
    --seed) SEED=$2; shift ;;
    --events) EVENTS=$2; shift ;;
    --ramen-attempts) RAMEN_ATTEMPTS=$2; shift ;;
    --fail-open) WHEN_UNREACHABLE=deliver ;;
    --sabotage) SABOTAGE=yes ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
JAR=$(ls target/*-runner.jar 2>/dev/null | head -1 || true)
[ -f "${JAR:-}" ] || { echo "twoinstances: no JVM build (target/*-runner.jar): ./mvnw -B package -DskipTests first" >&2; exit 2; }
for tool in moto_server aws python3 javac; do
  command -v $tool >/dev/null || { echo "twoinstances: $tool not found" >&2; exit 2; }
done

WORK=target/twoinstances
rm -rf "$WORK" && mkdir -p "$WORK/classes"
pids=()
# each started process and its children, by id (moto_server may fork)
stop_all() {
  local p
  for p in "${pids[@]}"; do
    pkill -TERM -P "$p" 2>/dev/null || true
    kill "$p" 2>/dev/null || true
  done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap stop_all EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
wait_for() { # url what seconds
  local i
  for i in $(seq 1 $(($3 * 5))); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.2
  done
  echo "twoinstances: $2 did not answer at $1 within $3 s" >&2; return 1
}
started=$(date +%s)

javac -d "$WORK/classes" bench/twoinstances/TwoInstances.java

MOTO_PORT=$(free_port)
moto_server -H 127.0.0.1 -p "$MOTO_PORT" >"$WORK/moto.log" 2>&1 & pids+=($!)
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
wait_for "http://127.0.0.1:$MOTO_PORT/moto-api/" moto_server 30
TABLE=twoinstances-idempotency
aws --endpoint-url "http://127.0.0.1:$MOTO_PORT" dynamodb create-table --table-name "$TABLE" \
    --attribute-definitions AttributeName=id,AttributeType=S --key-schema AttributeName=id,KeyType=HASH \
    --billing-mode PAY_PER_REQUEST --output text --query TableDescription.TableStatus >/dev/null

# Ramen: RAMEN_TIMEOUT is the default's 1 s; a held answer comes after 2 s
java -cp "$WORK/classes" TwoInstances ramen "$WORK/ramen.port" "$SEED" 2000 >"$WORK/ramen.log" 2>&1 & pids+=($!)
for _ in $(seq 1 150); do [ -s "$WORK/ramen.port" ] && break; sleep 0.2; done
RAMEN="http://127.0.0.1:$(cat "$WORK/ramen.port")"

# start_function NAME RAMEN_PATH TABLE(or empty): prints the function's URL
start_function() {
  local port; port=$(free_port)
  (
    export QUARKUS_HTTP_PORT=$port RAMEN_BASE_URL=$RAMEN RAMEN_PATH=$2 RAMEN_ORGANIZATION_ID=twoinstances-org \
           SEGMENT_AUTH=none RAMEN_TIMEOUT=1s RAMEN_DEADLINE=4s RAMEN_MAX_ATTEMPTS=$RAMEN_ATTEMPTS
    if [ -n "$3" ]; then
      export IDEMPOTENCY_TABLE=$3 IDEMPOTENCY_ENDPOINT="http://127.0.0.1:$MOTO_PORT" IDEMPOTENCY_WHEN_UNREACHABLE=$WHEN_UNREACHABLE
    else
      unset IDEMPOTENCY_TABLE IDEMPOTENCY_ENDPOINT
    fi
    exec java -Xmx256m -XX:+UseSerialGC -jar "$JAR" >"$WORK/$1.log" 2>&1
  ) & pids+=($!)
  echo "http://127.0.0.1:$port/events"
}
WITH_TABLE=$TABLE
[ "$SABOTAGE" = yes ] && WITH_TABLE=""
# (not in $(...): the processes must be children of this shell for the trap)
url_file="$WORK/urls"
start_function with-a /with/po.json "$WITH_TABLE" >>"$url_file"
start_function with-b /with/po.json "$WITH_TABLE" >>"$url_file"
start_function without-a /without/po.json "" >>"$url_file"
start_function without-b /without/po.json "" >>"$url_file"
mapfile -t URLS <"$url_file"

echo "twoinstances: moto on $MOTO_PORT, Ramen at $RAMEN, functions ${URLS[*]}, IDEMPOTENCY_WHEN_UNREACHABLE=$WHEN_UNREACHABLE, RAMEN_MAX_ATTEMPTS=$RAMEN_ATTEMPTS$([ "$SABOTAGE" = yes ] && echo ', SABOTAGE: the with-the-table pair has no table')"
drive() { # run url1 url2 (bounded: 10 minutes, whatever happens to the functions)
  timeout 600 java -cp "$WORK/classes" TwoInstances drive --out "$WORK/$1.result" --run "$1" --ramen "$RAMEN" --ramen-path "/$1/po.json" \
       --functions "$2,$3" --seed "$SEED" --events "$EVENTS" >"$WORK/$1.driver.log" 2>&1
}
# the two runs at once: they share nothing but the machine (Ramen counts each path apart)
drive with "${URLS[0]}" "${URLS[1]}" & with_driver=$!
drive without "${URLS[2]}" "${URLS[3]}" & without_driver=$!
status=0
wait $with_driver || status=$?
wait $without_driver || status=$?
if [ $status -ne 0 ]; then
  cat "$WORK"/*.driver.log >&2
  echo "twoinstances: a driver failed (logs in $WORK)" >&2
  exit 1
fi
# what the functions logged about the table: a completing update or a release that failed, events
# delivered unchecked (fail-open); the verdict admits as many duplicates as the first and the last
logged() { # run
  printf 'completion_failures=%s release_failures=%s unchecked_events=%s' \
    "$(cat "$WORK/$1"-?.log | grep -c 'could not record a delivered event as completed' || true)" \
    "$(cat "$WORK/$1"-?.log | grep -c 'could not release a claim' || true)" \
    "$(cat "$WORK/$1"-?.log | sed -n 's/.*idempotency table unreachable (.*): \([0-9]*\) events delivered.*/\1/p' | awk '{n += $1} END {print n + 0}')"
}
table_requests=none table_records=none
if [ -n "$WITH_TABLE" ]; then
  table_requests=$(grep -c 'POST / ' "$WORK/moto.log" || true)
  # the records the run left (ids m-*): every one COMPLETED, unless a release or an update failed
  table_records=$(aws --endpoint-url "http://127.0.0.1:$MOTO_PORT" dynamodb scan --table-name "$TABLE" \
      --projection-expression "#i, #s" --expression-attribute-names '{"#i":"id","#s":"status"}' --output text \
      --query 'Items[].[id.S, status.S]' | awk '$1 ~ /^m-/ {n[$2]++} END {for (s in n) {printf "%s%s:%d", sep, s, n[s]; sep = ","}}')
fi
echo "table_requests=$table_requests table_records=${table_records:-none} $(logged with)" >>"$WORK/with.result"
echo "table_requests=none table_records=none $(logged without)" >>"$WORK/without.result"
echo
set +e
java -cp "$WORK/classes" TwoInstances check "$WORK/with.result" "$WORK/without.result"
status=$?
set -e
echo "twoinstances: $(( $(date +%s) - started )) s in all (seed $SEED)"
exit $status
