#!/usr/bin/env bash
# The Airflow test: real Airflow (the venv bin/test makes) with the DAG folder airflow-dags/, a fresh
# SQLite metadata database, and the pyspark distribution's spark-submit first on PATH (the Spark
# provider's own pyspark-client has none). No Spark connection is defined: the DAG's local default
# is what runs.
#   airflow-dags/tests/run.sh AIRFLOW_VENV SPARK_HOME
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$1"
export SPARK_HOME="$2" SPARK_LOCAL_IP=127.0.0.1 OMP_NUM_THREADS=1
export PATH="$SPARK_HOME/bin:$PATH"
export AIRFLOW_HOME="$(mktemp -d /tmp/synergen-airflow.XXXXXX)"
export AIRFLOW__CORE__DAGS_FOLDER="$(dirname "$HERE")" AIRFLOW__CORE__LOAD_EXAMPLES=False
"$VENV/bin/airflow" db migrate > "$AIRFLOW_HOME/migrate.log" 2>&1 \
  || { echo "FAIL: airflow db migrate (see $AIRFLOW_HOME/migrate.log)"; exit 1; }
"$VENV/bin/python" "$HERE/test_dag.py"
rc=$?
[ "$rc" = 0 ] && rm -rf "$AIRFLOW_HOME"
exit "$rc"
