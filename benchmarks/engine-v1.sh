#!/usr/bin/env bash
# Builds the v1 engine, the core module as it was at the tag engine-v1, into benchmarks/engine-v1/
# (which git ignores) for the benchmarks' LAZY_V1 peer, and prints the jar's path. Nothing is
# installed and no jar is committed. A second run reuses the jar if it was built from the same commit.
#
#   benchmarks/engine-v1.sh
#   java -Dlazyworkqueue.engine-v1.jar="$(benchmarks/engine-v1.sh)" -jar benchmarks/target/benchmarks.jar ...
#
# Exits with status 3 and says why when the clone holds neither the tag nor its commit (a shallow
# clone): fetch the tag (git fetch origin tag engine-v1) or run the benchmarks without the peer.
set -euo pipefail
cd "$(dirname "$0")/.."

# The tag's commit, for clones that have the commit but not the tag.
v1_commit=454f6771e1e9bfa8c2725b05401a03e684620b62
out=benchmarks/engine-v1
jar="$out/lazy-workqueue-core-v1.jar"

if ! commit=$(git rev-parse --verify --quiet 'engine-v1^{commit}' || git rev-parse --verify --quiet "$v1_commit^{commit}"); then
    echo "engine-v1.sh: this clone has neither the tag engine-v1 nor its commit $v1_commit (a shallow clone?)" >&2
    exit 3
fi
if [[ -f "$jar" && "$(cat "$out/commit" 2>/dev/null)" == "$commit" ]]; then
    echo "$PWD/$jar"
    exit 0
fi

rm -rf "$out"
mkdir -p "$out/src"
# The root pom is the core's parent; LICENSE and NOTICE are resources of every jar.
git archive "$commit" pom.xml LICENSE NOTICE lazy-workqueue-core | tar -x -C "$out/src"
# The core's own pom, not the root's: the root lists modules this archive leaves out.
mvn -B -q -f "$out/src/lazy-workqueue-core/pom.xml" package \
    -Dmaven.test.skip=true -Dmaven.source.skip=true -Dmaven.javadoc.skip=true >&2
built=$(find "$out/src/lazy-workqueue-core/target" -maxdepth 1 -name 'lazy-workqueue-core-*.jar' | sed -n 1p)
if [[ -z "$built" ]]; then
    echo "engine-v1.sh: the build left no jar in $out/src/lazy-workqueue-core/target" >&2
    exit 1
fi
cp "$built" "$jar"
echo "$commit" > "$out/commit"
echo "$PWD/$jar"
