#!/usr/bin/env bash
# Builds the deployable zips that infra/template.yaml points at:
#   infra/dist/jvm/function.zip     (java21 runtime)        ./mvnw -B package -DskipTests
#   infra/dist/native/function.zip  (provided.al2023)       ./mvnw -B package -DskipTests -Dnative
#
# Usage: infra/build.sh [--jvm-only | --native-only] [extra Maven arguments...]
#   Extra arguments go to every Maven run, e.g.
#     infra/build.sh --native-only -Dquarkus.native.container-build=true    (recommended for Lambda:
#         links against a glibc no newer than Amazon Linux 2023's 2.34)
#     infra/build.sh -Dquarkus.native.graalvm-home=/path/to/graalvm
#
# The native executable has the architecture of the machine (or container) that built it: deploy
# it with the matching Architecture parameter (x86_64 or arm64); there is no cross-compilation.
# An executable made with a local test-only toolchain (dynamically linked against that
# toolchain's libraries) does not run on Lambda: use a container build or a real GraalVM/Mandrel.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
dist="$here/dist"

build_jvm=1
build_native=1
maven_args=()
for arg in "$@"; do
  case "$arg" in
    --jvm-only) build_native=0 ;;
    --native-only) build_jvm=0 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) maven_args+=("$arg") ;;
  esac
done
if [ "$build_jvm" = 0 ] && [ "$build_native" = 0 ]; then
  echo "build.sh: --jvm-only and --native-only exclude each other" >&2
  exit 2
fi

cd "$root"

# Both builds write target/function.zip; each copy is taken right after its own build.
package() { # <variant> [maven args]
  local variant="$1"; shift
  echo "== building $variant: ./mvnw -B package -DskipTests $* ${maven_args[*]}"
  rm -f target/function.zip
  ./mvnw -B package -DskipTests "$@" ${maven_args[@]+"${maven_args[@]}"}
  if [ ! -s target/function.zip ]; then
    echo "build.sh: target/function.zip was not produced by the $variant build" >&2
    exit 1
  fi
  mkdir -p "$dist/$variant"
  cp target/function.zip "$dist/$variant/function.zip"
  echo "== $dist/$variant/function.zip ($(wc -c < "$dist/$variant/function.zip") bytes)"
}

if [ "$build_jvm" = 1 ]; then
  package jvm
fi

if [ "$build_native" = 1 ]; then
  package native -Dnative
  # The custom runtime starts the file named "bootstrap"; report its architecture.
  python3 - "$dist/native/function.zip" <<'PY' || exit 1
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    if "bootstrap" not in z.namelist():
        sys.exit("build.sh: the native function.zip has no 'bootstrap' at its root")
    head = z.open("bootstrap").read(20)
machine = {0x3E: "x86_64", 0xB7: "arm64"}.get(int.from_bytes(head[18:20], "little"), "unknown")
if head[:4] == b"\x7fELF":
    print(f"== native bootstrap is an ELF executable for {machine}: deploy with Architecture={machine}")
else:
    print("== native bootstrap is a script (it starts the executable next to it)")
PY
fi
