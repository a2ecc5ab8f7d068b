"""What SAM CLI's template providers would see in infra/template.yaml (`sam build`, `sam local invoke`,
`sam local start-api`), per variant and delivery mode, without SAM CLI. It mimics, from their
source (aws/aws-sam-cli, samcli/lib/providers/ and samcli/lib/intrinsic_resolver/):
  - SamBaseProvider.get_template: the SAM translator's plugins run on the template (Globals, implicit
    APIs), then every intrinsic is resolved with the parameter values: Fn::If by the template's
    Conditions, Ref to parameters and pseudo parameters (AWS::NoValue -> None), Fn::FindInMap,
    Fn::Sub (a `${Resource.Attribute}` it cannot resolve becomes `$Resource.Attribute`);
    resources keep their place whatever their Condition (the providers do not evaluate it);
  - SamFunctionProvider: each AWS::Serverless::Function with its CodeUri, Runtime, Handler;
  - SamApiProvider: a route per HttpApi/Api event of a function (path, method -> the function's
    logical id), plus the Lambda integrations of an AWS::Serverless::HttpApi's DefinitionBody whose
    uri names a function (LambdaUri: `:function:<name>`; anything else is skipped).
Exit 1 unless, for both variants in direct mode, the one function is built from infra/dist/function/
with its variant's runtime and handler, and POST /events is served by it."""
import copy
import re
import sys

from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import prepare_plugins

from sam import PSEUDO, README_VALUES, load, params_for

tpl = load()


def cli_template(params):
    template = copy.deepcopy(tpl)
    Parser().parse(template, {**params, **PSEUDO}, prepare_plugins([], parameters={**params, **PSEUDO}))
    conditions = template.get("Conditions", {})
    values = {**PSEUDO, **params, "AWS::NoValue": None}

    def res(node):
        if isinstance(node, list):
            return [res(v) for v in node]
        if not isinstance(node, dict) or len(node) != 1:
            return {k: res(v) for k, v in node.items()} if isinstance(node, dict) else node
        (fn, arg), = node.items()
        if fn == "Ref":
            return values.get(arg, arg)  # a resource's Ref: its logical id
        if fn == "Fn::If":
            return res(arg[1] if res(conditions[arg[0]]) else arg[2])
        if fn == "Fn::Equals":
            return str(res(arg[0])) == str(res(arg[1]))
        if fn == "Fn::Not":
            return not res(arg[0])
        if fn in ("Fn::And", "Fn::Or"):
            return (all if fn == "Fn::And" else any)(res(a) for a in arg)
        if fn == "Condition":
            return res(conditions[arg])
        if fn == "Fn::FindInMap":
            m, a, b = (res(x) for x in arg)
            return template["Mappings"][m][a][b]
        if fn == "Fn::GetAtt":
            name, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
            return f"arn:aws:lambda:us-east-1:123456789012:function:{name}" if attribute == "Arn" else f"${name}.{attribute}"
        if fn == "Fn::Sub":
            text = arg if isinstance(arg, str) else arg[0]
            def one(m):
                name = m.group(1)
                if name in values:
                    return str(values[name])
                return "$" + name if "." in name else name
            return re.sub(r"\$\{([A-Za-z0-9:.]+)\}", one, text)
        return {fn: res(arg)}
    return {lid: res(r) for lid, r in template["Resources"].items()}


def function_name_of(uri):
    """LambdaUri.get_function_name, for the strings the resolver leaves."""
    if not isinstance(uri, str):
        return None
    arn = re.search(r"arn:aws:lambda:[^:]+:[^:]+:function:[^:/]+(?::[^/]+)?", uri) or re.search(r"/functions/([^/]+)/invocations", uri)
    if not arn:
        return None
    name = re.match(r".*:function:([^:]*)", arn.group(0) if arn.re.pattern.startswith("arn") else arn.group(1))
    return name.group(1) if name and re.match(r"[a-zA-Z0-9-_]+", name.group(1)) else None


def view(variant, mode):
    resources = cli_template(params_for(tpl, {**README_VALUES, "FunctionVariant": variant, "DeliveryMode": mode}))
    functions = {lid: r["Properties"] for lid, r in resources.items() if r["Type"] == "AWS::Serverless::Function"}
    routes = set()
    for lid, props in functions.items():
        for event in (props.get("Events") or {}).values():
            if event["Type"] in ("HttpApi", "Api"):
                routes.add((event["Properties"]["Method"].upper(), event["Properties"]["Path"], lid, "event"))
    for lid, r in resources.items():
        if r["Type"] == "AWS::Serverless::HttpApi":
            for path, item in (r["Properties"].get("DefinitionBody") or {}).get("paths", {}).items():
                for method, op in item.items():
                    integration = (op or {}).get("x-amazon-apigateway-integration", {})
                    name = function_name_of(integration.get("uri")) if integration.get("type") == "aws_proxy" else None
                    if name:
                        routes.add((method.upper(), path, name, f"{lid} definition"))
    return functions, routes


failures = []
for variant in ("native", "jvm"):
    for mode in ("direct", "buffered"):
        functions, routes = view(variant, mode)
        print(f"-- {variant}/{mode}")
        for lid, p in functions.items():
            print(f"   function {lid}: CodeUri {p.get('CodeUri')}, {p.get('Runtime')}, handler {p.get('Handler')}, "
                  f"events {sorted((p.get('Events') or {}))}")
        for method, path, fn, source in sorted(routes):
            print(f"   route {method} {path} -> {fn} (from the {source})")
        want = tpl["Mappings"]["Variant"][variant]
        fn = functions.get("Function", {})
        if list(functions) != ["Function"] or fn.get("CodeUri") != "dist/function/" \
                or (fn.get("Runtime"), fn.get("Handler")) != (want["Runtime"], want["Handler"]):
            failures.append(f"{variant}/{mode}: functions {functions.keys()} {fn.get('Runtime')} {fn.get('Handler')}")
        if mode == "direct" and {(m, p, f) for m, p, f, _ in routes} != {("POST", "/events", "Function")}:
            failures.append(f"{variant}/{mode}: routes {routes}, expected POST /events -> Function")
if failures:
    print("FAIL", *failures, sep="\n  ")
    sys.exit(1)
print("sam-cli view: both variants build from dist/function/ with their runtime and handler; direct mode serves POST /events "
      "(buffered mode: SAM CLI serves the same route straight to the function; the queue and authorizer exist only on AWS)")
