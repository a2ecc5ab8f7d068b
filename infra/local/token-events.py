#!/usr/bin/env python3
"""Writes DIR/good.json and DIR/bad.json from an API Gateway sample event: the first carries
`Authorization: Bearer TOKEN`, the second another token (infra/local/check-secrets.sh).
Usage: token-events.py SAMPLE_EVENT TOKEN DIR"""
import json
import sys

sample, token, out = sys.argv[1:4]
event = json.load(open(sample))
for name, value in [("good", f"Bearer {token}"), ("bad", "Bearer not-the-token")]:
    e = json.loads(json.dumps(event))
    e["headers"]["authorization"] = value
    e["requestContext"]["requestId"] = f"req-{name}"
    e["body"] = e["body"].replace("sample-identify-1", f"secrets-{name}")
    with open(f"{out}/{name}.json", "w") as f:
        json.dump(e, f)
