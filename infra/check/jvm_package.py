"""infra/build.sh --check-jvm: refuses a JVM package that is not one, or that records Quarkus's
native-only Lambda poll loop (the runner jar a native build leaves in target/), or that carries the
local HTTP server (a build without -Dlambda: it would start that server and build its routes at every
cold start, for nothing).
Usage: jvm_package.py FUNCTION_ZIP"""
import sys, zipfile
path = sys.argv[1]
with zipfile.ZipFile(path) as z:
    names = z.namelist()
    jars = [n for n in names if n.endswith(".jar")]
    if not any(n.startswith("lib/") for n in names) or not jars:
        sys.exit(f"build.sh: refusing {path}: not a JVM Lambda package (no lib/ and jar)")
    local_http = [n for n in jars if n.rsplit("/", 1)[-1].startswith(("io.quarkus.quarkus-rest-", "io.quarkus.quarkus-vertx-http-"))]
    if local_http:
        sys.exit(f"build.sh: refusing {path}: it carries the local HTTP server ({local_http[0]}): "
                 "package the Lambda artefact with -Dlambda (infra/build.sh passes it)")
    # Quarkus records each build step of the application in generated classes (at the package's root
    # in Lambda's layout, or inside a runner jar); a native build records AmazonLambdaRecorder.startPollLoop,
    # which only the native runtime may run.
    import io
    def generated(zf, where):
        for entry in zf.namelist():
            if entry.startswith(("io/quarkus/deployment/steps/", "io/quarkus/runner/")) and entry.endswith(".class"):
                yield f"{where}{entry}", zf.read(entry)
    sources = [generated(z, "")]
    for jar in jars:
        if "runner" in jar or jar.rsplit("/", 1)[-1].startswith("segment-ramen"):
            sources.append(generated(zipfile.ZipFile(io.BytesIO(z.read(jar))), jar + "!/"))
    checked = 0
    for source in sources:
        for entry, data in source:
            checked += 1
            if b"startPollLoop" in data:
                sys.exit(f"build.sh: refusing {path}: it records Quarkus's native-only Lambda poll loop ({entry}); "
                         "it comes from a native build: package the JVM variant with `infra/build.sh --jvm-only` "
                         "(a JVM-only Maven run)")
    if checked == 0:
        sys.exit(f"build.sh: refusing {path}: no Quarkus application classes found")
print(f"== {path}: JVM package without the native poll loop or the local HTTP server")
