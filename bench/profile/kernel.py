#!/usr/bin/env python3
"""Kernel share of a perf profile by entry: page faults (and TLB-shootdown IPIs inside them), syscalls by name.
  perf script -i perf.data -F comm,tid,period,ip,sym,dso | python3 bench/profile/kernel.py"""
import collections
import re
import sys

tot, c = 0, collections.Counter()


def flush(b):
    global tot
    if not b:
        return
    tot += 1
    k = [f for f in b[1:] if "kernel" in f]
    if not k:
        c["user mode"] += 1
        return
    s = " ".join(k)
    if "exc_page_fault" in s:
        c["kernel: page fault" + (" (of which waiting on TLB-shootdown IPIs)" if "smp_call_function_many_cond" in s else "")] += 1
    elif "do_syscall_64" in s:
        m = re.findall(r"__(?:x64|do)_sys_(\w+)", s)
        if m:
            c["kernel: syscall " + m[-1]] += 1
        else:  # inlined syscall entry: name it by what do_syscall_64 called
            ks = [f.split()[1] for f in k if len(f.split()) > 1]
            i = ks.index("do_syscall_64") if "do_syscall_64" in ks else 0
            callee = ks[i - 1] if i > 0 else "?"
            names = {"exit_to_user_mode_loop": "return from a syscall: reschedule (context switch), rseq",
                     "do_writev": "writev", "ksys_read": "read", "ksys_write": "write", "vm_mmap_pgoff": "mmap",
                     "__raw_callee_save_pvm_irq_enable": "syscall entry/exit (paravirt irq enable)"}
            c["kernel: syscall " + names.get(callee, callee)] += 1
    else:
        c["kernel: other (" + k[-1].split()[1] + ")"] += 1


blk = []
for line in sys.stdin:
    if not line.strip():
        flush(blk)
        blk = []
    else:
        blk.append(line.strip())
flush(blk)
print("| where | share of samples |\n|---|---:|")
for k, v in c.most_common(15):
    print(f"| {k} | {100.0 * v / tot:.1f} % |")
