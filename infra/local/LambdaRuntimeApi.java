/*
 * A minimal local AWS Lambda Runtime API (version 2018-06-01), for driving a packaged function the
 * way Lambda (or `sam local invoke`) would, without Docker. JDK 17+, no dependencies:
 *
 *   java infra/local/LambdaRuntimeApi.java [options] EVENT.json [EVENT2.json ...] [-- COMMAND ARGS...]
 *
 * With `-- COMMAND`, the command is started as the function process ("invoke" mode) with
 * AWS_LAMBDA_RUNTIME_API=127.0.0.1:<port> and the usual Lambda environment, the events are handed
 * out one at a time through GET /runtime/invocation/next, each response body is printed on stdout
 * (one per line), then, once the runtime asks for the next event (where Lambda would freeze it; at most
 * 2 s), the function process is killed. Without a command the server only serves
 * ("serve" mode: start the runtime yourself with the printed AWS_LAMBDA_RUNTIME_API).
 *
 * stdout lines:   <response body>
 *                 ERROR <error JSON, on one line>        (function error, timeout, runtime exit)
 *                 INIT_ERROR <error JSON, on one line>   (POST /runtime/init/error)
 * Exit status: 0 when every event got a response or a function error; 1 on init error, init
 * timeout, invocation timeout or the function process exiting; 2 on bad usage.
 *
 * Event arguments are files, read lazily one by one, or `-` for stdin (read once).
 *
 * Options:
 *   --port N              listen port on 127.0.0.1 (default 0: any free port)
 *   --timeout-ms N        function timeout; Lambda-Runtime-Deadline-Ms = hand-out time + N (default 6000)
 *   --init-timeout-ms N   process start -> first GET /next limit (default 10000, Lambda's init limit)
 *   --repeat N            hand out the event list N times (default 1)
 *   --seq                 replace the literal token %SEQ% in each event body by its 1-based sequence number
 *   --quiet               do not print response bodies (errors are still printed)
 *   --record DIR          also write each body to DIR/<seq>.response.json or DIR/<seq>.error.json
 *   --timing              print a timing summary line on stderr (`timing: key=value ...`)
 *   --timing-file F       write the timing summary as key=value lines to F
 *   --function-log X      where the function's stdout+stderr go: `-` our stderr (default), `none`, or a file (appended)
 *   --function-name N     AWS_LAMBDA_FUNCTION_NAME (default $AWS_LAMBDA_FUNCTION_NAME or `function`)
 *   --memory MB           AWS_LAMBDA_FUNCTION_MEMORY_SIZE (default 512)
 *   --region R            AWS_REGION / AWS_DEFAULT_REGION (default $AWS_REGION or us-east-1)
 *   --handler H           _HANDLER (default $_HANDLER or `bootstrap`)
 *   --runtime R           the managed runtime emulated: java21 sets AWS_EXECUTION_ENV=AWS_Lambda_java21
 *                         (default provided.al2023, which sets none). A POST /runtime/init/error after
 *                         the runtime asked for an event is refused (403) and fails the run (exit 1).
 *   --task-root DIR       LAMBDA_TASK_ROOT and working directory of the function (default: current dir)
 *   --env K=V             extra environment variable for the function (repeatable)
 *   --credentials C       how the function gets AWS credentials: `session` (default; on-demand functions:
 *                         AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) or `snapstart` (what
 *                         Lambda gives a SnapStart function: AWS_CONTAINER_CREDENTIALS_FULL_URI and
 *                         AWS_CONTAINER_AUTHORIZATION_TOKEN, none of the three above, even from the
 *                         caller's environment; AWS_LAMBDA_INITIALIZATION_TYPE=snap-start)
 *
 * LAMBDA_RUNTIME_API_NEXT_LOG=F appends "<CLOCK_MONOTONIC ns> first-next" to F when the runtime first asks
 * for an event (to order it against other processes' events, e.g. a secret read).
 *
 * Timing (invoke mode): start_to_first_next_ms (init), start_to_first_response_ms (cold start as a
 * caller sees it), peak RSS (VmHWM of /proc/<pid>/status) after the first and after the last event.
 * The measured process is the child itself; if the child is a shell that did not `exec`, the
 * descendant with the largest VmHWM is measured instead, with a warning.
 */

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.*;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

