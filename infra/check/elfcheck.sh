#!/usr/bin/env bash
# elfcheck.sh FILE ARCHITECTURE (x86_64 | arm64): refuses a Lambda `bootstrap` that would die at init on
# provided.al2023, read with binutils' readelf. Checked: an ELF file at all; 64-bit little-endian; the
# machine matches ARCHITECTURE; no RPATH or RUNPATH (a path into the build machine); every NEEDED library
# is part of glibc or zlib (what Amazon Linux 2023's base image has); no GLIBC_ version above 2.34
# (AL2023's glibc). Prints one line per problem and exits 1 if any; a one-line summary otherwise.
set -uo pipefail
file="$1" architecture="$2"
allowed=" libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libresolv.so.2 libutil.so.1 libz.so.1 ld-linux-x86-64.so.2 ld-linux-aarch64.so.1 "
command -v readelf >/dev/null || { echo "build.sh: readelf (binutils) is needed to check $file"; exit 1; }
found=0
refuse() { echo "build.sh: refusing $file: $1"; found=1; }

header="$(LC_ALL=C readelf -h "$file" 2>/dev/null)" \
  || { refuse "not an ELF executable (a script or another file): Lambda's provided.al2023 runs bootstrap directly"; exit 1; }
if ! grep -q 'Class: *ELF64' <<<"$header" || ! grep -q 'little endian' <<<"$header"; then
  refuse "not a 64-bit little-endian ELF file"; exit 1
fi
case "$(sed -n 's/^ *Machine: *//p' <<<"$header")" in
  *X86-64*) machine=x86_64 ;; *AArch64*) machine=arm64 ;; *) machine=unknown ;;
esac
[ "$machine" = "$architecture" ] || refuse "built for $machine, but the Architecture being deployed is $architecture (no cross-compilation)"

dynamic="$(LC_ALL=C readelf -d "$file" 2>/dev/null)"
while read -r kind path; do
  refuse "$kind $path points into the build machine"
done < <(sed -n 's/.*(\(RPATH\|RUNPATH\)).*\[\(.*\)\]$/\1 \2/p' <<<"$dynamic")
while read -r lib; do
  case "$allowed" in *" $lib "*) ;; *) refuse "needs $lib, which is neither glibc nor zlib (absent on Lambda)" ;; esac
done < <(sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p' <<<"$dynamic")
too_new="$(LC_ALL=C readelf -V "$file" 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' | sort -u -V \
  | awk -F'[_.]' '$2 > 2 || ($2 == 2 && $3 > 34)' | paste -sd, - | sed 's/,/, /g')"
[ -z "$too_new" ] || refuse "needs $too_new, newer than Amazon Linux 2023's glibc 2.34 (build in a container)"

[ "$found" = 0 ] || exit 1
echo "== $file: ELF for $architecture, no RPATH/RUNPATH, glibc/zlib only, GLIBC <= 2.34"
