#!/usr/bin/env python3
"""
Summarise a perf profile of the function (perf record -g, one process).

Native-image code keeps no frame pointers and perf could not unwind it with DWARF either (tried
--call-graph dwarf: stacks still end at the first Java frame), so callers are not known. Each sample
is therefore attributed to its *owner*: the leaf-most frame that is not kernel code (the Java or libc
frame that was running, or that entered the kernel: a page fault, a syscall). Reported: the kernel
share, the owner share per category (by package), and the top owner frames and top self frames.

  perf script -i perf.data -F comm,tid,period,ip,sym,dso | python3 bench/profile/categorize.py [--top 25]
"""
import re
import sys
from collections import Counter

CATEGORIES = [  # (name, regex over the owner frame "symbol (dso)"); the first match wins
    ("thread hand-offs: futex wait/wake, condition signal, park/unpark (libc + SVM parker)",
     r"futex|pthread_cond|lll_lock|pthread_mutex|condvar|PosixParker|parkCurrent|LockSupport"),
    ("socket / pipe / log I/O syscalls (read, write, writev, epoll)", r"^(__GI___)?(read|write|writev|__libc_write|libc_write|epoll_wait|sendto|recvfrom|poll|__poll)\b|__GI___writev|__GI___libc_write|epoll"),
    ("thread creation, mmap (clone3, pthread_create, mmap)", r"clone3|pthread_create|__mmap|alloc_new_heap|mprotect|munmap"),
    ("GC: object copying, scavenging (genscavenge, UnmanagedMemoryUtil copy)", r"genscavenge|UnmanagedMemoryUtil|GarbageCollect|HeapImpl"),
    ("Ramen HTTP client: JDK HttpClient (jdk.internal.net.http, java.net.http)", r"jdk\.internal\.net\.http|java\.net\.http"),
    ("Vert.x / Netty", r"io\.vertx|io\.netty"),
    ("NIO, sockets, selectors (sun.nio, java.nio)", r"sun\.nio|java\.nio|java\.net\.|sun\.net"),
    ("logging (jboss-logmanager, JBoss Logging, JUL)", r"org\.jboss\.logmanager|org\.jboss\.logging|java\.util\.logging|io\.quarkus\.bootstrap\.logging"),
    ("JSON (Jackson)", r"com\.fasterxml\.jackson"),
    ("our code (io.segmentramen.*)", r"io\.segmentramen"),
    ("configuration (SmallRye Config, Quarkus config)", r"io\.smallrye\.config|io\.quarkus\.runtime\.configuration|org\.eclipse\.microprofile\.config"),
    ("Quarkus / ArC / Lambda runtime start-up", r"io\.quarkus|io\.smallrye|org\.jboss\.resteasy|_ClassInit|clinit"),
    ("reflection, method handles, metadata", r"java\.lang\.reflect|java\.lang\.Class::|java\.lang\.invoke|MethodHandle|RuntimeMetadataDecoder|Reflection"),
    ("TLS / crypto (sun.security, javax.crypto)", r"sun\.security|javax\.crypto|com\.sun\.crypto"),
    ("java.util.concurrent: CompletableFuture, executors, queues, locks; monitors", r"java\.util\.concurrent|monitor|Monitor|Thread"),
    ("allocation slow paths", r"ThreadLocalAllocation|Allocat"),
    ("other SubstrateVM runtime (com.oracle.svm)", r"com\.oracle\.svm"),
    ("JDK strings, collections, streams (java.lang/java.util)", r"java\.lang\.|java\.util\.|jdk\.internal"),
    ("libc / ld.so (thread creation, malloc, syscalls wrappers)", r"libc\.so|ld-linux|libpthread|libz"),
]
compiled = [(n, re.compile(p)) for n, p in CATEGORIES]
KERNEL = re.compile(r"\[kernel\.kallsyms\]|\[kernel\]")


def samples(lines):
    head, frames = None, []
    for line in lines:
        if not line.strip():
            if head is not None:
                yield head, frames
            head, frames = None, []
        elif not line.startswith((" ", "\t")):
            head, frames = line.strip(), []
        else:
            frames.append(re.sub(r"\+0x[0-9a-f]+", "", re.sub(r"^[0-9a-f]+\s+", "", line.strip())))
    if head is not None:
        yield head, frames


def main():
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 25
    total = kernel = 0
    self_c, owner_c, cat_c, cat_k = Counter(), Counter(), Counter(), Counter()
    for head, frames in samples(sys.stdin):
        m = re.search(r"\s(\d+)\s*$", head)
        w = int(m.group(1)) if m else 1
        total += w
        if not frames:
            continue
        self_c[frames[0]] += w
        in_kernel = bool(KERNEL.search(frames[0]))
        kernel += w if in_kernel else 0
        owner = next((f for f in frames if not KERNEL.search(f)), "(kernel only: no user frame)")
        owner_c[owner] += w
        name = next((n for n, rx in compiled if rx.search(owner)), "other / unknown")
        cat_c[name] += w
        if in_kernel:
            cat_k[name] += w
    if not total:
        sys.exit("no samples")
    print(f"samples: {total / 1e6:.1f} ms of CPU (sum of periods); in the kernel: {100.0 * kernel / total:.1f} %")
    print("\n| owner category (leaf-most non-kernel frame) | share of CPU | of which in the kernel |\n|---|---:|---:|")
    for name, c in cat_c.most_common():
        print(f"| {name} | {100.0 * c / total:.1f} % | {100.0 * cat_k[name] / total:.1f} % |")
    print(f"\n| top owner frames | share |\n|---|---:|")
    for sym, c in owner_c.most_common(top):
        print(f"| `{sym[:140]}` | {100.0 * c / total:.1f} % |")
    print(f"\n| top self frames | share |\n|---|---:|")
    for sym, c in self_c.most_common(top // 2):
        print(f"| `{sym[:140]}` | {100.0 * c / total:.1f} % |")


if __name__ == "__main__":
    main()