public class LambdaRuntimeApi {

    static final String PREFIX = "/2018-06-01/runtime/";
    static final boolean DEBUG = System.getenv("LAMBDA_RUNTIME_API_DEBUG") != null;
    static final int MAX_RESPONSE_BYTES = 6 * 1024 * 1024; // Lambda's synchronous response limit

    // ---- options ----
    int port = 0;
    // Lambda's limits by default; a loaded machine may raise them (LAMBDA_RUNTIME_API_[INIT_]TIMEOUT_MS).
    long timeoutMs = Long.parseLong(envOr("LAMBDA_RUNTIME_API_TIMEOUT_MS", "6000"));
    long initTimeoutMs = Long.parseLong(envOr("LAMBDA_RUNTIME_API_INIT_TIMEOUT_MS", "10000"));
    int repeat = 1;
    boolean seq, quiet, timing;
    Path recordDir, timingFile;
    String functionLog = "-";
    String functionName = envOr("AWS_LAMBDA_FUNCTION_NAME", "function");
    int memory = 512;
    String region = envOr("AWS_REGION", "us-east-1");
    String handler = envOr("_HANDLER", "bootstrap");
    Path taskRoot = Paths.get("").toAbsolutePath();
    final Map<String, String> extraEnv = new LinkedHashMap<>();
    final List<String> eventArgs = new ArrayList<>();
    final List<String> command = new ArrayList<>();

    // ---- state ----
    final SynchronousQueue<Invocation> handoff = new SynchronousQueue<>();
    final Map<String, Invocation> outstanding = new ConcurrentHashMap<>();
    final CompletableFuture<byte[]> initError = new CompletableFuture<>();
    final CompletableFuture<Integer> childExit = new CompletableFuture<>();
    final AtomicReference<Long> firstNextNanos = new AtomicReference<>();
    final AtomicInteger nextCalls = new AtomicInteger(); // GET /next received so far
    volatile boolean invokedOnce;
    volatile String lateInitError;
    String runtime = "provided.al2023";
    String credentials = "session";
    Process child;
    long startNanos;
    byte[] stdinCache;

    static final class Invocation {
        final int seq;
        final String id = UUID.randomUUID().toString();
        final byte[] body;
        final CompletableFuture<Outcome> done = new CompletableFuture<>();
        final CountDownLatch dispatched = new CountDownLatch(1); // deadline fields are set
        volatile long dispatchedNanos, deadlineMs;
        Invocation(int seq, byte[] body) { this.seq = seq; this.body = body; }
    }

    record Outcome(boolean error, byte[] body, long completedNanos) {}

    static String envOr(String k, String d) {
        String v = System.getenv(k);
        return v == null || v.isEmpty() ? d : v;
    }

    public static void main(String[] args) throws Exception {
        // small header and body writes must not wait for delayed ACKs (Nagle): ~40 ms per exchange otherwise
        System.setProperty("sun.net.httpserver.nodelay", "true");
        LambdaRuntimeApi api = new LambdaRuntimeApi();
        try {
            api.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("LambdaRuntimeApi: " + e.getMessage());
            System.err.println("usage: java LambdaRuntimeApi.java [options] EVENT.json [EVENT2.json ...] [-- COMMAND ARGS...]"
                    + " (options: see the file header)");
            System.exit(2);
        }
        System.exit(api.run());
    }

