#!/usr/bin/env bash
# `sam build` builds the variant `sam deploy --guided` chose: the Makefile in the function's CodeUri
# (infra/dist/function/Makefile) is fed samconfig.toml files written the way SAM CLI writes guided
# answers (each value quoted, `quote_parameter_values` in SAM CLI's guided_config.py, inside a TOML
# string), hand-written ones, and the environment override; `make print-variant` says what
# `make build-Function` would build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
failures=0
expect() { # <label> <expected "variant architecture"> <samconfig content> [env...]
  local label="$1" want="$2" content="$3"; shift 3
  printf '%s\n' "$content" > "$work/samconfig.toml"
  got="$(env "$@" make -s -C "$root/infra/dist/function" print-variant SAMCONFIG="$work/samconfig.toml")"
  if [ "$got" = "$want" ]; then echo "ok   $label: $got"; else echo "FAIL $label: built '$got', expected '$want'"; failures=$((failures + 1)); fi
}
guided='version = 0.1
[default.deploy.parameters]
stack_name = "segment-ramen-destination"
resolve_s3 = true
capabilities = "CAPABILITY_IAM"
parameter_overrides = "RamenOrganizationId=\"3f2b8c1e-7d4a-4e9b-9c61-0a5d2e8f4b17\" FunctionVariant=\"jvm\" Architecture=\"arm64\" DeliveryMode=\"direct\" SegmentAuthTokenSecretId=\"segment-ramen/auth-token\" SegmentExternalId=\"\""'
expect "guided answers, quoted (SAM CLI's own format)" "jvm arm64" "$guided" FUNCTION_VARIANT= FUNCTION_ARCHITECTURE=
expect "guided answers, native" "native arm64" "${guided//\\\"jvm\\\"/\\\"native\\\"}" FUNCTION_VARIANT= FUNCTION_ARCHITECTURE=
expect "hand-written, unquoted" "jvm arm64" '[default.deploy.parameters]
parameter_overrides = "FunctionVariant=jvm Architecture=arm64"' FUNCTION_VARIANT= FUNCTION_ARCHITECTURE=
expect "a list, in the global section" "jvm x86_64" '[default.global.parameters]
parameter_overrides = ["FunctionVariant=jvm", "Architecture=x86_64"]' FUNCTION_VARIANT= FUNCTION_ARCHITECTURE=
expect "nothing chosen: native, this machine's architecture (build.sh decides)" "native " '[default.deploy.parameters]
stack_name = "x"' FUNCTION_VARIANT= FUNCTION_ARCHITECTURE=
expect "FUNCTION_VARIANT wins" "native arm64" "$guided" FUNCTION_VARIANT=native FUNCTION_ARCHITECTURE=
expect "the repository's samconfig.toml" "$(python3 "$root/infra/samconfig-parameter.py" "$root/samconfig.toml" FunctionVariant) $(python3 "$root/infra/samconfig-parameter.py" "$root/samconfig.toml" Architecture)" "$(cat "$root/samconfig.toml")" FUNCTION_VARIANT= FUNCTION_ARCHITECTURE=
echo "$failures failed"
[ "$failures" = 0 ]
