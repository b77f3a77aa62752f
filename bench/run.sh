#!/usr/bin/env bash
# Herald benchmark: Herald (its relay listener over wss and ws, and its web server's /mqtt over wss)
# against Mosquitto's own WebSocket listener, lighttpd mod_wstunnel (wss) and optionally nginx
# (wss), all in front of one Mosquitto, same load client.
#
#   bench/run.sh [--quick] [--nginx] [--rounds N] [--scenarios a,b,c,d,s,k] [--profile] [--perf]
#                [--targets mosquitto-ws,lighttpd-wss,nginx-wss,herald-wss,herald-ws,herald-web-wss,herald-wss-open,
#                           herald-sse,herald-wss-nometrics,herald-wss-alt]
#
# Scenarios a-d run by default; s (a plus a stalled subscriber; run with a) and k (soak: 100,000
# visits against Herald, heap, threads, descriptors and direct memory before and after) on request.
# Targets herald-sse (event streams instead of WebSockets; scenario a only) and herald-wss-nometrics
# (Herald's own meters off) on request. Examples:
#   bench/run.sh --rounds 3 --scenarios a --targets herald-wss,herald-sse,herald-wss-nometrics,lighttpd-wss
#   bench/run.sh --rounds 3 --scenarios a,s --targets herald-wss,lighttpd-wss
#   bench/run.sh --rounds 1 --scenarios k --targets herald-wss
#   HERALD_JAVA_OPTS=-Xmx512m bench/run.sh --rounds 1 --scenarios b --targets herald-wss
#   HERALD_ALT_JAVA_OPTS=-XX:+UseParallelGC bench/run.sh --rounds 3 --scenarios a,c,d \
#       --targets herald-wss,herald-wss-alt,lighttpd-wss
#   bench/run.sh --perf --rounds 1 --scenarios a,c,d --targets herald-wss,lighttpd-wss
#
# The full run (3 rounds, 5 targets) takes about 50 minutes on 2 cores.
# Installs nothing: checks the binaries it needs, builds Herald and the load client, starts every
# target on free loopback ports, stops everything it started, and prints a table of medians.
# --quick: tiny counts and durations (a smoke run). --profile: JFR recording and jcmd memory
# summaries of the Herald processes, kept with the results.
# Herald runs as shipped: HERALD_JAVA_OPTS (JVM options) and HERALD_ARGS (--property=value ...) try
# other settings; the table's header shows any in use. HERALD_JAVA names another java binary for
# Herald (the load client stays on the default java).
# herald-wss-alt is Herald wss with one change to try in the same rounds (an A/B): HERALD_ALT_JAVA
# (another java), HERALD_ALT_JAVA_OPTS (more JVM options), HERALD_ALT_ARGS (more --property=value).
# --perf: perf record (cpu-clock) of every target's WebSocket server over each measured phase,
# summed by library, by thread and by symbol into the results (needs perf, Debian package linux-perf).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for binary in java mosquitto lighttpd openssl getconf; do
    command -v "$binary" >/dev/null || missing+=("$binary")
done
if ((${#missing[@]})); then
    echo "Missing: ${missing[*]} (Debian packages: default-jdk-headless mosquitto lighttpd openssl)" >&2
    exit 2
fi

work="$(mktemp -d -t herald-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# lighttpd must have mod_wstunnel, mod_openssl and mod_setenv: a config loading them must pass its test.
printf 'server.document-root = "%s"\nserver.port = 1\nserver.modules = ("mod_openssl", "mod_setenv", "mod_wstunnel")\n' \
    "$work" >"$work/check-lighttpd.conf"
if ! lighttpd -tt -f "$work/check-lighttpd.conf" >/dev/null 2>&1; then
    echo "lighttpd lacks mod_wstunnel, mod_openssl or mod_setenv (Debian package lighttpd)" >&2
    exit 2
fi

# nginx is optional (a full run with it takes about a quarter longer): --nginx adds it.
args=()
targets="mosquitto-ws,lighttpd-wss,herald-wss,herald-ws,herald-web-wss"
for arg in "$@"; do
    if [[ "$arg" == --nginx ]]; then
        command -v nginx >/dev/null || { echo "nginx not found (Debian package nginx-light)" >&2; exit 2; }
        targets="mosquitto-ws,lighttpd-wss,nginx-wss,herald-wss,herald-ws,herald-web-wss"
    else
        args+=("$arg")
    fi
done
if ! printf '%s\n' "${args[@]}" | grep -qx -- '--targets'; then
    args+=(--targets "$targets")
fi

# 9,000 browsers: the client holds 9,000 sockets, a relay 18,000; every process inherits this limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if (($(ulimit -n) < 20000)); then
    echo "warning: open files limit is $(ulimit -n); scenario (b) needs 20000 (ulimit -n)" >&2
fi

echo "Building Herald and the load client..." >&2
./mvnw -q -B package -DskipTests
./mvnw -q -B -f bench/pom.xml package
jar="$(pwd)/$(ls target/herald-*.jar | grep -v -- '-plain\|sources' | head -n 1)"

out="$(pwd)/bench/target/results/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
java -Xms2g -Xmx4g -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled ${BENCH_CLIENT_OPTS:-} \
    -Dbench.clockTicks="$(getconf CLK_TCK)" -Dbench.heraldJava="${HERALD_JAVA:-}" \
    -Dbench.altJava="${HERALD_ALT_JAVA:-}" -Dbench.altJvm="${HERALD_ALT_JAVA_OPTS:-}" -Dbench.altArgs="${HERALD_ALT_ARGS:-}" \
    -cp "bench/target/classes:bench/target/lib/*" io.herald.bench.Bench \
    --herald-jar "$jar" --work "$work" --out "$out" ${HERALD_JAVA_OPTS:+--herald-jvm "$HERALD_JAVA_OPTS"} ${HERALD_ARGS:+--herald-args "$HERALD_ARGS"} "${args[@]}" \
    | tee "$out/report.md"
