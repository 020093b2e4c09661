"""The `engine` resource for the Spark engine (imported only with BLUEHELM_ENGINE=spark: the spark extra).

dagster-pyspark's `LazyPySparkResource` (its release line is pinned to our Dagster's) owns the session:
created on first use with `engines.spark.spark_conf(master)`, so a run that has nothing to ingest or
extract starts no JVM, and the Spark settings show (and can be changed) in the launchpad.
"""

from dagster_pyspark import LazyPySparkResource

from orchestration.defs.resources import EngineResource
from orchestration.engines import Engine
from orchestration.engines.spark import SparkEngine, prepare_session, require_java, spark_conf
from orchestration.settings import Settings


class SparkEngineResource(EngineResource):
    """The per-article work on Spark (`engines.spark`); staged output under `staging` (path or URI)."""

    pyspark: LazyPySparkResource
    staging: str

    @classmethod
    def from_settings(cls, settings: Settings) -> "SparkEngineResource":
        return cls(
            pyspark=LazyPySparkResource(spark_config=spark_conf(settings.spark_master)),
            staging=settings.spark_staging,
        )

    def engine(self) -> Engine:
        def session():
            require_java()
            return prepare_session(self.pyspark.spark_session)

        return SparkEngine(session, self.staging)
