#!/usr/bin/env bash
# spark-submit, as a cluster user runs it, from the project's own jars: SparkSubmit in client mode ships
# target/augsweep.jar and target/app-lib/*.jar (Spark itself is provided by the cluster) to the executors.
#
#   src/test/cluster/submit.sh spark://127.0.0.1:7177 run jobs/smoke.conf --results /shared/results ...
#
# SUBMIT_CONF adds spark-submit options (no spaces inside values); EXECUTOR_JAVA_OPTS adds executor JVM options.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
dir="${CLUSTER_DIR:-$root/target/local-cluster}"
master="$1"; shift
opens=""
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens="$opens --add-opens=java.base/$p=ALL-UNNAMED"
done
jemalloc=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
export SPARK_LOCAL_IP=127.0.0.1 SPARK_SCALA_VERSION=2.13 SPARK_HOME="$dir/spark-home"
exec java -Xmx2g $opens -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true \
  -Dai.djl.offline=true -Dlog4j2.configurationFile="$root/src/main/resources/log4j2.properties" \
  -cp "$dir/spark-home/jars/*" org.apache.spark.deploy.SparkSubmit \
  --master "$master" --deploy-mode client --class dev.augsweep.cli.Main \
  --jars "$(ls "$root"/target/app-lib/*.jar | paste -sd,)" \
  --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
  --conf spark.executor.memory=2g --conf spark.task.cpus=1 --conf spark.task.maxFailures=4 \
  --conf "spark.executor.extraJavaOptions=-Dai.djl.offline=true ${EXECUTOR_JAVA_OPTS:-}" \
  --conf spark.executorEnv.SPARK_LOCAL_IP=127.0.0.1 \
  --conf spark.executorEnv.LD_PRELOAD=$jemalloc \
  --conf spark.executorEnv.MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1 \
  ${SUBMIT_CONF:-} \
  "$root/target/augsweep.jar" "$@"
