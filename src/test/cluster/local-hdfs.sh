#!/usr/bin/env bash
# An HDFS on this machine, for trying --results hdfs://...: Hadoop's MiniDFSCluster (a name node and one data node,
# the Hadoop version Spark ships) from the project's test dependencies; no Hadoop download.
#
#   src/test/cluster/local-hdfs.sh start [PORT]   # in the background; waits until it answers; default port 9000
#   src/test/cluster/local-hdfs.sh stop [PORT]    # stops the one start began
#   src/test/cluster/local-hdfs.sh status [PORT]
#   src/test/cluster/local-hdfs.sh [run] [PORT]   # in the foreground until Ctrl-C
#
# Blocks live in $HDFS_DIR (default target/local-hdfs) and survive a restart, so a sweep written there resumes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cmd=run
case "${1:-}" in start|stop|status|run) cmd="$1"; shift ;; esac
port="${1:-9000}"
dir="${HDFS_DIR:-$root/target/local-hdfs}"
pidfile="$dir/hdfs-$port.pid"
log="$dir/hdfs-$port.log"
mkdir -p "$dir"

running() {
  [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

answers() {
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

case "$cmd" in
  stop)
    if running; then
      kill "$(cat "$pidfile")"
      for _ in $(seq 1 60); do running || break; sleep 0.5; done
      rm -f "$pidfile"
      echo "HDFS at hdfs://localhost:$port stopped"
    else
      rm -f "$pidfile"
      echo "no HDFS started here on port $port"
    fi
    exit 0 ;;
  status)
    if running; then echo "HDFS at hdfs://localhost:$port is running (pid $(cat "$pidfile"), log $log)"; exit 0; fi
    echo "no HDFS started here on port $port"; exit 1 ;;
esac

if [ ! -s "$dir/classpath" ]; then
  (cd "$root" && mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$dir/classpath")
fi
format=()
[ -d "$dir/data/name-0-1" ] || format=(-format)  # the name node's directory: formatted once
hdfs=(java -cp "$(cat "$dir/classpath")" org.apache.hadoop.test.MiniDFSClusterManager -nnport "$port" -datanodes 1
      -D "hdfs.minidfs.basedir=$dir/data" "${format[@]}")

if [ "$cmd" = run ]; then
  echo "HDFS at hdfs://localhost:$port (Ctrl-C stops it; blocks in $dir/data)"
  exec "${hdfs[@]}"
fi
if running; then
  echo "HDFS at hdfs://localhost:$port is already running (pid $(cat "$pidfile"))"
  exit 0
fi
nohup "${hdfs[@]}" >"$log" 2>&1 &
echo $! >"$pidfile"
for _ in $(seq 1 120); do
  if answers; then
    echo "HDFS at hdfs://localhost:$port (log $log; stop it with: $0 stop $port)"
    exit 0
  fi
  running || { echo "HDFS did not start; its log, $log, ends:" >&2; tail -20 "$log" >&2; exit 1; }
  sleep 0.5
done
echo "HDFS did not answer on port $port within a minute; see $log" >&2
exit 1
