# bluehelm — the two commands in the README are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The Spark engine's packages (the `spark` extra): pinned in the lock, installed by `make test` (the Spark
# tests run there) but not by `make run`, which stays light.
SPARK_PINS  := ^(pyspark|py4j|dagster-pyspark|dagster-spark)==
SPARK_STAMP := $(VENV)/.spark-installed

# Settings (DAGSTER_HOME, BLUEHELM_*) and telemetry: orchestration/settings.py, nothing here.

.PHONY: setup setup-spark run test dev docs bench clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv>=0.13,<0.14"
	grep -vE '$(SPARK_PINS)' requirements.lock > $(VENV)/requirements.base.txt
	$(BIN)/uv pip sync --python $(BIN)/python $(VENV)/requirements.base.txt
	$(BIN)/uv pip install --python $(BIN)/python --no-deps -e .
	$(BIN)/bluehelm prepare
	touch $(STAMP)

## setup: create .venv with the locked dependencies and parse the dbt project
setup: $(STAMP)

$(SPARK_STAMP): $(STAMP)
	grep -E '$(SPARK_PINS)' requirements.lock > $(VENV)/requirements.spark.txt
	$(BIN)/uv pip install --python $(BIN)/python --no-deps -r $(VENV)/requirements.spark.txt
	touch $(SPARK_STAMP)

## setup-spark: setup plus the Spark engine's locked packages (the `spark` extra; Java 17+ needed to run)
setup-spark: $(SPARK_STAMP)

## run: set everything up and run the whole pipeline on the sample articles in raw/
run: setup
	$(BIN)/bluehelm run

## test: set everything up (the Spark engine included) and run the whole test suite
test: setup-spark
	$(BIN)/python tests/split_run.py

## dev: start the Dagster UI on 127.0.0.1:3000 (DAGSTER_HOME=.dagster_home)
dev: setup
	$(BIN)/bluehelm dev

## docs: generate the dbt docs site into dbt_project/target (open index.html)
docs: setup
	$(BIN)/bluehelm docs

## bench: run the performance benchmark (see README)
bench: setup
	$(BIN)/bluehelm bench

clean:
	rm -rf $(VENV) .dagster_home dbt_project/target dbt_project/logs warehouse/*.duckdb*
