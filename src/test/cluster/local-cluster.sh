#!/usr/bin/env bash
# A real Spark standalone cluster on this machine, from the project's own Maven jars (no Spark download exists
# here): a Master and N Workers on 127.0.0.1, each Worker with its own work dir, executors launched by the Workers.
#
#   src/test/cluster/local-cluster.sh start [WORKERS]   # default 2; prints the master URL
#   src/test/cluster/local-cluster.sh stop
#   src/test/cluster/local-cluster.sh kill-worker N     # kill -9 Worker N and its executor (fault tests)
#
# State lives in $CLUSTER_DIR (default target/local-cluster); the master listens on $CLUSTER_PORT (default 7177);
# each Worker offers $WORKER_CORES task slots (default 1).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
dir="${CLUSTER_DIR:-$root/target/local-cluster}"
port="${CLUSTER_PORT:-7177}"
spark_home="$dir/spark-home"
export SPARK_LOCAL_IP=127.0.0.1 SPARK_SCALA_VERSION=2.13 SPARK_HOME="$spark_home"

opens=""
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens="$opens --add-opens=java.base/$p=ALL-UNNAMED"
done

# SPARK_HOME/jars holds exactly Spark's own dependency closure, as a Spark distribution would: resolved by Maven
# from a pom that names only spark-core and spark-sql (the versions the project builds against).
spark_home_layout() {
  [ -f "$spark_home/jars/.complete" ] && return
  mkdir -p "$spark_home/jars" "$spark_home/conf" "$dir/pom"
  version=$(sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' "$root/pom.xml")
  cat > "$dir/pom/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>local</groupId><artifactId>spark-home</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.spark</groupId><artifactId>spark-core_2.13</artifactId><version>$version</version></dependency>
    <dependency><groupId>org.apache.spark</groupId><artifactId>spark-sql_2.13</artifactId><version>$version</version></dependency>
  </dependencies></project>
POM
  (cd "$dir/pom" && mvn -q -B -Dstyle.color=never dependency:copy-dependencies -DoutputDirectory="$spark_home/jars" -DincludeScope=runtime)
  touch "$spark_home/jars/.complete"
}

wait_for() { # file pattern seconds
  for _ in $(seq 1 $(( $3 * 10 ))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1:" >&2; tail -20 "$1" >&2; return 1
}

start() {
  workers="${1:-2}"
  spark_home_layout
  mkdir -p "$dir/logs"
  # setsid: each daemon leads its own process group, so stop (or a fault test) takes its executors down with it.
  setsid java -Xmx512m $opens -cp "$spark_home/jars/*" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$port" --webui-port 0 > "$dir/logs/master.log" 2>&1 < /dev/null &
  echo $! > "$dir/master.pid"
  wait_for "$dir/logs/master.log" "I have been elected leader" 60
  for i in $(seq 1 "$workers"); do
    mkdir -p "$dir/worker$i"
    gpus=""
    if [ -n "${WORKER_GPUS:-}" ]; then
      # Worker i advertises the i-th ';'-separated group of WORKER_GPUS (comma-separated addresses, as a discovery
      # script on a GPU machine prints them: indices, GPU-<uuid>, MIG-<uuid>); nothing checks they exist.
      addresses=$(echo "$WORKER_GPUS" | cut -d';' -f"$i")
      printf '#!/bin/sh\necho '"'"'{"name": "gpu", "addresses": ["%s"]}'"'"'\n' "$(echo "$addresses" | sed 's/,/", "/g')" \
        > "$dir/gpus$i.sh"
      chmod +x "$dir/gpus$i.sh"
      gpus="-Dspark.worker.resource.gpu.amount=$(echo "$addresses" | tr ',' '\n' | wc -l)"
      gpus="$gpus -Dspark.worker.resource.gpu.discoveryScript=$dir/gpus$i.sh"
    fi
    setsid java -Xmx512m $opens $gpus -cp "$spark_home/jars/*" org.apache.spark.deploy.worker.Worker \
      "spark://127.0.0.1:$port" --host 127.0.0.1 --cores "${WORKER_CORES:-1}" --memory 3g --work-dir "$dir/worker$i" \
      --webui-port 0 > "$dir/logs/worker$i.log" 2>&1 < /dev/null &
    echo $! > "$dir/worker$i.pid"
  done
  for i in $(seq 1 "$workers"); do wait_for "$dir/logs/worker$i.log" "Successfully registered with master" 60; done
  echo "spark://127.0.0.1:$port"
}

kill_group() { # pid file
  [ -f "$1" ] || return 0
  pid=$(cat "$1")
  kill -9 -- "-$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null || true
  rm -f "$1"
}

case "${1:-}" in
  start) start "${2:-2}" ;;
  stop) for f in "$dir"/worker*.pid "$dir/master.pid"; do kill_group "$f"; done ;;
  kill-worker) kill_group "$dir/worker$2.pid" ;;
  *) echo "usage: [WORKER_GPUS='a,b;c'] $0 start [WORKERS] | stop | kill-worker N" >&2; exit 2 ;;
esac
