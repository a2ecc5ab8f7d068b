#!/usr/bin/env bash
# Checks infra/template.yaml without AWS access, SAM CLI or Docker:
#   1. cfn-lint on the template (it applies the transforms and checks every Condition branch);
#   2. infra/check/template_checks.py: each variant x delivery mode translated (AWS::LanguageExtensions,
#      then aws-sam-translator), the Rules, the callers of the alias, a new version for every
#      configuration change, the access log's variables, an alarm for every failed reason;
#   3. cfn-lint on those translated templates;
#   4. infra/check/sam_cli_view.py: what SAM CLI's providers would build and serve locally;
#   5. infra/check/test-sam-build-variant.sh: `sam build` builds the variant samconfig.toml names.
# Needs python3 with cfn-lint and aws-sam-translator. Exit non-zero on any finding.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
echo "== cfn-lint infra/template.yaml"
cfn-lint -- "$here/template.yaml"
echo "== behaviour of the translated template"
python3 -u "$here/check/template_checks.py" "$work"
echo "== cfn-lint on the translated templates"
# W2001: after AWS::LanguageExtensions has put the values in, the parameters are no longer referenced.
cfn-lint --ignore-checks W2001 -- "$work"/*.json
echo "== what SAM CLI's template providers see"
python3 -u "$here/check/sam_cli_view.py"
echo "== sam build's variant"
bash "$here/check/test-sam-build-variant.sh"
