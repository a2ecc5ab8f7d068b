#!/usr/bin/env bash
# Checks infra/template.yaml without AWS access, SAM CLI or Docker:
#   1. cfn-lint on the SAM template (cfn-lint applies the SAM transform and checks every
#      Condition branch);
#   2. for every parameter combination that changes the set of resources or how secrets arrive
#      (FunctionVariant x DeliveryMode x authentication x SecretsSource, the Segment role with some):
#      the template's Rules, the SAM transform with aws-sam-translator, cfn-lint on the translated
#      CloudFormation, and a resolution of the Conditions checking the stack that remains
#      (issue 10 items 1-12, issue 9's authorizer, issue 13's settings: see the checks below);
#   3. combinations the Rules must refuse (buffered without a token, a placeholder organization,
#      the JVM at 256 MB, the extension without its layer);
#   4. every failed reason of docs/CONTRACT.md reaches an alarm (SPEC §10);
#   5. every parameter that reaches the function (environment, layers, settings; derived from the
#      template, Conditions followed) is in its VersionDescription, and a change of each one moves
#      the alias to a new version and changes $LATEST (Lambda refuses to publish an unchanged one),
#      within Lambda's 256 characters for a realistic rotation.
# Exits non-zero on any finding. Needs python3 with cfn-lint and aws-sam-translator
# (pip install cfn-lint aws-sam-translator). Usage: infra/check-template.sh [template]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
template="${1:-$here/template.yaml}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== cfn-lint $template"
cfn-lint -- "$template"

echo "== Rules, SAM translation and resolved resources per parameter combination"
PYTHONPATH="$here/check" python3 -u - "$template" "$work" <<'PY'
import itertools, json, subprocess, sys
from cfn import LAYER, translate, resolve, references, broken_rules, sub, load, scalar, PSEUDO
from samtranslator.yaml_helper import yaml_parse

template_path, work = sys.argv[1], sys.argv[2]
source = load(template_path)
rules = yaml_parse(source).get("Rules", {})

SECRET_IDS = {"RamenApiKeySecretId": "RAMEN_API_KEY", "RamenSecretKeySecretId": "RAMEN_SECRET_KEY",
              "SegmentSharedSecretSecretId": "SEGMENT_SHARED_SECRET",
              "SegmentSharedSecretPreviousSecretId": "SEGMENT_SHARED_SECRET_PREVIOUS",
              "SegmentAuthTokenSecretId": "SEGMENT_AUTH_TOKEN",
              "SegmentAuthTokenPreviousSecretId": "SEGMENT_AUTH_TOKEN_PREVIOUS"}
AUTH = {  # name -> parameters
    "signature": {"SegmentSharedSecretSecretId": "segment-ramen/shared-secret"},
    "token": {"SegmentAuthTokenSecretId": "segment-ramen/auth-token"},
    "rotation": {"SegmentSharedSecretSecretId": "s-new", "SegmentSharedSecretPreviousSecretId": "s-old",
                 "SegmentAuthTokenSecretId": "t-new", "SegmentAuthTokenPreviousSecretId": "t-old",
                 "RamenApiKeySecretId": "k", "RamenSecretKeySecretId": "r",
                 "ReservedConcurrency": "50", "Tracing": "Active", "AlarmTopicArn": "arn:aws:sns:eu-west-1:123456789012:t"},
    "none": {"SegmentAuth": "none", "RamenDryRun": "enabled", "MemorySize": "512"},
}
SOURCES = {"extension": {"SecretsSource": "extension", "SecretsExtensionLayerArn": LAYER},
           "env": {"SecretsSource": "env"}}
SEGMENT_ROLE = "arn:aws:iam::595280932656:role/customer-lambda-prod-destination-access"

failures = []
translated_files = []
def fail(name, msg):
    failures.append(f"{name}: {msg}")
    print(f"  FAIL {msg}")

