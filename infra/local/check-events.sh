#!/usr/bin/env bash
# Runs every sample in infra/events/ through the packaged function under the local Lambda Runtime
# API (infra/local/invoke.sh), native and JVM, against a fake Ramen that answers 200, and compares
# each response with infra/events/expected/<kind>/<name>.json (JSON equality; an API Gateway
# response's body is compared as JSON too). Exit 1 on any difference. The sqs samples run as buffered
# mode is deployed, with SEGMENT_AUTH_TOKEN=sample-token: a record must carry the message attribute
# Authorization "Bearer sample-token" (the route's integration copies the header), and one without it
# (`sam local generate-event sqs receive-message`'s output) is listed in batchItemFailures.
#   infra/local/check-events.sh [--native-only|--jvm-only] [--update]   (--update rewrites the expected files)
set -euo pipefail
cd "$(dirname "$0")/../.."
modes=(native jvm) update=0
for arg in "$@"; do
  case "$arg" in
    --native-only) modes=(native) ;;
    --jvm-only) modes=(jvm) ;;
    --update) update=1 ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d)
java bench/FakeRamen.java --latency-ms 0 --port-file "$work/port" 2>"$work/ramen.log" & ramen=$!
trap 'kill $ramen 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.2; done
export RAMEN_BASE_URL="http://127.0.0.1:$(cat "$work/port")" RAMEN_ORGANIZATION_ID=sample-org SEGMENT_AUTH=none

failures=0 checked=0
for mode in "${modes[@]}"; do
  for kind in direct apigw sqs; do
    events=(infra/events/$kind/*.json) auth=()
    [ "$kind" = sqs ] && auth=(--env SEGMENT_AUTH_TOKEN=sample-token)
    # One fresh function process per mode and kind, its samples in order, as a warm Lambda instance
    # would get them (so the same messageId in two kinds is not skipped as a duplicate).
    infra/local/invoke.sh "${events[@]}" "--$mode" "${auth[@]}" >"$work/$mode.out" 2>"$work/$mode.err" || {
      echo "invoke.sh --$mode failed:"; cat "$work/$mode.err"; exit 1; }
    mapfile -t answers <"$work/$mode.out"
    if [ "${#answers[@]}" -ne "${#events[@]}" ]; then
      echo "--$mode $kind: ${#events[@]} events but ${#answers[@]} answers"; cat "$work/$mode.out" "$work/$mode.err"; exit 1
    fi
    for i in "${!events[@]}"; do
      name=$(basename "${events[$i]}")
      expected="infra/events/expected/$kind/$name"
      if [ "$update" = 1 ] && [ "$mode" = "${modes[0]}" ]; then
        mkdir -p "$(dirname "$expected")"
        printf '%s\n' "${answers[$i]}" | python3 -m json.tool >"$expected"
      fi
      checked=$((checked + 1))
      if python3 - "$expected" "${answers[$i]}" <<'PY'
import json, sys
def norm(v):
    if isinstance(v, dict) and "statusCode" in v and isinstance(v.get("body"), str):
        v = dict(v); v["body"] = json.loads(v["body"])
    return v
expected = norm(json.load(open(sys.argv[1])))
actual = norm(json.loads(sys.argv[2].removeprefix("ERROR ")))
sys.exit(0 if expected == actual else 1)
PY
      then echo "ok   $mode $kind/$name"
      else echo "DIFF $mode $kind/$name"; echo "  expected: $(tr -d '\n ' <"$expected")"; echo "  actual:   ${answers[$i]}"; failures=$((failures + 1))
      fi
    done
  done
done
echo "$((checked - failures)) passed, $failures failed"
[ "$failures" = 0 ]