    void parse(String[] a) {
        for (int i = 0; i < a.length; i++) {
            String s = a[i];
            if (s.equals("--")) {
                command.addAll(Arrays.asList(a).subList(i + 1, a.length));
                if (command.isEmpty()) throw new IllegalArgumentException("no command after --");
                break;
            }
            if (s.startsWith("--") && s.length() > 2) {
                String v = null;
                int eq = s.indexOf('=');
                String name = eq > 0 ? s.substring(0, eq) : s;
                boolean flag = Set.of("--seq", "--quiet", "--timing").contains(name);
                if (!flag) {
                    if (eq > 0) v = s.substring(eq + 1);
                    else if (i + 1 < a.length) v = a[++i];
                    else throw new IllegalArgumentException(name + " needs a value");
                }
                try {
                    switch (name) {
                        case "--port" -> port = Integer.parseInt(v);
                        case "--timeout-ms" -> timeoutMs = Long.parseLong(v);
                        case "--init-timeout-ms" -> initTimeoutMs = Long.parseLong(v);
                        case "--repeat" -> repeat = Integer.parseInt(v);
                        case "--seq" -> seq = true;
                        case "--quiet" -> quiet = true;
                        case "--timing" -> timing = true;
                        case "--record" -> recordDir = Paths.get(v);
                        case "--timing-file" -> timingFile = Paths.get(v);
                        case "--function-log" -> functionLog = v;
                        case "--function-name" -> functionName = v;
                        case "--memory" -> memory = Integer.parseInt(v);
                        case "--region" -> region = v;
                        case "--handler" -> handler = v;
                        case "--runtime" -> runtime = v;
                        case "--credentials" -> {
                            if (!Set.of("session", "snapstart").contains(v)) throw new IllegalArgumentException("--credentials: session or snapstart, got " + v);
                            credentials = v;
                        }
                        case "--task-root" -> taskRoot = Paths.get(v).toAbsolutePath();
                        case "--env" -> {
                            int e = v.indexOf('=');
                            if (e <= 0) throw new IllegalArgumentException("--env wants K=V, got " + v);
                            extraEnv.put(v.substring(0, e), v.substring(e + 1));
                        }
                        default -> throw new IllegalArgumentException("unknown option " + name);
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(name + ": not a number: " + v);
                }
            } else {
                eventArgs.add(s);
            }
        }
        if (eventArgs.isEmpty()) throw new IllegalArgumentException("no event file given");
        for (String e : eventArgs)
            if (!e.equals("-") && !Files.isReadable(Paths.get(e))) throw new IllegalArgumentException("cannot read event file " + e);
        if (repeat < 1 || timeoutMs < 1 || initTimeoutMs < 1) throw new IllegalArgumentException("--repeat/--timeout-ms/--init-timeout-ms must be >= 1");
    }

    byte[] readEvent(String arg, int seqNo) throws IOException {
        byte[] b;
        if (arg.equals("-")) {
            if (stdinCache == null) stdinCache = System.in.readAllBytes();
            b = stdinCache;
        } else {
            b = Files.readAllBytes(Paths.get(arg));
        }
        if (seq) {
            String s = new String(b, StandardCharsets.UTF_8);
            if (s.contains("%SEQ%")) b = s.replace("%SEQ%", Integer.toString(seqNo)).getBytes(StandardCharsets.UTF_8);
        }
        return b;
    }

    // ------------------------------------------------------------------------------------------------
    int run() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "runtime-api");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
        String endpoint = "127.0.0.1:" + server.getAddress().getPort();

        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        if (recordDir != null) Files.createDirectories(recordDir);

        if (command.isEmpty()) {
            System.err.println("LambdaRuntimeApi: serving on " + endpoint + "; start the runtime with AWS_LAMBDA_RUNTIME_API=" + endpoint);
        } else {
            startChild(endpoint);
        }

        int total = eventArgs.size() * repeat, errors = 0, exit = 0;
        long[] durations = new long[total];
        long rssFirst = -1, rssLast = -1, firstRespNanos = -1, lastRespNanos = -1;
        int answered = 0;
        String fatal = null;

