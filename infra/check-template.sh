#!/usr/bin/env bash
# Checks infra/template.yaml without AWS access, SAM CLI or Docker:
#   1. cfn-lint on the SAM template (cfn-lint applies the SAM transform and checks every
#      Condition branch);
#   2. for every parameter combination that changes the set of resources
#      (FunctionVariant x DeliveryMode x Segment role x auth header carried into the queue):
#      the SAM transform with aws-sam-translator, cfn-lint on the translated CloudFormation,
#      and a resolution of the Conditions checking that the resources that remain refer only
#      to each other (exactly one function, route -> integration -> function/queue, ...).
# Exits non-zero on any finding. Needs python3 with cfn-lint and aws-sam-translator
# (pip install cfn-lint aws-sam-translator). Usage: infra/check-template.sh [template]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
template="${1:-$here/template.yaml}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== cfn-lint $template"
cfn-lint -- "$template"

echo "== SAM translation and resolved resources per parameter combination"
python3 - "$template" "$work" <<'PY'
import itertools, json, os, subprocess, sys

# The translator asks boto3 for the region (ARN partitions); give it one, no AWS access needed.
os.environ["AWS_DEFAULT_REGION"] = "eu-west-1"
import logging
logging.getLogger("samtranslator.metrics").setLevel(logging.ERROR)  # "unpublished metrics" noise
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

template_path, work = sys.argv[1], sys.argv[2]
with open(template_path) as f:
    source = f.read()

PSEUDO = {"AWS::Region": "eu-west-1", "AWS::AccountId": "123456789012", "AWS::Partition": "aws",
          "AWS::StackName": "segment-ramen-check", "AWS::URLSuffix": "amazonaws.com",
          "AWS::StackId": "arn:aws:cloudformation:eu-west-1:123456789012:stack/segment-ramen-check/x",
          "AWS::NotificationARNs": []}

class NoManagedPolicies:  # the template names no managed policies, so no IAM lookup is needed
    def load(self):
        return {}

# Every combination that changes which resources (or which auth attribute) exist.
AUTH = {  # name -> parameters
    "signature": {"SegmentSharedSecretSecretId": "segment-ramen/shared-secret"},
    "token": {"SegmentAuthTokenSecretId": "segment-ramen/auth-token"},
    "both": {"SegmentSharedSecretSecretId": "s", "SegmentAuthTokenSecretId": "t",
             "RamenApiKeySecretId": "k", "RamenSecretKeySecretId": "r"},
    "none": {"SegmentAuth": "none", "ReservedConcurrency": "0", "AlarmTopicArn": "arn:aws:sns:eu-west-1:123456789012:t"},
}
combos = list(itertools.product(["native", "jvm"], ["direct", "buffered"], ["", "ws-1,ws-2"], AUTH))

failures = []

def fail(name, msg):
    failures.append(f"{name}: {msg}")
    print(f"  FAIL {msg}")

def params_for(tpl, overrides):
    values = {k: str(v["Default"]) for k, v in tpl["Parameters"].items() if "Default" in v}
    values.update(overrides)
    return values

# ---- a small evaluator of Conditions / Fn::If, to list what a stack really contains
def cond_value(expr, conds, params, cache):
    if isinstance(expr, dict) and len(expr) == 1:
        (fn, arg), = expr.items()
        if fn == "Fn::Equals":
            a, b = (resolve_scalar(x, params) for x in arg)
            return str(a) == str(b)
        if fn == "Fn::Not":
            return not cond_value(arg[0], conds, params, cache)
        if fn == "Fn::And":
            return all(cond_value(x, conds, params, cache) for x in arg)
        if fn == "Fn::Or":
            return any(cond_value(x, conds, params, cache) for x in arg)
        if fn == "Condition":
            return condition(arg, conds, params, cache)
    raise ValueError(f"unsupported condition expression {expr!r}")

def condition(name, conds, params, cache):
    if name not in cache:
        cache[name] = cond_value(conds[name], conds, params, cache)
    return cache[name]

def resolve_scalar(x, params):
    if isinstance(x, dict) and "Ref" in x:
        return params[x["Ref"]]
    return x

def prune(node, truth):
    """Replace Fn::If by its taken branch and drop AWS::NoValue."""
    if isinstance(node, dict):
        if len(node) == 1 and "Fn::If" in node:
            c, a, b = node["Fn::If"]
            return prune(a if truth[c] else b, truth)
        out = {}
        for k, v in node.items():
            v = prune(v, truth)
            if v != {"Ref": "AWS::NoValue"}:
                out[k] = v
        return out
    if isinstance(node, list):
        return [p for p in (prune(v, truth) for v in node) if p != {"Ref": "AWS::NoValue"}]
    return node