def base(variant, mode, auth, src, role):
    return {"RamenOrganizationId": "org-check", "FunctionVariant": variant, "DeliveryMode": mode,
            "SegmentExternalId": "ws-1,ws-2" if role else "", **AUTH[auth], **SOURCES[src]}

def alias_ref(node, fn_id):
    return node == {"Ref": f"{fn_id}Aliaslive"}

def check(name, variant, mode, auth, src, role):
    overrides = base(variant, mode, auth, src, role)
    try:
        params, cfn = translate(source, overrides)
    except Exception as e:  # InvalidDocumentException and friends
        causes = getattr(e, "causes", None) or [e]
        fail(name, "SAM translation: " + "; ".join(str(c) for c in causes))
        return
    broken = broken_rules(rules, params)
    if broken:
        fail(name, f"Rules refuse a valid combination: {broken}")
    out = f"{work}/{name.replace('/', '_')}.json"
    with open(out, "w") as f:
        json.dump(cfn, f, indent=1, default=str)
    translated_files.append(out)  # linted all at once below (cfn-lint's start-up dominates its time)
    live, outputs = resolve(cfn, params)
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
    expect("AWS::Lambda::Alias", 1)
    expect("AWS::Lambda::Version", 1)
    expect("AWS::ApiGatewayV2::Route", 1)
    expect("AWS::ApiGatewayV2::Integration", 1)
    expect("AWS::ApiGatewayV2::Authorizer", 1 if mode == "buffered" else 0)
    expect("AWS::Lambda::EventSourceMapping", 1)  # item 7: both modes drain the queue
    expect("AWS::SQS::Queue", 3)
    expect("AWS::CloudWatch::Dashboard", 1)
    fn_id = "NativeFunction" if variant == "native" else "JvmFunction"
    if fn_id not in live:
        fail(name, f"no {fn_id}")
        return
    fn = live[fn_id]["Properties"]
    env = fn.get("Environment", {}).get("Variables", {})

    # item 1: no reservation unless asked for
    if ("ReservedConcurrentExecutions" in fn) != (params["ReservedConcurrency"] != "0"):
        fail(name, f"ReservedConcurrentExecutions {fn.get('ReservedConcurrentExecutions')} for ReservedConcurrency={params['ReservedConcurrency']}")
    # item 4: the alias is what everybody calls; VersionDescription carries the configuration
    callers = {"EventQueueMapping": live["EventQueueMapping"]["Properties"]["FunctionName"]}
    if mode == "direct":
        callers["LambdaIntegration"] = live["LambdaIntegration"]["Properties"]["IntegrationUri"]
        callers["LambdaApiPermission"] = live["LambdaApiPermission"]["Properties"]["FunctionName"]
    else:
        callers["AuthorizerPermission"] = live["AuthorizerPermission"]["Properties"]["FunctionName"]
        uri = live["TokenAuthorizer"]["Properties"]["AuthorizerUri"]["Fn::Sub"][1]["Target"]
        callers["TokenAuthorizer"] = uri
    if role:
        callers["SegmentInvokeRole"] = live["SegmentInvokeRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0]["Resource"]
    for caller, target in callers.items():
        if not alias_ref(target, fn_id):
            fail(name, f"{caller} calls {target}, not the alias {fn_id}Aliaslive")
    version = live[types["AWS::Lambda::Version"][0]]["Properties"]
    if "Fn::Sub" not in version.get("Description", {}):
        fail(name, "the published version carries no configuration description")
    if variant == "jvm" and fn.get("SnapStart") != {"ApplyOn": "PublishedVersions"}:
        fail(name, "JVM function without SnapStart")
    # item 5/6: queue limits and timeouts
    timeout = fn.get("Timeout")
    if timeout != (60 if mode == "buffered" else 6):
        fail(name, f"Timeout {timeout}")
    queue = live["EventQueue"]["Properties"]
    if queue.get("MaximumMessageSize") != 1048576:
        fail(name, f"EventQueue MaximumMessageSize {queue.get('MaximumMessageSize')}")
    if queue["VisibilityTimeout"] < 6 * 60:
        fail(name, f"visibility timeout {queue['VisibilityTimeout']} < 6 x the consumer's 60 s")
    # item 7: queues retained
    for q in types["AWS::SQS::Queue"]:
        if live[q].get("DeletionPolicy") != "Retain" or live[q].get("UpdateReplacePolicy") != "Retain":
            fail(name, f"{q} is not retained")
    # item 8: secrets
    if scalar(env.get("SECRETS_SOURCE"), params) != src:
        fail(name, f"SECRETS_SOURCE {env.get('SECRETS_SOURCE')}")
    configured = {var for p, var in SECRET_IDS.items() if params[p]}
    policies = {p["PolicyName"]: p for p in live["FunctionRole"]["Properties"]["Policies"]}
    if src == "extension":
        if {k[:-len("_SECRET_ID")] for k in env if k.endswith("_SECRET_ID")} != configured:
            fail(name, f"secret ids in env {sorted(k for k in env if k.endswith('_SECRET_ID'))}, expected {sorted(configured)}")
        if configured & set(env):
            fail(name, f"secret values in env in extension mode: {sorted(configured & set(env))}")
        if configured and [scalar(x, params) for x in fn.get("Layers", [])] != [LAYER]:
            fail(name, f"Layers {fn.get('Layers')}")
        if configured:
            resources = policies.get("read-named-secrets", {}).get("PolicyDocument", {}).get("Statement", [{}])[0].get("Resource", [])
            ids = sorted(params[p] for p in SECRET_IDS if params[p])
            got = sorted(sub(r["Fn::Sub"], params).split(":secret:")[1][:-len("-??????")] for r in resources)
            if got != ids:
                fail(name, f"GetSecretValue allowed on {got}, expected exactly {ids}")
    else:
        for var in configured:
            if "{{resolve:secretsmanager:" not in json.dumps(env.get(var)):
                fail(name, f"{var} is not a dynamic reference: {env.get(var)}")
        if "Layers" in fn or "read-named-secrets" in policies:
            fail(name, "env mode with the extension's layer or secret permissions")
    if (auth == "none") != ("SEGMENT_AUTH" in env):
        fail(name, f"SEGMENT_AUTH set wrongly: {env.get('SEGMENT_AUTH')!r}")
    # item 9: Segment's role
    if role:
        principal = live["SegmentInvokeRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["AWS"]
        if principal != SEGMENT_ROLE:
            fail(name, f"SegmentInvokeRole trusts {principal}")
    elif "SegmentInvokeRole" in live:
        fail(name, "SegmentInvokeRole created without SegmentExternalId")
    # item 10: stage throttling and access log
    stage = live["HttpApiStage"]["Properties"]
    if "ThrottlingRateLimit" not in stage.get("DefaultRouteSettings", {}) or "DestinationArn" not in stage.get("AccessLogSettings", {}):
        fail(name, "HTTP API stage without throttling or access log")
    # item 11: alarms; tracing
    alarms = set(types.get("AWS::CloudWatch::Alarm", []))
    want = {"FunctionErrorsAlarm", "FunctionThrottlesAlarm", "QueueAgeAlarm", "Api4xxAlarm", "Api5xxAlarm",
            "AsyncDeadLetterAlarm", "EventDeadLetterAlarm", "ConfigurationErrorsAlarm", "RamenOutageAlarm", "RejectionRateAlarm",
            "UnexpectedFailuresAlarm"}
    if want - alarms:
        fail(name, f"missing alarms {sorted(want - alarms)}")
    if (fn.get("TracingConfig", {}).get("Mode") == "Active") != (params["Tracing"] == "Active"):
        fail(name, f"TracingConfig {fn.get('TracingConfig')}")
    # item 12 / issue 13: memory, logging, metrics service, wire settings
    memory = int(scalar(fn.get("MemorySize"), params))
    expected_memory = int(params["MemorySize"]) or (256 if variant == "native" else 1024)
    if memory != expected_memory:
        fail(name, f"MemorySize {memory}, expected {expected_memory}")
    if fn.get("LoggingConfig", {}).get("LogFormat") != "JSON":
        fail(name, "LogFormat is not JSON")
    if env.get("METRICS_SERVICE") != {"Ref": "AWS::StackName"}:
        fail(name, f"METRICS_SERVICE {env.get('METRICS_SERVICE')}")
    for var in ["RAMEN_PATH", "RAMEN_TRANSPORT", "RAMEN_API_KEY_HEADER", "RAMEN_TIMEOUT", "RAMEN_DRY_RUN", "DELIVERY_MODE"]:
        if var not in env:
            fail(name, f"{var} not set")
    # issue 9 item 7: authorizer and the Authorization attribute
    if mode == "buffered":
        authorizer = live["TokenAuthorizer"]["Properties"]
        want_auth = {"AuthorizerType": "REQUEST", "AuthorizerPayloadFormatVersion": "2.0", "EnableSimpleResponses": True,
                     "IdentitySource": ["$request.header.Authorization"], "AuthorizerResultTtlInSeconds": 300}
        for k, v in want_auth.items():
            if authorizer.get(k) != v:
                fail(name, f"authorizer {k} = {authorizer.get(k)!r}, expected {v!r}")
        route = live["EventsRoute"]["Properties"]
        if route.get("AuthorizationType") != "CUSTOM" or route.get("AuthorizerId") != {"Ref": "TokenAuthorizer"}:
            fail(name, f"route not behind the authorizer: {route}")
        attrs = json.loads(live["QueueIntegration"]["Properties"]["RequestParameters"]["MessageAttributes"])
        if sorted(attrs) != ["Authorization"]:
            fail(name, f"queue message attributes {sorted(attrs)}")
    if "EventDeadLetterQueueUrl" not in outputs:
        fail(name, "no EventDeadLetterQueueUrl output")
    print(f"  ok: {len(live)} resources, function env: {', '.join(sorted(env))}")
    return version, params

combos = [(v, m, a, s) for v, m, a, s in itertools.product(["native", "jvm"], ["direct", "buffered"], AUTH, SOURCES)
          if m == "direct" or a in ("token", "rotation")]
for variant, mode, auth, src in combos:
    role = auth in ("token", "rotation")
    name = f"{variant}/{mode}/auth={auth}/secrets={src}/role={'yes' if role else 'no'}"
    print(f"-- {name}")
    check(name, variant, mode, auth, src, role)

print(f"== cfn-lint on the {len(translated_files)} translated templates")
lint = subprocess.run(["cfn-lint", "--", *translated_files], capture_output=True, text=True)
if lint.returncode != 0:
    fail("translated templates", "cfn-lint:\n" + lint.stdout + lint.stderr)

print("== combinations the Rules must refuse")
from cfn import params_for
tpl = yaml_parse(source)
refused = [
    ("buffered without a token", {"DeliveryMode": "buffered", "SegmentAuthTokenSecretId": "", "SegmentSharedSecretSecretId": "s"}, "BufferedNeedsToken"),
    ("placeholder organization", {"RamenOrganizationId": "REPLACE_WITH_YOUR_RAMEN_ORGANIZATION_ID"}, "NoPlaceholderOrganization"),
    ("JVM at 256 MB", {"FunctionVariant": "jvm", "MemorySize": "256"}, "JvmNeedsMemory"),
    ("extension without its layer", {"SecretsExtensionLayerArn": ""}, "ExtensionNeedsLayer"),
    ("no authentication at all", {"SegmentAuthTokenSecretId": ""}, "HttpEndpointAuthenticated"),
]
for label, overrides, rule in refused:
    params = params_for(tpl, {**base("native", "direct", "token", "extension", False), **overrides})
    broken = broken_rules(rules, params)
    print(f"-- {label}: refused by {broken}")
    if rule not in broken:
        fail(label, f"not refused by rule {rule} (broken: {broken})")

print("== every failed reason of docs/CONTRACT.md reaches an alarm (SPEC §10: alarms on failed outcomes)")
import os, re
# ConfigurationErrors counts these (COMMON.md, issue 13); blocked_by_earlier_failure only follows another failure of
# the same visitor, whose own reason raises the alarm.
CONFIGURATION_ERRORS = {"ramen_unauthorized", "ramen_unknown_organization", "ramen_redirect", "batch_needs_token"}
FOLLOWS_ANOTHER = {"blocked_by_earlier_failure"}
contract = os.path.join(os.path.dirname(os.path.abspath(template_path)), "..", "docs", "CONTRACT.md")
failed_reasons = set(re.findall(r"^\| `failed` \| `([a-z_]+)` \|", load(contract), re.M))
alarmed = set()
for lid, res in tpl["Resources"].items():
    if res["Type"] == "AWS::CloudWatch::Alarm":
        alarmed |= set(re.findall(r"Failed_([a-z_]+)", json.dumps(res["Properties"])))
        if res["Properties"].get("MetricName") == "ConfigurationErrors":
            alarmed |= CONFIGURATION_ERRORS
unalarmed = failed_reasons - alarmed - FOLLOWS_ANOTHER
print(f"-- {len(failed_reasons)} failed reasons; without an alarm: {sorted(unalarmed) or 'none'}")
if not failed_reasons:
    fail("alarms", f"no failed reasons found in {contract}")
if unalarmed:
    fail("alarms", f"failed reasons no alarm reads: {sorted(unalarmed)}")

print("== every parameter that reaches the function is in its VersionDescription (derived from the template)")
from cfn import evaluate, parameter_refs
# Function-wide settings, not part of a published version: a change applies to every version at once.
NOT_VERSIONED = {"ReservedConcurrency": "ReservedConcurrentExecutions applies to the function, not to a version"}
raw_conditions = tpl.get("Conditions", {})
reaching = set()
for fn_id in ("NativeFunction", "JvmFunction"):
    props = tpl["Resources"][fn_id]["Properties"]
    config = {**tpl["Globals"]["Function"], **{k: v for k, v in props.items() if k != "VersionDescription"}}
    refs = parameter_refs(config, raw_conditions) & set(tpl["Parameters"])
    described = parameter_refs(props["VersionDescription"], raw_conditions) & set(tpl["Parameters"])
    missing = refs - described - set(NOT_VERSIONED)
    print(f"-- {fn_id}: {len(refs)} parameters reach the function; missing from VersionDescription: {sorted(missing) or 'none'}")
    if missing:
        fail(f"{fn_id} VersionDescription", f"parameters reach the function but not its VersionDescription, so a change of them "
             f"leaves the alias on the old version: {sorted(missing)}")
    if "Revision" not in parameter_refs(props.get("Description"), raw_conditions):
        fail(f"{fn_id} Description", "Revision is not in the function's Description: a Revision-only deploy changes nothing in "
             "$LATEST and Lambda refuses to publish it")
    reaching |= refs
reaching -= set(NOT_VERSIONED)

print("== a configuration change publishes a new version (the alias moves), and only a real one")
def published(variant, overrides):
    """-> (resolved VersionDescription, resolved configuration of $LATEST) of this deployment."""
    params, cfn = translate(source, {**base(variant, "direct", "rotation", "extension", False), **overrides})
    live, _ = resolve(cfn, params)
    fn_id = "NativeFunction" if variant == "native" else "JvmFunction"
    version = next(r for r in live.values() if r["Type"] == "AWS::Lambda::Version")["Properties"]
    result = evaluate(version["Description"], params)
    if len(result) > 256:
        fail("version description", f"{len(result)} characters > 256 (Lambda's limit): {result}")
    latest = evaluate({k: v for k, v in live[fn_id]["Properties"].items() if k not in ("Role", "Code", "Tags")}, params)
    return result, json.dumps(latest, sort_keys=True, default=str).replace('"', "")  # 256 and "256" alike
CHANGED = {"Revision": "2", "RamenOrganizationId": "org-other", "RamenBaseUrl": "https://eu.ramen.is", "RamenPath": "/po2.json",
           "RamenApiKeyHeader": "X-Ramen-Key", "RamenTimeout": "2s", "RamenDeadline": "3s", "RamenConcurrency": "8",
           "RamenImportAfter": "7d", "MemorySize": "2048", "SecretsExtensionLayerArn": LAYER[:-2] + "18"}
def changed_values(name, current):
    """Every other allowed value (a new one must get its own flag), else one changed value."""
    allowed = tpl["Parameters"][name].get("AllowedValues")
    if name in CHANGED:
        return [CHANGED[name]]
    if allowed:
        return [str(v) for v in allowed if str(v) != current]
    return [current + "-new" if current else "new"]  # the *SecretId parameters
first = {v: published(v, {}) for v in ("native", "jvm")}
base_params = params_for(tpl, base("native", "direct", "rotation", "extension", False))
for name, value in [(n, v) for n in sorted(reaching | {"Revision"}) for v in changed_values(n, base_params[n])]:
    change = {name: value}
    for variant in ("native", "jvm"):
        described, latest = published(variant, change)
        print(f"-- {variant} {change}: {described}")
        if described == first[variant][0]:
            fail("version description", f"{variant}: {change} leaves the version description unchanged: {described}")
        if latest == first[variant][1]:
            fail("version description", f"{variant}: {change} changes the description but not $LATEST: Lambda refuses to publish")
# Equal configurations publish nothing (Lambda would refuse an unchanged $LATEST): 0 is the variant's default size.
for variant, memory in (("native", "256"), ("jvm", "1024")):
    described, latest = published(variant, {"MemorySize": memory})
    print(f"-- {variant} MemorySize 0 -> {memory} (the same size): description unchanged: {described == first[variant][0]}")
    if (described == first[variant][0]) != (latest == first[variant][1]):
        fail("version description", f"{variant}: MemorySize {memory} changes one of description and $LATEST, not both")
# A realistic long configuration (a token rotation with Ramen's two keys, secret names of ~22
# characters, arm64, buffered) fits Lambda's 256 characters. Longer secret names can exceed it: CloudFormation
# then fails the deploy and rolls back with nothing changed (docs/RUNBOOK.md, "Rotating a secret").
heavy = {"RamenApiKeySecretId": "segment-ramen/api-key", "RamenSecretKeySecretId": "segment-ramen/secret-key",
         "SegmentSharedSecretSecretId": "", "SegmentSharedSecretPreviousSecretId": "",
         "SegmentAuthTokenSecretId": "segment-ramen/token-2", "SegmentAuthTokenPreviousSecretId": "segment-ramen/token-1",
         "RamenOrganizationId": "org-01234567", "Architecture": "arm64", "DeliveryMode": "buffered",
         "SecretsExtensionLayerArn": LAYER.replace("Extension:17", "Extension-Arm64:17"), "Revision": "3"}
described, _ = published("jvm", heavy)
print(f"-- long configuration: {len(described)} of 256 characters: {described}")
if failures:
    print(f"\n{len(failures)} finding(s):", *failures, sep="\n  ")
    sys.exit(1)
print(f"\nall {len(combos)} combinations clean, {len(refused)} refusals, version moves on every change of the {len(reaching | {'Revision'})} parameters that reach the function")
PY
