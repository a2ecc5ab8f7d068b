#!/usr/bin/env bash
# Secrets as deployed, under SnapStart's credentials: the JVM artefact (infra/dist/jvm.zip) runs in the
# local Lambda emulation with the environment the translated template gives the JVM function
# (infra/local/template-env.py: dynamic references replaced by test values, as CloudFormation does at
# deploy time) and the credentials Lambda gives a SnapStart function (--credentials snapstart: no
# AWS_SESSION_TOKEN, AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN). An API
# Gateway event carrying the bearer token must be delivered (200), one with another token refused (401):
#   1. a plain token;
#   2. tokens holding `$`, `${HOME}`, `${` and `\`, which must be taken literally (AWS's generated
#      passwords contain these characters).
# The only variable not from the template is RAMEN_BASE_URL (a local Ramen stand-in).
#   infra/local/check-secrets.sh [--template T]
# Needs infra/dist/jvm.zip (infra/build.sh --jvm-only). Exit 1 on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
template_args=()
[ "${1:-}" = --template ] && template_args=(--template "$2")
work=$(mktemp -d)
java bench/FakeRamen.java --latency-ms 0 --port-file "$work/port" 2>"$work/ramen.log" & ramen=$!
trap 'kill $ramen 2>/dev/null || true; wait $ramen 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.2; done
ramen_url="http://127.0.0.1:$(cat "$work/port")"
failures=0

check() { # <label> <token>
  local label="$1" token="$2" name
  python3 infra/local/template-env.py "${template_args[@]}" RamenOrganizationId=3f2b8c1e-7d4a-4e9b-9c61-0a5d2e8f4b17 \
    SegmentAuthTokenSecretId=segment-ramen/auth-token -- "segment-ramen/auth-token=$token" > "$work/env"
  local env_args=()
  while IFS= read -r -d '' kv; do env_args+=(--env "$kv"); done < "$work/env"
  env_args+=(--env "RAMEN_BASE_URL=$ramen_url")
  python3 infra/local/token-events.py infra/events/apigw/identify.json "$token" "$work"
  # The caller's environment reaches the function in the emulation: keep only what is not configuration.
  if env -i PATH="$PATH" HOME="$HOME" LANG=C.UTF-8 ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} infra/local/invoke.sh "$work/good.json" "$work/bad.json" \
      --jvm --credentials snapstart "${env_args[@]}" --function-log "$work/function.log" >"$work/out" 2>"$work/err"; then
    statuses="$(python3 -c 'import json,sys; print(" ".join(str(json.loads(l.removeprefix("ERROR "))["statusCode"]) if l.startswith("{") else "error" for l in open(sys.argv[1])))' "$work/out")"
  else
    statuses="function did not start: $(tail -n 3 "$work/err" "$work/function.log" | tr '\n' ' ' | cut -c1-400)"
  fi
  if [ "$statuses" = "200 401" ]; then echo "ok   $label: right token 200, other token 401"
  elif [ "$statuses" = "error error" ]; then echo "FAIL $label: $(head -c 300 "$work/out")"; failures=$((failures + 1))
  else echo "FAIL $label: $statuses (expected 200 401)"; failures=$((failures + 1)); fi
  if grep -qF -- "$token" "$work/function.log" "$work/err"; then echo "FAIL $label: the token reached the log"; failures=$((failures + 1)); fi
  name=""
}
echo "environment from ${template_args[1]:-infra/template.yaml}: $(python3 infra/local/template-env.py "${template_args[@]}" RamenOrganizationId=o SegmentAuthTokenSecretId=segment-ramen/auth-token -- segment-ramen/auth-token=x | tr '\0' '\n' | cut -d= -f1 | tr '\n' ' ')"
check "SnapStart credentials, plain token" "plain-token-0123456789abcdef"
check "SnapStart credentials, token taken literally" 'Tk$1${HOME}\q${x'
echo "$failures failed"
[ "$failures" = 0 ]
