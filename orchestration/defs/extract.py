"""Extraction asset: current article bodies → the extracted raw tables (declared in
`extract.schema.EXTRACTED_TABLES`: sentences, mentions, cues and the claims), raw.extractions and
raw.held_articles."""

import time

import dagster as dg

from orchestration.defs.resources import EngineResource, WarehouseResource
from orchestration.extract import run as extract_step
from orchestration.extract.schema import EXTRACTED_TABLES

# extracted tables built from the paragraphs alone; the others also read raw.articles (publication date, source)
READS_PARAGRAPHS_ONLY = {"sentences", "cues"}


@dg.multi_asset(
    specs=[
        *(
            dg.AssetSpec(
                ["raw", name],
                description=table.description,
                kinds={"duckdb", "polars"},
                group_name="extract",
                deps=[["raw", "paragraphs"]]
                if name in READS_PARAGRAPHS_ONLY
                else [["raw", "paragraphs"], ["raw", "articles"]],
            )
            for name, table in EXTRACTED_TABLES.items()
        ),
        dg.AssetSpec(
            ["raw", "extractions"],
            description="One row per current article extracted: extractor version and extracted_at (the stamp "
            "of per-article incremental dbt models).",
            kinds={"duckdb"},
            group_name="extract",
            deps=[["raw", "articles"]],
        ),
        dg.AssetSpec(
            ["raw", "held_articles"],
            description=(
                "One row per current article held back by the extract step (its rows broke a structural "
                "rule or the extractor failed on it), with the reason; kept out of staging."
            ),
            kinds={"duckdb", "polars"},
            group_name="extract",
            deps=[["raw", "articles"]],
        ),
    ],
)
def raw_mentions(
    context: dg.AssetExecutionContext,
    warehouse: dg.ResourceParam[WarehouseResource],
    engine: EngineResource,
):
    """Extract sentences, mentions, cues and claims of articles that are new or changed since last extraction."""
    started = time.perf_counter()
    runner = engine.engine()
    with warehouse.connect() as con:
        report = extract_step.extract(con, engine=runner)
        counts = dict(
            con.execute(
                " union all ".join(
                    f"select '{name}', count(*) from raw.{name}"
                    for name in [*EXTRACTED_TABLES, "extractions", "held_articles"]
                )
            ).fetchall()
        )
    seconds = round(time.perf_counter() - started, 3)
    for held in report.held_articles:
        context.log.warning(f"held back article {held['article_id']}: {held['reason']} ({held['detail']})")
    context.log.info(
        f"extract ({runner.name} engine): {report.articles} articles extracted in {seconds}s → "
        f"{report.sentences} sentences, {report.mentions} mentions {report.mentions_by_type}, {report.cues} cues; "
        f"{report.held} held back (raw.held_articles)"
    )
    details = {
        "sentences": {
            "articles_extracted": report.articles,
            "articles_held_back": report.held,
            "engine": runner.name,
            "seconds": seconds,
        },
        "mentions": {
            "articles_extracted": report.articles,
            "mentions_written": report.mentions,
            "mentions_by_type": dg.MetadataValue.json(report.mentions_by_type),
        },
    }
    for name in EXTRACTED_TABLES:
        yield dg.MaterializeResult(
            asset_key=["raw", name], metadata={**details.get(name, {}), "dagster/row_count": counts[name]}
        )
    yield dg.MaterializeResult(
        asset_key=["raw", "extractions"],
        metadata={"articles_extracted": report.articles, "dagster/row_count": counts["extractions"]},
    )
    yield dg.MaterializeResult(
        asset_key=["raw", "held_articles"],
        metadata={
            "dagster/row_count": counts["held_articles"],
            "held_this_run": dg.MetadataValue.json(report.held_articles[:200]),
        },
    )
