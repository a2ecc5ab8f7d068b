#!/usr/bin/env bash
# Builds the floors (bench/README.md, "Floors") into bench/floor/dist/, with the product's ./mvnw, the
# same Quarkus BOM and the same native toolchain and settings as the product:
#   dist/a-runner    A, native: the smallest quarkus-amazon-lambda function (an echo handler)
#   dist/a2-runner   A2, native: A + quarkus-rest, quarkus-rest-jackson, quarkus-vertx, one resource;
#                    also the per-event floor (FLOOR_BODIES, see a2/src/main/java/floor/PerEventFloor.java)
#   dist/a-jvm.zip   A as a JVM artefact (function.zip), run by the benchmarks under AWS's runtime
#                    interface client exactly as the product's infra/dist/jvm.zip
#   dist/a-vertx-jvm.zip  A + quarkus-vertx and quarkus-jackson (the other framework pieces of the product's
#                    Lambda artefact) as a JVM artefact: no goal, it splits the JVM start's difference to A
#
#   bench/floor/build.sh [--force] [--debug] [a-jvm] [a-vertx-jvm] [a] [a2]
#                    (default: all four, only what is missing)
#   --force  rebuild even if the artefact exists
#   --debug  native with -Dquarkus.native.debug.enabled=true (perf symbols: bench/profile/link-debug.sh)
# Environment: GRAALVM_HOME_FOR_BUILD (default: what ../shared/native/setup-native.sh --home prints, as
# .ci/run does); BUILD_WRAPPER, a command put in front of each Maven run (e.g. a build-slot wrapper);
# MAVEN_ARGS_EXTRA, more Maven arguments (e.g. -o).
# A native build of one floor takes 3–5 minutes on 2 cores; the JVM one well under a minute.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
force=0 debug=0 what=()
while (($#)); do
  case "$1" in
    --force) force=1 ;;
    --debug) debug=1 ;;
    a|a2|a-jvm|a-vertx-jvm) what+=("$1") ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "build.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
((${#what[@]})) || what=(a-jvm a-vertx-jvm a a2)
mkdir -p "$here/dist"
wrapper=(${BUILD_WRAPPER:-})
extra=(${MAVEN_ARGS_EXTRA:-})

mvn_floor() { # <project> [maven args]
  local project="$1"; shift
  echo "== bench/floor/$project: ./mvnw -B -f bench/floor/$project/pom.xml package -DskipTests $*" >&2
  # a clean target/: the runner jar of a native build must not end up in the JVM artefact, nor the reverse
  rm -rf "$here/$project/target"
  ${wrapper[@]+"${wrapper[@]}"} "$root/mvnw" -B -q -f "$here/$project/pom.xml" package -DskipTests \
    ${extra[@]+"${extra[@]}"} "$@"
}

native_args() {
  local home="${GRAALVM_HOME_FOR_BUILD:-}"
  if [[ -z "$home" && -f "$root/../shared/native/setup-native.sh" ]]; then
    home="$(bash "$root/../shared/native/setup-native.sh" --home 2>/dev/null | tail -n 1)"
  fi
  if [[ -z "$home" && -z "${GRAALVM_HOME:-}" ]]; then
    # without a GraalVM home Quarkus falls back to a container build, which this machine cannot run
    echo "build.sh: no GraalVM: set GRAALVM_HOME_FOR_BUILD (or GRAALVM_HOME)" >&2; exit 1
  fi
  echo -Dnative ${home:+-Dquarkus.native.graalvm-home=$home}
  ((debug)) && echo -Dquarkus.native.debug.enabled=true
  return 0
}

for w in "${what[@]}"; do
  case "$w" in
    a-jvm)
      [[ -s "$here/dist/a-jvm.zip" && $force == 0 ]] && { echo "== dist/a-jvm.zip present" >&2; continue; }
      mvn_floor a
      cp "$here/a/target/function.zip" "$here/dist/a-jvm.zip" ;;
    a-vertx-jvm)
      [[ -s "$here/dist/a-vertx-jvm.zip" && $force == 0 ]] && { echo "== dist/a-vertx-jvm.zip present" >&2; continue; }
      mvn_floor a -Dfloor.vertx
      cp "$here/a/target/function.zip" "$here/dist/a-vertx-jvm.zip" ;;
    a|a2)
      [[ -x "$here/dist/$w-runner" && $force == 0 ]] && { echo "== dist/$w-runner present" >&2; continue; }
      args="$(native_args)" || exit 1
      # shellcheck disable=SC2086
      mvn_floor "$w" $args
      cp "$here/$w/target/"*-runner "$here/dist/$w-runner"
      if ((debug)); then
        dbg="$(ls "$here/$w/target/"*-runner.debug "$here/$w/target/"*-native-image-source-jar/*-runner.debug 2>/dev/null | head -1 || true)"
        [[ -n "$dbg" ]] && cp "$dbg" "$here/dist/$w-runner.debug"
      fi ;;
  esac
done
ls -l "$here/dist" >&2
