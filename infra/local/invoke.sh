#!/usr/bin/env bash
# Run the packaged function locally under a Lambda Runtime API stand-in (LambdaRuntimeApi.java),
# the way `sam local invoke` would, without Docker or SAM: one fresh function process, the events
# handed to it in order, each response printed on stdout (function errors as `ERROR {...}`).
#
#   infra/local/invoke.sh EVENT.json [EVENT2.json ...] [--native|--jvm] [--zip] [runtime-api options]
#
#   --native   run target/*-runner (the GraalVM executable; function.zip holds it as `bootstrap`)
#   --jvm      run the JVM artefact as deployed: infra/dist/jvm.zip (from `infra/build.sh --jvm-only`, a
#              JVM-only package) unpacked as Lambda's /var/task, under the AWS Lambda Java runtime
#              interface client (com.amazonaws:aws-lambda-java-runtime-interface-client, fetched once into
#              target/local-ric) with the java21 runtime's environment (AWS_EXECUTION_ENV=AWS_Lambda_java21).
#              Never target/*-runner.jar: after a native build it records the native-only poll loop.
#   --jvm-zip F  the JVM package to run instead of infra/dist/jvm.zip (implies --jvm)
#              default mode: native when an executable target/*-runner exists, else jvm
#   --zip      native: run from target/function.zip unpacked into target/local-task instead (Lambda's
#              layout: code in the working directory /var/task)
#   --dir DIR  the project whose target/ is used (default: this repository)
#   Options passed to LambdaRuntimeApi.java (see its header): --timing, --timing-file F, --quiet,
#   --timeout-ms N (default 6000), --init-timeout-ms N, --repeat N, --seq, --record DIR, --memory MB,
#   --function-name N, --region R, --function-log -|none|FILE, --env K=V, --port N,
#   --credentials session|snapstart (snapstart: the container credentials a SnapStart function gets)
#
# Environment: the caller's environment passes through to the function; RAMEN_ORGANIZATION_ID
# defaults to sandbox-org and SEGMENT_AUTH to none when unset. Also read:
#   JAVA          java executable for the function and the runtime API (default: $JAVA_HOME/bin/java, else java)
#   JAVA_OPTS     extra JVM flags for the function in --jvm mode (e.g. "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
#                 which is what Lambda's java17/java21 runtimes use by default)
#   INVOKE_WRAP   command prefix for the function process, e.g. "taskset -c 0"; it must exec the
#                 command (systemd-run --scope, taskset, nice, env do) so that timings and RSS are the function's
# Exit status: that of LambdaRuntimeApi (0 ok, 1 init error/timeout/runtime exit, 2 usage).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="$(cd "$here/../.." && pwd)"
mode="" zip=0 jvm_zip=""
events=() apiopts=()
RIC_VERSION=2.10.1

while (($#)); do
  case "$1" in
    --native) mode=native ;;
    --jvm) mode=jvm ;;
    --jvm-zip) mode=jvm; jvm_zip="$2"; shift ;;
    --zip) zip=1 ;;
    --dir) dir="$(cd "$2" && pwd)"; shift ;;
    --dir=*) dir="$(cd "${1#--dir=}" && pwd)" ;;
    --timing|--quiet|--seq) apiopts+=("$1") ;;
    --timeout-ms|--init-timeout-ms|--repeat|--record|--timing-file|--function-log|--function-name|--memory|--region|--env|--port|--credentials)
      (($# >= 2)) || { echo "invoke.sh: $1 needs a value" >&2; exit 2; }
      apiopts+=("$1" "$2"); shift ;;
    --*=*) apiopts+=("$1") ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    --*) echo "invoke.sh: unknown option $1" >&2; exit 2 ;;
    *) [[ "$1" == - || -r "$1" ]] || { echo "invoke.sh: cannot read event file $1" >&2; exit 2; }
       if [[ "$1" == - ]]; then events+=("-"); else events+=("$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"); fi ;;
  esac
  shift
