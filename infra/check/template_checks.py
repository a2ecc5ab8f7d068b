"""Behaviour checks of infra/template.yaml that cfn-lint cannot make (run by infra/check-template.sh):
  1. every variant x delivery mode translates (AWS::LanguageExtensions, then the Serverless
     transform), its Rules accept it, and every caller (API Gateway, the queue mapping, Segment's
     role) invokes the alias, never $LATEST; the translated templates are written for cfn-lint;
  2. the Rules refuse what cannot work, the reservation rule derived from the queue mapping's
     translated MaximumConcurrency;
  3. a change of each parameter that reaches the function publishes a new version the alias points
     at (a new AWS::Lambda::Version logical id), with the README's secret names and a UUID
     organization id, and no description that grows with the configuration;
  4. the access log format uses only HTTP API $context variables (AWS's list below);
  5. every `failed` reason of docs/CONTRACT.md reaches an alarm.
Usage: template_checks.py OUTPUT_DIR (translated templates are written there). Exit 1 on a finding."""
import json
import os
import re
import sys

from sam import HERE, README_VALUES, alias_version, broken_rules, load, params_for, resolve, translate

out_dir = sys.argv[1]
tpl = load()
failures = []


def fail(msg):
    failures.append(msg)
    print(f"  FAIL {msg}")


SECRETS = {"RamenApiKeySecretId": "segment-ramen/ramen-api-key", "RamenSecretKeySecretId": "segment-ramen/ramen-secret-key",
           "SegmentSharedSecretSecretId": "segment-ramen/shared-secret", "SegmentAuthTokenSecretId": "segment-ramen/auth-token"}
BASE = {**README_VALUES, **SECRETS, "SegmentExternalId": "0a1b2c3d4e"}
ALIAS = {"Ref": "FunctionAliaslive"}

print("== 1. variants x modes: translation, Rules, callers of the alias")
for variant in ("native", "jvm"):
    for mode in ("direct", "buffered"):
        name = f"{variant}-{mode}"
        params, cfn = translate({**BASE, "FunctionVariant": variant, "DeliveryMode": mode})
        if broken_rules(tpl, params):
            fail(f"{name}: Rules refuse a valid deployment: {broken_rules(tpl, params)}")
        live, _ = resolve(cfn, params)
        with open(os.path.join(out_dir, name + ".json"), "w") as f:
            json.dump(cfn, f, indent=1)
        callers = {lid: r for lid, r in live.items()
                   if r["Type"] in ("AWS::Lambda::EventSourceMapping", "AWS::Lambda::Permission", "AWS::IAM::Role", "AWS::ApiGatewayV2::Api")}
        unqualified = [lid for lid, r in callers.items() if '{"Ref": "Function"}' in json.dumps(r) or '"Function", "Arn"' in json.dumps(r)]
        if unqualified:
            fail(f"{name}: {unqualified} call the function unqualified ($LATEST), not its alias")
        body = json.dumps(live["EventsApi"]["Properties"]["Body"])
        expected = ["${FunctionAliaslive}/invocations"]
        wanted_callers = ["FunctionQueue", "FunctionHttpPermission", "SegmentInvokeRole"] + (["AuthorizerPermission"] if mode == "buffered" else [])
        missing = [c for c in wanted_callers if json.dumps(ALIAS) not in json.dumps(live.get(c, {}))]
        if missing or not all(e in body for e in expected):
            fail(f"{name}: not calling the alias: {missing or 'EventsApi body'}")
        sends_to_queue = "SQS-SendMessage" in body and '"security"' in body
        if sends_to_queue != (mode == "buffered"):
            fail(f"{name}: POST /events goes to {'SQS' if sends_to_queue else 'the function'}")
        print(f"  ok {name}: {len(live)} resources, alias on {alias_version(cfn)}; callers of the alias: {', '.join(wanted_callers)}")

