#!/usr/bin/env python3
"""The environment the deployed JVM function gets, derived from a template (default infra/template.yaml):
translated as CloudFormation would (infra/check/sam.py), the function of the JVM variant taken from the
resolved stack, and every dynamic reference `{{resolve:secretsmanager:ID}}` replaced by the value a
test gives that secret id (what CloudFormation would put there at deploy time).
Usage: template-env.py [--template T] PARAMETER=VALUE... -- SECRET_ID=VALUE...
Prints NUL-separated NAME=VALUE pairs (values may hold any character)."""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "check"))
from sam import TEMPLATE, load, resolve, scalar, translate  # noqa: E402

args = sys.argv[1:]
template = TEMPLATE
if args[:1] == ["--template"]:
    template, args = args[1], args[2:]
split = args.index("--")
tpl = load(template)
overrides = dict(a.split("=", 1) for a in args[:split] if a.split("=", 1)[0] in tpl["Parameters"])
secrets = dict(a.split("=", 1) for a in args[split + 1:])
params, cfn = translate({**overrides, "FunctionVariant": "jvm"}, tpl=tpl)
live, _ = resolve(cfn, params)
function = next(r for r in live.values() if r["Type"] == "AWS::Lambda::Function")
variables = function["Properties"].get("Environment", {}).get("Variables", {})
out = []
for name, value in variables.items():
    value = scalar(value, params)  # Ref, Fn::Sub, Fn::Select/Split as CloudFormation evaluates them
    def secret(m):
        ident = m.group(1).split(":SecretString")[0]
        if ident not in secrets:
            sys.exit(f"template-env.py: no test value for secret {ident!r} ({name})")
        return secrets[ident]
    value = re.sub(r"\{\{resolve:secretsmanager:([^}]+)\}\}", secret, str(value))
    out.append(f"{name}={value}")
sys.stdout.write("\0".join(out) + "\0")