done
((${#events[@]})) || { echo "usage: infra/local/invoke.sh EVENT.json [EVENT2.json ...] [--native|--jvm] [--zip] (see --help)" >&2; exit 2; }

target="$dir/target"
if [[ -n "${JAVA:-}" ]]; then java="$JAVA"
elif [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then java="$JAVA_HOME/bin/java"
else java=java; fi
javac="$(dirname "$(readlink -f "$(command -v "$java")")")/javac"

runner=""
for f in "$target"/*-runner; do [[ -f "$f" && -x "$f" ]] && runner="$f"; done
if [[ -z "$mode" ]]; then if [[ -n "$runner" ]]; then mode=native; else mode=jvm; fi; fi

export RAMEN_ORGANIZATION_ID="${RAMEN_ORGANIZATION_ID:-sandbox-org}"
export SEGMENT_AUTH="${SEGMENT_AUTH-none}" # set but empty: no opt-out

# --- the Lambda Java runtime interface client and its dependencies, fetched once -----------------
fetch_ric() {
  local ric="$target/local-ric"
  if [[ -f "$ric/.complete-$RIC_VERSION" ]]; then return; fi
  mkdir -p "$ric/jars"
  cat > "$ric/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local</groupId><artifactId>local-ric</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>com.amazonaws</groupId><artifactId>aws-lambda-java-runtime-interface-client</artifactId>
      <version>$RIC_VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF
  local mvn="$dir/mvnw"; [[ -x "$mvn" ]] || mvn=mvn
  echo "invoke.sh: fetching aws-lambda-java-runtime-interface-client $RIC_VERSION into $ric/jars" >&2
  "$mvn" -q -B -f "$ric/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$ric/jars" >&2
  touch "$ric/.complete-$RIC_VERSION"
}

# --- the runtime API server, compiled once (falls back to the source launcher) -------------------
api=("$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx64m)
rt="$target/local-rt"
src="$here/LambdaRuntimeApi.java"
if [[ -x "$javac" ]] && { [[ "$rt/LambdaRuntimeApi.class" -nt "$src" ]] || { mkdir -p "$rt" && "$javac" -d "$rt" "$src"; }; }; then
  api+=(-cp "$rt" LambdaRuntimeApi)
else
  api+=("$src")
fi

# --- the function process ------------------------------------------------------------------------
wrap=(); [[ -n "${INVOKE_WRAP:-}" ]] && read -r -a wrap <<<"$INVOKE_WRAP"
unpack() { # <zip> <task dir>: unpacked as Lambda's /var/task (re-done when the zip changes)
  local zipfile="$1" task="$2"
  [[ -f "$zipfile" ]] || { echo "invoke.sh: $zipfile not found (build first)" >&2; exit 2; }
  if [[ ! -f "$task/.from-zip" || "$zipfile" -nt "$task/.from-zip" || "$(cat "$task/.from-zip")" != "$zipfile" ]]; then
    rm -rf "$task"; mkdir -p "$task"
    (cd "$task" && { unzip -q "$zipfile" 2>/dev/null || jar xf "$zipfile"; })
    [[ -f "$task/bootstrap" ]] && chmod +x "$task/bootstrap"
    echo "$zipfile" > "$task/.from-zip"
  fi
  echo "$task"
}

if [[ "$mode" == native ]]; then
  export DISABLE_SIGNAL_HANDLERS="${DISABLE_SIGNAL_HANDLERS:-true}" # as Quarkus' generated sam.native.yaml sets
  if ((zip)); then
    task="$(unpack "$target/function.zip" "$target/local-task")"; [[ -x "$task/bootstrap" ]] || { echo "invoke.sh: function.zip has no bootstrap (not a native build?)" >&2; exit 2; }
    cmd=("$task/bootstrap")
  else
    [[ -n "$runner" ]] || { echo "invoke.sh: no executable $target/*-runner (build with -Dnative)" >&2; exit 2; }
    task="$target"; cmd=("$runner")
  fi
  handler=not.used.in.provided.runtime
else
  fetch_ric
  handler=io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest
  read -r -a jopts <<<"${JAVA_OPTS:-}"
  jvm_zip="${jvm_zip:-$dir/infra/dist/jvm.zip}"
  [[ -f "$jvm_zip" ]] || { echo "invoke.sh: $jvm_zip not found: build the JVM artefact with infra/build.sh --jvm-only" >&2; exit 2; }
  jvm_zip="$(cd "$(dirname "$jvm_zip")" && pwd)/$(basename "$jvm_zip")"
  task="$(unpack "$jvm_zip" "$target/local-task-jvm")"; [[ -d "$task/lib" ]] || { echo "invoke.sh: $jvm_zip has no lib/ (not a JVM build?)" >&2; exit 2; }
  cp="$target/local-ric/jars/*" # the RIC loads the code from its working directory, as on Lambda
  apiopts+=(--runtime java21)
  cmd=("$java" ${jopts[@]+"${jopts[@]}"} -cp "$cp" com.amazonaws.services.lambda.runtime.api.client.AWSLambda "$handler")
fi

exec "${api[@]}" --handler "$handler" --task-root "$task" ${apiopts[@]+"${apiopts[@]}"} "${events[@]}" -- ${wrap[@]+"${wrap[@]}"} "${cmd[@]}"