        outer:
        for (int r = 0, n = 0; r < repeat; r++) {
            for (String arg : eventArgs) {
                Invocation inv = new Invocation(n + 1, readEvent(arg, n + 1));
                outstanding.put(inv.id, inv);
                // 1. wait until the runtime takes the event (GET /next)
                long waitMs = child == null ? TimeUnit.DAYS.toMillis(365) : n == 0 ? initTimeoutMs : timeoutMs;
                String why = offer(inv, waitMs);
                if (why != null) {
                    fatal = why;
                    if (why.startsWith("INIT_ERROR")) out.println(why);
                    else out.println("ERROR " + why);
                    break outer;
                }
                inv.dispatched.await();
                // 2. wait for /response or /error, the deadline, the process exiting, or an init error
                Outcome o;
                try {
                    long left = Math.max(1, inv.deadlineMs - System.currentTimeMillis());
                    CompletableFuture<Object> any = CompletableFuture.anyOf(inv.done, childExit, initError);
                    Object res = any.get(left, TimeUnit.MILLISECONDS);
                    if (res instanceof Outcome oo) {
                        o = oo;
                    } else if (res instanceof Integer code) {
                        fatal = errorJson("Runtime.ExitError", "RequestId: " + inv.id + " Error: Runtime exited with error: exit status " + code);
                        out.println("ERROR " + fatal);
                        break outer;
                    } else {
                        fatal = "INIT_ERROR " + oneLine((byte[]) res);
                        out.println(fatal);
                        break outer;
                    }
                } catch (TimeoutException te) {
                    fatal = errorJson("Sandbox.Timedout", "RequestId: " + inv.id + " Error: Task timed out after "
                            + String.format(Locale.ROOT, "%.2f", timeoutMs / 1000.0) + " seconds");
                    out.println("ERROR " + fatal);
                    break outer;
                }
                outstanding.remove(inv.id);
                durations[n] = (o.completedNanos - inv.dispatchedNanos) / 1_000_000;
                if (answered == 0) {
                    firstRespNanos = o.completedNanos;
                    rssFirst = peakRssKiB();
                }
                lastRespNanos = o.completedNanos;
                answered++;
                n++;
                if (o.error) {
                    errors++;
                    out.println("ERROR " + oneLine(o.body));
                } else if (!quiet) {
                    out.write(o.body, 0, o.body.length);
                    if (o.body.length == 0 || o.body[o.body.length - 1] != '\n') out.println();
                }
                out.flush();
                if (recordDir != null)
                    Files.write(recordDir.resolve(String.format("%04d.%s.json", inv.seq, o.error ? "error" : "response")), o.body);
            }
        }
        out.flush();
        if (answered > 0) rssLast = peakRssKiB();
        long rssNow = currentRssKiB();
        if (fatal != null) exit = 1;
        if (lateInitError != null) {
            System.err.println("LambdaRuntimeApi: LATE_INIT_ERROR " + lateInitError
                    + " (init/error after /next: Lambda refuses it; a second runtime loop in the function?)");
            exit = 1;
        }

        if (child != null) {
            if (fatal == null) awaitIdle(answered + 1, 2000);
            killChild();
        }
        server.stop(0);
        pool.shutdownNow();

