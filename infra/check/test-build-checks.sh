#!/usr/bin/env bash
# Behaviour test of infra/build.sh's refusals: it is fed binaries and
# packages that must be refused, each for its own stated reason, and ones that must pass.
#   infra/check/test-build-checks.sh [NATIVE_EXECUTABLE_BUILT_BY_THE_TEST_TOOLCHAIN] [NATIVE_BUILD_RUNNER_JAR]
# Defaults: target/*-runner and target/*-runner.jar (with target/lib), i.e. what
# `./mvnw package -Dnative` leaves (the jar with lib/ beside it); those cases are skipped with a notice when absent (not in CI,
# where the native build runs first). Needs gcc for the synthetic ELF cases.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$root/infra/build.sh"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
native_exe="${1:-$(ls "$root"/target/*-runner 2>/dev/null | head -1 || true)}"
runner_jar="${2:-$(ls "$root"/target/*-runner.jar 2>/dev/null | head -1 || true)}"
host=x86_64; case "$(uname -m)" in aarch64|arm64) host=arm64 ;; esac
other=arm64; [ "$host" = arm64 ] && other=x86_64
failures=0 passed=0

refused() { # <label> <expected message part> <build.sh args...>
  local label="$1" want="$2"; shift 2
  if out="$("$build" "$@" 2>&1)"; then
    echo "FAIL $label: accepted"; echo "$out" | sed 's/^/    /'; failures=$((failures + 1))
  elif ! grep -qF -- "$want" <<<"$out"; then
    echo "FAIL $label: refused, but not for '$want':"; echo "$out" | sed 's/^/    /'; failures=$((failures + 1))
  else
    echo "ok   $label: $(grep -F -- "$want" <<<"$out" | head -1)"; passed=$((passed + 1))
  fi
}
accepted() { # <label> <build.sh args...>
  local label="$1"; shift
  if out="$("$build" "$@" 2>&1)"; then echo "ok   $label: $(tail -1 <<<"$out")"; passed=$((passed + 1))
  else echo "FAIL $label: refused:"; echo "$out" | sed 's/^/    /'; failures=$((failures + 1)); fi
}

# --- synthetic executables ----------------------------------------------------------------------
printf '#include <stdio.h>\nint main(void){puts("hi");return 0;}\n' > "$work/hello.c"
gcc -O1 -o "$work/plain" "$work/hello.c"
gcc -O1 -o "$work/rpath" "$work/hello.c" -Wl,-rpath,/root/.cache/somewhere/lib -Wl,--disable-new-dtags
gcc -O1 -o "$work/runpath" "$work/hello.c" -Wl,-rpath,/opt/toolchain/lib -Wl,--enable-new-dtags
printf '#include <stdlib.h>\n#include <stdio.h>\nint main(void){printf("%%u\\n", arc4random());return 0;}\n' > "$work/new.c"
gcc -O1 -o "$work/newglibc" "$work/new.c" 2>/dev/null || true
printf '#!/bin/sh\nexec ./runner\n' > "$work/script"
(cd "$work" && cp plain bootstrap && zip -q ok.zip bootstrap && cp script bootstrap && zip -q script.zip bootstrap && zip -q nobootstrap.zip hello.c)

accepted "plain glibc executable" --check-native "$work/plain" --architecture "$host"
accepted "package with a plain bootstrap" --check-native "$work/ok.zip" --architecture "$host"
refused "architecture mismatch" "but the Architecture being deployed is $other" --check-native "$work/plain" --architecture "$other"
refused "RPATH" "RPATH /root/.cache/somewhere/lib" --check-native "$work/rpath" --architecture "$host"
refused "RUNPATH" "RUNPATH /opt/toolchain/lib" --check-native "$work/runpath" --architecture "$host"
refused "non-ELF bootstrap (script)" "not an ELF executable" --check-native "$work/script.zip" --architecture "$host"
refused "package without bootstrap" "no 'bootstrap'" --check-native "$work/nobootstrap.zip" --architecture "$host"
refused "library outside glibc/zlib" "libselinux.so.1" --check-native /bin/ls --architecture "$host"
if [ -x "$work/newglibc" ]; then
  refused "GLIBC_ above 2.34" "GLIBC_2.36" --check-native "$work/newglibc" --architecture "$host"
else
  echo "note: this machine's glibc has no arc4random (older than 2.36): GLIBC case not built"
fi

# --- what this repository's test toolchain builds --------------------------------------------------
if [ -n "$native_exe" ] && [ -x "$native_exe" ]; then
  refused "the toolchain-built executable ($(basename "$native_exe"))" "points into the build machine" --check-native "$native_exe" --architecture "$host"
  refused "the toolchain-built executable needs the toolchain's libraries" "neither glibc nor zlib" --check-native "$native_exe" --architecture "$host"
else
  echo "skip toolchain executable: no target/*-runner (build with ./mvnw package -Dnative)"
fi

# --- JVM packages (item 14) ---------------------------------------------------------------------------
if [ -n "$runner_jar" ] && [ -d "$(dirname "$runner_jar")/lib" ]; then
  (cd "$(dirname "$runner_jar")" && zip -q -r "$work/native-build-jar.zip" "$(basename "$runner_jar")" lib)
  refused "JVM package from a native build's runner jar" "native-only Lambda poll loop" --check-jvm "$work/native-build-jar.zip"
else
  echo "skip native-build runner jar: no target/*-runner.jar + target/lib"
fi
mkdir -p "$work/local-http/lib"
: > "$work/local-http/lib/io.quarkus.quarkus-core-3.33.2.jar"
: > "$work/local-http/lib/io.quarkus.quarkus-rest-3.33.2.jar"
(cd "$work/local-http" && zip -q -r "$work/local-http.zip" lib)
refused "JVM package with the local HTTP server (built without -Dlambda)" "carries the local HTTP server" --check-jvm "$work/local-http.zip"
if [ -f "$root/infra/dist/jvm.zip" ]; then
  accepted "the JVM artefact infra/dist/jvm.zip" --check-jvm "$root/infra/dist/jvm.zip"
else
  echo "skip JVM artefact: no infra/dist/jvm.zip (infra/build.sh --jvm-only)"
fi

echo "$passed passed, $failures failed"
[ "$failures" = 0 ]
