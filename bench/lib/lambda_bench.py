#!/usr/bin/env python3
"""
Cold-start and CPU-per-event benchmarks of the packaged function behind a light Lambda Runtime API
stand-in (bench/README.md §1 and §2). Python 3.9+, standard library only; Linux (reads /proc, writes cgroup v1/v2).

Why Python and one process: the stand-in must stay out of the function's way. It is started and
warmed once, before the first measured start; while the function starts it is blocked in accept()/
read() and costs no CPU, until the function's first GET /next. Its own CPU (and the fake Ramen's)
during each start is measured and printed as a check.

  lambda_bench.py coldstart --variant native|jvm ... [--runs 10] [--quota 15] [--events 1]
  lambda_bench.py cpu --variant native|jvm [--batches 10] [--batch-size 500] [--quota 15]
  lambda_bench.py deadline --variant native|jvm --shape sqs|http --lambda-timeout-ms N [--runs 20] [--quota 15]

Both need --ramen URL (a fake Ramen already running and warm, bench/FakeRamen.java --track-ids).
Measured per start (coldstart):
  first_ms   wall time from just before the process is spawned (fork+exec) to the moment its first
             invocation response has been read by the stand-in
  cpu_ms     the function's own CPU at that moment: sum over /proc/<pid>/task/*/schedstat field 1
             (ns, user+sys, all threads, also threads that already ended are NOT included - see README)
  init_ms / init_cpu_ms   the same at its first GET /next (end of initialisation)
  api_cpu_ms the stand-in's own CPU (this process, all threads) from spawn to first response
  ramen_cpu_ms  the fake Ramen's CPU in the same interval
Measured (cpu): the function's CPU (schedstat) before the first batch and after the last, µs per
delivered event, wall time per batch, peak RSS (VmHWM) after each batch; every messageId must reach
the fake Ramen exactly once and every report must count every event as delivered.
"""
import argparse
import json
import os
import queue
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PREFIX = "/2018-06-01/runtime/"


# ---------------------------------------------------------------------------------------------- /proc
def task_cpu_ns(pid):
    """Sum of schedstat's first field (time on CPU, ns) over the live threads of pid."""
    total = 0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return None
    for t in tasks:
        try:
            with open(f"/proc/{pid}/task/{t}/schedstat") as f:
                total += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return total


def proc_cpu_ns(pid):
    """user+sys of pid including ended threads (utime+stime of /proc/pid/stat, 10 ms ticks)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1e9 / os.sysconf("SC_CLK_TCK")
    except OSError:
        return None


def minor_faults(pid):
    """Minor page faults of the whole process so far (/proc/pid/stat minflt: all threads, ended ones too)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[7])
    except (OSError, ValueError, IndexError):
        return None


def vm_kib(pid, key="VmHWM"):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def threads(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/task"))
    except OSError:
        return None


# ------------------------------------------------------------------------------------- Runtime API
class Invocation:
    def __init__(self, body, timeout_ms=60000):
        self.id = str(uuid.uuid4())
        self.body = body
        self.timeout_ms = timeout_ms
        self.done = threading.Event()
        self.response = None
        self.error = False
        self.t_handed = None
        self.t_done = None
        self.cpu_done = None
        self.acct_done = None
        self.minflt_done = None
        self.hwm_done = None


class Run:
    """One function process's view of the stand-in."""

    def __init__(self):
        self.pid = None
        self.queue = queue.Queue()
        self.by_id = {}
        self.t_first_next = None
        self.cpu_first_next = None
        self.acct_first_next = None
        self.acct0 = None
        self.init_error = None
        self.measure_start = False  # coldstart: also read minor faults and VmHWM at each response
        self.first_next = threading.Event()
        self.lock = threading.Lock()

    def submit(self, body, timeout_ms=60000):
        inv = Invocation(body, timeout_ms)
        self.by_id[inv.id] = inv
        self.queue.put(inv)
        return inv


class RuntimeApi(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, port):
        super().__init__(("127.0.0.1", port), Handler)
        self.run = None
        self.acct = None

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):  # a killed function's socket
            super().handle_error(request, client_address)

    def get_request(self):
        sock, addr = super().get_request()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock, addr


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", headers=None):
        # one write: header and body in the same segment (no Nagle / delayed-ACK stall)
        lines = [f"HTTP/1.1 {status} {'OK' if status < 300 else 'Error'}", f"Content-Length: {len(body)}",
                 "Content-Type: application/json"]
        for k, v in (headers or {}).items():
            lines.append(f"{k}: {v}")
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            out = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(out)
                out += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        run = self.server.run
        if self.path == "/__ping":
            return self.reply(200, b"{}")
        if run is None or not self.path.startswith(PREFIX + "invocation/next"):
            return self.reply(404, b"{}")
        if run.t_first_next is None:
            with run.lock:
                if run.t_first_next is None:
                    run.t_first_next = time.monotonic_ns()
                    run.cpu_first_next = task_cpu_ns(run.pid) if run.pid else None
                    acct = self.server.acct.usage() if self.server.acct else None
                    run.acct_first_next = acct - run.acct0 if acct is not None and run.acct0 is not None else None
                    run.first_next.set()
        inv = run.queue.get()
        if inv is None:  # the run is over
            self.close_connection = True
            return
        inv.t_handed = time.monotonic_ns()
        deadline = int(time.time() * 1000) + inv.timeout_ms
        self.reply(200, inv.body, {
            "Lambda-Runtime-Aws-Request-Id": inv.id,
            "Lambda-Runtime-Deadline-Ms": str(deadline),
            "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:us-east-1:000000000000:function:bench",
            "Lambda-Runtime-Trace-Id": "Root=1-00000000-000000000000000000000000;Sampled=0",
        })

    def do_POST(self):
        body = self.read_body()
        now = time.monotonic_ns()
        run = self.server.run
        if self.path == "/__ping":
            return self.reply(200, b"{}")
        if run is None:
            return self.reply(404, b"{}")
        cpu = task_cpu_ns(run.pid) if run.pid else None
        acct = self.server.acct.usage() if self.server.acct else None
        m = re.match(PREFIX + r"invocation/([^/]+)/(response|error)$", self.path)
        if m and m.group(1) in run.by_id:
            inv = run.by_id[m.group(1)]
            inv.t_done, inv.cpu_done = now, cpu
            if run.measure_start and inv.minflt_done is None:
                inv.minflt_done, inv.hwm_done = minor_faults(run.pid), vm_kib(run.pid)
            inv.acct_done = acct - run.acct0 if acct is not None and run.acct0 is not None else None
            inv.response, inv.error = body, m.group(2) == "error"
            self.reply(202, b'{"status":"OK"}')
            inv.done.set()
            return
        if self.path == PREFIX + "init/error":
            run.init_error = body.decode("utf-8", "replace")[:500]
            self.reply(202, b'{"status":"OK"}')
            run.first_next.set()
            return
        self.reply(404, b"{}")


