#!/usr/bin/env bash
# Deployment smoke test beyond linting: infra/template.yaml translated (AWS::LanguageExtensions, then
# aws-sam-translator) and created in moto's CloudFormation server (moto_server on 127.0.0.1), four
# stacks (native/direct, jvm/buffered, native/buffered, jvm/direct), each asserted to reach
# CREATE_COMPLETE with the function, queues, mapping, roles and (Idempotency=enabled in two) the idempotency
# table as configured (infra/check/moto-smoke.py).
# Names each resource type moto skipped and the check that covers it instead.
#   infra/moto-smoke.sh            fails when moto_server is missing (CI: .ci/run)
#   infra/moto-smoke.sh --optional skips (exit 0) when moto_server is missing (a developer's machine)
# Port: MOTO_PORT (default 38150).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if ! command -v moto_server >/dev/null 2>&1; then
  if [ "${1:-}" = --optional ]; then echo "moto-smoke: moto_server not installed: skipped (pip install 'moto[server]')"; exit 0; fi
  echo "moto-smoke: moto_server not installed (pip install 'moto[server]')" >&2; exit 1
fi
port="${MOTO_PORT:-38150}"
log="$(mktemp)"
moto_server -H 127.0.0.1 -p "$port" >"$log" 2>&1 & moto=$!
trap 'kill $moto 2>/dev/null || true; wait $moto 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/moto-api/" && break
  kill -0 $moto 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.2
done
PYTHONPATH="$here/check" python3 -u "$here/check/moto-smoke.py" "http://127.0.0.1:$port"
