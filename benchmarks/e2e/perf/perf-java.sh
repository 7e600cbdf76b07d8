#!/usr/bin/env bash
# A `java` for the e2e harness's --java that runs each child under `perf record`, with the JIT's symbols
# written for perf at exit. Profiles land in $PERF_OUT (default /tmp/tollgate-perf), named agent-<pid>.data
# for a child with a -javaagent and none-<pid>.data for one without. Needs perf (Debian: linux-perf) and
# kernel.perf_event_paranoid <= 1, or root. JAVA picks the JVM (default: the one on PATH).
#
#   java -jar benchmarks/e2e/target/e2e.jar overhead --java benchmarks/e2e/perf/perf-java.sh \
#        --clients okhttp --scenarios metered-json --rounds 1 --warmup 20 --measure 6
#   python3 benchmarks/e2e/perf/split.py /tmp/tollgate-perf/agent-*.data --calls N --window 6
set -euo pipefail
out="${PERF_OUT:-/tmp/tollgate-perf}"
mkdir -p "$out"
tag=none
for a in "$@"; do case "$a" in -javaagent:*) tag=agent ;; esac; done
exec perf record -q -F 999 -g -o "$out/$tag-$$.data" -- "${JAVA:-java}" -XX:+PreserveFramePointer \
  -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit "$@"
