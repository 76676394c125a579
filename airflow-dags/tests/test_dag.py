"""The DAG under real Airflow: (1) the folder imports with no errors and the expected task graph;
(2) dag.test() runs ingest -> tokenize -> pretrain stage 1 -> stage 2 on data/sample through the real
SparkSubmitOperator and spark-submit in local mode, and each stage's output is checked. sft, eval run
and report are not built on this branch: they are left out through params.stages (skipped), never
faked. Prints one PASS/FAIL line per check; exit 1 if any failed."""

import glob
import json
import os
import shutil
import sys
import tempfile

from airflow.models.dagbag import DagBag

HERE = os.path.dirname(os.path.abspath(__file__))
DAGS = os.path.dirname(HERE)
ROOT = os.path.dirname(DAGS)
STAGES = ["ingest", "tokenize", "pretrain_stage1", "pretrain_stage2", "sft", "eval_run", "report"]
CLASSES = {"ingest": "org.synergen.ingest.IngestJob", "tokenize": "org.synergen.tokenize.TokenizeJob",
           "pretrain_stage1": "org.synergen.pretrain.PretrainJob", "pretrain_stage2": "org.synergen.pretrain.PretrainJob",
           "sft": "org.synergen.sft.SftJob", "eval_run": "org.synergen.eval.EvalJob", "report": "org.synergen.eval.EvalJob"}
BUILT = STAGES[:4]
TINY = ["train.steps=4", "train.sequence-length=512", "train.batch-per-task=4", "train.lr.peak=3e-3",
        "train.lr.warmup-steps=2", "distributed.workers=2", "distributed.local-steps=2",
        "distributed.checkpoint-every-rounds=2"]

failed = False


def check(name, ok, detail=""):
    global failed
    print(("PASS: " if ok else "FAIL: ") + name + ("" if ok or not detail else f" ({detail})"), flush=True)
    failed |= not ok


# (1) import and graph
bag = DagBag(dag_folder=DAGS)
check("DAG folder imports without errors", not bag.import_errors, str(bag.import_errors))
dag = bag.get_dag("synergen_pretrain")
check("synergen_pretrain is the folder's DAG", dag is not None and set(bag.dag_ids) == {"synergen_pretrain"}, str(bag.dag_ids))
if dag is None:
    sys.exit(1)
check("one task per stage", sorted(dag.task_ids) == sorted(STAGES), str(dag.task_ids))
chain = [(t.task_id, sorted(t.downstream_task_ids)) for t in (dag.get_task(s) for s in STAGES)]
expected = [(s, [STAGES[i + 1]] if i + 1 < len(STAGES) else []) for i, s in enumerate(STAGES)]
check("stages chained in pipeline order", chain == expected, str(chain))
check("every task is a SparkSubmitOperator with its job's class",
      all(type(dag.get_task(s)).__name__ == "SparkSubmitOperator" and dag.get_task(s)._java_class == CLASSES[s]
          for s in STAGES))
check("every stage publishes an Asset", all(len(dag.get_task(s).outlets) == 1 for s in STAGES))
check("every stage retries with exponential backoff",
      all(dag.get_task(s).retries >= 1 and dag.get_task(s).retry_exponential_backoff for s in STAGES))

# (2) the tiny pipeline through dag.test()
run_dir = tempfile.mkdtemp(prefix="synergen-dag-")
for task in dag.tasks:
    task.retries = 0  # a failure shows at once here instead of after the backoff
# 3 image shards of 10, so that each of the 2 pretraining workers has token shards of its own to read
ingest_conf = os.path.join(tempfile.mkdtemp(prefix="synergen-dag-conf-"), "ingest.conf")
with open(ingest_conf, "w") as f:
    f.write("ingest.output.samples-per-shard = 10\n")
dag_run = dag.test(run_conf={
    "run_dir": run_dir, "ingest_conf": ingest_conf, "stages": BUILT, "stage1_overrides": ["init.vision-from=" + ROOT + "/conf/model/tiny.conf", *TINY],
    "stage2_overrides": TINY, "driver_memory": "1g", "executor_memory": "1g", "offheap": "2g"})
state = str(getattr(dag_run.state, "value", dag_run.state))
check("dag.test() DagRun state is success", state == "success", state)
states = {ti.task_id: str(getattr(ti.state, "value", ti.state)) for ti in dag_run.get_task_instances()}
check("the built stages succeeded, the others were skipped",
      all(states.get(s) == "success" for s in BUILT) and all(states.get(s) == "skipped" for s in STAGES[4:]), str(states))

summary = os.path.join(run_dir, "images", "_summary.json")
check("ingest: 28 successful rows", os.path.exists(summary) and json.load(open(summary))["successes"] == 28)
check("tokenize: token shards and _summary.json",
      bool(glob.glob(os.path.join(run_dir, "tokens", "*.parquet"))) and os.path.exists(os.path.join(run_dir, "tokens", "_summary.json")))
for stage, folder in (("pretrain stage 1", "stage1"), ("pretrain stage 2", "stage2")):
    state_file = os.path.join(run_dir, folder, "checkpoint-00000002", "trainer_state.json")
    ok = os.path.exists(os.path.join(run_dir, folder, "checkpoint-00000002", "_COMPLETE")) and os.path.exists(state_file)
    check(f"{stage}: complete checkpoint at step 4", ok and json.load(open(state_file))["step"] == 4)
stage2_state = os.path.join(run_dir, "stage2", "checkpoint-00000002", "trainer_state.json")
check("stage 2 trained the stage-2 tensors (started from stage 1's checkpoint)",
      os.path.exists(stage2_state) and json.load(open(stage2_state))["stage"] == 2)

if not failed:
    shutil.rmtree(run_dir)
sys.exit(1 if failed else 0)
