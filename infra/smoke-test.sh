#!/usr/bin/env bash
# End-to-end check of a deployed stack without delivering anything: reads the stack's
# outputs, builds an API Gateway HTTP API (payload 2.0) event that carries an authenticated sample
# Segment event and `X-Ramen-Dry-Run: true`, invokes the function with it (`aws lambda invoke`, on
# the FunctionArn output: the alias "live" for the JVM variant), prints the report and checks it:
# status 200, "dryRun": true, the sample "delivered" with the payload Ramen would get.
# It never touches the queue, so it works in buffered mode too.
#
#   infra/smoke-test.sh --stack NAME [--region R] [--endpoint-url URL] [--local] [--allow-real]
#
#   --stack NAME        the CloudFormation stack (default: $STACK, else segment-ramen-destination)
#   --endpoint-url URL  aws CLI endpoint (e.g. moto: http://127.0.0.1:48150) for reading the stack
#   --local             run the event through the local emulation (infra/local/invoke.sh, the
#                       packaged function in target/) instead of `aws lambda invoke`; the stack is
#                       read only when --stack or --endpoint-url is given
#   --allow-real        invoke even when the function's RAMEN_DRY_RUN is not "enabled" (the sample
#                       would then be delivered for real); refused by default
#
# Credentials for the sample, in this order: $SEGMENT_AUTH_TOKEN (Authorization: Bearer), then
# $SEGMENT_SHARED_SECRET (X-Signature), then the secrets named by the stack's parameters
# SegmentAuthTokenSecretId / SegmentSharedSecretSecretId (aws secretsmanager get-secret-value), else
# none (a stack deployed with SegmentAuth=none). Secrets are never printed.
# Exit status: 0 the dry run answered as expected, 1 it did not, 2 usage or set-up problem.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
stack="${STACK:-}" region="" endpoint="" local_mode=0 allow_real=0
while (($#)); do
  case "$1" in
    --stack) stack="$2"; shift ;;
    --region) region="$2"; shift ;;
    --endpoint-url) endpoint="$2"; shift ;;
    --local) local_mode=1 ;;
    --allow-real) allow_real=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "smoke-test.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

