#!/usr/bin/env bash
# Interleaved A/B of the yield-before-park prototype: baseline and patched alternate, 3 rounds,
# so that a change in the machine's conditions hits both sides alike.
set -u
quiet=0
while [ $quiet -lt 6 ]; do
    if tail -1 /tmp/monitor.log | grep -q "foreign=none"; then quiet=$((quiet+1)); else quiet=0; fi
    sleep 5
done
cd /work/wt-bench
out=benchmarks/results/profiling/ab-yield
mkdir -p $out
J=benchmarks/target/benchmarks.jar
echo "start $(date +%T)" > /tmp/ab.log
for round in 1 2 3; do
  for variant in baseline yield; do
    if [ $variant = baseline ]; then CP=$J; else CP=/tmp/patch-yield/classes:$J; fi
    echo "$round $variant $(date +%T)" >> /tmp/ab.log
    java -cp $CP org.openjdk.jmh.Main "TinyTaskThroughput|HandOffLatency" -p peer=LAZY -p workMicros=0,1 -i 3 \
        -rf json -rff $out/$variant-$round.json > $out/$variant-$round.txt 2>&1
  done
done
echo "end $(date +%T)" >> /tmp/ab.log
