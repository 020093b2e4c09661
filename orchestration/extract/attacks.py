"""Attack claims: one row per attack incident an article tells (pure Polars).

Per passage (`incidents.find_passages`), facts are read around its anchor, the first attack trigger
(seed cue_terms attack_trigger, or a weapon with implies_attack), else the passage's start:
- place: a place mention of a segment that can locate the attack, never in a dateline and never an
  origin ("flown from Bamako"); ranked towns before areas (seed broad_place_types; a town named as its
  area, "the Mopti region"; a place qualifying another in parentheses, "Boni (Douentza, Mopti)")
  before countries; a speaker's seat ("the ministry in Niamey said", "Bamako said") below every
  other place below country level; destinations ("evacuated to Gao"), departures ("had left Sévaré")
  and the ends of a road ("on the road between Kidal and Gao") last; then nearest to the
  anchor. A bearing ("40 km north of Ansongo") locates the attack like any other place. Vocabulary
  in seed incident_phrases (speaker, reporting_verb, origin, destination, area_word).
  place_level: country, region (an area or a town named as its area) or town;
- event date: the day or month date mention nearest to the anchor outside datelines, else a date of
  the segment just before or after the passage in its paragraph; an offset date opening a clause
  about another incident ("The attack came two days after gunmen killed …") counts from the date of
  the incident told before it, and so does a passage "on the same day" (seed incident_phrases,
  role same_day); an incident with no date of its own takes the nearest date stated
  before it in the article outside the paragraphs of other incidents (a note's "Event date:" field)
  or in a lead listing several incidents ("two attacks yesterday, one in A and one near B"); null
  when the text
  gives none (never the publication day, but "today" and "this morning" are dates of it);
- perpetrator: the armed group nearest to the anchor; attribution claimed / suspected / stated from
  attribution cues; target: the target cue nearest to the anchor; weapons: weapon cues (+ ambush).

Passages are grouped into incidents (`incidents.group_passages`); per incident, the place is that of
its town passage (else its region; else, inferred, the nearest town named before it in the article,
which lowers the confidence by 0.15), the date the most precise one, and the casualties come from the
claims of all its segments (`casualties.py`): per status, a superseded report ("had initially reported
two dead") counts only when nothing else is told, the latest revised total ("the toll has risen to
five") is the count, else the latest statement that is not additive (latest: a live blog's clock time,
then body order)
replaces earlier ones ("initially eight, later ten"), additive ones after it add ("two more were
wounded"), figures attributed to one trigger are summed, a died-of-wounds transfer moves a victim from
wounded to killed (unless the wounded count is told in one sentence with the final toll), a vague count ("several") gives bounds but no best count, and killed is 0 when
only wounded are reported. An incident is kept when it has a
place below country level (an inferred one only with a date) or casualties. Evidence is the passage that says most (counts, town, date).
"""

import polars as pl

from orchestration.extract.context import phrases
from orchestration.extract.dates import OFFSET_WORDS
from orchestration.extract.schema import ATTACK_CLAIM_SCHEMA
from orchestration.extract.spans import alternation, previous_within, run_number

_LEVEL_RANK = {"town": 0, "region": 1, "country": 2}


def _before(width: int) -> pl.Expr:
    """Lowercased sentence text just before a mention."""
    start = pl.max_horizontal(pl.col("char_start") - pl.col("sentence_start") - width, pl.lit(0))
    return (
        pl.col("sentence_text")
        .str.slice(start, pl.col("char_start") - pl.col("sentence_start") - start)
        .str.to_lowercase()
    )


def _after(width: int) -> pl.Expr:
    return (
        pl.col("sentence_text")
        .str.slice(pl.col("char_end") - pl.col("sentence_start"), width)
        .str.to_lowercase()
    )


def _place_rules(vocabulary: dict[str, pl.DataFrame]) -> dict[str, str]:
    def words(role: str) -> str:
        return alternation(phrases(vocabulary, "incident_phrases", role))

    return {
        "origin": rf"\b(?:{words('origin')})\s+(?:the\s+)?$",
        "destination": rf"\b(?:{words('destination')}|{words('departure')})\s+(?:the\s+)?$"
        + rf"|\b(?:{words('route')})\s+(?:the\s+)?(?:[\w'’-]+\s+){{0,3}}?(?:and\s+)?$",
        "area": rf"^\s+(?:{words('area_word')})\b",
        "speaker_before": rf"\b(?:{words('speaker')})(?:\s+[a-z]+)?\s+(?:in|at|from)\s+(?:the\s+)?$",
        "speaker_after": rf"^[,]?\s*(?:{words('reporting_verb')})\b",
        "qualifier": r"\([^()]*$",
    }


