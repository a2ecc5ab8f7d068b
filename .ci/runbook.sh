#!/usr/bin/env bash
# Runs every command block of docs/RUNBOOK.md marked `runnable` (a fenced block whose info string is
# "bash runnable"), in order, in one bash session, against moto (a local AWS stand-in: a stack from
# .ci/runbook-fixture.yaml with the same outputs as the real one, a message waiting in each
# dead-letter queue) and the local Lambda emulation (infra/local/, the function packaged in target/).
# Then checks what the blocks should have done (the event dead-letter queue re-driven).
#   .ci/runbook.sh [--port N]     (moto's port, default 48150)
# Needs: moto_server, aws CLI, python3, and a packaged function in target/ (./mvnw package, or the
# native build) for the smoke-test block. Exit 0 when every block ran and the checks hold.
set -euo pipefail
cd "$(dirname "$0")/.."
port=48150
while (($#)); do
  case "$1" in
    --port) port="$2"; shift ;;
    *) echo "runbook.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

if ! ls target/*-runner >/dev/null 2>&1 && ! ls target/*-runner.jar >/dev/null 2>&1; then
  echo "runbook.sh: no packaged function in target/ (run ./mvnw -B package -DskipTests first)" >&2
  exit 2
fi

work="$(mktemp -d)"
moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.2
done

# The runbook's commands are plain `aws …`: an `aws` first on PATH points them at moto.
real_aws="$(command -v aws)"
mkdir -p "$work/bin"
printf '#!/bin/sh\nexec "%s" --endpoint-url "http://127.0.0.1:%s" "$@"\n' "$real_aws" "$port" >"$work/bin/aws"
chmod +x "$work/bin/aws"
export PATH="$work/bin:$PATH" AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN
export STACK=runbook-ci

aws cloudformation create-stack --stack-name "$STACK" --template-body file://.ci/runbook-fixture.yaml >/dev/null
aws cloudformation wait stack-create-complete --stack-name "$STACK"
output() { aws cloudformation describe-stacks --stack-name "$STACK" --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text; }
aws sqs send-message --queue-url "$(output EventDeadLetterQueueUrl)" \
  --message-body '[{"type":"track","messageId":"runbook-buffered-1","userId":"u1","event":"Runbook"}]' \
  --message-attributes '{"Authorization":{"DataType":"String","StringValue":"Bearer runbook-token"}}' >/dev/null

python3 - docs/RUNBOOK.md >"$work/blocks.sh" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
blocks = re.findall(r"^( *)```bash runnable\n(.*?)^\1```", text, re.S | re.M)
if not blocks:
    sys.exit("no runnable blocks in " + sys.argv[1])
for n, (indent, body) in enumerate(blocks, 1):
    body = "\n".join(line[len(indent):] if line.startswith(indent) else line for line in body.splitlines())
    print(f"echo '---- runnable block {n}/{len(blocks)}'")
    print(body)
PY
echo "running $(grep -c '^echo .---- runnable block' "$work/blocks.sh") runnable blocks of docs/RUNBOOK.md"
bash -euo pipefail "$work/blocks.sh"

# What the blocks must have done: the buffered dead-letter queue moved back, attributes kept.
left=$(aws sqs get-queue-attributes --queue-url "$(output EventDeadLetterQueueUrl)" --attribute-names ApproximateNumberOfMessages --query Attributes.ApproximateNumberOfMessages --output text)
back=$(aws sqs receive-message --queue-url "$(output EventQueueUrl)" --message-attribute-names All --output json)
if [ "$left" != 0 ] || ! echo "$back" | grep -q 'runbook-buffered-1' || ! echo "$back" | grep -q 'Bearer runbook-token'; then
  echo "runbook.sh: the re-drive did not move the message back with its attributes (left: $left): $back" >&2
  exit 1
fi
echo "runbook.sh: all runnable blocks passed"
