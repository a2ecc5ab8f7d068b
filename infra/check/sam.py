"""Shared by the infra checks: infra/template.yaml for one set of parameter values, as CloudFormation
would process it, without AWS access.

  language_extensions()  what AWS::LanguageExtensions does before the Serverless transform, kept to
                         its least: parameter and pseudo-parameter Refs, and Fn::Sub strings whose
                         variables are all parameters, become their values ("intrinsic functions are
                         resolved where possible", AWS SAM guide, "CloudFormation language extensions
                         support"). Anything else stays for the Serverless transform and CloudFormation.
  translate()            that, then the Serverless transform (aws-sam-translator), as `sam deploy` sees
                         it (CodeUri rewritten to S3).
  resolve()              the stack CloudFormation creates from it: Conditions evaluated, Fn::If taken,
                         AWS::NoValue dropped (moto answers 500 on those, so moto-smoke.py needs it).
  broken_rules()         the template's Rules that refuse these parameter values.
"""
import copy
import logging
import os
import re

os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")  # the translator asks boto3 for a region
logging.getLogger("samtranslator.metrics").setLevel(logging.ERROR)
from samtranslator.translator.transform import transform  # noqa: E402
from samtranslator.yaml_helper import yaml_parse  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATE = os.path.join(HERE, "..", "template.yaml")
PSEUDO = {"AWS::Region": "eu-west-1", "AWS::AccountId": "123456789012", "AWS::Partition": "aws",
          "AWS::StackName": "segment-ramen-check", "AWS::URLSuffix": "amazonaws.com"}
# The README's own names (README.md, "Deploy", step 1) and a realistic organization id.
README_VALUES = {"RamenOrganizationId": "3f2b8c1e-7d4a-4e9b-9c61-0a5d2e8f4b17",
                 "SegmentAuthTokenSecretId": "segment-ramen/auth-token"}


class NoManagedPolicies:  # the template names no managed policies: no IAM lookup
    def load(self):
        return {}


def load(path=TEMPLATE):
    with open(path) as f:
        return yaml_parse(f.read())


def params_for(tpl, overrides):
    values = {k: str(v["Default"]) for k, v in tpl["Parameters"].items() if "Default" in v}
    values.update({k: str(v) for k, v in overrides.items()})
    return values


def language_extensions(node, values):
    """Parameter Refs and all-parameter Fn::Sub strings replaced by their values."""
    if isinstance(node, list):
        return [language_extensions(v, values) for v in node]
    if not isinstance(node, dict):
        return node
    if len(node) == 1 and isinstance(node.get("Ref"), str) and node["Ref"] in values:
        return values[node["Ref"]]
    if len(node) == 1 and isinstance(node.get("Fn::Sub"), str):
        names = re.findall(r"\$\{([^}!]+)\}", node["Fn::Sub"])
        if names and all(n in values for n in names):
            return re.sub(r"\$\{([^}!]+)\}", lambda m: str(values[m.group(1)]), node["Fn::Sub"])
    return {k: language_extensions(v, values) for k, v in node.items()}


def translate(overrides, tpl=None, extensions=True, code_uri="s3://check-bucket/function.zip", stack=None):
    """-> (parameter values, translated CloudFormation)."""
    pseudo = {**PSEUDO, "AWS::StackName": stack or PSEUDO["AWS::StackName"]}
    tpl = copy.deepcopy(tpl or load())
    params = params_for(tpl, overrides)
    tpl["Transform"] = "AWS::Serverless-2016-10-31"
    for res in tpl["Resources"].values():
        if res["Type"] == "AWS::Serverless::Function":
            res["Properties"]["CodeUri"] = code_uri
    if extensions:
        tpl["Resources"] = language_extensions(tpl["Resources"], {**params, **pseudo})
    return params, transform(tpl, {**params, **pseudo}, NoManagedPolicies())


def scalar(x, params):
    """A value as CloudFormation evaluates it: Ref, Fn::Sub (both forms), Fn::Split, Fn::Select."""
    if not isinstance(x, dict) or len(x) != 1:
        return x
    (fn, arg), = x.items()
    if fn == "Ref":
        return {**PSEUDO, **params}[arg]
    if fn == "Fn::Sub":
        text, names = (arg, {}) if isinstance(arg, str) else arg
        env = {**PSEUDO, **params, **{k: scalar(v, params) for k, v in names.items()}}
        return re.sub(r"\$\{([^}!]+)\}", lambda m: str(env[m.group(1)]), text)
    if fn == "Fn::Split":
        return str(scalar(arg[1], params)).split(arg[0])
    if fn == "Fn::Select":
        items = [scalar(v, params) for v in arg[1]] if isinstance(arg[1], list) else scalar(arg[1], params)
        return items[int(arg[0])]
    return x


def truth(expr, params, conds):
    (fn, arg), = expr.items()
    if fn == "Fn::Equals":
        return str(scalar(arg[0], params)) == str(scalar(arg[1], params))
    if fn == "Fn::Not":
        return not truth(arg[0], params, conds)
    if fn == "Fn::And":
        return all(truth(a, params, conds) for a in arg)
    if fn == "Fn::Or":
        return any(truth(a, params, conds) for a in arg)
    if fn == "Fn::Contains":
        return str(scalar(arg[1], params)) in [str(scalar(v, params)) for v in arg[0]]
    if fn == "Condition":
        return truth(conds[arg], params, conds)
    raise ValueError(f"unsupported condition {expr!r}")


def broken_rules(tpl, params):
    broken = []
    for name, rule in tpl.get("Rules", {}).items():
        if "RuleCondition" in rule and not truth(rule["RuleCondition"], params, {}):
            continue
        if not all(truth(a["Assert"], params, {}) for a in rule["Assertions"]):
            broken.append(name)
    return broken


def prune(node, taken):
    if isinstance(node, dict):
        if len(node) == 1 and "Fn::If" in node:
            c, a, b = node["Fn::If"]
            return prune(a if taken[c] else b, taken)
        out = {k: prune(v, taken) for k, v in node.items()}
        return {k: v for k, v in out.items() if v != {"Ref": "AWS::NoValue"}}
    if isinstance(node, list):
        return [p for p in (prune(v, taken) for v in node) if p != {"Ref": "AWS::NoValue"}]
    return node


def resolve(cfn, params):
    """-> (resources, outputs) CloudFormation creates for these parameter values."""
    conds = cfn.get("Conditions", {})
    taken = {c: truth(e, params, conds) for c, e in conds.items()}
    def live(section):
        return {k: prune({kk: vv for kk, vv in v.items() if kk != "Condition"}, taken)
                for k, v in cfn.get(section, {}).items() if "Condition" not in v or taken[v["Condition"]]}
    return live("Resources"), live("Outputs")


def alias_version(cfn):
    """The logical id of the version the alias points at (what Segment and every caller invoke)."""
    alias = next(r for r in cfn["Resources"].values() if r["Type"] == "AWS::Lambda::Alias")
    return alias["Properties"]["FunctionVersion"]["Fn::GetAtt"][0]