def references(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "Ref" and isinstance(v, str):
                yield v
            elif k == "Fn::GetAtt":
                yield (v[0] if isinstance(v, list) else v.split(".")[0])
            elif k == "Fn::Sub":
                s = v[0] if isinstance(v, list) else v
                i = 0
                while (i := s.find("${", i)) >= 0:
                    j = s.index("}", i)
                    name = s[i + 2:j]
                    if not name.startswith("!"):
                        yield name.split(".")[0]
                    i = j
                if isinstance(v, list):
                    yield from references(v[1])
            else:
                yield from references(v)
    elif isinstance(node, list):
        for v in node:
            yield from references(v)

for variant, mode, external_id, auth in combos:
    name = f"{variant}/{mode}/role={'yes' if external_id else 'no'}/auth={auth}"
    print(f"-- {name}")
    tpl = yaml_parse(source)
    overrides = {"RamenOrganizationId": "org-check", "FunctionVariant": variant,
                 "DeliveryMode": mode, "SegmentExternalId": external_id, **AUTH[auth]}
    params = params_for(tpl, overrides)
    # `sam deploy` uploads the local zips and rewrites CodeUri to S3; do the same.
    for res in tpl["Resources"].values():
        if res["Type"] == "AWS::Serverless::Function":
            res["Properties"]["CodeUri"] = "s3://check-bucket/" + res["Properties"]["CodeUri"]
    try:
        cfn = transform(tpl, {**params, **PSEUDO}, NoManagedPolicies())
    except Exception as e:  # InvalidDocumentException and friends
        causes = getattr(e, "causes", None) or [e]
        fail(name, "SAM translation: " + "; ".join(str(c) for c in causes))
        continue
    out = os.path.join(work, name.replace("/", "_") + ".json")
    with open(out, "w") as f:
        json.dump(cfn, f, indent=1, default=str)
    lint = subprocess.run(["cfn-lint", "--", out], capture_output=True, text=True)
    if lint.returncode != 0:
        fail(name, "cfn-lint on the translated template:\n" + lint.stdout + lint.stderr)

    conds = cfn.get("Conditions", {})
    cache = {}
    truth = {c: condition(c, conds, params, cache) for c in conds}
    live = {lid: prune(r, truth) for lid, r in cfn["Resources"].items()
            if "Condition" not in r or truth[r["Condition"]]}
    outputs = {k: prune(v, truth) for k, v in cfn.get("Outputs", {}).items()
               if "Condition" not in v or truth[v["Condition"]]}
    known = set(live) | set(params) | set(PSEUDO) | {"AWS::NoValue"}
    for lid, res in list(live.items()) + [("Outputs." + k, v) for k, v in outputs.items()]:
        for ref in references(res):
            if ref not in known:
                fail(name, f"{lid} refers to {ref}, which does not exist in this combination")

    types = {}
    for lid, res in live.items():
        types.setdefault(res["Type"], []).append(lid)
    def expect(rtype, count):
        got = types.get(rtype, [])
        if len(got) != count:
            fail(name, f"expected {count} x {rtype}, found {got}")
    expect("AWS::Lambda::Function", 1)
    expect("AWS::ApiGatewayV2::Route", 1)
    expect("AWS::ApiGatewayV2::Integration", 1)
    expect("AWS::Lambda::EventSourceMapping", 1 if mode == "buffered" else 0)
    expect("AWS::SQS::Queue", 3 if mode == "buffered" else 1)
    expect("AWS::Lambda::Alias", 1 if variant == "jvm" else 0)
    fn = live[types["AWS::Lambda::Function"][0]]["Properties"] if types.get("AWS::Lambda::Function") else {}
    env = fn.get("Environment", {}).get("Variables", {})
    if variant == "jvm" and fn.get("SnapStart") != {"ApplyOn": "PublishedVersions"}:
        fail(name, "JVM function without SnapStart")
    if (auth == "none") != ("SEGMENT_AUTH" in env):
        fail(name, f"SEGMENT_AUTH set wrongly: {env.get('SEGMENT_AUTH')!r}")
    if auth == "none" and "ReservedConcurrentExecutions" in fn:
        fail(name, "ReservedConcurrency=0 must leave the function unreserved")
    if mode == "buffered":
        integ = live[types["AWS::ApiGatewayV2::Integration"][0]]["Properties"]
        attrs = integ["RequestParameters"].get("MessageAttributes")
        attrs = json.loads(attrs) if attrs else {}
        want = {"signature": ["X-Signature"], "both": ["X-Signature"],
                "token": ["Authorization"], "none": []}[auth]
        if sorted(attrs) != want:
            fail(name, f"queue message attributes {sorted(attrs)}, expected {want}")
    if external_id != "" and "SegmentInvokeRole" not in live:
        fail(name, "no SegmentInvokeRole although SegmentExternalId is set")
    if external_id == "" and "SegmentInvokeRole" in live:
        fail(name, "SegmentInvokeRole created without SegmentExternalId")
    print(f"  ok: {len(live)} resources, function env: {', '.join(sorted(env))}")

if failures:
    print(f"\n{len(failures)} finding(s):", *failures, sep="\n  ")
    sys.exit(1)
print(f"\nall {len(combos)} combinations clean")
PY
