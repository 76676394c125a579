#!/usr/bin/env bash
# The application jar on a stock Spark distribution (the pyspark package's bin/spark-submit and Scala
# 2.13 jars), without bin/synergen: ingest -> tokenize -> pretrain stage 1 on data/sample with
# --master local[2], then the same on a standalone Master + Worker started here on 127.0.0.1 and
# stopped at the end. Also: no class in the jar is one Spark ships, and the jobs' terminal output
# holds no INFO line from Spark unless asked for. bin/test runs this after `mvn -Pdist verify`.
#
#   dist/src/test/spark-submit-test.sh SPARK_HOME
# Prints one PASS/FAIL line per check; exits 1 if any failed.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
SPARK_HOME="$1"
JAR="$ROOT/dist/target/synergen-spark-0.1.0-SNAPSHOT.jar"
WORK="$(mktemp -d /tmp/synergen-spark-submit.XXXXXX)"
export SPARK_HOME SPARK_LOCAL_IP=127.0.0.1 OMP_NUM_THREADS=1
failed=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failed=1; }
check() { local name="$1"; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }

pids=()
stop_started() {
  for pid in ${pids[@]+"${pids[@]}"}; do kill "$pid" 2>/dev/null; done
  for pid in ${pids[@]+"${pids[@]}"}; do wait "$pid" 2>/dev/null; done
}
trap stop_started EXIT

[ -f "$JAR" ] || { fail "application jar $JAR is missing (mvn -Pdist package)"; exit 1; }

