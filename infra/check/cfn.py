"""Shared by infra/check-template.sh and infra/check/moto-smoke.py: SAM translation of
infra/template.yaml for one set of parameters, the Rules, and a resolution of Conditions /
Fn::If / AWS::NoValue, without AWS access. (moto's CloudFormation answers 500 on Fn::If ->
AWS::NoValue inside a role's Policies and on Conditions referenced by Outputs, hence resolve().)"""
import logging
import os

os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")  # the translator asks boto3 for a region
logging.getLogger("samtranslator.metrics").setLevel(logging.ERROR)  # "unpublished metrics" noise
from samtranslator.translator.transform import transform  # noqa: E402
from samtranslator.yaml_helper import yaml_parse  # noqa: E402

PSEUDO = {"AWS::Region": "eu-west-1", "AWS::AccountId": "123456789012", "AWS::Partition": "aws",
          "AWS::StackName": "segment-ramen-check", "AWS::URLSuffix": "amazonaws.com",
          "AWS::StackId": "arn:aws:cloudformation:eu-west-1:123456789012:stack/segment-ramen-check/x",
          "AWS::NotificationARNs": []}
LAYER = "arn:aws:lambda:eu-west-1:015030872274:layer:AWS-Parameters-and-Secrets-Lambda-Extension:17"


class NoManagedPolicies:  # the template names no managed policies, so no IAM lookup is needed
    def load(self):
        return {}


def load(path):
    with open(path) as f:
        return f.read()


def params_for(tpl, overrides):
    values = {k: str(v["Default"]) for k, v in tpl["Parameters"].items() if "Default" in v}
    values.update({k: str(v) for k, v in overrides.items()})
    return values


def translate(source, overrides, pseudo=PSEUDO, code_uri=lambda uri: "s3://check-bucket/" + uri):
    """-> (parameters, translated CloudFormation). `sam deploy` rewrites CodeUri to S3; so do we."""
    tpl = yaml_parse(source)
    params = params_for(tpl, overrides)
    for res in tpl["Resources"].values():
        if res["Type"] == "AWS::Serverless::Function":
            res["Properties"]["CodeUri"] = code_uri(res["Properties"]["CodeUri"])
    return params, transform(tpl, {**params, **pseudo}, NoManagedPolicies())


def scalar(x, params, pseudo=PSEUDO):
    if isinstance(x, dict) and "Ref" in x:
        return params[x["Ref"]] if x["Ref"] in params else pseudo[x["Ref"]]
    return x


def cond_value(expr, conds, params, cache):
    if isinstance(expr, dict) and len(expr) == 1:
        (fn, arg), = expr.items()
        if fn == "Fn::Equals":
            a, b = (scalar(x, params) for x in arg)
            return str(a) == str(b)
        if fn == "Fn::Not":
            return not cond_value(arg[0], conds, params, cache)
        if fn == "Fn::And":
            return all(cond_value(x, conds, params, cache) for x in arg)
        if fn == "Fn::Or":
            return any(cond_value(x, conds, params, cache) for x in arg)
        if fn == "Fn::Contains":
            values, value = arg
            return str(scalar(value, params)) in [str(scalar(v, params)) for v in values]
        if fn == "Condition":
            return condition(arg, conds, params, cache)
    raise ValueError(f"unsupported condition expression {expr!r}")


def condition(name, conds, params, cache):
    if name not in cache:
        cache[name] = cond_value(conds[name], conds, params, cache)
    return cache[name]


def broken_rules(tpl_rules, params):
    """Names of the template's Rules whose assertions fail for these parameters."""
    broken = []
    for name, rule in (tpl_rules or {}).items():
        if "RuleCondition" in rule and not cond_value(rule["RuleCondition"], {}, params, {}):
            continue
        if not all(cond_value(a["Assert"], {}, params, {}) for a in rule["Assertions"]):
            broken.append(name)
    return broken


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


