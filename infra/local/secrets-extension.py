#!/usr/bin/env python3
"""A local stand-in for the AWS Parameters and Secrets Lambda Extension's HTTP interface, for the
local emulation (infra/local/check-secrets-extension.sh) and SecretsSource=extension by hand:
  GET /secretsmanager/get?secretId=ID   header X-Aws-Parameters-Secrets-Token: <session token>
-> 200 with GetSecretValue's JSON ({"ARN", "Name", "SecretString", "VersionId", "VersionStages"}),
   401 for a missing/wrong token, 400 for an unknown secret (as the extension relays Secrets Manager's error).
Usage: secrets-extension.py --port N --token T [--port-file F] [--log F] ID=VALUE ...
Each request is appended to --log as one line "<monotonic ns> <secretId>" (values never logged)."""
import argparse
import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, default=2773)
p.add_argument("--token", required=True)
p.add_argument("--port-file")
p.add_argument("--log")
p.add_argument("secrets", nargs="*")
args = p.parse_args()
secrets = dict(s.split("=", 1) for s in args.secrets)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        url = urlparse(self.path)
        secret_id = parse_qs(url.query).get("secretId", [""])[0]
        if args.log:
            with open(args.log, "a") as f:
                f.write(f"{time.monotonic_ns()} {secret_id}\n")
        if url.path != "/secretsmanager/get":
            status, body = 404, "not found"
        elif self.headers.get("X-Aws-Parameters-Secrets-Token") != args.token:
            status, body = 401, "Unauthorized: X-Aws-Parameters-Secrets-Token missing or wrong"
        elif secret_id not in secrets:
            status, body = 400, "ResourceNotFoundException: Secrets Manager can't find the specified secret."
        else:
            status, body = 200, json.dumps({"ARN": f"arn:aws:secretsmanager:us-east-1:000000000000:secret:{secret_id}-AbCdEf",
                                            "Name": secret_id, "SecretString": secrets[secret_id],
                                            "VersionId": "00000000-0000-0000-0000-000000000001", "VersionStages": ["AWSCURRENT"]})
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if status == 200 else "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *a):
        pass


server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
if args.port_file:
    with open(args.port_file, "w") as f:
        f.write(str(server.server_address[1]))
server.serve_forever()
