#!/usr/bin/env bash
# SecretsSource=extension through the packaged function under the local Lambda emulation, against a
# stand-in of the Parameters and Secrets extension (infra/local/secrets-extension.py) and a fake Ramen:
#   1. the bearer token exists only in the stand-in; the function gets its secret NAME
#      (SEGMENT_AUTH_TOKEN_SECRET_ID): an API Gateway event with that token is delivered (200), one with
#      another token is refused (401);
#   2. a secret the extension does not know stops the start (INIT_ERROR naming the variable and id);
#   3. JVM only: the secret is read after the first GET /next (the application starts at the first
#      invocation, after a SnapStart restore), never before;
#   4. --measure N: native cold start, env vs extension mode, N alternating runs each (medians).
#   infra/local/check-secrets-extension.sh [--native-only|--jvm-only] [--measure N]
# Needs target/*-runner (native) and infra/dist/jvm.zip (infra/build.sh --jvm-only). Ports: 38120-38129.
set -euo pipefail
cd "$(dirname "$0")/../.."
modes=(native jvm) measure=0
while (($#)); do
  case "$1" in
    --native-only) modes=(native) ;;
    --jvm-only) modes=(jvm) ;;
    --measure) measure="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
work=$(mktemp -d)
token="token-$(date +%s%N)"
export AWS_SESSION_TOKEN="session-$RANDOM$RANDOM"
python3 infra/local/secrets-extension.py --port 38121 --token "$AWS_SESSION_TOKEN" --log "$work/extension.log" \
  "segment-ramen/auth-token=$token" "segment-ramen/ramen-key=api-key-from-extension" & extension=$!
java bench/FakeRamen.java --latency-ms 0 --port-file "$work/port" 2>"$work/ramen.log" & ramen=$!
trap 'kill $extension $ramen 2>/dev/null || true; wait $extension $ramen 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.2; done
export RAMEN_BASE_URL="http://127.0.0.1:$(cat "$work/port")" RAMEN_ORGANIZATION_ID=sample-org
export PARAMETERS_SECRETS_EXTENSION_HTTP_PORT=38121
unset SEGMENT_AUTH_TOKEN SEGMENT_SHARED_SECRET RAMEN_API_KEY 2>/dev/null || true

python3 - "$work" "$token" <<'PY'
import json, sys
work, token = sys.argv[1], sys.argv[2]
event = json.load(open("infra/events/apigw/identify.json"))
for name, value in [("good", f"Bearer {token}"), ("bad", "Bearer not-the-token")]:
    e = json.loads(json.dumps(event))
    e["headers"]["authorization"] = value
    e["requestContext"]["requestId"] = f"req-{name}"
    e["body"] = e["body"].replace("sample-identify-1", f"secrets-{name}")
    json.dump(e, open(f"{work}/{name}.json", "w"))
PY