def _passage_places(
    located: pl.LazyFrame, anchors: pl.LazyFrame, vocabulary: dict[str, pl.DataFrame]
) -> pl.LazyFrame:
    """The place of each passage (module docstring) with place_level and the region it stands for."""
    rules = _place_rules(vocabulary)
    broad = vocabulary["broad_place_types"]["place_type"].to_list()
    is_area = _after(12).str.contains(rules["area"]) | pl.col("place_type").is_in(broad)
    return (
        located.filter(
            pl.col("mention_type") == "place", pl.col("entity_id").is_not_null(), pl.col("can_locate")
        )
        .filter(pl.col("char_start") >= pl.col("dateline_end"), ~_before(30).str.contains(rules["origin"]))
        .join(anchors, on=["article_id", "passage_no"])
        .with_columns(
            _is_country=pl.col("place_type") == "country",
            _is_speaker=_before(40).str.contains(rules["speaker_before"])
            | _after(12).str.contains(rules["speaker_after"]),
            _is_area=is_area,
            _is_qualifier=_before(40).str.contains(rules["qualifier"]),
            _is_destination=_before(30).str.contains(rules["destination"]),
            _segment_distance=(pl.col("segment_index") - pl.col("anchor_segment")).abs(),
            _char_distance=(pl.col("char_start") - pl.col("anchor_char")).abs(),
        )
        .sort(
            "article_id",
            "passage_no",
            "_is_country",
            "_is_speaker",
            "_is_area",
            "_is_qualifier",
            "_is_destination",
            "_segment_distance",
            "_char_distance",
        )
        .unique(["article_id", "passage_no"], keep="first")
        .select(
            "article_id",
            "passage_no",
            place_id="entity_id",
            place_name="canonical_name",
            admin1="admin1",
            country_iso3="country_iso3",
            latitude="latitude",
            longitude="longitude",
            place_level=pl.when(pl.col("_is_country"))
            .then(pl.lit("country"))
            .when(pl.col("_is_area"))
            .then(pl.lit("region"))
            .otherwise(pl.lit("town")),
            region=pl.when(pl.col("_is_area") & ~pl.col("place_type").is_in(broad))
            .then(pl.col("admin1"))
            .otherwise(pl.col("canonical_name")),
        )
    )


def _passage_dates(
    located: pl.LazyFrame,
    anchors: pl.LazyFrame,
    segments: pl.LazyFrame,
    mentions_by_segment: pl.LazyFrame,
    passages: pl.LazyFrame,
    vocabulary: dict[str, pl.DataFrame],
) -> pl.LazyFrame:
    """Event date of each passage: nearest day/month date to the anchor, else a neighbouring segment's.
    A date right after a statement verb ("the mission said on Wednesday") is not an event date."""
    statement = alternation(phrases(vocabulary, "incident_phrases", "statement_verb"))
    usable = (
        (pl.col("mention_type") == "date")
        & pl.col("resolved_date").is_not_null()
        & pl.col("date_precision").is_in(["day", "month"])
        & ~_before(16).str.contains(rf"\b(?:{statement})\s+(?:on\s+)?$")
    )
    texts = segments.select("article_id", "segment_index", "sentence_start", "sentence_text")
    inside = (
        located.filter(usable, pl.col("char_start") >= pl.col("dateline_end"))
        .join(anchors, on=["article_id", "passage_no"])
        .with_columns(
            _segment_distance=(pl.col("segment_index") - pl.col("anchor_segment")).abs(),
            _char_distance=(pl.col("char_start") - pl.col("anchor_char")).abs(),
        )
        .sort("article_id", "passage_no", "_segment_distance", "_char_distance")
        .unique(["article_id", "passage_no"], keep="first")
        .select(
            "article_id",
            "passage_no",
            "resolved_date",
            "date_end",
            "date_precision",
            _offset=_offset_days(pl.col("surface")),
            _rank=pl.lit(0),
        )
    )
    spans = passages.group_by("article_id", "passage_no").agg(
        first=pl.col("segment_index").min(), last=pl.col("segment_index").max()
    )
    paragraphs = segments.select("article_id", "segment_index", "paragraph_no", "is_aggregate")
    neighbours = (
        spans.join(paragraphs.rename({"segment_index": "first"}), on=["article_id", "first"])
        .join(
            mentions_by_segment.join(texts, on=["article_id", "segment_index"])
            .filter(usable)
            .drop("sentence_start", "sentence_text")
            .join(paragraphs, on=["article_id", "segment_index"])
            .filter(~pl.col("is_aggregate")),
            on=["article_id", "paragraph_no"],
        )
        .filter(
            (pl.col("segment_index") == pl.col("first") - 1) | (pl.col("segment_index") == pl.col("last") + 1)
        )
        .with_columns(
            _after=pl.col("segment_index") > pl.col("last"),
            _order=pl.when(pl.col("segment_index") < pl.col("first"))
            .then(-pl.col("char_start"))
            .otherwise(pl.col("char_start")),
        )
        .sort("article_id", "passage_no", "_after", "_order")
        .unique(["article_id", "passage_no"], keep="first")
        .select(
            "article_id",
            "passage_no",
            "resolved_date",
            "date_end",
            "date_precision",
            _offset=pl.lit(None, pl.Int32),
            _rank=pl.lit(1),
        )
    )
    return (
        pl.concat([inside, neighbours])
        .sort("article_id", "passage_no", "_rank")
        .unique(["article_id", "passage_no"], keep="first")
        .select(
            "article_id",
            "passage_no",
            event_date=pl.when(pl.col("date_precision") == "month")
            .then(pl.col("resolved_date").dt.month_start())
            .otherwise(pl.col("resolved_date")),
            date_end=pl.coalesce("date_end", "resolved_date"),
            date_precision="date_precision",
            offset_days="_offset",
        )
    )


