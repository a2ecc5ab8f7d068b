#!/usr/bin/env bash
# Makes perf find the native executable's symbols: links target/*-runner.debug (written by
# ./mvnw package -Dnative -Dlambda -Dquarkus.native.debug.enabled=true) as
# /usr/lib/debug/.build-id/<first 2 hex of the build id>/<rest>.debug. Prints the build id.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
exe="$(ls "$root"/target/*-runner | head -1)"
dbg="$exe.debug"
[[ -f "$dbg" ]] || dbg="$(ls "$root"/target/*-native-image-source-jar/*-runner.debug 2>/dev/null | head -1)"
[[ -f "$dbg" ]] || { echo "link-debug.sh: no *-runner.debug (build with -Dquarkus.native.debug.enabled=true)" >&2; exit 1; }
id="$(readelf -n "$exe" | awk '/Build ID/ {print $3}')"
[[ -n "$id" ]] || { echo "link-debug.sh: $exe has no build id" >&2; exit 1; }
mkdir -p "/usr/lib/debug/.build-id/${id:0:2}"
ln -sf "$(readlink -f "$dbg")" "/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug"
echo "$id"
