#!/usr/bin/env bash
# An HDFS on this machine, for trying --results hdfs://...: Hadoop's MiniDFSCluster (a name node and one data node,
# the Hadoop version Spark ships) from the project's test dependencies; no Hadoop download.
#
#   src/test/cluster/local-hdfs.sh [PORT]    # default 9000; in the foreground until Ctrl-C
#
# Blocks live in $HDFS_DIR (default target/local-hdfs) and survive a restart, so a sweep written there resumes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
port="${1:-9000}"
dir="${HDFS_DIR:-$root/target/local-hdfs}"
mkdir -p "$dir"
if [ ! -s "$dir/classpath" ]; then
  (cd "$root" && mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$dir/classpath")
fi
format=()
[ -d "$dir/data/name-0-1" ] || format=(-format)  # the name node's directory: formatted once
echo "HDFS at hdfs://localhost:$port (Ctrl-C stops it; blocks in $dir/data)"
exec java -cp "$(cat "$dir/classpath")" org.apache.hadoop.test.MiniDFSClusterManager -nnport "$port" -datanodes 1 \
  -D "hdfs.minidfs.basedir=$dir/data" "${format[@]}"
