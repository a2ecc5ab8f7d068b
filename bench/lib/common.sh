# Shared by bench/coldstart/run.sh and bench/cpu/run.sh (sourced, not run).
# floor_built <variant>: whether the floor's artefact exists (bench/floor/build.sh).
# Needs: $root (the project), $out (a results folder). Sets: ramen_pid, ramen_url.
RIC_VERSION=2.10.1

# The JVM artefact as deployed: infra/dist/jvm.zip (infra/build.sh --jvm-only; infra/dist/jvm/function.zip
# from older build.sh versions) unpacked into target/bench-task-jvm (Lambda's /var/task), plus AWS's
# runtime interface client in target/local-ric/jars.
# prepare_jvm floor: the JVM start floor instead (bench/floor/dist/a-jvm.zip, bench/floor/build.sh a-jvm) into
# target/bench-task-floor-jvm.
prepare_jvm() {
  local zip="$root/infra/dist/jvm.zip" task="$root/target/bench-task-jvm"
  if [[ "${1:-}" == floor ]]; then
    zip="$root/bench/floor/dist/a-jvm.zip" task="$root/target/bench-task-floor-jvm"
    [[ -f "$zip" ]] || { echo "bench: no bench/floor/dist/a-jvm.zip (bench/floor/build.sh a-jvm)" >&2; return 1; }
  elif [[ "${1:-}" == floor-vertx ]]; then
    zip="$root/bench/floor/dist/a-vertx-jvm.zip" task="$root/target/bench-task-floor-jvm-vertx"
    [[ -f "$zip" ]] || { echo "bench: no bench/floor/dist/a-vertx-jvm.zip (bench/floor/build.sh a-vertx-jvm)" >&2; return 1; }
  fi
  [[ -f "$zip" ]] || zip="$root/infra/dist/jvm/function.zip"
  [[ -f "$zip" ]] || { echo "bench: no infra/dist/jvm.zip (infra/build.sh --jvm-only)" >&2; return 1; }
  if [[ ! -f "$task/.from-zip" || "$zip" -nt "$task/.from-zip" ]]; then
    rm -rf "$task"; mkdir -p "$task"; (cd "$task" && unzip -q "$zip"); touch "$task/.from-zip"
  fi
  local ric="$root/target/local-ric"
  if [[ ! -f "$ric/.complete-$RIC_VERSION" ]]; then
    mkdir -p "$ric/jars"
    cat > "$ric/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local</groupId><artifactId>local-ric</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies><dependency><groupId>com.amazonaws</groupId><artifactId>aws-lambda-java-runtime-interface-client</artifactId>
    <version>$RIC_VERSION</version></dependency></dependencies>
</project>
POM
    "$root/mvnw" -q -B -f "$ric/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$ric/jars" >&2
    touch "$ric/.complete-$RIC_VERSION"
  fi
}

# A fake Ramen answering at once (or after --latency-ms), tracking messageIds, warmed with 3 000 requests
# so that its JIT-compiled code, not its start-up, is what runs while the function is measured.
start_ramen() { # <port> [latency-ms]
  local port="$1" latency="${2:-0}"
  java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m "$root/bench/FakeRamen.java" --port "$port" \
    --latency-ms "$latency" --track-ids --port-file "$out/ramen.port" 2>"$out/fake-ramen.log" &
  ramen_pid=$!
  for _ in $(seq 1 600); do [[ -s "$out/ramen.port" ]] && break; sleep 0.05; done
  [[ -s "$out/ramen.port" ]] || { echo "bench: fake Ramen did not start" >&2; cat "$out/fake-ramen.log" >&2; return 1; }
  ramen_url="http://127.0.0.1:$port"
  ramen_cg="/sys/fs/cgroup/cpuacct/bench-ramen-$$" # its CPU, threads that ended included (a check column)
  if mkdir -p "$ramen_cg" 2>/dev/null && echo "$ramen_pid" > "$ramen_cg/cgroup.procs" 2>/dev/null; then :; else ramen_cg=""; fi
  python3 - "$ramen_url" <<'PY'
import http.client, sys, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
c = http.client.HTTPConnection(u.hostname, u.port)
for i in range(3000):
    c.request("POST", "/v1/warm", body=('{"message_id":"warm-%d","user_id":"u"}' % i).encode(), headers={"Content-Type": "application/json"})
    c.getresponse().read()
c.request("GET", "/__count"); c.getresponse().read()
c.request("POST", "/__reset", body=b""); c.getresponse().read()
PY
}

stop_ramen() {
  [[ -n "${ramen_pid:-}" ]] && kill "$ramen_pid" 2>/dev/null && wait "$ramen_pid" 2>/dev/null || true
  ramen_pid=""
  [[ -n "${ramen_cg:-}" ]] && rmdir "$ramen_cg" 2>/dev/null || true
}

machine_note() { # how loaded the machine was, and a fixed CPU workload's CPU time (contention inflates CPU time too)
  local cal
  cal="$(python3 -c 'import hashlib,time; b=bytes(32<<20); t=time.process_time(); [hashlib.sha256(b).digest() for _ in range(4)]; print("%.0f" % ((time.process_time()-t)*1000))')"
  echo "- machine: $(nproc) cores; $(uptime | sed 's/.*load average/load average/'); Maven/native-image processes running: $(pgrep -f 'NativeImageGeneratorRunner|plexus-classworlds' | wc -l); calibration: SHA-256 of 128 MiB took $cal ms of CPU"
}

floor_built() {
  case "$1" in
    floor-a) [[ -x "$root/bench/floor/dist/a-runner" ]] ;;
    floor-a2|floor-event) [[ -x "$root/bench/floor/dist/a2-runner" ]] ;;
    floor-jvm) [[ -f "$root/bench/floor/dist/a-jvm.zip" ]] ;;
    floor-jvm-vertx) [[ -f "$root/bench/floor/dist/a-vertx-jvm.zip" ]] ;;
    *) return 1 ;;
  esac
}