# 1. Nothing in the jar that Spark's distribution provides (Hadoop, Jackson, Netty, Scala, ...).
unzip -Z1 "$JAR" | grep '\.class$' | sort -u > "$WORK/ours.txt"
for j in "$SPARK_HOME"/jars/*.jar; do unzip -Z1 "$j" | grep '\.class$'; done | sort -u > "$WORK/spark.txt"
comm -12 "$WORK/ours.txt" "$WORK/spark.txt" > "$WORK/overlap.txt"
check "no class of the application jar is also in Spark's jars ($(wc -l < "$WORK/overlap.txt") shared)" \
  test ! -s "$WORK/overlap.txt"
check "only linux-x86_64 natives in the jar" \
  bash -c "! unzip -Z1 '$JAR' | grep -E '\.(so|dylib|dll)$' | grep -v -E '(^|/)linux-x86[-_]64(-avx2)?/' | grep -q ."

# Memory kept small: the tiny model needs little heap; ND4J's off-heap is capped by JavaCPP.
small="-Dorg.bytedeco.javacpp.maxbytes=2g -Dorg.bytedeco.javacpp.maxphysicalbytes=3g -Dsynergen.home=$ROOT"
submit() {  # submit LOG MASTER CLASS ARGS...
  local log="$1" master="$2" class="$3"; shift 3
  "$SPARK_HOME/bin/spark-submit" --master "$master" --class "$class" \
    --driver-memory 1g --executor-memory 1g --total-executor-cores 2 \
    --driver-java-options "$small" --conf "spark.executor.extraJavaOptions=$small" \
    "$JAR" "$@" > "$log" 2>&1
}
# Spark's log lines look like "12:34:56 INFO SparkContext: ..." (any layout puts the level alone)
info_lines() { cat "$@" | grep -c -E '(^|[ \[])INFO[ \]]'; }

pipeline() {  # pipeline NAME MASTER: the three stages, each stage's output checked
  local name="$1" master="$2" out="$WORK/$1"
  mkdir -p "$out"
  if submit "$out/ingest.log" "$master" org.synergen.ingest.IngestJob \
       --input "$ROOT/data/sample/metadata.parquet" --output "$out/images" \
       ingest.output.samples-per-shard=10; then  # 3 shards: each of the 2 pretraining workers reads its own
    check "$name ingest: 28 success rows in _summary.json" \
      python3 -c "import json,sys; sys.exit(json.load(open(sys.argv[1]))['successes'] != 28)" "$out/images/_summary.json"
  else fail "$name ingest exited non-zero (see $out/ingest.log)"; tail -20 "$out/ingest.log"; return; fi
  if submit "$out/tokenize.log" "$master" org.synergen.tokenize.TokenizeJob \
       --input "$out/images" --output "$out/tokens" "tokenize.vq=$ROOT/data/vq-tiny"; then
    check "$name tokenize: token shards and _summary.json" \
      bash -c "ls '$out'/tokens/*.parquet >/dev/null && test -s '$out/tokens/_summary.json'"
  else fail "$name tokenize exited non-zero (see $out/tokenize.log)"; tail -20 "$out/tokenize.log"; return; fi
  if submit "$out/stage1.log" "$master" org.synergen.pretrain.PretrainJob --stage 1 \
       --input "$out/tokens" --init "random:$ROOT/conf/model/tiny.conf" --output "$out/stage1" \
       "init.vision-from=$ROOT/conf/model/tiny.conf" train.steps=4 train.sequence-length=512 \
       train.batch-per-task=4 train.lr.peak=3e-3 train.lr.warmup-steps=2 distributed.workers=2 \
       distributed.local-steps=2 distributed.checkpoint-every-rounds=2; then
    check "$name pretrain stage 1: a complete checkpoint after 4 steps" \
      bash -c "test -f '$out/stage1/checkpoint-00000002/_COMPLETE' && test -s '$out/stage1/checkpoint-00000002/model.safetensors' && grep -q '\"step\" *: *4' '$out/stage1/checkpoint-00000002/trainer_state.json'"
  else fail "$name pretrain stage 1 exited non-zero (see $out/stage1.log)"; tail -20 "$out/stage1.log"; return; fi
  local info; info=$(info_lines "$out"/*.log)
  check "$name: no INFO line in the three jobs' output ($info found)" test "$info" -eq 0
}

# 2. local mode
pipeline local 'local[2]'

# 3. standalone Master + Worker on loopback, started from the distribution's spark-class
ports=($(python3 -c 'import socket
ss=[socket.socket() for _ in range(2)]
[s.bind(("127.0.0.1",0)) for s in ss]
print(*[s.getsockname()[1] for s in ss])'))
master="spark://127.0.0.1:${ports[0]}"
mkdir -p "$WORK/worker"
"$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master --host 127.0.0.1 \
  --port "${ports[0]}" --webui-port "${ports[1]}" > "$WORK/master.log" 2>&1 &
pids+=($!)
"$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 2 \
  --memory 3g --webui-port 0 --work-dir "$WORK/worker" "$master" > "$WORK/worker.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do grep -q "Successfully registered with master" "$WORK/worker.log" && break; sleep 1; done
if grep -q "Successfully registered with master" "$WORK/worker.log"; then
  pass "standalone Master and Worker up on 127.0.0.1 ($master)"
  pipeline standalone "$master"
  check "standalone: executors ran on the Worker and loaded ND4J there" \
    bash -c "grep -qs 'CpuBackend' '$WORK'/worker/app-*/*/stderr"
else
  fail "standalone Worker did not register (see $WORK/worker.log)"; tail -20 "$WORK/worker.log"
fi
stop_started
trap - EXIT

# 4. The launcher: quiet by default, Spark's INFO back with --verbose.
SYNERGEN_HEAP=1g SYNERGEN_OFFHEAP=2g "$ROOT/bin/synergen" ingest --input "$ROOT/data/sample/metadata.parquet" \
  --output "$WORK/launcher-quiet" > "$WORK/launcher-quiet.log" 2>&1
n=$(info_lines "$WORK/launcher-quiet.log")
check "bin/synergen ingest: exit 0 and no INFO line ($n found)" \
  bash -c "test -f '$WORK/launcher-quiet/_summary.json' && test $n -eq 0"
SYNERGEN_HEAP=1g SYNERGEN_OFFHEAP=2g "$ROOT/bin/synergen" --verbose ingest --input "$ROOT/data/sample/metadata.parquet" \
  --output "$WORK/launcher-verbose" > "$WORK/launcher-verbose.log" 2>&1
n=$(grep -c -E ' INFO (SparkContext|Executor|DAGScheduler)' "$WORK/launcher-verbose.log")
check "bin/synergen --verbose ingest: Spark's INFO lines are back ($n from SparkContext/Executor/DAGScheduler)" \
  test "$n" -gt 0

[ "$failed" = 0 ] && rm -rf "$WORK"
exit "$failed"
