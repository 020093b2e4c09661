"""Extraction asset: current article bodies → raw.sentences, raw.mentions, raw.cues and the claims
(raw.casualty_claims, raw.attack_claims, raw.figure_claims, raw.deployment_claims, raw.contribution_claims)."""

import time

import dagster as dg

from orchestration.defs.resources import EngineResource, WarehouseResource
from orchestration.extract import run as extract_step

CLAIM_TABLES = {
    "casualty_claims": "One row per casualty statement (killed/wounded, count bounds, victims, trigger).",
    "attack_claims": "One row per attack incident an article tells (place, date, perpetrator, counts, evidence).",
    "figure_claims": "One row per aggregate figure statement (totals, strengths, equipment counts).",
    "deployment_claims": "One row per (article, sentence, place, contributor) a sentence places (a deployment).",
    "contribution_claims": "One row per (article, sentence, contributor, mission) a sentence states (a contribution).",
}


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["raw", "sentences"],
            description="One row per sentence of a current article (offsets into the body).",
            kinds={"duckdb", "polars"},
            group_name="extract",
            deps=[["raw", "paragraphs"]],
        ),
        dg.AssetSpec(
            ["raw", "mentions"],
            description="One row per resolved mention of an actor, place, figure or date.",
            kinds={"duckdb", "polars"},
            group_name="extract",
            deps=[["raw", "paragraphs"], ["raw", "articles"]],
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
        dg.AssetSpec(
            ["raw", "cues"],
            description="One row per cue word (attack trigger, casualty verb, weapon, unit type …).",
            kinds={"duckdb", "polars"},
            group_name="extract",
            deps=[["raw", "paragraphs"]],
        ),
        *(
            dg.AssetSpec(
                ["raw", name],
                description=description,
                kinds={"duckdb", "polars"},
                group_name="extract",
                deps=[["raw", "paragraphs"], ["raw", "articles"]],
            )
            for name, description in CLAIM_TABLES.items()
        ),
    ],
)
def raw_mentions(
    context: dg.AssetExecutionContext,
    warehouse: dg.ResourceParam[WarehouseResource],
    engine: EngineResource,
):
    """Extract sentences, mentions and cues for articles that are new or changed since last extraction."""
    started = time.perf_counter()
    runner = engine.engine()
    with warehouse.connect() as con:
        report = extract_step.extract(con, engine=runner)
        counts = dict(
            con.execute(
                """select 'sentences', count(*) from raw.sentences union all
                   select 'mentions', count(*) from raw.mentions union all
                   select 'cues', count(*) from raw.cues union all
                   select 'extractions', count(*) from raw.extractions union all
                   select 'held_articles', count(*) from raw.held_articles union all
                   select 'casualty_claims', count(*) from raw.casualty_claims union all
                   select 'attack_claims', count(*) from raw.attack_claims union all
                   select 'figure_claims', count(*) from raw.figure_claims union all

                   select 'deployment_claims', count(*) from raw.deployment_claims union all
                   select 'contribution_claims', count(*) from raw.contribution_claims"""
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
    yield dg.MaterializeResult(
        asset_key=["raw", "sentences"],
        metadata={
            "articles_extracted": report.articles,
            "articles_held_back": report.held,
            "engine": runner.name,
            "dagster/row_count": counts["sentences"],
            "seconds": seconds,
        },
    )
    yield dg.MaterializeResult(
        asset_key=["raw", "mentions"],
        metadata={
            "articles_extracted": report.articles,
            "mentions_written": report.mentions,
            "mentions_by_type": dg.MetadataValue.json(report.mentions_by_type),
            "dagster/row_count": counts["mentions"],
        },
    )
    yield dg.MaterializeResult(asset_key=["raw", "cues"], metadata={"dagster/row_count": counts["cues"]})
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
    for name in CLAIM_TABLES:
        yield dg.MaterializeResult(asset_key=["raw", name], metadata={"dagster/row_count": counts[name]})
