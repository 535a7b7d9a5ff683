#!/usr/bin/env bash
# Profiling and A/B experiments, run once the machine is quiet; the monitor logs foreign work.
set -u
quiet=0
while [ $quiet -lt 12 ]; do
    if tail -1 /tmp/monitor.log | grep -q "foreign=none"; then quiet=$((quiet+1)); else quiet=0; fi
    sleep 5
done
cd /work/wt-bench
out=benchmarks/results/profiling
J=benchmarks/target/benchmarks.jar
echo "start $(date +%T)" > /tmp/experiments.log
# S2: allocation and context switches per task, pre-touched heap (the defaults of the pass)
echo "S2 $(date +%T)" >> /tmp/experiments.log
java -jar $J "TinyTaskThroughput.producers(1|4)" -p workMicros=0 -p peer=LAZY,LAZY_ROUND_ROBIN,THREAD_POOL,FORK_JOIN,EAGER_PER_CPU \
    -prof gc -prof "perfnorm:events=context-switches,cpu-migrations" -rf json -rff $out/throughput-gc-perfnorm.json > $out/throughput-gc-perfnorm.txt 2>&1
# parks per task (JFR jdk.ThreadPark at threshold 0)
echo "parks $(date +%T)" >> /tmp/experiments.log
for p in LAZY LAZY_ROUND_ROBIN EAGER_PER_CPU THREAD_POOL FORK_JOIN; do
  for t in 1 4; do
    java -jar $J "TinyTaskThroughput.producers$t" -p workMicros=0 -p peer=$p -wi 1 -w 500ms -i 1 -r 1s \
        -jvmArgsAppend "-XX:StartFlightRecording=filename=/tmp/park-$p-$t.jfr,settings=/tmp/park.jfc" > /tmp/park-$p-$t.txt 2>&1
  done
done
# S1: yield-before-park A/B, two forks each
echo "S1 $(date +%T)" >> /tmp/experiments.log
for variant in baseline yield; do
  if [ $variant = baseline ]; then CP=$J; else CP=/tmp/patch-yield/classes:$J; fi
  java -cp $CP org.openjdk.jmh.Main "TinyTaskThroughput|HandOffLatency" -p peer=LAZY,LAZY_ROUND_ROBIN -p workMicros=0,1 -f 2 \
      -rf json -rff $out/exp-yield-$variant.json > $out/exp-yield-$variant.txt 2>&1
done
# S3: cold start, phase by phase
echo "S3 $(date +%T)" >> /tmp/experiments.log
for c in 0 1; do
  java -cp $J io.lazyworkqueue.benchmarks.ColdStartBreakdown 1000 $c > $out/cold-start-breakdown-submitter-cpu$c.txt 2>&1
done
echo "end $(date +%T)" >> /tmp/experiments.log