def _offset_days(surface: pl.Expr) -> pl.Expr:
    """Days from the incident an offset date refers to ("two days after X" puts X 2 days before it)."""
    parts = surface.str.to_lowercase().str.extract_groups(
        r"^(?P<n>\w+)\s+days?\s+(?P<direction>after|before)\b"
    )
    n = parts.struct.field("n").replace_strict(
        {k: str(v) for k, v in OFFSET_WORDS.items()}, default=parts.struct.field("n")
    )
    sign = pl.when(parts.struct.field("direction") == "after").then(-1).otherwise(1)
    return (n.cast(pl.Int32, strict=False) * sign).cast(pl.Int32)


def _passage_details(
    located: pl.LazyFrame, cues_in_passages: pl.LazyFrame, anchors: pl.LazyFrame
) -> pl.LazyFrame:
    """Perpetrator, attribution, target and weapons of each passage."""
    nearest = ["article_id", "passage_no", "_segment_distance", "_char_distance"]
    distance = {
        "_segment_distance": (pl.col("segment_index") - pl.col("anchor_segment")).abs(),
        "_char_distance": (pl.col("char_start") - pl.col("anchor_char")).abs(),
    }
    perpetrators = (
        located.filter(pl.col("mention_type") == "actor", pl.col("actor_type") == "armed_group")
        .join(anchors, on=["article_id", "passage_no"])
        .with_columns(**distance)
        .sort(nearest)
        .unique(["article_id", "passage_no"], keep="first")
        .select(
            "article_id", "passage_no", perpetrator_actor_id="entity_id", perpetrator_name="canonical_name"
        )
    )
    cues = cues_in_passages.join(anchors, on=["article_id", "passage_no"]).with_columns(**distance)
    targets = (
        cues.filter(pl.col("cue_type") == "target")
        .sort(nearest)
        .unique(["article_id", "passage_no"], keep="first")
        .select("article_id", "passage_no", target="cue_value")
    )
    weapon = pl.when(
        (pl.col("cue_type") == "weapon")
        | ((pl.col("cue_type") == "attack_trigger") & (pl.col("cue_value") == "ambush"))
    ).then(pl.col("cue_value"))
    summary = (
        cues.with_columns(_weapon=weapon)
        .group_by("article_id", "passage_no")
        .agg(
            weapons=pl.col("_weapon").drop_nulls().unique().sort(),
            _claimed=((pl.col("cue_type") == "attribution") & (pl.col("cue_value") == "claimed")).any(),
            _suspected=((pl.col("cue_type") == "attribution") & (pl.col("cue_value") == "suspected")).any(),
        )
    )
    return summary.join(perpetrators, on=["article_id", "passage_no"], how="left").join(
        targets, on=["article_id", "passage_no"], how="left"
    )