print("== 1b. Idempotency=enabled: an on-demand table with TTL, exactly the item actions used, its name in the environment")
for enabled in (False, True):
    params, cfn = translate({**BASE, "Idempotency": "enabled" if enabled else "disabled"})
    live, _ = resolve(cfn, params)
    table = live.get("IdempotencyTable")
    env = live["Function"]["Properties"]["Environment"]["Variables"]
    actions = sorted(a for st in json.dumps(live["FunctionRole"]).split('"Action": ')[1:] for a in re.findall(r'"(dynamodb:[A-Za-z]+)"', st.split("]")[0]))
    if not enabled:
        if table or "IDEMPOTENCY_TABLE" in env or actions:
            fail(f"Idempotency=disabled still creates or grants something: table {bool(table)}, env {'IDEMPOTENCY_TABLE' in env}, actions {actions}")
        print(f"  ok disabled: no table, no IDEMPOTENCY_TABLE, no dynamodb action")
        continue
    props = (table or {}).get("Properties", {})
    problems = []
    if props.get("BillingMode") != "PAY_PER_REQUEST" or props.get("KeySchema") != [{"AttributeName": "id", "KeyType": "HASH"}]:
        problems.append("not an on-demand table keyed by id")
    if props.get("TimeToLiveSpecification") != {"AttributeName": "expiry", "Enabled": True}:
        problems.append("no TTL on expiry")
    if env.get("IDEMPOTENCY_TABLE") != {"Ref": "IdempotencyTable"}:
        problems.append(f"IDEMPOTENCY_TABLE is {env.get('IDEMPOTENCY_TABLE')}")
    if actions != ["dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"] or '"IdempotencyTable", "Arn"' not in json.dumps(live["FunctionRole"]):
        problems.append(f"the role grants {actions}, not exactly PutItem/UpdateItem/DeleteItem on the table")
    for problem in problems:
        fail(f"Idempotency=enabled: {problem}")
    print(f"  {'FAIL' if problems else 'ok'} enabled: table with TTL on expiry, {', '.join(actions)} on its ARN, IDEMPOTENCY_TABLE set")

print("== 2. the Rules refuse what cannot work")
_, cfn = translate({**BASE, "DeliveryMode": "buffered"})
max_concurrency = cfn["Resources"]["FunctionQueue"]["Properties"]["ScalingConfig"]["MaximumConcurrency"]
refusals = [("buffered without a token", {"DeliveryMode": "buffered", "SegmentAuthTokenSecretId": ""}, True),
            ("no authentication at all", {"SegmentAuthTokenSecretId": "", "SegmentSharedSecretSecretId": ""}, True),
            ("a placeholder organization", {"RamenOrganizationId": "REPLACE_WITH_YOUR_RAMEN_ORGANIZATION_ID"}, True)]
# The authorizer is the same function: a reservation at or below the consumer's maximum would let
# the queue take every instance (checked against the translated mapping, not a copy of its number).
refusals += [(f"buffered, ReservedConcurrency {n} <= MaximumConcurrency {max_concurrency}",
              {"DeliveryMode": "buffered", "ReservedConcurrency": n}, True) for n in range(1, max_concurrency + 1)]
refusals += [(f"buffered, ReservedConcurrency {max_concurrency + 1}", {"DeliveryMode": "buffered", "ReservedConcurrency": max_concurrency + 1}, False),
             ("direct, ReservedConcurrency 1", {"ReservedConcurrency": 1}, False)]
for label, overrides, refused in refusals:
    broken = broken_rules(tpl, params_for(tpl, {**BASE, **overrides}))
    print(f"  {'ok' if bool(broken) == refused else 'FAIL'} {label}: {'refused by ' + ', '.join(broken) if broken else 'accepted'}")
    if bool(broken) != refused:
        fail(f"{label}: {'accepted' if refused else 'refused'}")

print("== 3. every parameter change that reaches the function moves the alias to a new version")
CHANGES = {"RamenOrganizationId": ["6c0d1f52-93a8-4b7e-a2d4-5e9f0b3c8a61"], "ReservedConcurrency": ["10"],
           **{p: [v + "-2"] for p, v in SECRETS.items()},
           # during a rotation the shared secret's parameter holds "new,previous"
           "SegmentSharedSecretSecretId": [SECRETS["SegmentSharedSecretSecretId"] + "-2", SECRETS["SegmentSharedSecretSecretId"] + "-2,"
                                           + SECRETS["SegmentSharedSecretSecretId"]],
           "SegmentAuthTokenPreviousSecretId": [SECRETS["SegmentAuthTokenSecretId"]],
           "SegmentExternalId": ["0a1b2c3d4e,9f8e7d6c5b"]}
NOT_THE_FUNCTION = {"SegmentExternalId": "only Segment's role"}
for name, spec in tpl["Parameters"].items():
    if "AllowedValues" in spec:
        CHANGES[name] = [str(v) for v in spec["AllowedValues"] if str(v) != str(spec.get("Default"))]