# ------------------------------------------------------------------------------------------ helpers
def http_json(url, data=None):
    req = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read() or b"{}")


class Quota:
    """A cgroup with a CPU quota (v1 cpu.cfs_quota_us, else v2 cpu.max); the function joins it before exec."""

    def __init__(self, pct, period_us=100000):
        self.pct, self.period = pct, period_us
        name = f"bench-{os.getpid()}-{pct}"
        v1 = "/sys/fs/cgroup/cpu"
        if os.path.isdir(v1) and os.access(v1, os.W_OK):
            self.path = f"{v1}/{name}"
            os.makedirs(self.path, exist_ok=True)
            open(f"{self.path}/cpu.cfs_period_us", "w").write(str(period_us))
            open(f"{self.path}/cpu.cfs_quota_us", "w").write(str(pct * period_us // 100))
            self.how = f"cgroup v1 {self.path}: cpu.cfs_quota_us={pct * period_us // 100} per cpu.cfs_period_us={period_us}"
        else:
            self.path = f"/sys/fs/cgroup/{name}"
            os.makedirs(self.path, exist_ok=True)
            open(f"{self.path}/cpu.max", "w").write(f"{pct * period_us // 100} {period_us}")
            self.how = f"cgroup v2 {self.path}: cpu.max={pct * period_us // 100} {period_us}"
        self.procs = f"{self.path}/cgroup.procs"

    def join(self):  # runs in the child between fork and exec
        with open(self.procs, "w") as f:
            f.write(str(os.getpid()))

    def throttled(self):
        try:
            stat = dict(line.split() for line in open(f"{self.path}/cpu.stat"))
            return int(stat.get("nr_throttled", 0)), int(stat.get("nr_periods", 0))
        except OSError:
            return None

    def remove(self):
        try:
            os.rmdir(self.path)
        except OSError:
            pass


class Acct:
    """A cpuacct cgroup (v1) the function joins before exec: cpuacct.usage counts, in ns, the CPU of every
    thread that ran in it, also threads that have ended (schedstat of live threads does not)."""

    def __init__(self):
        base = "/sys/fs/cgroup/cpuacct"
        self.path = None
        if os.path.isdir(base) and os.access(base, os.W_OK):
            self.path = f"{base}/bench-acct-{os.getpid()}"
            os.makedirs(self.path, exist_ok=True)

    def join(self):
        if self.path:
            with open(f"{self.path}/cgroup.procs", "w") as f:
                f.write(str(os.getpid()))

    def usage(self):
        if not self.path:
            return None
        try:
            return int(open(f"{self.path}/cpuacct.usage").read())
        except OSError:
            return None

    def remove(self):
        if self.path:
            try:
                os.rmdir(self.path)
            except OSError:
                pass


# The floors (bench/floor/build.sh): what each product variant is divided by.
FLOORS = {"floor-a": "a-runner", "floor-a2": "a2-runner", "floor-event": "a2-runner"}
VARIANTS = ["native", "native-alt", "jvm", "floor-a", "floor-a2", "floor-jvm", "floor-jvm-vertx", "floor-event"]
FLOOR_NAMES = {"floor-a": "A (minimal Lambda)", "floor-a2": "A2 (A + rest, rest-jackson, vertx)",
               "floor-jvm": "JVM floor (A under the runtime interface client)",
               "floor-jvm-vertx": "A + vertx, jackson under the runtime interface client (no goal)",
               "floor-event": "per-event floor"}


def variant_command(variant, root, java, ric, floor_bodies=None):
    """(argv, cwd, extra env) of the function process as Lambda starts it."""
    target = os.path.join(root, "target")
    native_env = {"DISABLE_SIGNAL_HANDLERS": "true", "_HANDLER": "not.used.in.provided.runtime"}
    if variant in FLOORS:
        exe = os.path.join(root, "bench", "floor", "dist", FLOORS[variant])
        if not os.access(exe, os.X_OK):
            sys.exit(f"lambda_bench: no {exe} (bench/floor/build.sh)")
        extra = dict(native_env)
        if variant == "floor-event":
            extra["FLOOR_BODIES"] = floor_bodies or ""
        return [exe] + os.environ.get("BENCH_NATIVE_ARGS", "").split(), os.path.dirname(exe), extra
    if variant in ("native", "native-alt"):
        runners = [os.path.join(target, f) for f in os.listdir(target) if f.endswith("-runner")]
        runners = [r for r in runners if os.access(r, os.X_OK)]
        if not runners and not os.environ.get("BENCH_NATIVE_EXE"):
            sys.exit("lambda_bench: no native executable target/*-runner (./mvnw package -Dnative -Dlambda)")
        # BENCH_NATIVE_ARGS: run-time options for an experiment (e.g. "-Xmn32m"); Lambda's bootstrap passes none
        # native-alt: the same executable with BENCH_ALT_ENV ("NAME=value NAME2=value2") added: an A/B of
        # run-time settings within one run (bench/coldstart/run.sh --builds native,native-alt)
        # BENCH_ALT_EXE: native-alt runs that executable instead (an A/B of two builds within one run)
        alt = dict(kv.split("=", 1) for kv in os.environ.get("BENCH_ALT_ENV", "").split()) if variant == "native-alt" else {}
        # BENCH_NATIVE_EXE: native runs that executable instead of target/'s (two saved builds A/B'd in one run)
        exe = os.environ.get("BENCH_ALT_EXE") if variant == "native-alt" and os.environ.get("BENCH_ALT_EXE") \
            else os.environ.get("BENCH_NATIVE_EXE") or runners[0]
        return [exe] + os.environ.get("BENCH_NATIVE_ARGS", "").split(), target, {**native_env, **alt}
    if variant in ("jvm", "floor-jvm", "floor-jvm-vertx"):
        task = os.path.join(target, {"jvm": "bench-task-jvm", "floor-jvm": "bench-task-floor-jvm",
                                     "floor-jvm-vertx": "bench-task-floor-jvm-vertx"}[variant])
        handler = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"
        # Lambda's java17/java21 defaults (TieredStopAtLevel=1, SerialGC), code loaded from the task root
        argv = [java, "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", os.path.join(ric, "*"), "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", handler]
        return argv, task, {"_HANDLER": handler}
    sys.exit(f"lambda_bench: unknown variant {variant}")


def function_env(port, cwd, extra, ramen):
    env = dict(os.environ)
    env.update({
        "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{port}",
        "AWS_LAMBDA_FUNCTION_NAME": "bench", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST", "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1",
        "LAMBDA_TASK_ROOT": cwd, "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/bench", "AWS_LAMBDA_LOG_STREAM_NAME": "bench", "TZ": ":UTC",
        "RAMEN_BASE_URL": ramen,
        "RAMEN_ORGANIZATION_ID": os.environ.get("RAMEN_ORGANIZATION_ID", "bench-org"),
        "SEGMENT_AUTH": os.environ.get("SEGMENT_AUTH", "none"),
        # a busy build machine must not turn a slow first batch into deadline_exceeded failures
        "RAMEN_DEADLINE": os.environ.get("RAMEN_DEADLINE", "60s"),
        # as infra/template.yaml deploys it
        "QUARKUS_HTTP_HOST_ENABLED": "false",
    })
    env.update(extra)
    return env


def apigw_event(body, seq):
    now = int(time.time() * 1000)
    return json.dumps({
        "version": "2.0", "routeKey": "POST /events", "rawPath": "/events", "rawQueryString": "",
        "headers": {"content-type": "application/json", "user-agent": "Segment.io/1.0"},
        "requestContext": {"accountId": "123456789012", "apiId": "bench", "domainName": "bench.example.com",
                           "http": {"method": "POST", "path": "/events", "protocol": "HTTP/1.1",
                                    "sourceIp": "54.0.0.1", "userAgent": "Segment.io/1.0"},
                           "requestId": f"bench-{seq}", "routeKey": "POST /events", "stage": "$default",
                           "timeEpoch": now},
        "body": body, "isBase64Encoded": False,
    }).encode()


def batch_body(tag, size, visitors):
    """size events: one in three an identify with 4 traits, the rest tracks; `visitors` users (chains)."""
    out = []
    for e in range(size):
        user = f"{tag}-u{e % visitors}"
        mid = f"{tag}-{e}"
        if e % 3 == 0:
            out.append({"type": "identify", "messageId": mid, "userId": user, "timestamp": "2026-01-01T00:00:00.000Z",
                        "traits": {"email": f"{user}@example.com", "name": "Bench User", "plan": "pro",
                                   "created_at": "2024-06-01T12:00:00Z"}})
        else:
            out.append({"type": "track", "messageId": mid, "userId": user, "event": "Report Exported",
                        "timestamp": "2026-01-01T00:00:00.000Z", "properties": {"rows": 12}})
    return json.dumps(out, separators=(",", ":"))


COUNTS = re.compile(rb'\\?"(delivered|skipped|rejected|failed)\\?":(\d+)')


def report_counts(response):
    c = {}
    for k, v in COUNTS.findall(response):
        c.setdefault(k.decode(), int(v))  # the first occurrence is the report's total
    return c


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else float("nan")


def fmt_range(xs, nd=1):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "-"
    return f"{med(xs):.{nd}f} ({min(xs):.{nd}f}–{max(xs):.{nd}f})"


class Bench:
    def __init__(self, args):
        self.args = args
        self.api = RuntimeApi(args.port)
        threading.Thread(target=self.api.serve_forever, daemon=True).start()
        # warm the stand-in once: its handler code paths, imports, thread start
        for _ in range(20):
            http_json(f"http://127.0.0.1:{args.port}/__ping")
            http_json(f"http://127.0.0.1:{args.port}/__ping", b"{}")
        self.quotas = {}
        self.acct = Acct()
        self.api.acct = self.acct
        self.ramen_pid = args.ramen_pid
        self.ramen_cg = args.ramen_cgroup

    def ramen_cpu(self):
        if self.ramen_cg:
            try:
                return int(open(f"{self.ramen_cg}/cpuacct.usage").read())
            except OSError:
                pass
        return task_cpu_ns(self.ramen_pid) if self.ramen_pid else None

    def quota(self, pct):
        if pct and pct not in self.quotas:
            self.quotas[pct] = Quota(pct)
        return self.quotas.get(pct)

    def close(self):
        for q in self.quotas.values():
            q.remove()
        self.acct.remove()

    def spawn(self, variant, pct, log, perf=None):
        argv, cwd, extra = variant_command(variant, self.args.root, self.args.java, self.args.ric,
                                           getattr(self.args, "floor_bodies", None))
        if perf:
            argv = ["perf", "record", "-q", "-o", perf] + self.args.perf_args.split() + ["--"] + argv
        env = function_env(self.args.port, cwd, extra, self.args.ramen)
        q = self.quota(pct)
        acct = self.acct
        procs = ([f"{acct.path}/cgroup.procs"] if acct.path else []) + ([q.procs] if q else [])
        if procs:  # join the cgroups in a tiny sh wrapper: the harness spawns with vfork (no preexec_fn)
            env["BENCH_CGROUP_PROCS"] = " ".join(procs)
            argv = [os.path.join(os.path.dirname(os.path.abspath(__file__)), "cgexec.sh")] + argv
        run = Run()
        run.acct0 = acct.usage()
        self.api.run = run
        cpu_api0 = task_cpu_ns(os.getpid())
        cpu_ramen0 = self.ramen_cpu()
        t0 = time.monotonic_ns()
        p = subprocess.Popen(argv, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                             close_fds=True)
        run.pid = p.pid
        if perf:  # measure the function, not perf: wait for perf's child
            for _ in range(2000):
                kids = open(f"/proc/{p.pid}/task/{p.pid}/children").read().split()
                if kids:
                    run.pid = int(kids[0])
                    break
                time.sleep(0.001)
        return run, p, t0, cpu_api0, cpu_ramen0

    def stop(self, run, p):
        try:
            if self.args.perf_graceful:
                os.kill(run.pid, signal.SIGTERM)
            else:
                p.send_signal(signal.SIGKILL) if run.pid == p.pid else os.kill(run.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        run.queue.put(None)
        self.api.run = None


# --------------------------------------------------------------------------------------- coldstart
def coldstart(args):
    b = Bench(args)
    variants = args.variant or ["native"]
    quotas = [int(q) if q not in ("0", "none") else 0 for q in args.quota.split(",")]
    event_tpl = open(args.event).read()
    rows = []
    os.makedirs(args.out, exist_ok=True)
    seq = 0
    try:
        for r in range(1, args.runs + 1):
            for v in variants:
                for pct in quotas:
                    log = open(os.path.join(args.out, f"{v}-q{pct}-{r}.log"), "wb")
                    run, p, t0, api0, ramen0 = b.spawn(v, pct, log, args.perf and f"{args.perf}.{v}.q{pct}.{r}")
                    run.measure_start = True
                    invs = []
                    for i in range(args.events):
                        seq += 1
                        invs.append(run.submit(event_tpl.replace("%SEQ%", f"{r}-{v}-{pct}-{seq}").replace(
                            "%NOW_MS%", str(int(time.time() * 1000))).encode()))
                    ok = invs[0].done.wait(args.timeout)
                    api1 = task_cpu_ns(os.getpid())
                    ramen1 = b.ramen_cpu()
                    row = {"variant": v, "quota": pct, "run": r, "ok": ok and not invs[0].error}
                    if ok:
                        inv = invs[0]
                        row.update(first_ms=(inv.t_done - t0) / 1e6, cpu_ms=(inv.cpu_done or 0) / 1e6,
                                   acct_ms=inv.acct_done / 1e6 if inv.acct_done is not None else None,
                                   init_ms=(run.t_first_next - t0) / 1e6, init_cpu_ms=(run.cpu_first_next or 0) / 1e6,
                                   invoke_ms=(inv.t_done - inv.t_handed) / 1e6,
                                   api_cpu_ms=(api1 - api0) / 1e6,
                                   ramen_cpu_ms=(ramen1 - ramen0) / 1e6 if ramen1 is not None else None,
                                   threads=threads(run.pid), rss_first_kib=inv.hwm_done or vm_kib(run.pid),
                                   minflt=inv.minflt_done,
                                   response=inv.response[:200].decode("utf-8", "replace"))
                        for inv in invs[1:]:
                            inv.done.wait(args.timeout)
                        row["rss_last_kib"] = vm_kib(run.pid)
                        row["answered"] = sum(1 for i in invs if i.done.is_set() and not i.error)
                        row["stat_cpu_ms"] = (proc_cpu_ns(run.pid) or 0) / 1e6
                    else:
                        row["error"] = run.init_error or (invs[0].response or b"timeout")[:300].decode("utf-8", "replace")
                    b.stop(run, p)
                    log.close()
                    rows.append(row)
                    print(f"  {v:6s} quota {pct or '-':>3}% run {r:2d}: " + (
                        f"first response {row['first_ms']:7.1f} ms, function CPU {row['cpu_ms']:6.1f} ms "
                        f"(cpuacct {row['acct_ms'] or 0:.1f}) "
                        f"(init {row['init_ms']:.1f} ms / {row['init_cpu_ms']:.1f} ms CPU), stand-in CPU "
                        f"{row['api_cpu_ms']:.2f} ms, fake Ramen CPU {row['ramen_cpu_ms'] or 0:.2f} ms, "
                        f"{row['threads']} threads, {row['minflt']} minor faults, VmHWM {row['rss_first_kib']} / {row['rss_last_kib']} KiB"
                        if ok else f"FAILED {row.get('error')}"), file=sys.stderr, flush=True)
                    time.sleep(args.pause)
    finally:
        throttle = {pct: q.throttled() for pct, q in b.quotas.items()}
        b.close()
    with open(os.path.join(args.out, "runs.json"), "w") as f:
        json.dump(rows, f, indent=1)
    print(f"| build | CPU quota | ok | start → first response, ms median (min–max) | function's own CPU to first "
          f"response, ms (schedstat) | the same incl. ended threads (cpuacct), ms | init (→ first GET /next), ms | CPU at init, ms | first invocation, ms | stand-in CPU during start, ms | "
          f"fake Ramen CPU, ms | minor faults to first response | peak RSS after 1st / after {args.events} events, MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for v in variants:
        for pct in quotas:
            rs = [x for x in rows if x["variant"] == v and x["quota"] == pct and x["ok"]]
            n = len([x for x in rows if x["variant"] == v and x["quota"] == pct])
            g = lambda k: [x.get(k) for x in rs]
            rss = f"{med(g('rss_first_kib')) / 1024:.0f} / {med(g('rss_last_kib')) / 1024:.0f}" if rs else "-"
            print(f"| {v} | {str(pct) + ' %' if pct else '—'} | {len(rs)}/{n} | {fmt_range(g('first_ms'))} | "
                  f"{fmt_range(g('cpu_ms'))} | {fmt_range(g('acct_ms'))} | {fmt_range(g('init_ms'))} | {fmt_range(g('init_cpu_ms'))} | "
                  f"{fmt_range(g('invoke_ms'))} | {fmt_range(g('api_cpu_ms'), 2)} | {fmt_range(g('ramen_cpu_ms'), 2)} | "
                  f"{fmt_range(g('minflt'), 0)} | {rss} |")
    for pct, t in throttle.items():
        if t:
            print(f"- CPU quota {pct} %: {b.quotas[pct].how if pct in b.quotas else ''}; throttled in {t[0]} of {t[1]} periods")
    lost = [x for x in rows if x["ok"] and x.get("answered") != args.events]
    if lost:
        print(f"- WARNING: {len(lost)} starts did not answer all {args.events} events")
    goals = coldstart_ratios(rows, variants, quotas)
    with open(os.path.join(args.out, "ratios.json"), "w") as f:
        json.dump(goals, f, indent=1)


# Goals against the floors, measured in the same run (bench/README.md, "Ratios to the floors").
START_GOALS = [  # (product, floor, CPU ratio goal, RSS goal: product - floor in MiB, or None)
    ("native", "floor-a", 1.5, None),
    ("native", "floor-a2", 1.0, 4.0),
    ("jvm", "floor-jvm", 1.3, None),
    ("jvm", "floor-jvm-vertx", None, None),  # no goal: how much of the difference the framework's Vert.x already costs
    ("floor-jvm-vertx", "floor-jvm", None, None),
]


def ratio_text(product, floor, nd=2):
    if product is None or floor is None or floor != floor or product != product or not floor:
        return "-"
    return f"×{product / floor:.{nd}f}"


def coldstart_ratios(rows, variants, quotas):
    """Product ÷ floor for every pair measured in this run (medians of the interleaved starts; in brackets the
    range of the per-round ratios). CPU is the cpuacct figure (every thread, also ended ones) where there is one."""
    out = []
    pairs = [(p, f, g, r) for p, f, g, r in START_GOALS if p in variants and f in variants]
    if not pairs:
        return out
    print()
    print("Ratios to the floors, same run (medians; per-round range in brackets):")
    print()
    print("| product ÷ floor | CPU quota | wall to first response | own CPU, all threads | minor faults | "
          "RSS at first response | goal |")
    print("|---|---:|---:|---:|---:|---:|---|")

    def cpu_of(x):
        return x.get("acct_ms") if x.get("acct_ms") is not None else x.get("cpu_ms")

    for prod, floor, cpu_goal, rss_goal in pairs:
        for pct in quotas:
            pr = {x["run"]: x for x in rows if x["variant"] == prod and x["quota"] == pct and x["ok"]}
            fr = {x["run"]: x for x in rows if x["variant"] == floor and x["quota"] == pct and x["ok"]}
            if not pr or not fr:
                continue
            cells = []
            fig = {}
            for key, get in (("wall", lambda x: x.get("first_ms")), ("cpu", cpu_of), ("minflt", lambda x: x.get("minflt")),
                             ("rss", lambda x: (x.get("rss_first_kib") or 0) / 1024)):
                pm, fm = med([get(x) for x in pr.values()]), med([get(x) for x in fr.values()])
                per_round = [get(pr[r]) / get(fr[r]) for r in pr if r in fr and get(pr[r]) and get(fr[r])]
                fig[key] = (pm, fm)
                unit = {"wall": " ms", "cpu": " ms", "minflt": "", "rss": " MiB"}[key]
                nd = 0 if key == "minflt" else 1
                rng = f" ({min(per_round):.2f}–{max(per_round):.2f})" if len(per_round) > 1 else ""
                cells.append(f"{pm:.{nd}f}{unit} ÷ {fm:.{nd}f}{unit} = **{ratio_text(pm, fm)}**{rng}")
            goal_cpu = fig["cpu"][0] / fig["cpu"][1] if fig["cpu"][1] else float("nan")
            if cpu_goal is None:  # a pair for reading the difference, not a goal
                print(f"| {prod} ÷ {FLOOR_NAMES[floor]} | {str(pct) + ' %' if pct else '—'} | " + " | ".join(cells)
                      + f" | no goal: {fig['cpu'][0] - fig['cpu'][1]:+.0f} ms of CPU |")
                continue
            goal = [f"CPU ≤ ×{cpu_goal}: {'met' if goal_cpu <= cpu_goal else 'missed'}"]
            out.append({"goal": f"{'native' if prod == 'native' else 'JVM'} start CPU ≤ ×{cpu_goal} {FLOOR_NAMES[floor]}",
                        "quota": pct, "product": fig["cpu"][0], "floor": fig["cpu"][1], "unit": "ms",
                        "ratio": goal_cpu, "limit": cpu_goal, "met": goal_cpu <= cpu_goal,
                        "wall": fig["wall"], "minflt": fig["minflt"], "rss": fig["rss"]})
            if rss_goal is not None:
                diff = fig["rss"][0] - fig["rss"][1]
                goal.append(f"RSS ≤ floor + {rss_goal:.0f} MiB: {diff:+.1f} MiB, {'met' if diff <= rss_goal else 'missed'}")
                out.append({"goal": f"native RSS at first response ≤ {FLOOR_NAMES[floor]} + {rss_goal:.0f} MiB",
                            "quota": pct, "product": fig["rss"][0], "floor": fig["rss"][1], "unit": "MiB",
                            "difference": diff, "limit": rss_goal, "met": diff <= rss_goal})
            print(f"| {prod} ÷ {FLOOR_NAMES[floor]} | {str(pct) + ' %' if pct else '—'} | " + " | ".join(cells)
                  + " | " + "; ".join(goal) + " |")
    return out


# --------------------------------------------------------------------------------------------- cpu
def floor_bodies_from_capture(capture, path, visitors):
    """The product's Ramen requests (captured by the fake Ramen, one body a line) as the per-event floor reads
    them: "batch TAB visitor TAB body", by batch, then visitor in order of first appearance, then event order
    (how the product's pipeline orders its chains). Batch and event come from the messageId the harness gave."""
    rows = []
    with open(capture, "rb") as f:
        for line in f:
            line = line.rstrip(b"\n")
            m = re.search(rb'"message_id":"[^"]*-b(\d+)-(\d+)"', line)
            if not m:
                continue
            batch, event = int(m.group(1)), int(m.group(2))
            rows.append((batch, event % visitors, event, line))
    rows.sort(key=lambda x: x[:3])
    with open(path, "wb") as f:
        for batch, chain, _, body in rows:
            f.write(f"{batch}\t{chain}\t".encode() + body + b"\n")
    return len(rows)


def cpu_run(b, args, v, pct, label, capture=None, perf_file=None):
    """One function process: started, handed args.batches invocations, stopped. The result as a dict."""
    ramen = args.ramen.rstrip("/")
    http_json(ramen + "/__reset", b"")
    if capture:
        http_json(ramen + "/__capture", capture.encode())
    log = open(os.path.join(args.out, f"cpu-{v}-q{pct}-{label}.log"), "wb")
    throttle0 = b.quota(pct).throttled() if pct else None
    run, p, t0, _, _ = b.spawn(v, pct, log)
    if not run.first_next.wait(args.timeout) or run.init_error:
        b.stop(run, p)
        sys.exit(f"lambda_bench: {v} did not start: {run.init_error}")
    init_ms, cpu_init = (run.t_first_next - t0) / 1e6, run.cpu_first_next
    stamp = uuid.uuid4().hex[:8]
    bodies = [batch_body(f"cpu-{stamp}-b{i}", args.batch_size, args.visitors) for i in range(args.batches)]
    perf = None
    if perf_file:
        perf = subprocess.Popen(["perf", "record", "-q", "-o", perf_file, "-p", str(run.pid)] + args.perf_args.split(),
                                stdout=subprocess.DEVNULL, stderr=open(perf_file + ".log", "w"))
        time.sleep(1.0)
    cpu0 = task_cpu_ns(run.pid)
    stat0 = b.acct.usage()
    batches = []
    problems = []
    for i, batch in enumerate(bodies):
        body = apigw_event(batch, i)  # arrival time = now
        c_before = task_cpu_ns(run.pid)
        t_before = time.monotonic_ns()
        inv = run.submit(body)
        if not inv.done.wait(args.timeout):
            problems.append(f"batch {i + 1}: no response in {args.timeout} s")
            break
        counts = report_counts(inv.response)
        if inv.error or counts.get("delivered") != args.batch_size:
            problems.append(f"batch {i + 1}: {inv.response[:300]!r}")
        batches.append({"wall_ms": (inv.t_done - t_before) / 1e6, "cpu_ms": (inv.cpu_done - c_before) / 1e6,
                        "rss_kib": vm_kib(run.pid), "counts": counts})
    cpu1 = task_cpu_ns(run.pid)
    stat1 = b.acct.usage()
    rss_now = vm_kib(run.pid, "VmRSS")
    nthreads = threads(run.pid)
    if perf:
        perf.send_signal(signal.SIGINT)
        perf.wait(timeout=60)
    b.stop(run, p)
    log.close()
    if capture:
        http_json(ramen + "/__capture", b"")
    throttle = None
    if pct:
        t1 = b.quota(pct).throttled()
        throttle = (t1[0] - throttle0[0], t1[1] - throttle0[1]) if t1 and throttle0 else t1
    seen = http_json(ramen + "/__count")
    events = args.batches * args.batch_size
    delivered = sum(x["counts"].get("delivered", 0) for x in batches)
    if seen.get("ids") != events or seen.get("duplicated") or seen.get("requests") != events:
        problems.append(f"fake Ramen saw {seen} for {events} events")
    steady = batches[1:] if len(batches) > 1 else batches
    res = {"variant": v, "label": label, "quota": pct, "init_ms": init_ms, "cpu_init_ms": cpu_init / 1e6,
           "events": events, "delivered": delivered, "us_per_event": (cpu1 - cpu0) / 1e3 / max(delivered, 1),
           "us_per_event_steady": sum(x["cpu_ms"] for x in steady) * 1e3 / max(len(steady) * args.batch_size, 1),
           "acct_us_per_event": (stat1 - stat0) * 1e-3 / max(delivered, 1) if stat0 is not None else None,
           "batches": batches, "fake_ramen": seen, "rss_now_kib": rss_now, "threads": nthreads,
           "throttled": throttle, "problems": problems}
    with open(os.path.join(args.out, f"cpu-{v}-q{pct}-{label}.json"), "w") as f:
        json.dump(res, f, indent=1)
    return res


def cpu(args):
    b = Bench(args)
    v = args.variant[0] if args.variant else "native"
    pct = int(args.quota) if args.quota not in ("0", "none", "") else 0
    os.makedirs(args.out, exist_ok=True)
    floor = args.floor
    capture = os.path.join(args.out, "ramen-requests.capture")
    results = []
    try:
        for r in range(1, args.rounds + 1):
            res = cpu_run(b, args, v, pct, f"r{r}", capture=capture if floor and r == 1 else None,
                          perf_file=args.perf if r == 1 else None)
            results.append(res)
            print(f"  round {r}: {v} {res['us_per_event']:.1f} µs/event", file=sys.stderr, flush=True)
            if floor and r == 1:
                args.floor_bodies = os.path.join(args.out, "floor-bodies.tsv")
                n = floor_bodies_from_capture(capture, args.floor_bodies, args.visitors)
                if n != args.batches * args.batch_size:
                    sys.exit(f"lambda_bench: captured {n} Ramen requests of {args.batches * args.batch_size}")
            if floor:
                res = cpu_run(b, args, "floor-event", pct, f"r{r}",
                              perf_file=args.perf + ".floor" if args.perf and r == 1 else None)
                results.append(res)
                print(f"  round {r}: per-event floor {res['us_per_event']:.1f} µs/event", file=sys.stderr, flush=True)
    finally:
        b.close()
    print(f"| build | round | CPU quota | events delivered / sent | function CPU per delivered event, µs (all batches) | "
          f"batches 2–{args.batches} only, µs | wall per {args.batch_size}-event batch: 1st / median of the rest (min–max), ms | "
          f"peak RSS after 1 000 events / after all, MiB | threads | lost or duplicated |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    chain = -(-args.batch_size // args.visitors)
    concurrency = int(os.environ.get("RAMEN_CONCURRENCY", "16"))
    ideal = max(-(-args.batch_size // concurrency), chain) * args.ramen_latency
    for res in results:
        batches = res["batches"]
        walls = [x["wall_ms"] for x in batches] or [float("nan")]
        rest = walls[1:] or walls
        res["wall_rest_ms"] = med(rest)
        res["wall_ideal"] = med([w / ideal for w in rest]) if ideal else None
        rss1000 = batches[min(len(batches), max(1, 1000 // args.batch_size)) - 1]["rss_kib"] if batches else None
        name = "per-event floor" if res["variant"] == "floor-event" else res["variant"]
        print(f"| {name} | {res['label'][1:]} | {str(pct) + ' %' if pct else '—'} | {res['delivered']} / {res['events']} | "
              f"**{res['us_per_event']:.1f}** | {res['us_per_event_steady']:.1f} | {walls[0]:.0f} / {fmt_range(rest, 0)} | "
              f"{(rss1000 or 0) / 1024:.0f} / {(batches[-1]['rss_kib'] if batches else 0) / 1024:.0f} | {res['threads']} | "
              f"{'none' if not res['problems'] else '; '.join(res['problems'])} |")
    for res in results:
        seen, throttle = res["fake_ramen"], res["throttled"]
        name = "per-event floor" if res["variant"] == "floor-event" else res["variant"]
        print(f"- {name}, round {res['label'][1:]}: start (spawn → first GET /next) {res['init_ms']:.1f} ms, "
              f"{res['cpu_init_ms']:.1f} ms CPU (not counted above); Ramen requests {seen.get('requests')}, distinct "
              f"messageIds {seen.get('ids')}, duplicated {seen.get('duplicated')}; cpuacct cross-check (threads that ended "
              f"included): {res['acct_us_per_event'] or float('nan'):.1f} µs/event"
              + (f"; quota throttled in {throttle[0]} of {throttle[1]} periods" if throttle else "")
              + (f"; wall ÷ ideal per batch: " + ", ".join(f"×{x['wall_ms'] / ideal:.2f}" for x in res["batches"]) if ideal else ""))
    if ideal:
        print(f"- Ramen latency {args.ramen_latency:.0f} ms, RAMEN_CONCURRENCY={concurrency}, {args.visitors} visitors "
              f"(chains of {chain}): ideal max(ceil(events ÷ concurrency), longest chain) × latency = {ideal:.0f} ms per batch")
    goals = cpu_ratios(results, v, pct, args, ideal) if floor or ideal else []
    with open(os.path.join(args.out, "ratios.json"), "w") as f:
        json.dump(goals, f, indent=1)
    return 0 if not any(res["problems"] for res in results) else 1


def cpu_ratios(results, v, pct, args, ideal):
    prod = [x for x in results if x["variant"] == v]
    floor = [x for x in results if x["variant"] == "floor-event"]
    out = []
    print()
    print(f"Ratios to the per-event floor, same run (medians of {len(prod)} round(s); per-round range in brackets):"
          if floor else "Against the ideal (no per-event floor run):")
    print()
    print("| figure | product | per-event floor | product ÷ floor | goal |")
    print("|---|---:|---:|---:|---|")

    def row(title, key, unit, nd=1, goal=None, goal_name=None):
        pm = med([x.get(key) for x in prod])
        fm = med([x.get(key) for x in floor]) if floor else float("nan")
        rounds = [p.get(key) / f.get(key) for p, f in zip(prod, floor) if p.get(key) and f.get(key)]
        rng = f" ({min(rounds):.2f}–{max(rounds):.2f})" if len(rounds) > 1 else ""
        ratio = pm / fm if floor and fm else float("nan")
        verdict = ""
        if goal is not None and floor:
            verdict = f"≤ ×{goal}: {'met' if ratio <= goal else 'missed'}"
            out.append({"goal": goal_name, "quota": pct, "product": pm, "floor": fm, "unit": unit.strip(),
                        "ratio": ratio, "limit": goal, "met": ratio <= goal})
        print(f"| {title} | {pm:.{nd}f}{unit} | {fm:.{nd}f}{unit} | **{ratio_text(pm, fm)}**{rng} | {verdict} |")

    if floor:
        row("CPU per delivered event, all batches", "us_per_event", " µs",
            goal=1.5 if not args.ramen_latency else None,
            goal_name=f"{'native' if v == 'native' else v} CPU per delivered event ≤ ×1.5 per-event floor"
                      + (f" ({pct} % quota)" if pct else ""))
        row(f"the same, batches 2–{args.batches}", "us_per_event_steady", " µs")
        row(f"wall per {args.batch_size}-event batch, median of batches 2–{args.batches}", "wall_rest_ms", " ms", 0)
    if ideal:
        pm = med([x["wall_ideal"] for x in prod])
        fm = med([x["wall_ideal"] for x in floor]) if floor else float("nan")
        verdict = ""
        if pct:
            verdict = f"≤ ×1.15 under a {pct} % quota: {'met' if pm <= 1.15 else 'missed'}"
            out.append({"goal": f"batch wall ≤ ×1.15 ideal ({args.batch_size} events, Ramen {args.ramen_latency:.0f} ms, "
                                f"{pct} % quota)", "quota": pct, "product": pm, "floor": fm, "unit": "× ideal",
                        "ratio": pm, "limit": 1.15, "met": pm <= 1.15, "ideal_ms": ideal})
        print(f"| batch wall ÷ ideal ({ideal:.0f} ms), median of batches 2–{args.batches} | ×{pm:.2f} | "
              f"{f'×{fm:.2f}' if floor else '-'} | "
              f"{ratio_text(pm, fm)} | {verdict} |")
    if v == "jvm" and floor:
        print("- the per-event floor is the native A2 executable: a JVM ÷ native ratio, for information")
    return out


# ---------------------------------------------------------------------------------------- deadline
def identify(user, mid):
    """bench/EventSamples.identify: 20 traits and a company, ~900 bytes."""
    return ('{"type":"identify","messageId":"%s","userId":"%s","timestamp":"2026-11-28T12:00:00Z",'
            '"context":{"ip":"203.0.113.7","library":{"name":"analytics.js","version":"4.1.0"}},'
            '"traits":{"email":"ada@example.com","firstName":"Ada","lastName":"Lovelace","created_at":1577836800000,'
            '"plan":"pro","logins":42,"is_admin":"yes","is_beta":1,"last_seen_at":"2026-11-27T08:00:00Z","trial_ends_at":1800000000,'
            '"title":"Engineer","phone":"+1 555 0100","country":"GB","city":"London","team_size":12,"nps":9,'
            '"address":{"street":"1 Main St","city":"London","postal_code":"N1"},"tags":["a","b"],"score":0.93,"locale":"en-GB",'
            '"company":{"id":"c-1","name":"Acme","website":"https://acme.example","created_at":"2019-05-01T00:00:00Z","employees":420}}}'
            % (mid, user))


def sqs_event(tag, records, per_record):
    recs = []
    for r in range(records):
        body = "[" + ",".join(identify(f"u-{tag}-{r}-{e}", f"m-{tag}-{r}-{e}") for e in range(per_record)) + "]"
        recs.append({"messageId": f"rec-{r}", "receiptHandle": f"h-{r}", "body": body,
                     "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": str(int(time.time() * 1000))},
                     "messageAttributes": {}, "md5OfBody": "0", "eventSource": "aws:sqs",
                     "eventSourceARN": "arn:aws:sqs:us-east-1:000000000000:segment-events", "awsRegion": "us-east-1"})
    return json.dumps({"Records": recs}).encode()


def ramen_requests(ramen):
    """The fake Ramen's request count, or None when it does not answer (a silent one holding every thread)."""
    try:
        return http_json(ramen + "/__count").get("requests", 0)
    except OSError:
        return None


def deadline(args):
    """The largest invocations against a slow or silent Ramen: wall time from handing the invocation to its
    response, against the Lambda timeout given in Lambda-Runtime-Deadline-Ms; what the answer said."""
    b = Bench(args)
    v = args.variant[0] if args.variant else "native"
    pct = int(args.quota) if args.quota not in ("0", "none", "") else 0
    os.makedirs(args.out, exist_ok=True)
    ramen = args.ramen.rstrip("/")
    log = open(os.path.join(args.out, f"deadline-{args.label}-{args.shape}-{v}-q{pct}.log"), "wb")
    run, p, t0, _, _ = b.spawn(v, pct, log)
    if not run.first_next.wait(args.timeout) or run.init_error:
        b.stop(run, p)
        sys.exit(f"lambda_bench: function did not start: {run.init_error}")
    rows = []
    for i in range(1, args.runs + 1):
        tag = f"{args.label}-{i}-{uuid.uuid4().hex[:6]}"
        if args.shape == "sqs":
            body = sqs_event(tag, 10, 900)
        else:
            body = apigw_event("[" + ",".join(identify(f"u-{tag}-{e}", f"m-{tag}-{e}") for e in range(4000)) + "]", i)
        before = ramen_requests(ramen)
        inv = run.submit(body, args.lambda_timeout_ms)
        answered = inv.done.wait(args.timeout)
        after = ramen_requests(ramen)
        sent = after - before if before is not None and after is not None else None
        if not answered:
            rows.append({"run": i, "ok": False})
            print(f"- {args.label} {args.shape} run {i:2d}: no answer in {args.timeout} s", flush=True)
            break
        wall = (inv.t_done - inv.t_handed) / 1e6
        within = wall < args.lambda_timeout_ms and not inv.error
        text = inv.response.decode("utf-8", "replace")
        if args.shape == "sqs":
            said = f"{len(json.loads(text).get('batchItemFailures', []))} of 10 records in batchItemFailures" if not inv.error else text[:200]
        else:
            c = report_counts(inv.response)
            said = f"status {json.loads(text).get('statusCode')}, delivered {c.get('delivered')}, failed {c.get('failed')}" if not inv.error else text[:200]
        rows.append({"run": i, "ok": within, "wall_ms": wall, "sent": sent})
        print(f"- {args.label} {args.shape} run {i:2d}: {wall:7.0f} ms of {args.lambda_timeout_ms} ms "
              f"{'within' if within else 'OVER'}; {said}; Ramen got {'?' if sent is None else sent} requests", flush=True)
        time.sleep(args.pause)
    b.stop(run, p)
    log.close()
    throttle = b.quotas[pct].throttled() if pct else None
    b.close()
    walls = [r["wall_ms"] for r in rows if "wall_ms" in r]
    ok = sum(1 for r in rows if r["ok"])
    print(f"**{args.label} {args.shape}: {ok} of {args.runs} within the {args.lambda_timeout_ms} ms timeout; wall ms median "
          f"{fmt_range(walls, 0)}; Ramen requests per run {fmt_range([r.get('sent') for r in rows], 0)}**"
          + (f"; quota throttled in {throttle[0]} of {throttle[1]} periods" if throttle else ""), flush=True)
    return 0 if ok == args.runs else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["coldstart", "cpu", "deadline"])
    ap.add_argument("--variant", action="append", choices=VARIANTS)
    ap.add_argument("--root", default=os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
    ap.add_argument("--java", default="java")
    ap.add_argument("--ric", default=None, help="folder of the runtime interface client jars")
    ap.add_argument("--ramen", required=True)
    ap.add_argument("--ramen-pid", type=int)
    ap.add_argument("--ramen-cgroup", help="cpuacct cgroup folder holding the fake Ramen (its CPU, ended threads too)")
    ap.add_argument("--port", type=int, default=58101)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--quota", default="0", help="coldstart: comma list of CPU quota percents (0 = none); cpu: one")
    ap.add_argument("--events", type=int, default=1, help="coldstart: events per start")
    ap.add_argument("--event", default=os.path.join(os.path.dirname(__file__), "..", "coldstart", "apigw-identify.json"))
    ap.add_argument("--batches", type=int, default=10)
    ap.add_argument("--batch-size", type=int, default=500)
    ap.add_argument("--visitors", type=int, default=100)
    ap.add_argument("--ramen-latency", type=float, default=0, help="cpu: the fake Ramen's latency in ms (for wall ÷ ideal)")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--rounds", type=int, default=1, help="cpu: product runs (each followed by a floor run with --floor)")
    ap.add_argument("--floor", action="store_true", help="cpu: also run the per-event floor (bench/floor) after each product run")
    ap.add_argument("--shape", choices=["sqs", "http"], default="sqs", help="deadline: 10 SQS records x 900 events, or 4 000 through API Gateway")
    ap.add_argument("--lambda-timeout-ms", type=int, default=60000, help="deadline: the invocation's timeout (Lambda-Runtime-Deadline-Ms)")
    ap.add_argument("--label", default="run", help="deadline: a name for the Ramen behaviour (slow, silent)")
    ap.add_argument("--pause", type=float, default=0.3)
    ap.add_argument("--out", default="/tmp/lambda-bench")
    ap.add_argument("--perf", help="record a perf profile to this file (cpu: of the function during the batches; "
                                   "coldstart: perf record as the wrapper, one file per start)")
    ap.add_argument("--perf-args", default="-g")
    ap.add_argument("--perf-graceful", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.ric is None:
        args.ric = os.path.join(args.root, "target", "local-ric", "jars")
    sys.exit({"coldstart": coldstart, "cpu": cpu, "deadline": deadline}[args.mode](args))


if __name__ == "__main__":
    main()