def _said_at(segments: pl.LazyFrame) -> pl.LazyFrame:
    """Minutes after midnight each segment was told at, in articles whose paragraphs open with a clock
    time (live blogs: "18:40 – …", "6.15pm:"): a paragraph without one keeps the time of the paragraph
    before it; null elsewhere."""
    clock = r"^\s*(\d{1,2})[:.h](\d{2})\s*([ap]\.?m\.?)?\s*(?:GMT|UTC)?\s*[–—:-]"
    opening = pl.col("sentence_text").str.extract_groups(clock)
    hour = opening.struct.field("1").cast(pl.Int32)
    pm = opening.struct.field("3").str.starts_with("p").fill_null(False) & (hour < 12)
    minutes = (hour + pl.when(pm).then(12).otherwise(0)) * 60 + opening.struct.field("2").cast(pl.Int32)
    paragraphs = (
        segments.sort("article_id", "segment_index")
        .group_by("article_id", "paragraph_no", maintain_order=True)
        .agg(pl.col("sentence_text").first())
        .with_columns(said_at=minutes)
        .with_columns(said_at=pl.col("said_at").forward_fill().over("article_id"))
    )
    return segments.join(
        paragraphs.select("article_id", "paragraph_no", "said_at"), on=["article_id", "paragraph_no"]
    ).select("article_id", "segment_index", "said_at")


def _incident_counts(claims: pl.LazyFrame) -> pl.LazyFrame:
    """killed / wounded low-best-high per incident from its claims (module docstring). "Latest" is
    `said_at` (a live blog's clock time), then body order."""
    claims = claims.with_columns(
        _order=pl.col("said_at").fill_null(-1).cast(pl.Int64) * 100_000_000 + pl.col("trigger_start")
    )
    status_keys = ["article_id", "incident_no", "status"]
    current = pl.col("revision").fill_null("") != "superseded"
    is_total = pl.col("revision").fill_null("") == "revised_total"
    stated = (
        claims.filter(~pl.col("is_aggregate"))
        # a superseded report counts only when nothing else of its status is told
        .filter(current | ~current.any().over(status_keys))
    )
    keys = ["article_id", "incident_no"]
    # victims who died of their wounds leave the wounded count, unless that count is already current
    # (`current_wounded` below)
    transferred = (
        stated.filter(pl.col("is_transfer"), pl.col("status") == "killed")
        .group_by(keys)
        .agg(_transferred=pl.col("count_best").sum())
    )
    # the latest revised total of a status is its count: earlier, additional and transferred victims
    # are in it
    last_total = pl.col("_order").filter(is_total).max().over(status_keys)
    per_trigger = (
        stated.filter(last_total.is_null() | (is_total & (pl.col("_order") == last_total)))
        .group_by("article_id", "incident_no", "status", "trigger_start")
        .agg(
            _order=pl.col("_order").first(),
            _sentence=pl.col("sentence_no").first(),
            is_additive=pl.col("is_additive").all(),
            is_transfer=pl.col("is_transfer").all(),
            low=pl.when(pl.col("count_low").null_count() == 0).then(pl.col("count_low").sum()),
            # a vague count ("several peacekeepers") bounds the toll but states no number
            best=pl.when((pl.col("qualifier") != "vague").any()).then(
                pl.col("count_best").filter(pl.col("qualifier") != "vague").sum()
            ),
            high=pl.when(pl.col("count_high").null_count() == 0).then(pl.col("count_high").sum()),
        )
        .with_columns(
            _reset=pl.col("_order")
            .filter(~pl.col("is_additive") & ~pl.col("is_transfer"))
            .max()
            .over("article_id", "incident_no", "status")
        )
        .filter(pl.col("_reset").is_null() | (pl.col("_order") >= pl.col("_reset")) | pl.col("is_transfer"))
    )
    totals = per_trigger.group_by("article_id", "incident_no", "status").agg(
        low=pl.when(pl.col("low").null_count() == 0).then(pl.col("low").sum()),
        best=pl.when(pl.col("best").is_not_null().any()).then(pl.col("best").sum()),
        high=pl.when(pl.col("high").null_count() == 0).then(pl.col("high").sum()),
    )
    killed = totals.filter(pl.col("status") == "killed").select(
        "article_id", "incident_no", killed_low="low", killed_best="best", killed_high="high"
    )
    wounded = totals.filter(pl.col("status") == "wounded").select(
        "article_id", "incident_no", wounded_low="low", wounded_best="best", wounded_high="high"
    )
    # a wounded count is current when it is a revised total, or told in the same sentence as the final
    # toll ("Ten were killed and 25 wounded", then "raised the toll to ten after two of the wounded died")
    told_with_toll = (
        per_trigger.filter(pl.col("status") == "wounded", pl.col("_order") == pl.col("_reset"))
        .select(*keys, "_sentence")
        .join(
            stated.filter(pl.col("status") == "killed")
            .group_by(*keys, "sentence_no")
            .agg(_killed_here=pl.col("count_best").sum())
            .rename({"sentence_no": "_sentence"}),
            on=[*keys, "_sentence"],
        )
        .join(killed.select(*keys, "killed_best"), on=keys)
        .filter(pl.col("_killed_here") == pl.col("killed_best"))
        .select(keys)
    )
    current_wounded = pl.concat(
        [stated.filter(is_total, pl.col("status") == "wounded").select(keys), told_with_toll]
    ).unique()
    moved = pl.col("_transferred").fill_null(0)
    return (
        killed.join(wounded, on=["article_id", "incident_no"], how="full", coalesce=True)
        .join(transferred.join(current_wounded, on=keys, how="anti"), on=keys, how="left")
        .with_columns(
            [
                # max_horizontal skips nulls: an unreported wounded count must stay null, not become 0
                pl.when(pl.col(f"wounded_{bound}").is_not_null())
                .then(pl.max_horizontal(pl.col(f"wounded_{bound}") - moved, pl.lit(0.0)))
                .alias(f"wounded_{bound}")
                for bound in ("low", "best", "high")
            ]
        )
        .with_columns(
            [
                pl.when(pl.col("killed_best").is_null() & pl.col("wounded_best").is_not_null())
                .then(0.0)
                .otherwise(pl.col(f"killed_{bound}"))
                .alias(f"killed_{bound}")
                for bound in ("low", "best", "high")
            ]
        )
        .drop("_transferred")
    )