unchanged_without_extensions = []
for variant in ("native", "jvm"):
    base = {**BASE, "FunctionVariant": variant}
    before = alias_version(translate(base)[1])
    plain_before = alias_version(translate(base, extensions=False)[1])
    for name in tpl["Parameters"]:
        for value in CHANGES.get(name, []):
            if value == params_for(tpl, base)[name]:
                value = "native"  # the jvm base: its change is back to native
            overrides = {**base, name: value}
            _, cfn = translate(overrides)
            after = alias_version(cfn)
            moved = after != before
            expected = name not in NOT_THE_FUNCTION
            version = cfn["Resources"][after]["Properties"]
            if "Description" in version or cfn["Resources"]["Function"]["Properties"].get("Description") != "segment-ramen-destination":
                fail(f"{variant} {name}: a description carries the configuration: {version.get('Description')}")
            if moved != expected:
                fail(f"{variant} {name}={value}: alias {'moved' if moved else 'stayed on ' + before} "
                     f"({'expected: ' + NOT_THE_FUNCTION[name] if not expected else 'Segment would keep invoking the old configuration'})")
            if alias_version(translate(overrides, extensions=False)[1]) == plain_before and expected:
                unchanged_without_extensions.append(name)
            print(f"  {'ok' if moved == expected else 'FAIL'} {variant} {name}={value}: {before} -> {after}")
print(f"  (without AWS::LanguageExtensions, aws-sam-translator names the version after the unresolved template:"
      f" {len(set(unchanged_without_extensions))} of these parameters would leave the alias where it was:"
      f" {', '.join(sorted(set(unchanged_without_extensions)))})")

print("== 4. access log format: only HTTP API $context variables")
# AWS's list, "Customize HTTP API access logs":
# https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html
# (a name ending in "." stands for its documented `property` form).
HTTP_API_CONTEXT = """accountId apiId authorizer.claims. authorizer.error authorizer.principalId authorizer.
awsEndpointRequestId awsEndpointRequestId2 customDomain.basePathMatched dataProcessed domainName domainPrefix
error.message error.messageString error.responseType extendedRequestId httpMethod identity.accountId
identity.caller identity.cognitoAuthenticationProvider identity.cognitoAuthenticationType
identity.cognitoIdentityId identity.cognitoIdentityPoolId identity.principalOrgId identity.clientCert.clientCertPem
identity.clientCert.subjectDN identity.clientCert.issuerDN identity.clientCert.serialNumber
identity.clientCert.validity.notBefore identity.clientCert.validity.notAfter identity.sourceIp identity.user
identity.userAgent identity.userArn integration.error integration.integrationStatus integration.latency
integration.requestId integration.status integrationErrorMessage integrationLatency integrationStatus path
protocol requestId requestTime requestTimeEpoch responseLatency responseLength routeKey stage status""".split()
log_format = tpl["Resources"]["EventsApi"]["Properties"]["AccessLogSettings"]["Format"]
variables = re.findall(r"\$([a-zA-Z]+)((?:\.[A-Za-z0-9]+)*)", log_format)
for root, path in variables:
    name = path[1:]
    known = root == "context" and (name in HTTP_API_CONTEXT or any(p.endswith(".") and name.startswith(p) for p in HTTP_API_CONTEXT))
    if not known:
        fail(f"access log variable ${root}{path} is not an HTTP API $context variable")
print(f"  {len(variables)} variables, all documented $context ones: {not any('access log' in f for f in failures)}")

print("== 5. every failed reason of docs/CONTRACT.md reaches an alarm")
# ConfigurationErrors counts these (docs/CONTRACT.md); blocked_by_earlier_failure only follows another
# failure of the same visitor, whose own reason raises the alarm.
# Both read from docs/CONTRACT.md, which ContractTest keeps equal to the code's Reason enum.
with open(os.path.join(HERE, "..", "..", "docs", "CONTRACT.md")) as f:
    contract = f.read()
failed_reasons = set(re.findall(r"^\| `failed` \| `([a-z_]+)` \|", contract, re.M))
configuration_sentence = re.search(r"`ERROR` for configuration errors \(([^)]*)\)", contract)
CONFIGURATION_ERRORS = set(re.findall(r"`([a-z_]+)`", configuration_sentence.group(1))) if configuration_sentence else set()
if not CONFIGURATION_ERRORS:
    fail("docs/CONTRACT.md §2 no longer names the configuration errors")
alarmed = set()
for res in tpl["Resources"].values():
    if res["Type"] == "AWS::CloudWatch::Alarm":
        alarmed |= set(re.findall(r"Failed_([a-z_]+)", json.dumps(res["Properties"])))
        if res["Properties"].get("MetricName") == "ConfigurationErrors":
            alarmed |= CONFIGURATION_ERRORS
unalarmed = failed_reasons - alarmed - {"blocked_by_earlier_failure"}
print(f"  {len(failed_reasons)} failed reasons; without an alarm: {sorted(unalarmed) or 'none'}")
if not failed_reasons or unalarmed:
    fail(f"failed reasons no alarm reads: {sorted(unalarmed) or 'none found in docs/CONTRACT.md'}")

if failures:
    print(f"\n{len(failures)} finding(s):", *failures, sep="\n  ")
    sys.exit(1)
print("\ntemplate checks: all clean")
