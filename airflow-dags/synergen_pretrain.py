"""SynerGen-VL on Spark: ingest -> tokenize -> pretrain stage 1 -> stage 2 -> sft -> eval run -> report.

One SparkSubmitOperator task per stage, all running the one application jar (dist/, README
"Running on a cluster") with a different --class. Each stage's output folder is the next one's
input, under the run folder `params.run_dir`; each stage publishes an Asset, so another DAG can be
scheduled on, e.g., stage 1's checkpoints. Every job resumes from what an earlier attempt finished,
so every task retries with exponential backoff. `params.stages` selects the stages to run; the
others are skipped. Deployment, params and the Spark connection: airflow-dags/README.md.
"""

from __future__ import annotations

import glob
import os
from datetime import timedelta

from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.sdk import DAG, Asset, BaseHook, Param
from airflow.sdk.exceptions import AirflowNotFoundException, AirflowSkipException

SYNERGEN_HOME = os.environ.get("SYNERGEN_HOME", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONN_ID = "synergen_spark"
# Without a connection the Spark provider submits to `--master yarn` without a word; this DAG's
# default is local mode instead, unless the deployment defines `synergen_spark`.
LOCAL_CONNECTION = '{"conn_type": "spark", "host": "local[2]"}'

STAGES = ["ingest", "tokenize", "pretrain_stage1", "pretrain_stage2", "sft", "eval_run", "report"]

# One Asset per stage output: a downstream DAG can use e.g. `schedule=[ASSETS["pretrain_stage1"]]`.
ASSETS = {stage: Asset(name=f"synergen_{stage}", uri=f"synergen://outputs/{stage}") for stage in STAGES}


def newest_checkpoint(folder: str) -> str:
    """The newest complete checkpoint a pretrain/sft run left in FOLDER (a local or mounted path)."""
    done = sorted(glob.glob(os.path.join(folder, "checkpoint-*", "_COMPLETE")))
    if not done:
        raise FileNotFoundError(f"no complete checkpoint-*/ in {folder}: did the previous stage finish?")
    return os.path.dirname(done[-1])


def before_stage(context, checkpoint: tuple[str, str] | None, conf_key: str | None, overrides_key: str | None) -> None:
    """Runs when the task starts: skips a stage that params.stages leaves out; adds the previous
    stage's newest checkpoint (found only now that it has run), the stage's `--conf FILE` and its
    key=value settings; makes the local connection the default."""
    task, params = context["task"], context["params"]
    if task.task_id not in params["stages"]:
        raise AirflowSkipException(f"{task.task_id} is not in params.stages")
    if checkpoint:
        option, folder = checkpoint
        task.application_args = [*task.application_args, option, newest_checkpoint(os.path.join(params["run_dir"], folder))]
    if conf_key and params[conf_key]:
        task.application_args = [*task.application_args, "--conf", params[conf_key]]
    if overrides_key:
        task.application_args = [*task.application_args, *params[overrides_key]]
    try:
        BaseHook.get_connection(CONN_ID)
    except AirflowNotFoundException:
        os.environ[f"AIRFLOW_CONN_{CONN_ID.upper()}"] = LOCAL_CONNECTION


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
        "vq": Param(f"{SYNERGEN_HOME}/data/vq-tiny", type="string", description="the VQ image tokenizer (tokenize.vq)"),
        "init": Param(f"random:{SYNERGEN_HOME}/conf/model/tiny.conf", type="string", description="pretrain stage 1 --init"),
        "sft_tokens": Param("", type="string", description="sft --input: token shards of an instruction dataset (tokenize conversations)"),
        "eval_task": Param("textvqa", type="string", description="eval run --task"),
        "eval_data": Param("", type="string", description="eval run --data: the benchmark's annotations"),
        "ingest_conf": Param("", type="string", description="ingest --conf FILE (empty: conf/ingest.conf's defaults)"),
        "tokenize_conf": Param("", type="string", description="tokenize --conf FILE"),
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
              checkpoint: tuple[str, str] | None = None, conf_key: str | None = None,
              overrides_key: str | None = None) -> SparkSubmitOperator:
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
            pre_execute=lambda context: before_stage(context, checkpoint, conf_key, overrides_key),
            # a stage left out of params.stages is skipped; the ones after it still run
            trigger_rule="none_failed",
            outlets=[ASSETS[task_id]],
            doc_md=f"Writes `{output}`.",
        )

    ingest = stage("ingest", "org.synergen.ingest.IngestJob",
                   ["--input", "{{ params.metadata }}", "--output", f"{RUN}/images"],
                   f"{RUN}/images", conf_key="ingest_conf")
    tokenize = stage("tokenize", "org.synergen.tokenize.TokenizeJob",
                     ["--input", f"{RUN}/images", "--output", f"{RUN}/tokens", "tokenize.vq={{ params.vq }}"],
                     f"{RUN}/tokens", conf_key="tokenize_conf")
    stage1 = stage("pretrain_stage1", "org.synergen.pretrain.PretrainJob",
                   ["--stage", "1", "--input", f"{RUN}/tokens", "--init", "{{ params.init }}",
                    "--output", f"{RUN}/stage1", "--resume"],
                   f"{RUN}/stage1", conf_key="stage1_conf", overrides_key="stage1_overrides")
    stage2 = stage("pretrain_stage2", "org.synergen.pretrain.PretrainJob",
                   ["--stage", "2", "--input", f"{RUN}/tokens", "--output", f"{RUN}/stage2", "--resume"],
                   f"{RUN}/stage2", checkpoint=("--init", "stage1"), conf_key="stage2_conf", overrides_key="stage2_overrides")
    sft = stage("sft", "org.synergen.sft.SftJob",
                ["--input", "{{ params.sft_tokens }}", "--output", f"{RUN}/sft", "--resume"],
                f"{RUN}/sft", checkpoint=("--init", "stage2"), conf_key="sft_conf", overrides_key="sft_overrides")
    eval_run = stage("eval_run", "org.synergen.eval.EvalJob",
                     ["run", "--task", "{{ params.eval_task }}", "--data", "{{ params.eval_data }}",
                      "--out", f"{RUN}/eval/{{{{ params.eval_task }}}}"],
                     f"{RUN}/eval", checkpoint=("--checkpoint", "sft"))
    report = stage("report", "org.synergen.eval.EvalJob", ["report", f"{RUN}/eval"], f"{RUN}/eval/report.html")

    ingest >> tokenize >> stage1 >> stage2 >> sft >> eval_run >> report
