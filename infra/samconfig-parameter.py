#!/usr/bin/env python3
"""Prints the value samconfig.toml gives a template parameter in its parameter_overrides (the
default environment; global, then build, then deploy, later wins), or nothing. `sam deploy --guided`
writes each value quoted (Key="value", inside a TOML string: Key=\\"value\\"); hand-written files
often do not: both are read as SAM CLI reads them (shell-like words, Key=value).
Usage: samconfig-parameter.py SAMCONFIG_TOML PARAMETER"""
import shlex
import sys
import tomllib

path, wanted = sys.argv[1], sys.argv[2]
try:
    with open(path, "rb") as f:
        config = tomllib.load(f).get("default", {})
except FileNotFoundError:
    sys.exit(0)
value = None
for command in ("global", "build", "deploy"):
    overrides = config.get(command, {}).get("parameters", {}).get("parameter_overrides", "")
    words = overrides if isinstance(overrides, list) else shlex.split(overrides)
    for word in words:
        key, _, val = word.partition("=")
        if key == wanted:
            value = val
if value is not None:
    print(value)