aws_args=()
[[ -n "$region" ]] && aws_args+=(--region "$region")
[[ -n "$endpoint" ]] && aws_args+=(--endpoint-url "$endpoint")
awsc() { aws ${aws_args[@]+"${aws_args[@]}"} "$@"; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

function_arn=""
read_stack=0
if ((local_mode == 0)) || [[ -n "$stack" || -n "$endpoint" ]]; then read_stack=1; fi
if ((read_stack)); then
  stack="${stack:-segment-ramen-destination}"
  if ! awsc cloudformation describe-stacks --stack-name "$stack" --output json >"$work/stack.json" 2>"$work/err"; then
    echo "smoke-test.sh: cannot read stack $stack: $(cat "$work/err")" >&2; exit 2
  fi
  value() { # <Outputs|Parameters> <key>
    python3 - "$work/stack.json" "$1" "$2" <<'PY'
import json, sys
stack = json.load(open(sys.argv[1]))["Stacks"][0]
kind, key = sys.argv[2], sys.argv[3]
field = "OutputKey" if kind == "Outputs" else "ParameterKey"
vals = [e.get("OutputValue", e.get("ParameterValue", "")) for e in stack.get(kind, []) if e.get(field) == key]
print(vals[0] if vals else "")
PY
  }
  function_arn="$(value Outputs FunctionArn)"
  echo "stack $stack: FunctionArn=${function_arn:-?} EventsUrl=$(value Outputs EventsUrl)"
  if [[ -z "${SEGMENT_AUTH_TOKEN:-}" && -z "${SEGMENT_SHARED_SECRET:-}" ]]; then
    token_id="$(value Parameters SegmentAuthTokenSecretId)" secret_id="$(value Parameters SegmentSharedSecretSecretId)"; secret_id="${secret_id%%,*}"
    if [[ -n "$token_id" ]]; then
      SEGMENT_AUTH_TOKEN="$(awsc secretsmanager get-secret-value --secret-id "$token_id" --query SecretString --output text)"
    elif [[ -n "$secret_id" ]]; then
      SEGMENT_SHARED_SECRET="$(awsc secretsmanager get-secret-value --secret-id "$secret_id" --query SecretString --output text)"
    fi
  fi
fi

# The sample: one track event, harmless even if it were delivered.
now_ms="$(date +%s%3N)"
sample="{\"type\":\"track\",\"messageId\":\"smoke-test-$now_ms\",\"userId\":\"segment-ramen-smoke-test\",\"event\":\"Smoke Test\",\"timestamp\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\",\"properties\":{\"source\":\"infra/smoke-test.sh\"}}"
SAMPLE="$sample" NOW_MS="$now_ms" python3 - >"$work/event.json" <<'PY'
import hashlib, hmac, json, os
body = os.environ["SAMPLE"]
headers = {"content-type": "application/json", "x-ramen-dry-run": "true", "user-agent": "segment-ramen-smoke-test"}
if os.environ.get("SEGMENT_AUTH_TOKEN"):
    headers["authorization"] = "Bearer " + os.environ["SEGMENT_AUTH_TOKEN"].strip()
elif os.environ.get("SEGMENT_SHARED_SECRET"):
    key = os.environ["SEGMENT_SHARED_SECRET"].strip().encode()
    headers["x-signature"] = hmac.new(key, body.encode(), hashlib.sha1).hexdigest()
now = int(os.environ["NOW_MS"])
print(json.dumps({
    "version": "2.0", "routeKey": "POST /events", "rawPath": "/events", "rawQueryString": "",
    "headers": headers,
    "requestContext": {"accountId": "smoke-test", "apiId": "smoke-test", "requestId": "smoke-%d" % now,
                       "routeKey": "POST /events", "stage": "$default", "timeEpoch": now,
                       "http": {"method": "POST", "path": "/events", "protocol": "HTTP/1.1",
                                "sourceIp": "127.0.0.1", "userAgent": "segment-ramen-smoke-test"}},
    "body": body, "isBase64Encoded": False}))
PY

if ((local_mode)); then
  echo "invoking the local emulation (infra/local/invoke.sh) with RAMEN_DRY_RUN=enabled"
  RAMEN_DRY_RUN=enabled "$here/local/invoke.sh" "$work/event.json" --init-timeout-ms 60000 --timeout-ms 30000 --function-log "${SMOKE_FUNCTION_LOG:-$work/function.log}" >"$work/out.json" || {
    echo "smoke-test.sh: the local invocation failed:" >&2; cat "$work/out.json" "$work/function.log" >&2; exit 1; }
else
  [[ -n "$function_arn" ]] || { echo "smoke-test.sh: the stack has no FunctionArn output" >&2; exit 2; }
  dry_run="$(awsc lambda get-function-configuration --function-name "$function_arn" \
      --query 'Environment.Variables.RAMEN_DRY_RUN' --output text 2>/dev/null || true)"
  if [[ "$dry_run" != "enabled" && "$allow_real" = 0 ]]; then
    echo "smoke-test.sh: RAMEN_DRY_RUN is '${dry_run:-unset}' on $function_arn: the header would be ignored and the" >&2
    echo "  sample delivered for real. Add RAMEN_DRY_RUN: \"enabled\" under Function > Environment > Variables in" >&2
    echo "  infra/template.yaml and deploy (docs/DEPLOY.md, \"Dry run\"), or pass --allow-real." >&2
    exit 2
  fi
  echo "invoking $function_arn"
  awsc lambda invoke --function-name "$function_arn" --cli-binary-format raw-in-base64-out \
    --payload "fileb://$work/event.json" "$work/out.json" >"$work/invoke.json"
  cat "$work/invoke.json"
fi

python3 - "$work/out.json" <<'PY'
import json, sys
raw = open(sys.argv[1]).read().strip().splitlines()[-1]
if raw.startswith("ERROR "):
    print("the function failed:", raw); sys.exit(1)
response = json.loads(raw)
report = json.loads(response.get("body") or "{}")
print("status", response.get("statusCode"))
print(json.dumps(report, indent=2))
problems = []
if response.get("statusCode") != 200: problems.append("status %s, not 200" % response.get("statusCode"))
if report.get("dryRun") is not True: problems.append("no \"dryRun\": true (is RAMEN_DRY_RUN enabled?)")
results = report.get("results") or [{}]
if report.get("delivered") != 1 or "payload" not in results[0]: problems.append("the sample was not reported as deliverable with its payload")
if problems:
    print("SMOKE TEST FAILED: " + "; ".join(problems)); sys.exit(1)
print("SMOKE TEST PASSED: authenticated, parsed, mapped and signed; nothing was sent")
PY
