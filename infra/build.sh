#!/usr/bin/env bash
# Builds what infra/template.yaml deploys, checked before anything is deployed:
#   infra/dist/function/  the function's CodeUri: the variant built last, `bootstrap` (native:
#                         ./mvnw -B package -DskipTests -Dlambda -Dnative) or jar + lib/ (jvm: ./mvnw -B package -DskipTests -Dlambda;
#                         -Dlambda leaves out the local HTTP server, which only quarkus:dev, tests and java -jar use)
#   infra/dist/function.variant                 "<variant> <architecture>" of what infra/dist/function/ holds:
#                                               deploy with FunctionVariant and Architecture set to these
#   infra/dist/native.zip, infra/dist/jvm.zip   the packages as Maven made them (the local emulation runs these)
#   infra/dist/native.architecture              the architecture to deploy the native variant with
#   infra/dist/release/segment-ramen-destination-<pom version>-<variant>[-<arch>].zip (+ .sha256)
#
# Usage: infra/build.sh [--jvm-only | --native-only] [--architecture x86_64|arm64] [extra Maven arguments...]
#        infra/build.sh --check-native FILE|ZIP [--architecture A]   only the bootstrap checks below
#        infra/build.sh --check-jvm ZIP                               only the JVM package check below
#   --architecture  the Lambda Architecture the native variant will be deployed with (default: this
#                   machine's); the executable must match it: there is no cross-compilation.
#   Extra arguments go to every Maven run, e.g.
#     infra/build.sh --native-only -Dquarkus.native.container-build=true    (recommended for Lambda:
#         links against a glibc no newer than Amazon Linux 2023's 2.34)
#     infra/build.sh -Dquarkus.native.graalvm-home=/path/to/graalvm
#
# Refused (exit 1, nothing copied to dist/):
#   native: a bootstrap that is not an ELF executable, was built for another architecture, carries an
#     RPATH/RUNPATH, needs a library outside glibc/zlib, or a GLIBC_ symbol version above 2.34 — such
#     as an executable made with a local test-only toolchain (dynamically linked against
#     libjava.so/libnet.so of a local cache): it passes `file` and dies at Lambda init;
#   jvm: a package whose Quarkus application records the native-only Lambda poll loop (the runner jar
#     that a native build leaves in target/): as a java21 Lambda it starts a second loop that posts
#     /runtime/init/error after /next.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
dist="$here/dist"

case "$(uname -m)" in aarch64|arm64) architecture=arm64 ;; *) architecture=x86_64 ;; esac
build_jvm=1 build_native=1 check_native="" check_jvm=""
maven_args=()
while (($#)); do
  case "$1" in
    --jvm-only) build_native=0 ;;
    --native-only) build_jvm=0 ;;
    --architecture) architecture="$2"; shift ;;
    --architecture=*) architecture="${1#*=}" ;;
    --check-native) check_native="$2"; shift ;;
    --check-jvm) check_jvm="$2"; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) maven_args+=("$1") ;;
  esac
  shift
done
case "$architecture" in x86_64|arm64) ;; *) echo "build.sh: --architecture must be x86_64 or arm64" >&2; exit 2 ;; esac
if [ "$build_jvm" = 0 ] && [ "$build_native" = 0 ]; then
  echo "build.sh: --jvm-only and --native-only exclude each other" >&2
  exit 2
fi

# --- checks ------------------------------------------------------------------------------------
check_bootstrap() { # <bootstrap file or function.zip>
  local file="$1" tmp
  if unzip -tq "$file" >/dev/null 2>&1; then
    tmp="$(mktemp -d)"
    if ! unzip -q -o "$file" bootstrap -d "$tmp" 2>/dev/null; then
      echo "build.sh: refusing $file: no 'bootstrap' at the root of the package" >&2; rm -rf "$tmp"; return 1
    fi
    bash "$here/check/elfcheck.sh" "$tmp/bootstrap" "$architecture" >&2 || { rm -rf "$tmp"; return 1; }
    rm -rf "$tmp"
  else
    bash "$here/check/elfcheck.sh" "$file" "$architecture" >&2
  fi
}

check_jvm_package() { # <function.zip>
  python3 "$here/check/jvm_package.py" "$1"
}

if [ -n "$check_native" ]; then check_bootstrap "$check_native"; exit $?; fi
if [ -n "$check_jvm" ]; then check_jvm_package "$check_jvm"; exit $?; fi

cd "$root"
version="$(python3 -c 'import xml.etree.ElementTree as E; print(E.parse("pom.xml").getroot().findtext("{http://maven.apache.org/POM/4.0.0}version"))')"

# The CodeUri directory: emptied except for the Makefile that `sam build` runs there.
unpack() { # <variant> <zip> <architecture>
  local dir="$dist/function"
  mkdir -p "$dir"
  find "$dir" -mindepth 1 -maxdepth 1 ! -name Makefile -exec rm -rf {} +
  (cd "$dir" && unzip -q -o "$2")
  echo "$1 $3" > "$dist/function.variant"
  echo "== infra/dist/function/ holds the $1 variant: deploy with FunctionVariant=$1 Architecture=$3"
}

# Both builds write target/function.zip; each is checked and copied right after its own build.
package() { # <variant> [maven args]
  local variant="$1"; shift
  echo "== building $variant: ./mvnw -B package -DskipTests -Dlambda $* ${maven_args[*]}"
  rm -f target/function.zip
  ./mvnw -B package -DskipTests -Dlambda "$@" ${maven_args[@]+"${maven_args[@]}"}
  if [ ! -s target/function.zip ]; then
    echo "build.sh: target/function.zip was not produced by the $variant build" >&2
    exit 1
  fi
}

release() { # <variant> <name suffix>
  mkdir -p "$dist/release"
  local out="$dist/release/segment-ramen-destination-$version-$2.zip"
  cp "$dist/$1.zip" "$out"
  (cd "$dist/release" && sha256sum "$(basename "$out")" > "$(basename "$out").sha256")
  echo "== $out"
}

if [ "$build_jvm" = 1 ]; then
  # A clean target/: a runner jar left by an earlier native build must not be packaged.
  rm -rf target/quarkus-app target/*-runner.jar target/lib
  package jvm
  check_jvm_package target/function.zip
  mkdir -p "$dist"; cp target/function.zip "$dist/jvm.zip"
  unpack jvm "$dist/jvm.zip" "$architecture"
  release jvm jvm
fi

if [ "$build_native" = 1 ]; then
  package native -Dnative
  check_bootstrap target/function.zip
  mkdir -p "$dist"; cp target/function.zip "$dist/native.zip"
  unpack native "$dist/native.zip" "$architecture"
  echo "$architecture" > "$dist/native.architecture"
  release native "native-$architecture"
fi
