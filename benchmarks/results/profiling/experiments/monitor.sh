#!/usr/bin/env bash
# Every 5 s: load, the benchmark running in our pass, and java processes that are not ours.
while true; do
    cur=$(grep -E "^# Benchmark:|^# Parameters:" /tmp/run-final.log 2>/dev/null | tail -2 | tr '\n' ' ' | sed 's/# Benchmark: io.lazyworkqueue.benchmarks.//; s/# Parameters://')
    foreign=""
    for p in $(pgrep java); do
        cwd=$(readlink /proc/$p/cwd 2>/dev/null)
        case "$cwd" in /work/wt-bench*) ;; *) foreign="$foreign [$p $cwd $(tr '\0' ' ' < /proc/$p/cmdline 2>/dev/null | cut -c1-80)]";; esac
    done
    echo "$(date +%T) load=$(cut -d' ' -f1 /proc/loadavg) cur=$cur foreign=${foreign:-none}" >> /tmp/monitor.log
    sleep 5
done