status_of() { python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["statusCode"])'; }
failures=0
for mode in "${modes[@]}"; do
  : > "$work/extension.log"; rm -f "$work/next.log"
  env LAMBDA_RUNTIME_API_NEXT_LOG="$work/next.log" SECRETS_SOURCE=extension SEGMENT_AUTH_TOKEN_SECRET_ID=segment-ramen/auth-token RAMEN_API_KEY_SECRET_ID=segment-ramen/ramen-key \
    SEGMENT_AUTH= infra/local/invoke.sh "$work/good.json" "$work/bad.json" "--$mode" --function-log "$work/$mode.log" \
    >"$work/$mode.out" 2>"$work/$mode.err" || { echo "FAIL $mode: invoke failed"; cat "$work/$mode.err" "$work/$mode.out"; failures=$((failures + 1)); continue; }
  good=$(sed -n 1p "$work/$mode.out" | status_of) bad=$(sed -n 2p "$work/$mode.out" | status_of)
  if [ "$good" = 200 ] && [ "$bad" = 401 ]; then echo "ok   $mode: token from the extension: right token 200, wrong token 401"
  else echo "FAIL $mode: statuses $good / $bad, expected 200 / 401"; cat "$work/$mode.out"; failures=$((failures + 1)); fi
  if grep -q "$token\|api-key-from-extension" "$work/$mode.log" "$work/$mode.err"; then
    echo "FAIL $mode: a secret value reached the log"; failures=$((failures + 1)); fi
  requested=$(awk '{print $2}' "$work/extension.log" | sort | tr '\n' ' ')
  if [ "$requested" = "segment-ramen/auth-token segment-ramen/ramen-key " ]; then echo "ok   $mode: read once each: $requested"
  else echo "FAIL $mode: extension requests: $requested"; failures=$((failures + 1)); fi

  first_read=$(awk 'NR == 1 {print $1}' "$work/extension.log") first_next=$(awk '{print $1}' "$work/next.log")
  if [ "$mode" = jvm ]; then
    if [ "$first_read" -gt "$first_next" ]; then echo "ok   jvm: secrets read $(( (first_read - first_next) / 1000000 )) ms AFTER the first GET /next (after a SnapStart restore, not in the snapshot)"
    else echo "FAIL jvm: secrets read before the first GET /next (would be in a SnapStart snapshot)"; failures=$((failures + 1)); fi
  else
    echo "note native: secrets read $(( (first_next - first_read) / 1000000 )) ms before the first GET /next (at start; no snapshot)"
  fi

  # an unknown secret stops the start, naming variable and id
  set +e
  env SECRETS_SOURCE=extension SEGMENT_AUTH_TOKEN_SECRET_ID=segment-ramen/missing SEGMENT_AUTH= \
    infra/local/invoke.sh "$work/good.json" "--$mode" --function-log "$work/$mode-missing.log" >"$work/$mode-missing.out" 2>&1
  rc=$?
  set -e
  # native: the process fails its init (exit 1); JVM: the application starts in the first invocation,
  # which fails (an ERROR answer) — either way nothing is delivered and the log names variable and id.
  if { [ "$rc" != 0 ] || grep -q '^ERROR' "$work/$mode-missing.out"; } \
     && grep -q "SEGMENT_AUTH_TOKEN (secret id 'segment-ramen/missing')" "$work/$mode-missing.out" "$work/$mode-missing.log"; then
    echo "ok   $mode: unknown secret id stops the start, naming SEGMENT_AUTH_TOKEN and the id"
  else echo "FAIL $mode: unknown secret (exit $rc):"; tail -n 5 "$work/$mode-missing.out" "$work/$mode-missing.log"; failures=$((failures + 1)); fi
done

if [ "$measure" -gt 0 ]; then
  for i in $(seq 1 "$measure"); do
    for src in env extension; do
      if [ "$src" = env ]; then vars=(SECRETS_SOURCE=env "SEGMENT_AUTH_TOKEN=$token" RAMEN_API_KEY=api-key-from-extension)
      else vars=(SECRETS_SOURCE=extension SEGMENT_AUTH_TOKEN_SECRET_ID=segment-ramen/auth-token RAMEN_API_KEY_SECRET_ID=segment-ramen/ramen-key); fi
      env "${vars[@]}" SEGMENT_AUTH= infra/local/invoke.sh "$work/good.json" --native --quiet --function-log none \
        --timing-file "$work/t-$src-$i" >/dev/null 2>&1 || true
    done
  done
  python3 - "$work" "$measure" <<'PY'
import statistics, sys
work, n = sys.argv[1], int(sys.argv[2])
def read(src, key):
    out = []
    for i in range(1, n + 1):
        kv = dict(l.strip().split("=", 1) for l in open(f"{work}/t-{src}-{i}") if "=" in l)
        out.append(float(kv[key]))
    return out
for key in ["start_to_first_next_ms", "start_to_first_response_ms"]:
    env, ext = read("env", key), read("extension", key)
    print(f"measure native {key}: env median {statistics.median(env):.1f} ms, extension median {statistics.median(ext):.1f} ms, "
          f"difference {statistics.median(ext) - statistics.median(env):+.1f} ms (n={n} each, alternating; env {sorted(env)}, extension {sorted(ext)})")
PY
fi
echo "$failures failed"
[ "$failures" = 0 ]