def resolve(cfn, params):
    """The stack as CloudFormation would create it: Conditions evaluated, resources and outputs
    whose Condition is false removed, Fn::If replaced by its branch. -> (resources, outputs)"""
    conds = cfn.get("Conditions", {})
    cache = {}
    truth = {c: condition(c, conds, params, cache) for c in conds}
    live = {lid: prune({k: v for k, v in r.items() if k != "Condition"}, truth)
            for lid, r in cfn["Resources"].items() if "Condition" not in r or truth[r["Condition"]]}
    outputs = {k: prune({kk: vv for kk, vv in v.items() if kk != "Condition"}, truth)
               for k, v in cfn.get("Outputs", {}).items() if "Condition" not in v or truth[v["Condition"]]}
    return live, outputs


def sub(template, params, variables=None):
    """Fn::Sub of parameters and pseudo parameters (and given variables), for checks."""
    variables = {**PSEUDO, **params, **(variables or {})}
    out, i = "", 0
    while (j := template.find("${", i)) >= 0:
        k = template.index("}", j)
        out += template[i:j] + str(variables.get(template[j + 2:k], "${" + template[j + 2:k] + "}"))
        i = k + 1
    return out + template[i:]


def references(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "Ref" and isinstance(v, str):
                yield v
            elif k == "Fn::GetAtt":
                yield (v[0] if isinstance(v, list) else v.split(".")[0])
            elif k == "Fn::Sub":
                s = v[0] if isinstance(v, list) else v
                local = set(v[1]) if isinstance(v, list) else set()
                i = 0
                while (i := s.find("${", i)) >= 0:
                    j = s.index("}", i)
                    name = s[i + 2:j]
                    if not name.startswith("!") and name.split(".")[0] not in local:
                        yield name.split(".")[0]
                    i = j
                if isinstance(v, list):
                    yield from references(v[1])
            else:
                yield from references(v)
    elif isinstance(node, list):
        for v in node:
            yield from references(v)


def evaluate(node, params, pseudo=PSEUDO):
    """The value CloudFormation gives a (pruned) property: Ref to parameters and pseudo parameters,
    Fn::Sub, Fn::Join, Fn::Split; anything else (GetAtt, Refs to resources) is kept as it is."""
    values = {**pseudo, **params}
    if isinstance(node, list):
        return [evaluate(v, params, pseudo) for v in node]
    if not isinstance(node, dict):
        return node
    if len(node) == 1:
        (fn, arg), = node.items()
        if fn == "Ref" and arg in values:
            return values[arg]
        if fn == "Fn::Sub":
            text, variables = (arg, {}) if isinstance(arg, str) else arg
            return sub(text, params, {k: evaluate(v, params, pseudo) for k, v in variables.items()})
        if fn == "Fn::Join":
            return arg[0].join(str(x) for x in evaluate(arg[1], params, pseudo))
        if fn == "Fn::Split":
            return str(evaluate(arg[1], params, pseudo)).split(arg[0])
    return {k: evaluate(v, params, pseudo) for k, v in node.items()}


def parameter_refs(node, conditions, seen=None):
    """Names a template fragment refers to (Ref, ${...} in Fn::Sub), following the Conditions its
    Fn::If and Condition use, so that a parameter reaching it only through a Condition counts too."""
    seen = set() if seen is None else seen
    names = set(references(node))
    def walk(n):
        if isinstance(n, dict):
            for k, v in n.items():
                if k == "Fn::If" and isinstance(v, list) and v and isinstance(v[0], str):
                    yield v[0]
                if k == "Condition" and isinstance(v, str):
                    yield v
                yield from walk(v)
        elif isinstance(n, list):
            for v in n:
                yield from walk(v)
    for c in set(walk(node)):
        if c not in seen and c in conditions:
            seen.add(c)
            names |= parameter_refs(conditions[c], conditions, seen)
    return names
