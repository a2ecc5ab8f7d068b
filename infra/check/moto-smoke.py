"""Deployment smoke test (issue 10 item 13): translate infra/template.yaml with aws-sam-translator,
resolve its Conditions (moto 5.2 answers 500 on Fn::If -> AWS::NoValue in a role's Policies and on
Conditions referenced by Outputs), create the stack in moto's CloudFormation server and assert that
it reaches CREATE_COMPLETE and that the function, its alias, the queues, the roles and the API exist
with the expected settings. Resource types moto does not create are listed, not asserted.
Usage: moto-smoke.py ENDPOINT TEMPLATE"""
import io
import json
import sys
import time
import zipfile

import boto3

from cfn import LAYER, translate, resolve

endpoint, template_path = sys.argv[1], sys.argv[2]
source = open(template_path).read()
session = dict(endpoint_url=endpoint, region_name="eu-west-1", aws_access_key_id="testing", aws_secret_access_key="testing")
cfn = boto3.client("cloudformation", **session)
s3 = boto3.client("s3", **session)
lam = boto3.client("lambda", **session)
sqs = boto3.client("sqs", **session)
iam = boto3.client("iam", **session)
apigw = boto3.client("apigatewayv2", **session)

s3.create_bucket(Bucket="smoke-bucket", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
for variant, member in [("native", "bootstrap"), ("jvm", "lib/placeholder.jar")]:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(member, "placeholder")
    s3.put_object(Bucket="smoke-bucket", Key=f"{variant}.zip", Body=buf.getvalue())

STACKS = [
    ("native", "direct", {"SegmentAuthTokenSecretId": "segment-ramen/auth-token", "SegmentExternalId": "ws-1"}),
    ("jvm", "buffered", {"SegmentAuthTokenSecretId": "segment-ramen/auth-token", "SegmentAuthTokenPreviousSecretId": "segment-ramen/auth-token-old"}),
    ("native", "buffered", {"SegmentAuthTokenSecretId": "segment-ramen/auth-token", "ReservedConcurrency": "20"}),
    ("jvm", "direct", {"SegmentSharedSecretSecretId": "segment-ramen/shared-secret", "MemorySize": "2048"}),
]
failures, skipped_types, created = [], {}, []


def fail(stack, msg):
    failures.append(f"{stack}: {msg}")
    print(f"  FAIL {msg}")


for variant, mode, extra in STACKS:
    stack = f"smoke-{variant}-{mode}"
    print(f"-- {stack}")
    overrides = {"RamenOrganizationId": "org-smoke", "FunctionVariant": variant, "DeliveryMode": mode,
                 "SecretsSource": "extension", "SecretsExtensionLayerArn": LAYER, **extra}
    params, translated = translate(source, overrides, code_uri=lambda uri, v=variant: f"s3://smoke-bucket/{v}.zip")
    live, outputs = resolve(translated, params)
    # moto 5.2 has no AWS::Lambda::Alias: its Refs would reach other resources as nothing (500).
    # In the moto stack only, callers of the alias call the function (check-template.sh asserts the
    # alias wiring on the translated template); the alias is reported as skipped.
    aliases = {lid: r["Properties"]["FunctionName"]["Ref"] for lid, r in live.items() if r["Type"] == "AWS::Lambda::Alias"}
    def unalias(node):
        if isinstance(node, dict):
            if len(node) == 1 and node.get("Ref") in aliases:
                return {"Fn::GetAtt": [aliases[node["Ref"]], "Arn"]}
            return {k: unalias(v) for k, v in node.items()}
        if isinstance(node, list):
            return [unalias(v) for v in node]
        return node
    live, outputs = unalias(live), unalias(outputs)
    body = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": live, "Outputs": outputs,
            "Parameters": {k: {"Type": v.get("Type", "String")} for k, v in translated["Parameters"].items()}}
    cfn.create_stack(StackName=stack, TemplateBody=json.dumps(body), Capabilities=["CAPABILITY_IAM"],
                     Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in params.items() if k in translated["Parameters"]])
    for _ in range(120):
        status = cfn.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
        if not status.endswith("IN_PROGRESS"):
            break
        time.sleep(0.5)
    print(f"  status {status}")
    if status != "CREATE_COMPLETE":
        events = cfn.describe_stack_events(StackName=stack)["StackEvents"]
        fail(stack, f"{status}: " + "; ".join(f"{e['LogicalResourceId']} {e.get('ResourceStatusReason', '')}" for e in events if "FAILED" in e["ResourceStatus"]))
        continue
    created.append(stack)
    resources = {r["LogicalResourceId"]: r for r in cfn.list_stack_resources(StackName=stack)["StackResourceSummaries"]}
    for lid, res in live.items():
        if lid not in resources:
            skipped_types.setdefault(res["Type"], set()).add(lid)
    # the function and its alias
    fn_id = "NativeFunction" if variant == "native" else "JvmFunction"
    fn_name = resources[fn_id]["PhysicalResourceId"]
    conf = lam.get_function_configuration(FunctionName=fn_name)
    want = {"Runtime": "provided.al2023" if variant == "native" else "java21",
            "Timeout": 60 if mode == "buffered" else 6,
            "MemorySize": int(params["MemorySize"]) or (256 if variant == "native" else 1024)}
    for k, v in want.items():
        if conf.get(k) != v:
            fail(stack, f"function {k} = {conf.get(k)!r}, expected {v!r}")
    env = conf.get("Environment", {}).get("Variables", {})
    if env.get("SECRETS_SOURCE") != "extension" or env.get("SEGMENT_AUTH_TOKEN") or env.get("SEGMENT_SHARED_SECRET"):
        fail(stack, f"secrets in the environment: {sorted(env)}")
    if env.get("METRICS_SERVICE") != stack or env.get("DELIVERY_MODE") != mode:
        fail(stack, f"METRICS_SERVICE/DELIVERY_MODE {env.get('METRICS_SERVICE')}/{env.get('DELIVERY_MODE')}")
    if "ReservedConcurrency" in extra:
        reserved = lam.get_function_concurrency(FunctionName=fn_name).get("ReservedConcurrentExecutions")
        if reserved != int(extra["ReservedConcurrency"]):
            fail(stack, f"reserved concurrency {reserved}")
    # the queues, both modes
    for qid, max_size in [("EventQueue", 1048576), ("EventDeadLetterQueue", 1048576), ("AsyncDeadLetterQueue", None)]:
        url = resources[qid]["PhysicalResourceId"]
        attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        if attrs.get("MessageRetentionPeriod") != "1209600":
            fail(stack, f"{qid} retention {attrs.get('MessageRetentionPeriod')}")
        if max_size and attrs.get("MaximumMessageSize") != str(max_size):
            fail(stack, f"{qid} MaximumMessageSize {attrs.get('MaximumMessageSize')}")
        if qid == "EventQueue":
            redrive = json.loads(attrs.get("RedrivePolicy", "{}"))
            if attrs.get("VisibilityTimeout") != "360" or int(redrive.get("maxReceiveCount", 0)) != 720:
                fail(stack, f"EventQueue visibility {attrs.get('VisibilityTimeout')} redrive {redrive}")
    queue_arn = sqs.get_queue_attributes(QueueUrl=resources["EventQueue"]["PhysicalResourceId"], AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    mappings = [m for m in lam.list_event_source_mappings()["EventSourceMappings"]
                if m["EventSourceArn"] == queue_arn and m["FunctionArn"].split(":")[6] == fn_name]
    if len(mappings) != 1 or mappings[0]["BatchSize"] != 10:
        fail(stack, f"event source mapping {[m.get('FunctionArn') for m in mappings]}")
    # roles
    role = iam.get_role(RoleName=resources["FunctionRole"]["PhysicalResourceId"])["Role"]
    policies = iam.list_role_policies(RoleName=role["RoleName"])["PolicyNames"]
    if "read-named-secrets" not in policies:
        fail(stack, f"function role policies {policies}")
    if "SegmentInvokeRole" in live:
        trust = iam.get_role(RoleName=resources["SegmentInvokeRole"]["PhysicalResourceId"])["Role"]["AssumeRolePolicyDocument"]
        principal = trust["Statement"][0]["Principal"]["AWS"]
        if principal != "arn:aws:iam::595280932656:role/customer-lambda-prod-destination-access":
            fail(stack, f"Segment role trusts {principal}")
    # the API, its route (and authorizer in buffered mode)
    if "HttpApi" not in resources:  # moto 5.2 creates no AWS::ApiGatewayV2::* from CloudFormation
        print(f"  ok: {len(resources)} of {len(live)} resources created (API not created by moto)")
        continue
    api_id = resources["HttpApi"]["PhysicalResourceId"]
    api = apigw.get_api(ApiId=api_id)
    routes = apigw.get_routes(ApiId=api_id)["Items"]
    if api["ProtocolType"] != "HTTP" or [r["RouteKey"] for r in routes] != ["POST /events"]:
        fail(stack, f"API {api['ProtocolType']} routes {[r['RouteKey'] for r in routes]}")
    if mode == "buffered":
        if routes and routes[0].get("AuthorizationType") != "CUSTOM":
            fail(stack, f"route authorization {routes[0].get('AuthorizationType')}")
        authorizers = apigw.get_authorizers(ApiId=api_id)["Items"]
        if len(authorizers) != 1 or authorizers[0].get("IdentitySource") != ["$request.header.Authorization"]:
            fail(stack, f"authorizers {authorizers}")
    stack_outputs = {o["OutputKey"] for o in cfn.describe_stacks(StackName=stack)["Stacks"][0].get("Outputs", [])}
    for key in ["EventsUrl", "FunctionArn", "EventQueueUrl", "EventDeadLetterQueueUrl"]:
        if key not in stack_outputs:
            fail(stack, f"output {key} missing")
    print(f"  ok: {len(resources)} of {len(live)} resources created")

print("stacks created (CREATE_COMPLETE):", ", ".join(created) or "none")
print("resource types moto skipped (not asserted):",
      "; ".join(f"{t} ({', '.join(sorted(ids))})" for t, ids in sorted(skipped_types.items())) or "none")
if failures:
    print(f"\n{len(failures)} finding(s):", *failures, sep="\n  ")
    sys.exit(1)