        if (timing || timingFile != null) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("events", total);
            t.put("answered", answered);
            t.put("function_errors", errors);
            t.put("fatal", fatal == null ? "none" : fatal.startsWith("INIT_ERROR") ? "init_error"
                    : fatal.contains("Sandbox.Timedout") ? "timeout" : fatal.contains("Runtime.ExitError") ? "exit"
                    : fatal.contains("Runtime.InitTimeout") ? "init_timeout" : "other");
            if (child != null) {
                t.put("pid", child.pid());
                Long fn = firstNextNanos.get();
                t.put("start_to_first_next_ms", fn == null ? -1 : ms(fn - startNanos));
                t.put("start_to_first_response_ms", firstRespNanos < 0 ? -1 : ms(firstRespNanos - startNanos));
                t.put("start_to_last_response_ms", lastRespNanos < 0 ? -1 : ms(lastRespNanos - startNanos));
                t.put("peak_rss_first_kib", rssFirst);
                t.put("peak_rss_last_kib", rssLast);
                t.put("rss_last_kib", rssNow);
            }
            long[] d = Arrays.copyOf(durations, answered);
            Arrays.sort(d);
            if (answered > 0) {
                t.put("first_invoke_ms", durations[0]);
                t.put("invoke_p50_ms", d[(answered - 1) / 2]);
                t.put("invoke_p99_ms", d[(int) Math.ceil(answered * 0.99) - 1]);
                t.put("invoke_max_ms", d[answered - 1]);
            }
            StringBuilder line = new StringBuilder("timing:");
            StringBuilder file = new StringBuilder();
            t.forEach((k, v) -> {
                line.append(' ').append(k).append('=').append(v);
                file.append(k).append('=').append(v).append('\n');
            });
            if (timing) System.err.println(line);
            if (timingFile != null) Files.writeString(timingFile, file);
        }
        return exit;
    }

    /** Hands inv to the next GET /next; returns null, or why it could not. */
    String offer(Invocation inv, long waitMs) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        while (true) {
            if (initError.isDone()) return "INIT_ERROR " + oneLine(initError.getNow(new byte[0]));
            if (childExit.isDone())
                return errorJson("Runtime.ExitError", "RequestId: " + inv.id + " Error: Runtime exited with error: exit status " + childExit.getNow(-1));
            long left = end - System.nanoTime();
            if (left <= 0)
                return inv.seq == 1
                        ? errorJson("Runtime.InitTimeout", "The runtime did not ask for an invocation (GET /next) within " + waitMs + " ms of starting")
                        : errorJson("Sandbox.Timedout", "RequestId: " + inv.id + " Error: the runtime did not ask for the next invocation within " + waitMs + " ms");
            if (handoff.offer(inv, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS)) return null;
        }
    }

    // ------------------------------------------------------------------------------------------------
    void handle(HttpExchange ex) {
        try {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (DEBUG) System.err.println("LambdaRuntimeApi: " + method + " " + path + " " + ex.getRequestHeaders().entrySet());
            if (!path.startsWith(PREFIX)) {
                send(ex, 404, errorJson("NotFound", "unknown path " + path));
                return;
            }
            String rest = path.substring(PREFIX.length());
            if (rest.equals("invocation/next") && method.equals("GET")) {
                next(ex);
            } else if (rest.equals("restore/next") && method.equals("GET") && credentials.equals("snapstart")) {
                // SnapStart: the runtime asks once whether the snapshot was restored; here it is at once
                // (no snapshot is taken: what runs after the restore is what the check exercises).
                send(ex, 200, "");
            } else if (rest.equals("init/error") && method.equals("POST")) {
                byte[] body = ex.getRequestBody().readAllBytes();
                if (invokedOnce || firstNextNanos.get() != null) {
                    // Strict, as Lambda: init is over once the runtime asked for an event. A late
                    // init/error (e.g. a second poll loop in the process) fails the whole run.
                    lateInitError = oneLine(body);
                    send(ex, 403, errorJson("InvalidStateTransition", "init/error after /next"));
                    return;
                }
                if (body.length == 0) body = errorJson(header(ex, "Lambda-Runtime-Function-Error-Type", "Runtime.Unknown"), "").getBytes(StandardCharsets.UTF_8);
                send(ex, 202, "{\"status\":\"OK\"}");
                initError.complete(body);
            } else if (rest.startsWith("invocation/") && method.equals("POST")
                    && (rest.endsWith("/response") || rest.endsWith("/error"))) {
                boolean isError = rest.endsWith("/error");
                String id = rest.substring("invocation/".length(), rest.lastIndexOf('/'));
                byte[] body = ex.getRequestBody().readAllBytes();
                long now = System.nanoTime();
                Invocation inv = outstanding.get(id);
                if (inv == null || inv.dispatchedNanos == 0 || inv.done.isDone()) {
                    send(ex, 400, errorJson("InvalidRequestID", "Invalid request ID: " + id));
                    return;
                }
                if (!isError && body.length > MAX_RESPONSE_BYTES) {
                    send(ex, 413, errorJson("RequestEntityTooLarge", "response is " + body.length + " bytes, over " + MAX_RESPONSE_BYTES));
                    inv.done.complete(new Outcome(true, errorJson("Function.ResponseSizeTooLarge",
                            "Response payload size (" + body.length + " bytes) exceeded maximum allowed payload size (" + MAX_RESPONSE_BYTES + " bytes).")
                            .getBytes(StandardCharsets.UTF_8), now));
                    return;
                }
                if (isError && body.length == 0)
                    body = errorJson(header(ex, "Lambda-Runtime-Function-Error-Type", "Runtime.Unknown"), "").getBytes(StandardCharsets.UTF_8);
                send(ex, 202, "{\"status\":\"OK\"}");
                inv.done.complete(new Outcome(isError, body, now));
            } else {
                send(ex, 404, errorJson("NotFound", method + " " + path));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // client went away (e.g. the function was killed while blocked in /next)
        } finally {
            ex.close();
        }
    }

    void next(HttpExchange ex) throws IOException, InterruptedException {
        synchronized (nextCalls) {
            nextCalls.incrementAndGet();
            nextCalls.notifyAll();
        }
        if (firstNextNanos.compareAndSet(null, System.nanoTime()) && System.getenv("LAMBDA_RUNTIME_API_NEXT_LOG") != null) {
            // CLOCK_MONOTONIC nanoseconds, comparable with other local processes' monotonic clocks
            Files.writeString(Paths.get(System.getenv("LAMBDA_RUNTIME_API_NEXT_LOG")), firstNextNanos.get() + " first-next\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
        Invocation inv = handoff.take(); // blocks until an event is queued
        invokedOnce = true;
        inv.deadlineMs = System.currentTimeMillis() + timeoutMs;
        inv.dispatchedNanos = System.nanoTime();
        inv.dispatched.countDown();
        var h = ex.getResponseHeaders();
        h.set("Content-Type", "application/json");
        h.set("Lambda-Runtime-Aws-Request-Id", inv.id);
        h.set("Lambda-Runtime-Deadline-Ms", Long.toString(inv.deadlineMs));
        h.set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:" + region + ":000000000000:function:" + functionName);
        h.set("Lambda-Runtime-Trace-Id", traceId());
        ex.sendResponseHeaders(200, inv.body.length == 0 ? -1 : inv.body.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(inv.body);
        }
    }

    static String header(HttpExchange ex, String name, String dflt) {
        String v = ex.getRequestHeaders().getFirst(name);
        return v == null || v.isEmpty() ? dflt : v;
    }

    static void send(HttpExchange ex, int code, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }

    static String traceId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return String.format("Root=1-%08x-%012x%012x;Parent=%016x;Sampled=0", System.currentTimeMillis() / 1000,
                r.nextLong(1L << 48), r.nextLong(1L << 48), r.nextLong() & Long.MAX_VALUE);
    }

    static String errorJson(String type, String message) {
        return "{\"errorMessage\":\"" + jsonEscape(message) + "\",\"errorType\":\"" + jsonEscape(type) + "\"}";
    }

    static String jsonEscape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }

    /** Raw line breaks are insignificant whitespace in valid JSON (inside strings they are escaped). */
    static String oneLine(byte[] body) {
        return new String(body, StandardCharsets.UTF_8).replace("\r", "").replace("\n", " ").trim();
    }

    static long ms(long nanos) {
        return Math.round(nanos / 1_000_000.0);
    }

    // ------------------------------------------------------------------------------------------------
    void startChild(String endpoint) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment(); // the caller's environment passes through
        env.put("AWS_LAMBDA_RUNTIME_API", endpoint);
        env.put("AWS_LAMBDA_FUNCTION_NAME", functionName);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memory));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_REGION", region);
        env.put("AWS_DEFAULT_REGION", region);
        env.put("_HANDLER", handler);
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        // What the managed runtime sets besides: java21 names itself; every runtime gets credentials
        // (placeholders here; the Parameters and Secrets extension checks AWS_SESSION_TOKEN).
        if (runtime.startsWith("provided")) env.remove("AWS_EXECUTION_ENV");
        else env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + runtime);
        env.put("LAMBDA_RUNTIME_DIR", "/var/runtime");
        if (credentials.equals("snapstart")) {
            // Lambda developer guide, SnapStart: container credentials instead of the session variables.
            env.remove("AWS_ACCESS_KEY_ID");
            env.remove("AWS_SECRET_ACCESS_KEY");
            env.remove("AWS_SESSION_TOKEN");
            env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://" + endpoint + "/2021-04-23/credentials");
            env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", "local-emulation-container-token");
            env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
        } else {
            env.putIfAbsent("AWS_ACCESS_KEY_ID", "ASIALOCALEMULATION00");
            env.putIfAbsent("AWS_SECRET_ACCESS_KEY", "local-emulation-secret");
            env.putIfAbsent("AWS_SESSION_TOKEN", "local-emulation-session-token");
        }
        env.putIfAbsent("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + functionName);
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", LocalDate.now().format(DateTimeFormatter.ofPattern("yyyy/MM/dd"))
                + "/[$LATEST]" + UUID.randomUUID().toString().replace("-", ""));
        env.putIfAbsent("TZ", ":UTC");
        env.putAll(extraEnv);
        pb.directory(taskRoot.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        boolean pump = false;
        switch (functionLog) {
            case "-" -> {
                pb.redirectErrorStream(true);
                pump = true;
            }
            case "none" -> {
                pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
                pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            }
            default -> {
                pb.redirectErrorStream(true);
                pb.redirectOutput(ProcessBuilder.Redirect.appendTo(new File(functionLog)));
            }
        }
        startNanos = System.nanoTime();
        child = pb.start();
        if (pump) {
            InputStream in = child.getInputStream();
            Thread t = new Thread(() -> {
                try {
                    in.transferTo(System.err);
                } catch (IOException ignored) {
                }
            }, "function-log");
            t.setDaemon(true);
            t.start();
        }
        if (DEBUG) System.err.println("LambdaRuntimeApi: started function process " + child.pid() + ": " + command);
        child.onExit().thenAccept(p -> {
            if (DEBUG) System.err.println("LambdaRuntimeApi: function process " + p.pid() + " exited with " + p.exitValue());
            childExit.complete(p.exitValue());
        });
    }

    /**
     * Waits (at most maxMs) until the runtime has asked for event number `calls` — the point where
     * Lambda would freeze the sandbox — so that what the runtime writes after posting its last answer
     * (the Java runtime interface client logs a function error's stack trace only then) reaches the
     * function log before the process is killed.
     */
    void awaitIdle(int calls, long maxMs) throws InterruptedException {
        long end = System.currentTimeMillis() + maxMs;
        synchronized (nextCalls) {
            for (long left = maxMs; nextCalls.get() < calls && !childExit.isDone() && left > 0; left = end - System.currentTimeMillis())
                nextCalls.wait(Math.min(left, 50));
        }
    }

    void killChild() throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>();
        child.descendants().forEach(all::add);
        all.add(child.toHandle());
        for (ProcessHandle p : all) p.destroyForcibly(); // Lambda does not wait for a graceful exit either
        child.waitFor(5, TimeUnit.SECONDS);
    }

    static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "zsh", "ksh", "busybox");

    /** pid whose memory is the function's: the child, unless it is a shell that did not exec. */
    long measuredPid() {
        long pid = child.pid();
        String comm = readProc(pid, "comm");
        if (comm != null && SHELLS.contains(comm.trim())) {
            long best = -1, bestHwm = -1;
            for (ProcessHandle d : (Iterable<ProcessHandle>) child.descendants()::iterator) {
                long h = statusKiB(d.pid(), "VmHWM:");
                if (h > bestHwm) {
                    bestHwm = h;
                    best = d.pid();
                }
            }
            if (best > 0) {
                if (!warnedShell) {
                    warnedShell = true;
                    System.err.println("LambdaRuntimeApi: warning: the function process " + pid + " is a shell (" + comm.trim()
                            + ") that did not exec; measuring its descendant " + best + " instead (use `exec` in wrappers)");
                }
                return best;
            }
        }
        return pid;
    }

    boolean warnedShell;

    long peakRssKiB() {
        return child == null ? -1 : statusKiB(measuredPid(), "VmHWM:");
    }

    long currentRssKiB() {
        return child == null ? -1 : statusKiB(measuredPid(), "VmRSS:");
    }

    static String readProc(long pid, String file) {
        try {
            return Files.readString(Paths.get("/proc", Long.toString(pid), file));
        } catch (IOException e) {
            return null;
        }
    }

    static long statusKiB(long pid, String key) {
        String s = readProc(pid, "status");
        if (s == null) return -1;
        for (String line : s.split("\n"))
            if (line.startsWith(key)) return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
        return -1;
    }
}
