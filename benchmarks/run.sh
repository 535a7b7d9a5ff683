#!/usr/bin/env bash
# Builds the benchmarks and runs a pass of all of them: every JMH benchmark with the short warmup
# and measurement its class declares (1 fork), then the thread-footprint harness and the
# cross-queue latency harness. Takes about 10 minutes on a 2-core machine.
#
#   benchmarks/run.sh                  everything
#   benchmarks/run.sh --quick          everything, one short iteration each and a small footprint
#                                      run (2 to 4 minutes): checks that the benchmarks run; its
#                                      numbers mean nothing
#   benchmarks/run.sh HandOffLatency   only the JMH benchmarks matching the regex, no harness
#
# Extra JMH options can follow the regex, for example: benchmarks/run.sh TinyTask -prof gc
#
# The LAZY_V1 peer is the engine as tagged engine-v1, which benchmarks/engine-v1.sh builds into
# benchmarks/engine-v1/ (git ignores it too). Where the clone lacks the tag and its commit (a
# shallow clone), the run goes on without that peer: its JMH runs fail with the reason, and the
# footprint harness leaves it out.
#
# Results go to benchmarks/results/, which git ignores: a run leaves the working tree clean. Each
# run overwrites the previous one's files; copy them elsewhere to keep them.
set -euo pipefail
cd "$(dirname "$0")/.."

results=benchmarks/results
jar=benchmarks/target/benchmarks.jar
mode=full
jmh_options=()
footprint_options=()
cross_queue_trials=30
if [[ "${1:-}" == "--quick" ]]; then
    shift
    mode=quick
    # No warmup, one short iteration, and no pre-touched 1 GB heap, which takes most of a
    # fork's start-up.
    jmh_options=(-wi 0 -i 1 -r 200ms -jvmArgsAppend -XX:-AlwaysPreTouch)
    footprint_options=(--cpus 2 --queues 2)
    cross_queue_trials=3
fi
mkdir -p "$results"
start=$(date +%s)

# Build first, measure afterwards: compiling next to a measurement would disturb it. -am builds
# the parent and the core from this checkout, so nothing needs to be installed beforehand.
echo "== build"
mvn -B -q package -DskipTests -pl benchmarks -am

echo "== engine v1"
java=(java)
fail_fast=true
if v1_jar=$(benchmarks/engine-v1.sh); then
    java+=("-Dlazyworkqueue.engine-v1.jar=$v1_jar")
    v1_engine="$(cat benchmarks/engine-v1/commit) ($v1_jar)"
else
    # Without the jar every LAZY_V1 run fails; the others must not stop there.
    fail_fast=false
    v1_engine="absent: LAZY_V1 is left out"
    echo "LAZY_V1 left out: the v1 engine could not be built (see above)"
fi

{
    echo "mode: $mode"
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "engine v1 (LAZY_V1): $v1_engine"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
    echo "cpus online: $(nproc --all), usable by this process: $(nproc)"
    echo "kernel: $(uname -r)"
    echo "java: $(java -version 2>&1 | sed -n 1p)"
    echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "cpu times before (/proc/stat): $(head -n 1 /proc/stat)"
} > "$results/environment.txt"

echo "== JMH"
if [[ $# -gt 0 ]]; then
    "${java[@]}" -jar "$jar" -foe "$fail_fast" -rf json -rff "$results/jmh.json" ${jmh_options[@]+"${jmh_options[@]}"} "$@" \
        | tee "$results/jmh.txt"
else
    "${java[@]}" -jar "$jar" -foe "$fail_fast" -rf json -rff "$results/jmh.json" ${jmh_options[@]+"${jmh_options[@]}"} \
        | tee "$results/jmh.txt"
    echo "== footprint harness"
    "${java[@]}" -cp "$jar" io.lazyworkqueue.benchmarks.FootprintHarness --out "$results/footprint.csv" \
        ${footprint_options[@]+"${footprint_options[@]}"} | tee "$results/footprint.txt"
    echo "== cross-queue latency harness"
    "${java[@]}" -cp "$jar" io.lazyworkqueue.benchmarks.CrossQueueLatencyHarness "$cross_queue_trials" \
        | tee "$results/cross-queue.txt"
fi

took=$(( $(date +%s) - start ))
{
    echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "cpu times after (/proc/stat): $(head -n 1 /proc/stat)"
    echo "run.sh took: ${took} s"
} >> "$results/environment.txt"
echo "== done in ${took} s; results in $results/"
