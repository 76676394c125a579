"""The DAG under real Airflow: (1) the folder imports with no errors and the expected task graph;
(2) dag.test() runs the whole tiny pipeline (ingest -> tokenize -> pretrain stage 1 -> stage 2,
tokenize conversations -> sft -> eval run -> report) on data/sample and data/sft-example through the
real SparkSubmitOperator and spark-submit in local mode, and each stage's output is checked; (3) a
second dag.test() with only eval_run and report skips the rest and evaluates stage 2's checkpoint
where no sft checkpoint exists. Prints one PASS/FAIL line per check; exit 1 if any failed."""

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
STAGES = ["ingest", "tokenize", "pretrain_stage1", "pretrain_stage2", "tokenize_conversations", "sft",
          "eval_run", "report"]
CLASSES = {"ingest": "org.synergen.ingest.IngestJob", "tokenize": "org.synergen.tokenize.TokenizeJob",
           "pretrain_stage1": "org.synergen.pretrain.PretrainJob", "pretrain_stage2": "org.synergen.pretrain.PretrainJob",
           "tokenize_conversations": "org.synergen.tokenize.TokenizeJob", "sft": "org.synergen.sft.SftJob",
           "eval_run": "org.synergen.eval.EvalJob", "report": "org.synergen.eval.EvalJob"}
# the pipeline's order; tokenize_conversations needs nothing before it and feeds sft
EDGES = {"ingest": ["tokenize"], "tokenize": ["pretrain_stage1"], "pretrain_stage1": ["pretrain_stage2"],
         "pretrain_stage2": ["sft"], "tokenize_conversations": ["sft"], "sft": ["eval_run"], "eval_run": ["report"],
         "report": []}
# the embedded pipeline's tiny settings (conf/pipeline.conf)
TINY = ["train.steps=4", "train.sequence-length=512", "train.batch-per-task=4", "train.lr.peak=3e-3",
        "train.lr.warmup-steps=2", "distributed.workers=2", "distributed.local-steps=2",
        "distributed.checkpoint-every-rounds=2"]
TINY_SFT = ["train.steps=4", "train.sequence-length=4096", "train.batch-per-task=1", "train.lr.warmup-steps=1",
            "distributed.workers=1", "distributed.local-steps=2", "distributed.checkpoint-every-rounds=2"]

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
edges = {t.task_id: sorted(t.downstream_task_ids) for t in dag.tasks}
check("stages chained in pipeline order", edges == EDGES, str(edges))
check("every task is a SparkSubmitOperator with its job's class",
      all(type(dag.get_task(s)).__name__ == "SparkSubmitOperator" and dag.get_task(s)._java_class == CLASSES[s]
          for s in STAGES))
check("every stage publishes an Asset", all(len(dag.get_task(s).outlets) == 1 for s in STAGES))
check("every stage retries with exponential backoff",
      all(dag.get_task(s).retries >= 1 and dag.get_task(s).retry_exponential_backoff for s in STAGES))

# (2) the whole tiny pipeline through dag.test()
for task in dag.tasks:
    task.retries = 0  # a failure shows at once here instead of after the backoff
# 3 image shards of 10, so that each of the 2 pretraining workers has token shards of its own to read
ingest_conf = os.path.join(tempfile.mkdtemp(prefix="synergen-dag-conf-"), "ingest.conf")
with open(ingest_conf, "w") as f:
    f.write("ingest.output.samples-per-shard = 10\n")


def run_dag(stages, run_dir=None):
    run_dir = run_dir or tempfile.mkdtemp(prefix="synergen-dag-")
    dag_run = dag.test(run_conf={
        "run_dir": run_dir, "ingest_conf": ingest_conf, "stages": stages,
        "stage1_overrides": ["init.vision-from=" + ROOT + "/conf/model/tiny.conf", *TINY], "stage2_overrides": TINY,
        "sft_overrides": TINY_SFT, "eval_limit": 2, "eval_options": ["--images-per-prompt", "1", "--size", "32"],
        "driver_memory": "1g", "executor_memory": "1g", "offheap": "2g"})
    state = str(getattr(dag_run.state, "value", dag_run.state))
    states = {ti.task_id: str(getattr(ti.state, "value", ti.state)) for ti in dag_run.get_task_instances()}
    return run_dir, state, states


def checkpoint_state(run_dir, folder):
    """trainer_state.json of FOLDER's step-4 checkpoint if it is complete, else None."""
    state_file = os.path.join(run_dir, folder, "checkpoint-00000002", "trainer_state.json")
    if not os.path.exists(os.path.join(run_dir, folder, "checkpoint-00000002", "_COMPLETE")):
        return None
    return json.load(open(state_file))


def evaluated_checkpoint(run_dir):
    run_json = os.path.join(run_dir, "eval", "geneval", "run.json")
    return json.load(open(run_json)).get("checkpoint", "") if os.path.exists(run_json) else ""


run_dir, state, states = run_dag(STAGES)
check("dag.test() DagRun state is success", state == "success", state)
check("every stage succeeded", all(states.get(s) == "success" for s in STAGES), str(states))
summary = os.path.join(run_dir, "images", "_summary.json")
check("ingest: 28 successful rows", os.path.exists(summary) and json.load(open(summary))["successes"] == 28)
check("tokenize: token shards and _summary.json",
      bool(glob.glob(os.path.join(run_dir, "tokens", "*.parquet"))) and os.path.exists(os.path.join(run_dir, "tokens", "_summary.json")))
for stage, folder, number in (("pretrain stage 1", "stage1", 1), ("pretrain stage 2", "stage2", 2), ("sft", "sft", 3)):
    trainer_state = checkpoint_state(run_dir, folder)
    check(f"{stage}: complete checkpoint at step 4 of stage {number}",
          trainer_state is not None and trainer_state["step"] == 4 and trainer_state["stage"] == number, str(trainer_state))
conv_summary = os.path.join(run_dir, "sft-tokens", "_summary.json")
check("tokenize conversations: token shards and _summary.json",
      bool(glob.glob(os.path.join(run_dir, "sft-tokens", "*.parquet"))) and os.path.exists(conv_summary))
check("eval run: GenEval layout for 2 prompts, from sft's checkpoint",
      len(glob.glob(os.path.join(run_dir, "eval", "geneval", "images", "*", "samples", "0000.png"))) == 2
      and evaluated_checkpoint(run_dir).startswith(os.path.join(run_dir, "sft")), evaluated_checkpoint(run_dir))
html = os.path.join(run_dir, "report", "report.html")
check("report: report.html names GenEval", os.path.exists(html) and "GenEval" in open(html).read())

# (3) sft left out of params.stages: skipped, and eval takes stage 2's checkpoint (a run folder
# holding only the first run's stage 2, so that no sft checkpoint exists there)
second = tempfile.mkdtemp(prefix="synergen-dag-")
shutil.copytree(os.path.join(run_dir, "stage2"), os.path.join(second, "stage2"))
_, state, states = run_dag(["eval_run", "report"], second)
check("without sft: DagRun state is success", state == "success", state)
check("without sft: the stages left out were skipped, eval_run and report succeeded",
      all(states.get(s) == ("success" if s in ("eval_run", "report") else "skipped") for s in STAGES), str(states))
check("without sft: eval ran on stage 2's checkpoint",
      evaluated_checkpoint(second).startswith(os.path.join(second, "stage2")), evaluated_checkpoint(second))
if not failed:
    shutil.rmtree(run_dir)
    shutil.rmtree(second)
sys.exit(1 if failed else 0)
