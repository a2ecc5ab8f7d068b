"""Refuses a Lambda `bootstrap` that would die at init on provided.al2023.
Usage: elfcheck.py FILE ARCHITECTURE   (ARCHITECTURE: x86_64 | arm64). Prints one line per problem
and exits 1 if any; prints a one-line summary and exits 0 otherwise.
Checked: an ELF file at all; 64-bit little-endian; the machine matches ARCHITECTURE; no RPATH or
RUNPATH (a path into the build machine); every NEEDED library is part of glibc or zlib (what
Amazon Linux 2023's base image has); no GLIBC_ symbol version above 2.34 (AL2023's glibc)."""
import struct
import sys

MACHINES = {0x3E: "x86_64", 0xB7: "arm64"}
ALLOWED_LIBS = {"libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "libresolv.so.2",
                "libutil.so.1", "libz.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1"}
MAX_GLIBC = (2, 34)
DT_NEEDED, DT_RPATH, DT_RUNPATH = 1, 15, 29


def problems(data, architecture):
    if data[:4] != b"\x7fELF":
        return ["not an ELF executable (a script or another file): Lambda's provided.al2023 runs bootstrap directly"]
    if data[4] != 2 or data[5] != 1:
        return ["not a 64-bit little-endian ELF file"]
    found = []
    machine = MACHINES.get(struct.unpack_from("<H", data, 18)[0], "unknown")
    if machine != architecture:
        found.append(f"built for {machine}, but the Architecture being deployed is {architecture} (no cross-compilation)")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    sections = []
    for i in range(shnum):
        name, stype, _flags, _addr, offset, size, link, _info, _align, entsize = struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
        sections.append((name, stype, offset, size, link, entsize))

    def cstr(offset):
        return data[offset:data.index(b"\0", offset)].decode("utf-8", "replace")

    dynamic = [s for s in sections if s[1] == 6]  # SHT_DYNAMIC
    if not dynamic:
        return found  # statically linked: nothing to load
    _, _, offset, size, link, _ = dynamic[0]
    strtab = sections[link][2]
    for i in range(0, size, 16):
        tag, value = struct.unpack_from("<qQ", data, offset + i)
        if tag == 0:
            break
        if tag in (DT_RPATH, DT_RUNPATH):
            found.append(f"{'RPATH' if tag == DT_RPATH else 'RUNPATH'} {cstr(strtab + value)} points into the build machine")
        elif tag == DT_NEEDED and cstr(strtab + value) not in ALLOWED_LIBS:
            found.append(f"needs {cstr(strtab + value)}, which is neither glibc nor zlib (absent on Lambda)")
    versions = set()
    for _, stype, offset, size, link, _ in sections:
        if stype != 0x6FFFFFFE:  # SHT_GNU_verneed
            continue
        strtab = sections[link][2]
        pos = offset
        while True:
            _ver, cnt, _file, aux, nxt = struct.unpack_from("<HHIII", data, pos)
            apos = pos + aux
            for _ in range(cnt):
                _hash, _flags, _other, name, anext = struct.unpack_from("<IHHII", data, apos)
                versions.add(cstr(strtab + name))
                apos += anext
            if nxt == 0:
                break
            pos += nxt
    too_new = sorted(v for v in versions if v.startswith("GLIBC_") and tuple(int(x) for x in v[6:].split(".") if x.isdigit()) > MAX_GLIBC)
    if too_new:
        found.append(f"needs {', '.join(too_new)}, newer than Amazon Linux 2023's glibc 2.34 (build in a container)")
    return found


def main():
    path, architecture = sys.argv[1], sys.argv[2]
    with open(path, "rb") as f:
        data = f.read()
    found = problems(data, architecture)
    for p in found:
        print(f"build.sh: refusing {path}: {p}")
    if found:
        sys.exit(1)
    print(f"== {path}: ELF for {architecture}, no RPATH/RUNPATH, glibc/zlib only, GLIBC <= 2.34")


if __name__ == "__main__":
    main()
