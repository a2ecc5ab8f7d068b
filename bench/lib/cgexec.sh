#!/bin/sh
# Joins the cgroups whose cgroup.procs files are listed in $BENCH_CGROUP_PROCS, then execs the command.
# Used instead of a Python preexec_fn so that the harness spawns with vfork and the function's CPU counts
# no fork-side Python work (dash costs ~1 ms of CPU before the exec).
for f in $BENCH_CGROUP_PROCS; do echo $$ > "$f" || exit 125; done
unset BENCH_CGROUP_PROCS
exec "$@"
