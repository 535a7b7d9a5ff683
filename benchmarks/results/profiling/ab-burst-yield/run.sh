#!/usr/bin/env bash
set -u
out=benchmarks/results/profiling/ab-burst-yield
for round in 1 2 3; do
  for variant in base new; do
    echo "$round $variant $(date +%T)" >> $out/log
    java -jar benchmarks-$variant.jar "TinyTaskThroughput|HandOffLatency" -p peer=LAZY,LAZY_ROUND_ROBIN -p workMicros=0 -i 3 \
        -rf json -rff $out/$variant-$round.json > $out/$variant-$round.txt 2>&1
  done
done
echo "end $(date +%T)" >> $out/log
