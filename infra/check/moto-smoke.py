"""Deployment smoke test: infra/template.yaml translated (AWS::LanguageExtensions, then
aws-sam-translator), its Conditions resolved (moto answers 500 on Fn::If -> AWS::NoValue), created in
moto's CloudFormation server; each stack must reach CREATE_COMPLETE with the function, the queues,
the mapping and the roles as configured. Resource types moto does not create are named, each with the
check that covers it instead; a skipped type no check covers fails the run.
Usage: moto-smoke.py ENDPOINT"""
import io
import json
import sys
import time
import zipfile

import boto3

from sam import README_VALUES, resolve, translate

# What covers each resource type moto 5.2 skips (infra/check-template.sh runs them).
COVERED_BY = {
    "AWS::ApiGatewayV2::Api": "template_checks.py 1 (POST /events integration per mode), sam_cli_view.py, cfn-lint",
    "AWS::ApiGatewayV2::Stage": "template_checks.py 4 (access log variables), cfn-lint",
    "AWS::Lambda::Alias": "template_checks.py 1 and 3 (every caller invokes it; a new version per change)",
    "AWS::Lambda::Version": "template_checks.py 3 (a new version per configuration change)",
    "AWS::Lambda::Permission": "template_checks.py 1 (API Gateway may invoke the alias only)",
    "AWS::CloudWatch::Alarm": "template_checks.py 5 (every failed reason reaches an alarm), cfn-lint",
    "AWS::CloudWatch::Dashboard": "cfn-lint",
    "AWS::SNS::Topic": "cfn-lint",
    "AWS::Logs::MetricFilter": "cfn-lint; its pattern's fields are the JSON log line's (IdempotencyTableTest)",
}
endpoint = sys.argv[1]
session = dict(endpoint_url=endpoint, region_name="eu-west-1", aws_access_key_id="testing", aws_secret_access_key="testing")
cfn, s3, lam, sqs, iam, ddb = (boto3.client(s, **session) for s in ("cloudformation", "s3", "lambda", "sqs", "iam", "dynamodb"))
s3.create_bucket(Bucket="smoke-bucket", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("bootstrap", "placeholder")
s3.put_object(Bucket="smoke-bucket", Key="function.zip", Body=buf.getvalue())

TOKEN = {"SegmentAuthTokenSecretId": "segment-ramen/auth-token"}
STACKS = [("native", "direct", {**TOKEN, "SegmentExternalId": "0a1b2c3d4e", "Idempotency": "enabled"}),
          ("jvm", "buffered", {**TOKEN, "SegmentAuthTokenPreviousSecretId": "segment-ramen/auth-token-old", "Idempotency": "enabled"}),
          ("native", "buffered", {**TOKEN, "ReservedConcurrency": "20"}),
          ("jvm", "direct", {"SegmentAuthTokenSecretId": "", "SegmentSharedSecretSecretId": "segment-ramen/shared-secret"})]
failures, skipped, created = [], {}, []


def fail(stack, msg):
    failures.append(f"{stack}: {msg}")
    print(f"  FAIL {msg}")


for variant, mode, extra in STACKS:
    stack = f"smoke-{variant}-{mode}"
    print(f"-- {stack}")
    params, translated = translate({**README_VALUES, "FunctionVariant": variant, "DeliveryMode": mode, **extra},
                                   code_uri="s3://smoke-bucket/function.zip", stack=stack)
    live, outputs = resolve(translated, params)
    # moto has no AWS::Lambda::Alias: in this stack only, the alias' callers call the function.
    aliases = {lid for lid, r in live.items() if r["Type"] == "AWS::Lambda::Alias"}
    text = json.dumps({"Resources": live, "Outputs": outputs})
    for lid in aliases:
        text = text.replace(json.dumps({"Ref": lid}), json.dumps({"Fn::GetAtt": ["Function", "Arn"]}))
    body = {"AWSTemplateFormatVersion": "2010-09-09", "Mappings": translated.get("Mappings", {}), **json.loads(text)}
    cfn.create_stack(StackName=stack, TemplateBody=json.dumps(body), Capabilities=["CAPABILITY_IAM"])
    for _ in range(120):
        status = cfn.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
        if not status.endswith("IN_PROGRESS"):
            break
        time.sleep(0.5)
    if status != "CREATE_COMPLETE":
        events = cfn.describe_stack_events(StackName=stack)["StackEvents"]
        fail(stack, f"{status}: " + "; ".join(f"{e['LogicalResourceId']} {e.get('ResourceStatusReason', '')}" for e in events if "FAILED" in e["ResourceStatus"]))
        continue
    created.append(stack)
    resources = {r["LogicalResourceId"]: r for r in cfn.list_stack_resources(StackName=stack)["StackResourceSummaries"]}
    for lid, res in live.items():
        if lid not in resources:
            skipped.setdefault(res["Type"], set()).add(lid)
    fn_name = resources["Function"]["PhysicalResourceId"]
    conf = lam.get_function_configuration(FunctionName=fn_name)
    want = {"Runtime": "provided.al2023" if variant == "native" else "java21", "Timeout": 60 if mode == "buffered" else 6,
            "MemorySize": 256 if variant == "native" else 1024}
    for k, v in want.items():
        if conf.get(k) != v:
            fail(stack, f"function {k} = {conf.get(k)!r}, expected {v!r}")
    env = conf.get("Environment", {}).get("Variables", {})
    if env.get("METRICS_SERVICE") != stack or env.get("DELIVERY_MODE") != mode:
        fail(stack, f"environment {sorted(env)}")
    if "ReservedConcurrency" in extra and lam.get_function_concurrency(FunctionName=fn_name).get("ReservedConcurrentExecutions") != 20:
        fail(stack, "reserved concurrency not set")
    queue_arn = sqs.get_queue_attributes(QueueUrl=resources["EventQueue"]["PhysicalResourceId"], AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    mappings = [m for m in lam.list_event_source_mappings()["EventSourceMappings"] if m["EventSourceArn"] == queue_arn]
    if len(mappings) != 1 or mappings[0]["BatchSize"] != 10:
        fail(stack, f"event source mappings {mappings}")
    if "SegmentInvokeRole" in live:
        trust = iam.get_role(RoleName=resources["SegmentInvokeRole"]["PhysicalResourceId"])["Role"]["AssumeRolePolicyDocument"]
        if trust["Statement"][0]["Principal"]["AWS"] != "arn:aws:iam::595280932656:role/customer-lambda-prod-destination-access":
            fail(stack, f"Segment's role trusts {trust['Statement'][0]['Principal']}")
    if extra.get("Idempotency") == "enabled":
        table = resources.get("IdempotencyTable", {}).get("PhysicalResourceId")
        if not table or env.get("IDEMPOTENCY_TABLE") != table:
            fail(stack, f"idempotency table {table!r}, IDEMPOTENCY_TABLE {env.get('IDEMPOTENCY_TABLE')!r}")
        else:
            # moto's CloudFormation ignores TimeToLiveSpecification: template_checks.py 1b checks it.
            described = ddb.describe_table(TableName=table)["Table"]
            if described.get("BillingModeSummary", {}).get("BillingMode") != "PAY_PER_REQUEST" or described["KeySchema"] != [
                    {"AttributeName": "id", "KeyType": "HASH"}]:
                fail(stack, f"idempotency table {described.get('BillingModeSummary')}, key {described['KeySchema']}")
            else:
                print(f"  ok: idempotency table {table} (on demand, keyed by id) named in IDEMPOTENCY_TABLE")
    elif "IDEMPOTENCY_TABLE" in env or "IdempotencyTable" in resources:
        fail(stack, "Idempotency=disabled, yet a table or IDEMPOTENCY_TABLE")
    print(f"  ok: {len(resources)} of {len(live)} resources created")

print("stacks created (CREATE_COMPLETE):", ", ".join(created) or "none")
print("resource types moto skipped, and what checks them instead:")
for rtype, ids in sorted(skipped.items()):
    cover = COVERED_BY.get(rtype)
    print(f"  {rtype} ({', '.join(sorted(ids))}): {cover or 'NOTHING'}")
    if not cover:
        failures.append(f"{rtype}: skipped by moto and checked by nothing else")
if failures:
    print(f"\n{len(failures)} finding(s):", *failures, sep="\n  ")
    sys.exit(1)
