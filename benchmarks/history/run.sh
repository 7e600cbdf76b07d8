#!/usr/bin/env bash
# History scale: start-up, first metered call and RSS of a JVM with the agent over a data dir holding
# 0, 100k and 1M records of history (30 daily files), then `report` over it.
#
#   benchmarks/history/run.sh AGENT_JAR [RECORDS...]       (default RECORDS: 0 100000 1000000)
#   BUDGET='-Dtollgate.budget.tenant.*=1000/month' benchmarks/history/run.sh ...   (budgets besides the wallet's)
#
# Needs integration-tests/target/test-classes (the history generator); run from the repository root
# after ./mvnw verify (or `./mvnw -pl integration-tests -am test-compile`). Each configuration runs
# ROUNDS times (default 3); the table shows medians, wall time with CPU time (user + system of the
# child JVM) in brackets. "cold" is the first start on the history (no checkpoint yet), "warm" the
# start after it; "report, first" builds the rollups, "report, again" reads them.
set -euo pipefail
AGENT=$(realpath "$1"); shift
SIZES=("${@:-0 100000 1000000}")
SIZES=(${SIZES[@]})
ROUNDS=${ROUNDS:-3}
read -r -a BUDGET_ARGS <<< "${BUDGET:-}"
JAVA=${JAVA:-java}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
HERE=$(dirname "$0")
javac -d "$WORK/classes" "$HERE/FirstCall.java"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# one start: prints "first_call_ms cpu_ms rss_mb" (cpu: user + system of the whole JVM)
start() {
  local dir=$1 port=$((20000 + RANDOM % 20000))
  /usr/bin/time -f "RSS %M CPU %U %S" -o "$WORK/time" "$JAVA" -javaagent:"$AGENT" -Dtollgate.data-dir="$dir" -Dtollgate.budget=100000 ${BUDGET_ARGS[@]+"${BUDGET_ARGS[@]}"} \
    -Dtollgate.tokenizer=heuristic -Dtollgate.endpoint.fake.url=http://127.0.0.1:$port/v1 -Dtollgate.endpoint.fake.format=openai \
    -cp "$WORK/classes" FirstCall $port > "$WORK/out" 2> "$WORK/err"
  grep -q "STATUS 200" "$WORK/out" || { cat "$WORK/out" "$WORK/err" >&2; exit 1; }
  echo "$(grep FIRST_CALL_MS "$WORK/out" | cut -d' ' -f2) $(cpu_ms) $(($(grep RSS "$WORK/time" | cut -d' ' -f2) / 1024))"
}

cpu_ms() { awk '/CPU/ {printf "%d", ($4 + $5) * 1000}' "$WORK/time"; }

# one report: prints "wall_ms cpu_ms"
timed_report() {
  local s=$(date +%s%N)
  /usr/bin/time -f "RSS %M CPU %U %S" -o "$WORK/time" "$JAVA" -jar "$AGENT" report --data-dir "$1" > /dev/null
  echo "$((($(date +%s%N) - s) / 1000000)) $(cpu_ms)"
}

echo "| history | cold start: first call (CPU) | cold RSS | warm start: first call (CPU) | warm RSS | report, first (CPU) | report, again (CPU) |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for n in "${SIZES[@]}"; do
  cold=(); coldcpu=(); coldrss=(); warm=(); warmcpu=(); warmrss=(); rep1=(); rep1cpu=(); rep2=(); rep2cpu=()
  for r in $(seq 1 "$ROUNDS"); do
    dir="$WORK/data-$n-$r"
    mkdir -p "$dir" && chmod 700 "$dir"
    [ "$n" -gt 0 ] && "$JAVA" -cp "${GENERATOR_CP:-integration-tests/target/test-classes}" dev.tollgate.it.HistoryGenerator "$dir" "$n" 30 > /dev/null
    sync
    read -r ms cpu rss < <(start "$dir"); cold+=("$ms"); coldcpu+=("$cpu"); coldrss+=("$rss")
    read -r ms cpu rss < <(start "$dir"); warm+=("$ms"); warmcpu+=("$cpu"); warmrss+=("$rss")
    read -r ms cpu < <(timed_report "$dir"); rep1+=("$ms"); rep1cpu+=("$cpu")
    read -r ms cpu < <(timed_report "$dir"); rep2+=("$ms"); rep2cpu+=("$cpu")
    rm -rf "$dir"
  done
  m() { printf '%s\n' "$@" | median; }
  echo "| $n | $(m "${cold[@]}") ms ($(m "${coldcpu[@]}") ms) | $(m "${coldrss[@]}") MB | $(m "${warm[@]}") ms ($(m "${warmcpu[@]}") ms) | $(m "${warmrss[@]}") MB | $(m "${rep1[@]}") ms ($(m "${rep1cpu[@]}") ms) | $(m "${rep2[@]}") ms ($(m "${rep2cpu[@]}") ms) |"
done