def find_attack_claims(
    segments: pl.LazyFrame,
    passages: pl.LazyFrame,
    mentions_by_segment: pl.LazyFrame,
    cues_by_segment: pl.LazyFrame,
    claims: pl.LazyFrame,
    articles: pl.LazyFrame,
    vocabulary: dict[str, pl.DataFrame],
) -> list[pl.LazyFrame]:
    """[attack claims in ATTACK_CLAIM_SCHEMA, casualty claims with incident_no, (article_id, segment_index,
    incident_no) of every segment of a kept incident]. See the module docstring;
    `passages` from `incidents.find_passages`, `claims` from `casualties.find_casualty_claims`."""
    from orchestration.extract.incidents import group_passages

    weapons = vocabulary["weapons"].filter(pl.col("implies_attack") == "true")["weapon"].to_list()
    openers = alternation([p.lower() for p in phrases(vocabulary, "incident_phrases", "back_reference")])
    context = segments.select(
        "article_id", "segment_index", "sentence_no", "sentence_start", "sentence_text", "dateline_end"
    )
    # stages read several times are collected once (a lazy plan would repeat them for every reader)
    located = mentions_by_segment.join(passages, on=["article_id", "segment_index"]).join(
        context, on=["article_id", "segment_index"]
    )
    cues_in_passages = cues_by_segment.join(passages, on=["article_id", "segment_index"])
    located, cues_in_passages = (frame.lazy() for frame in pl.collect_all([located, cues_in_passages]))
    # the anchor: the passage's first trigger, else its start (an enumerated item "one near Goundam")
    triggers = cues_in_passages.filter(
        (pl.col("cue_type") == "attack_trigger")
        | ((pl.col("cue_type") == "weapon") & pl.col("cue_value").is_in(weapons))
    ).select("article_id", "passage_no", "segment_index", "char_start", _rank=pl.lit(0))
    starts = passages.join(
        segments.select("article_id", "segment_index", "char_start"), on=["article_id", "segment_index"]
    ).select("article_id", "passage_no", "segment_index", "char_start", _rank=pl.lit(1))
    anchors = (
        pl.concat([triggers, starts])
        .sort("article_id", "passage_no", "_rank", "segment_index", "char_start")
        .unique(["article_id", "passage_no"], keep="first")
        .select("article_id", "passage_no", anchor_segment="segment_index", anchor_char="char_start")
        .collect()
        .lazy()
    )
    references = (
        cues_in_passages.filter(pl.col("cue_type") == "attack_trigger")
        .join(context, on=["article_id", "segment_index"])
        .with_columns(_definite=_before(30).str.contains(rf"\b(?:{openers})\s+(?:[a-z-]+\s+)?$"))
        .group_by("article_id", "passage_no")
        .agg(_all_definite=pl.col("_definite").all())
    )
    places = _passage_places(located, anchors, vocabulary)
    dates = _passage_dates(located, anchors, segments, mentions_by_segment, passages, vocabulary)
    details = _passage_details(located, cues_in_passages, anchors)
    spans = (
        passages.join(
            segments.select("article_id", "segment_index", "sentence_no", "char_start", "char_end"),
            on=["article_id", "segment_index"],
        )
        .group_by("article_id", "passage_no")
        .agg(
            sentence_no=pl.col("sentence_no").min(),
            char_start=pl.col("char_start").min(),
            char_end=pl.col("char_end").max(),
        )
    )
    passage_claims = claims.join(
        passages.select("article_id", "segment_index", "passage_no"), on=["article_id", "segment_index"]
    )
    has_counts = (
        passage_claims.filter(~pl.col("is_aggregate"))
        .select("article_id", "passage_no")
        .unique()
        .with_columns(_has_counts=pl.lit(True))
    )
    facts = (
        spans.join(
            passages.select("article_id", "passage_no", "ordinal").unique(), on=["article_id", "passage_no"]
        )
        .join(places, on=["article_id", "passage_no"], how="left")
        .join(dates, on=["article_id", "passage_no"], how="left")
        .join(details, on=["article_id", "passage_no"], how="left")
        .join(has_counts, on=["article_id", "passage_no"], how="left")
        .join(references, on=["article_id", "passage_no"], how="left")
        .with_columns(_has_counts=pl.col("_has_counts").fill_null(False))
        .with_columns(is_reference=pl.col("_all_definite").fill_null(False) & ~pl.col("_has_counts"))
    )
    # "The attack came two days after gunmen killed …": the offset counts from the incident told before
    referred = previous_within(
        pl.when((pl.col("date_precision") == "day") & pl.col("offset_days").is_null()).then(
            pl.col("event_date")
        ),
        "_article_run",
    )
    facts = (
        facts.sort("article_id", "passage_no")
        .with_columns(_article_run=run_number("article_id"))
        .with_columns(
            _referred=referred,
        )
        .with_columns(
            event_date=pl.when(pl.col("offset_days").is_not_null() & pl.col("_referred").is_not_null())
            .then(pl.col("_referred") + pl.duration(days=pl.col("offset_days")))
            .otherwise(pl.col("event_date")),
            date_end=pl.when(pl.col("offset_days").is_not_null() & pl.col("_referred").is_not_null())
            .then(pl.col("_referred") + pl.duration(days=pl.col("offset_days")))
            .otherwise(pl.col("date_end")),
        )
        .drop("_referred")
        .drop("_article_run")
    )
    same_day = rf"(?i)\b(?:{alternation(phrases(vocabulary, 'incident_phrases', 'same_day'))})\b"
    on_same_day = (
        passages.join(
            segments.select("article_id", "segment_index", "text"), on=["article_id", "segment_index"]
        )
        .group_by("article_id", "passage_no")
        .agg(_same_day=pl.col("text").str.contains(same_day).any())
    )
    facts = (
        facts.join(on_same_day, on=["article_id", "passage_no"], how="left")
        .sort("article_id", "passage_no")
        .with_columns(_article_run=run_number("article_id"))
        .with_columns(_referred=referred)
        .with_columns(
            # "On the same day, …": the date of the incident told before it
            **{
                name: pl.when(pl.col("event_date").is_null() & pl.col("_same_day").fill_null(False))
                .then(pl.col("_referred"))
                .otherwise(pl.col(name))
                for name in ("event_date", "date_end")
            },
            date_precision=pl.when(
                pl.col("event_date").is_null()
                & pl.col("_same_day").fill_null(False)
                & pl.col("_referred").is_not_null()
            )
            .then(pl.lit("day"))
            .otherwise("date_precision"),
        )
        .drop("_article_run", "_referred", "_same_day")
        .collect()
        .lazy()
    )
    grouped = facts.join(group_passages(facts), on=["article_id", "passage_no"]).collect().lazy()
    # evidence: the passage that says most; place: the town passage first; date: the most precise
    evidence = (
        grouped.sort(
            pl.col("article_id"),
            pl.col("incident_no"),
            ~pl.col("_has_counts"),
            pl.col("place_level").replace_strict(_LEVEL_RANK, default=3),
            pl.col("event_date").is_null(),
            pl.col("passage_no"),
        )
        .unique(["article_id", "incident_no"], keep="first")
        .select("article_id", "incident_no", "sentence_no", "char_start", "char_end")
    )
    place = (
        grouped.filter(pl.col("place_id").is_not_null())
        .sort(
            pl.col("article_id"),
            pl.col("incident_no"),
            pl.col("place_level").replace_strict(_LEVEL_RANK, default=3),
            pl.col("passage_no"),
        )
        .unique(["article_id", "incident_no"], keep="first")
        .select(
            "article_id",
            "incident_no",
            "place_id",
            "place_name",
            "place_level",
            "admin1",
            "country_iso3",
            "latitude",
            "longitude",
        )
    )
    # an incident whose passages name no place is at the nearest town named before it in the article
    # ("The camp in Goundam …" then "In 2018, the camp came under fire"); such a place is inferred
    broad = vocabulary["broad_place_types"]["place_type"].to_list()
    towns_named = (
        mentions_by_segment.join(context, on=["article_id", "segment_index"])
        .filter(
            pl.col("mention_type") == "place",
            pl.col("entity_id").is_not_null(),
            pl.col("char_start") >= pl.col("dateline_end"),
            pl.col("place_type") != "country",
            ~pl.col("place_type").is_in(broad),
        )
        .select(
            "article_id",
            pl.col("char_start").cast(pl.Int64).alias("_named_at"),
            place_id="entity_id",
            place_name="canonical_name",
            place_level=pl.lit("town"),
            admin1="admin1",
            country_iso3="country_iso3",
            latitude="latitude",
            longitude="longitude",
        )
        .sort("_named_at")
    )
    inferred = (
        evidence.join(place, on=["article_id", "incident_no"], how="anti")
        .select("article_id", "incident_no", pl.col("char_start").cast(pl.Int64).alias("_named_at"))
        .sort("_named_at")
        .join_asof(
            towns_named,
            on="_named_at",
            by="article_id",
            strategy="backward",
            allow_exact_matches=False,
            check_sortedness=False,  # both sorted by _named_at, hence within each article too
        )
        .filter(pl.col("place_id").is_not_null())
        .drop("_named_at")
        .with_columns(_place_inferred=pl.lit(True))
    )
    place = pl.concat([place.with_columns(_place_inferred=pl.lit(False)), inferred], how="vertical_relaxed")
    stated = (
        grouped.filter(pl.col("event_date").is_not_null())
        .sort(
            pl.col("article_id"),
            pl.col("incident_no"),
            pl.col("date_precision") != "day",
            pl.col("passage_no"),
        )
        .unique(["article_id", "incident_no"], keep="first")
        .select("article_id", "incident_no", "event_date", "date_precision")
    )
    # an incident whose passages give no date takes the nearest date stated before it in the article
    # ("Event date: 14 March 2019" above the note, "two separate attacks yesterday, one in A and one near B")
    told_paragraphs = (
        passages.join(
            segments.select("article_id", "segment_index", "paragraph_no"), on=["article_id", "segment_index"]
        )
        .select("article_id", "paragraph_no")
        .unique()
    )
    listing_sentences = (
        segments.filter(pl.col("segment_kind") == "enumerated").select("article_id", "sentence_no").unique()
    )
    listed_dates = (
        mentions_by_segment.filter(
            pl.col("mention_type") == "date",
            pl.col("resolved_date").is_not_null(),
            pl.col("date_precision").is_in(["day", "month"]),
        )
        .join(
            segments.select("article_id", "segment_index", "sentence_no", "dateline_end"),
            on=["article_id", "segment_index"],
        )
        .join(listing_sentences, on=["article_id", "sentence_no"])
    )
    earlier_dates = (
        mentions_by_segment.filter(
            pl.col("mention_type") == "date",
            pl.col("resolved_date").is_not_null(),
            pl.col("date_precision").is_in(["day", "month"]),
        )
        .join(
            segments.filter(~pl.col("is_aggregate")).select(
                "article_id", "segment_index", "paragraph_no", "sentence_no", "dateline_end"
            ),
            on=["article_id", "segment_index"],
        )
        # a date that tells no incident of its own (a note's header field, a paragraph without any
        # attack) or a lead listing several incidents; never the date of another incident's paragraph
        .join(told_paragraphs, on=["article_id", "paragraph_no"], how="anti")
        .join(listing_sentences, on=["article_id", "sentence_no"], how="anti")
        .pipe(lambda frame: pl.concat([frame, listed_dates], how="diagonal_relaxed"))
        .filter(pl.col("char_start") >= pl.col("dateline_end"))
        .select(
            "article_id",
            pl.col("char_start").alias("_date_start"),
            _earlier_date="resolved_date",
            _earlier_precision="date_precision",
        )
        .sort("_date_start")
    )
    undated = (
        grouped.group_by("article_id", "incident_no")
        .agg(_first_char=pl.col("char_start").min())
        .join(stated.select("article_id", "incident_no"), on=["article_id", "incident_no"], how="anti")
        .sort("_first_char")
        .join_asof(
            earlier_dates,
            left_on="_first_char",
            right_on="_date_start",
            by="article_id",
            strategy="backward",
            check_sortedness=False,
        )
        .filter(pl.col("_earlier_date").is_not_null())
        .select(
            "article_id",
            "incident_no",
            event_date=pl.when(pl.col("_earlier_precision") == "month")
            .then(pl.col("_earlier_date").dt.month_start())
            .otherwise("_earlier_date"),
            date_precision="_earlier_precision",
        )
    )
    date = pl.concat([stated, undated])
    details = (
        grouped.sort("passage_no")
        .group_by("article_id", "incident_no")
        .agg(
            perpetrator_actor_id=pl.col("perpetrator_actor_id").drop_nulls().first(),
            perpetrator_name=pl.col("perpetrator_name").drop_nulls().first(),
            _claimed=pl.col("_claimed").fill_null(False).any(),
            _suspected=pl.col("_suspected").fill_null(False).any(),
            target=pl.col("target").drop_nulls().first(),
            weapons=pl.col("weapons")
            .list.explode(keep_nulls=False, empty_as_null=False)
            .drop_nulls()
            .unique()
            .sort(),
            passage_count=pl.len().cast(pl.Int32),
        )
    )
    incident_claims = passage_claims.join(
        grouped.select("article_id", "passage_no", "incident_no"), on=["article_id", "passage_no"]
    )
    victims = (
        incident_claims.filter(~pl.col("is_aggregate"), pl.col("victim_iso3").is_not_null())
        .group_by("article_id", "incident_no")
        .agg(victim_nationalities=pl.col("victim_iso3").unique().sort())
    )
    incident_claims = (
        incident_claims.join(_said_at(segments), on=["article_id", "segment_index"], how="left").collect().lazy()
    )
    counts = _incident_counts(incident_claims)
    body = articles.select("article_id", "body")
    _below_country = pl.col("place_id").is_not_null() & (pl.col("place_level") != "country")
    attacks = (
        evidence.join(place, on=["article_id", "incident_no"], how="left")
        .join(date, on=["article_id", "incident_no"], how="left")
        .join(details, on=["article_id", "incident_no"], how="left")
        .join(victims, on=["article_id", "incident_no"], how="left")
        .join(counts, on=["article_id", "incident_no"], how="left")
        .join(body, on="article_id", how="left")
        .with_columns(
            date_precision=pl.col("date_precision").fill_null("unknown"),
            perpetrator_attribution=pl.when(pl.col("perpetrator_actor_id").is_null())
            .then(None)
            .when(pl.col("_claimed"))
            .then(pl.lit("claimed"))
            .when(pl.col("_suspected"))
            .then(pl.lit("suspected"))
            .otherwise(pl.lit("stated")),
            weapons=pl.col("weapons").fill_null([]),
            victim_nationalities=pl.col("victim_nationalities").fill_null([]),
            evidence_text=pl.col("body").str.slice(
                pl.col("char_start"), pl.col("char_end") - pl.col("char_start")
            ),
            confidence=(
                0.25
                + _below_country.cast(pl.Float64) * 0.25
                + (pl.col("killed_best").is_not_null() | pl.col("wounded_best").is_not_null()).cast(
                    pl.Float64
                )
                * 0.25
                + pl.col("event_date").is_not_null().cast(pl.Float64) * 0.15
                + pl.col("perpetrator_actor_id").is_not_null().cast(pl.Float64) * 0.10
                - pl.col("_place_inferred").fill_null(False).cast(pl.Float64) * 0.15
            ).round(2),
        )
        # an inferred place alone does not make an attack of a passing mention ("attacks have increased")
        .filter(
            (_below_country & (~pl.col("_place_inferred").fill_null(False) | pl.col("event_date").is_not_null()))
            | (pl.col("killed_best") > 0)
            | (pl.col("wounded_best") > 0)
        )
        .select([pl.col(name).cast(dtype) for name, dtype in ATTACK_CLAIM_SCHEMA.items()])
        .sort("article_id", "incident_no")
    )
    kept = attacks.select("article_id", "incident_no")
    claims_out = claims.join(
        incident_claims.join(kept, on=["article_id", "incident_no"]).select(
            "article_id", "claim_id", "incident_no"
        ),
        on=["article_id", "claim_id"],
        how="left",
    )
    segments_told = (
        passages.join(
            grouped.select("article_id", "passage_no", "incident_no"), on=["article_id", "passage_no"]
        )
        .join(kept, on=["article_id", "incident_no"])
        .select("article_id", "segment_index", "incident_no")
    )
    return [attacks, claims_out, segments_told]
