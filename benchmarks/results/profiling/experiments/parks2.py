import json, subprocess, sys, collections, re
J='/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr'
for p in ['LAZY','LAZY_ROUND_ROBIN','EAGER_PER_CPU','THREAD_POOL','FORK_JOIN']:
  for t in ['1','4']:
    txt=open(f'/tmp/park-{p}-{t}.txt').read()
    w=float(re.search(r'# Warmup Iteration\s+1: ([\d.]+) ops/s',txt).group(1)); m=float(re.search(r'\nIteration\s+1: ([\d.]+) ops/s',txt).group(1))
    tasks = 0.5*w + 1.0*m
    out = subprocess.run([J,'print','--json','--events','jdk.ThreadPark','--stack-depth','1',f'/tmp/park-{p}-{t}.jfr'],capture_output=True,text=True).stdout
    evs = json.loads(out)['recording']['events']
    by = collections.Counter()
    for e in evs:
        th = (e['values'].get('eventThread') or {}).get('javaName','?')
        kind = 'producer' if 'jmh-worker' in th else ('main' if th=='main' else ('core' if th.endswith('core') else 'worker'))
        by[kind]+=1
    print(f"{p:18s} producers={t} tasks~{tasks/1e6:.2f}M  worker parks per 100 tasks {100*by['worker']/tasks:5.2f}  producer parks per 100 tasks {100*by['producer']/tasks:5.2f}")
