"""SynerGen-VL on Spark: ingest -> tokenize -> pretrain stage 1 -> stage 2 -> sft -> eval run -> report,
with tokenize_conversations making sft's token shards beside the pretraining branch.

One SparkSubmitOperator task per stage, all running the one application jar (dist/, README
"Running on a cluster") with a different --class. Each stage's output folder is the next one's
input, under the run folder `params.run_dir` (the same layout as `bin/synergen pipeline`); each
stage publishes an Asset, so another DAG can be scheduled on, e.g., stage 1's checkpoints. Every job
resumes from what an earlier attempt finished, so every task retries with exponential backoff.
`params.stages` selects the stages to run; the others are skipped. Deployment, params and the
Spark connection: airflow-dags/README.md.
"""

from __future__ import annotations

import glob
import os
from datetime import timedelta
from typing import Callable

from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.sdk import DAG, Asset, BaseHook, Param
from airflow.sdk.exceptions import AirflowNotFoundException, AirflowSkipException

SYNERGEN_HOME = os.environ.get("SYNERGEN_HOME", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONN_ID = "synergen_spark"
# Without a connection the Spark provider submits to `--master yarn` without a word; this DAG's
# default is local mode instead, unless the deployment defines `synergen_spark`.
LOCAL_CONNECTION = '{"conn_type": "spark", "host": "local[2]"}'

STAGES = ["ingest", "tokenize", "pretrain_stage1", "pretrain_stage2", "tokenize_conversations", "sft",
          "eval_run", "report"]

# One Asset per stage output: a downstream DAG can use e.g. `schedule=[ASSETS["pretrain_stage1"]]`.
ASSETS = {stage: Asset(name=f"synergen_{stage}", uri=f"synergen://outputs/{stage}") for stage in STAGES}


def newest_checkpoint(run_dir: str, folders: tuple[str, ...]) -> str:
    """The newest complete checkpoint in the first of FOLDERS (under RUN_DIR, a local or mounted
    path) that has one: eval takes sft's, or stage 2's when sft was left out."""
    for folder in folders:
        done = sorted(glob.glob(os.path.join(run_dir, folder, "checkpoint-*", "_COMPLETE")))
        if done:
            return os.path.dirname(done[-1])
    raise FileNotFoundError(f"no complete checkpoint-*/ in {' or '.join(os.path.join(run_dir, f) for f in folders)}:"
                            " did the previous stage finish?")


def before_stage(context, checkpoint: tuple[str, tuple[str, ...]] | None, conf_key: str | None,
                 extra: Callable[[dict], list[str]] | None) -> None:
    """Runs when the task starts: skips a stage that params.stages leaves out; adds the previous
    stage's newest checkpoint (found only now that it has run), the stage's `--conf FILE` and the
    arguments that depend on params (optional options, key=value settings); makes the local
    connection the default."""
    task, params = context["task"], context["params"]
    if task.task_id not in params["stages"]:
        raise AirflowSkipException(f"{task.task_id} is not in params.stages")
    if checkpoint:
        option, folders = checkpoint
        task.application_args = [*task.application_args, option, newest_checkpoint(params["run_dir"], folders)]
    if conf_key and params[conf_key]:
        task.application_args = [*task.application_args, "--conf", params[conf_key]]
    if extra:
        task.application_args = [*task.application_args, *extra(params)]
    try:
        BaseHook.get_connection(CONN_ID)
    except AirflowNotFoundException:
        os.environ[f"AIRFLOW_CONN_{CONN_ID.upper()}"] = LOCAL_CONNECTION


def option_if_set(option: str, key: str) -> Callable[[dict], list[str]]:
    """`OPTION params[KEY]`, or nothing where the param is empty (the job's own default)."""
    return lambda params: [option, str(params[key])] if params[key] else []


def eval_args(params: dict) -> list[str]:
    return [*option_if_set("--data", "eval_data")(params), *option_if_set("--limit", "eval_limit")(params),
            *params["eval_options"]]


RUN = "{{ params.run_dir }}"

with DAG(
    dag_id="synergen_pretrain",
    description="SynerGen-VL: photos to a trained checkpoint and its report, one Spark job per stage",
    schedule=None,
    catchup=False,
    max_active_runs=1,
    default_args={
        "retries": 3,
        "retry_delay": timedelta(minutes=1),
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(minutes=30),
    },
    params={
        "stages": Param(STAGES, type="array", items={"enum": STAGES}, description="stages to run; the others are skipped"),
        "run_dir": Param(f"{SYNERGEN_HOME}/runs/airflow", type="string", description="the run folder: every stage's output goes below it"),
        "metadata": Param(f"{SYNERGEN_HOME}/data/sample/metadata.parquet", type="string", description="ingest --input: image-text metadata"),
        "vq": Param(f"{SYNERGEN_HOME}/data/vq-tiny", type="string", description="the VQ image tokenizer (tokenize.vq, eval run --vq)"),
        "init": Param(f"random:{SYNERGEN_HOME}/conf/model/tiny.conf", type="string", description="pretrain stage 1 --init"),
        "conversations": Param(f"{SYNERGEN_HOME}/data/sft-example", type="string",
                               description="tokenize conversations --input: InternVL/LLaVA conversation lines (a file or folder)"),
        "image_root": Param(f"{SYNERGEN_HOME}/data/sample/images", type="string",
                            description="tokenize conversations --image-root (empty: next to each file)"),
        "eval_task": Param("geneval", type="string", description="eval run --task"),
        "eval_data": Param("", type="string", description="eval run --data (empty: the task's default; geneval: the bundled prompts)"),
        "eval_limit": Param(0, type="integer", description="eval run --limit: only the first N questions or prompts (0: all)"),
        "eval_options": Param([], type="array", description="further eval run options, e.g. [\"--size\", \"256\"]"),
        "ingest_conf": Param("", type="string", description="ingest --conf FILE (empty: conf/ingest.conf's defaults)"),
        "tokenize_conf": Param("", type="string", description="tokenize and tokenize conversations --conf FILE"),
        "stage1_conf": Param("", type="string", description="pretrain --stage 1 --conf FILE"),
        "stage2_conf": Param("", type="string", description="pretrain --stage 2 --conf FILE"),
        "sft_conf": Param("", type="string", description="sft --conf FILE"),
        "stage1_overrides": Param([], type="array", description="key=value settings for stage 1"),
        "stage2_overrides": Param([], type="array", description="key=value settings for stage 2"),
        "sft_overrides": Param([], type="array", description="key=value settings for sft"),
        "app_jar": Param(f"{SYNERGEN_HOME}/dist/target/synergen-spark-0.1.0-SNAPSHOT.jar", type="string", description="the application jar (mvn -Pdist package)"),
        "synergen_home": Param(SYNERGEN_HOME, type="string", description="project folder on the driver: conf/ for the stage defaults"),
        "driver_memory": Param("2g", type="string"),
        "executor_memory": Param("2g", type="string"),
        "offheap": Param("4g", type="string", description="ND4J's off-heap cap per JVM (org.bytedeco.javacpp.maxbytes)"),
    },
    tags=["synergen", "spark"],
) as dag:
    java_opts = ("-Dsynergen.home={{ params.synergen_home }} -Dorg.bytedeco.javacpp.maxbytes={{ params.offheap }}"
                 " -Dorg.bytedeco.javacpp.maxphysicalbytes={{ params.offheap }}")

    def stage(task_id: str, java_class: str, args: list[str], output: str,
              checkpoint: tuple[str, tuple[str, ...]] | None = None, conf_key: str | None = None,
              extra: Callable[[dict], list[str]] | None = None) -> SparkSubmitOperator:
        return SparkSubmitOperator(
            task_id=task_id,
            conn_id=CONN_ID,
            application="{{ params.app_jar }}",
            java_class=java_class,
            application_args=args,
            name=f"synergen {task_id}",
            conf={  # templated (driver_memory= and executor_memory= are not)
                "spark.driver.memory": "{{ params.driver_memory }}",
                "spark.executor.memory": "{{ params.executor_memory }}",
                "spark.driver.extraJavaOptions": java_opts,
                "spark.executor.extraJavaOptions": java_opts,
            },
            pre_execute=lambda context: before_stage(context, checkpoint, conf_key, extra),
            # a stage left out of params.stages is skipped; the ones after it still run
            trigger_rule="none_failed",
            outlets=[ASSETS[task_id]],
            doc_md=f"Writes `{output}`.",
        )

    def overrides(key: str) -> Callable[[dict], list[str]]:
        return lambda params: list(params[key])

    ingest = stage("ingest", "org.synergen.ingest.IngestJob",
                   ["--input", "{{ params.metadata }}", "--output", f"{RUN}/images"],
                   f"{RUN}/images", conf_key="ingest_conf")
    tokenize = stage("tokenize", "org.synergen.tokenize.TokenizeJob",
                     ["--input", f"{RUN}/images", "--output", f"{RUN}/tokens", "tokenize.vq={{ params.vq }}"],
                     f"{RUN}/tokens", conf_key="tokenize_conf")
    stage1 = stage("pretrain_stage1", "org.synergen.pretrain.PretrainJob",
                   ["--stage", "1", "--input", f"{RUN}/tokens", "--init", "{{ params.init }}",
                    "--output", f"{RUN}/stage1", "--resume"],
                   f"{RUN}/stage1", conf_key="stage1_conf", extra=overrides("stage1_overrides"))
    stage2 = stage("pretrain_stage2", "org.synergen.pretrain.PretrainJob",
                   ["--stage", "2", "--input", f"{RUN}/tokens", "--output", f"{RUN}/stage2", "--resume"],
                   f"{RUN}/stage2", checkpoint=("--init", ("stage1",)), conf_key="stage2_conf",
                   extra=overrides("stage2_overrides"))
    conversations = stage("tokenize_conversations", "org.synergen.tokenize.TokenizeJob",
                          ["conversations", "--input", "{{ params.conversations }}", "--output", f"{RUN}/sft-tokens",
                           "tokenize.vq={{ params.vq }}"],
                          f"{RUN}/sft-tokens", conf_key="tokenize_conf", extra=option_if_set("--image-root", "image_root"))
    sft = stage("sft", "org.synergen.sft.SftJob",
                ["--input", f"{RUN}/sft-tokens", "--output", f"{RUN}/sft", "--resume"],
                f"{RUN}/sft", checkpoint=("--init", ("stage2",)), conf_key="sft_conf", extra=overrides("sft_overrides"))
    eval_run = stage("eval_run", "org.synergen.eval.EvalJob",
                     ["run", "--task", "{{ params.eval_task }}", "--vq", "{{ params.vq }}",
                      "--out", f"{RUN}/eval/{{{{ params.eval_task }}}}"],
                     f"{RUN}/eval/TASK", checkpoint=("--checkpoint", ("sft", "stage2")), extra=eval_args)
    report = stage("report", "org.synergen.eval.EvalJob",
                   ["report", f"{RUN}/eval/{{{{ params.eval_task }}}}", "--out", f"{RUN}/report"], f"{RUN}/report")

    ingest >> tokenize >> stage1 >> stage2 >> sft
    conversations >> sft
    sft >> eval_run >> report
