-- One row per attack incident as told by one article: a run of neighbouring sentences of one
-- paragraph that carry attack, casualty or attribution ("claimed responsibility") cues, with at least
-- one attack trigger, and a named place below country level and/or casualty figures. A run that
-- starts at most three sentences after another run continues it when it has no trigger of its own
-- ("The wounded were flown to Gao."), names no place and no date ("No group claimed the
-- attack."), or opens with a definite reference back to the attack or its target and gives no count
-- and no date ("The convoy, which was bound for Gao, came under fire."), unless an aggregate
-- sentence lies between. Aggregate sentences (aggregate marker or a
-- year-level period) never join an incident.
with sentences as (
    select * from {{ ref('int_sentences_enriched') }}
),

mentions as (
    select * from {{ ref('stg_raw__mentions') }}
),

cues as (
    select * from {{ ref('stg_raw__cues') }}
),

weapons as (
    select * from {{ ref('weapons') }}
),

broad_place_types as (
    select * from {{ ref('broad_place_types') }}
),

casualties as (
    select * from {{ ref('int_casualties_attributed') }} where not is_aggregate
),

relevant_sentences as (
    select
        *,
        sentence_no - row_number() over (
            partition by article_id, paragraph_no order by sentence_no
        ) as run_key
    from (
        select
            *,
            -- aggregate sentences so far: an aggregate sentence between two runs keeps them apart
            sum(case when is_aggregate then 1 else 0 end) over (
                partition by article_id order by sentence_no
            ) as aggregates_so_far
        from sentences
    )
    where (has_attack_cue or has_casualty_cue or has_attribution_cue) and not is_aggregate
),

sentence_anchors as (
    -- does the sentence name a place or an event date of its own?
    select
        article_id,
        sentence_no,
        bool_or(mention_type = 'place' and entity_id is not null) as has_place,
        bool_or(mention_type = 'date' and date_precision in ('day', 'month')) as has_date
    from mentions
    group by article_id, sentence_no
),

runs as (
    select
        relevant_sentences.article_id,
        relevant_sentences.paragraph_no,
        relevant_sentences.run_key,
        min(relevant_sentences.sentence_no) as first_sentence_no,
        max(relevant_sentences.sentence_no) as last_sentence_no,
        bool_or(relevant_sentences.has_attack_cue) as has_trigger,
        max(relevant_sentences.aggregates_so_far) as aggregates_so_far,
        coalesce(bool_or(sentence_anchors.has_place or sentence_anchors.has_date), false) as is_anchored,
        -- the run opens with a definite reference back to an attack or its target ("The convoy,
        -- which ...", "The attack ...") and gives no count and no date of its own
        coalesce(arg_min(
            regexp_matches(relevant_sentences.sentence_text, '^(The|This|That|These|Those)\s')
            and not relevant_sentences.has_casualty_cue
            and not coalesce(sentence_anchors.has_date, false)
            and exists (
                select 1 from cues
                where cues.article_id = relevant_sentences.article_id
                  and cues.sentence_no = relevant_sentences.sentence_no
                  and cues.cue_type in ('target', 'attack_trigger', 'weapon')
                  and cues.char_start - relevant_sentences.char_start between 4 and 20
            ),
            relevant_sentences.sentence_no
        ), false) as opens_with_back_reference
    from relevant_sentences
    left join sentence_anchors
        on relevant_sentences.article_id = sentence_anchors.article_id
        and relevant_sentences.sentence_no = sentence_anchors.sentence_no
    group by relevant_sentences.article_id, relevant_sentences.paragraph_no, relevant_sentences.run_key
),

runs_grouped as (
    select
        *,
        sum(case when continues_previous then 0 else 1 end) over (
            partition by article_id order by first_sentence_no
        ) as incident_no
    from (
        select
            *,
            (not has_trigger or not is_anchored or opens_with_back_reference)
            and coalesce(
                lag(last_sentence_no) over (partition by article_id order by first_sentence_no) >= first_sentence_no - 4
                and lag(aggregates_so_far) over (partition by article_id order by first_sentence_no) = aggregates_so_far,
                false
            ) as continues_previous
        from runs
    )
),

incident_sentences_kept as (
    select
        relevant_sentences.article_id,
        relevant_sentences.paragraph_no,
        relevant_sentences.sentence_no,
        relevant_sentences.char_start,
        relevant_sentences.char_end,
        relevant_sentences.sentence_text,
        relevant_sentences.published_date,
        runs_grouped.incident_no,
        -- only a sentence with a trigger or a casualty count can place the incident
        -- ("The wounded were flown to Bamako" cannot)
        relevant_sentences.has_attack_cue
            or exists (
                select 1 from casualties
                where casualties.article_id = relevant_sentences.article_id
                  and casualties.sentence_no = relevant_sentences.sentence_no
            ) as can_locate
    from relevant_sentences
    inner join runs_grouped
        on relevant_sentences.article_id = runs_grouped.article_id
        and relevant_sentences.paragraph_no = runs_grouped.paragraph_no
        and relevant_sentences.run_key = runs_grouped.run_key
    qualify bool_or(runs_grouped.has_trigger) over (
        partition by relevant_sentences.article_id, runs_grouped.incident_no
    )
),

triggers as (
    select
        incident_sentences_kept.article_id,
        incident_sentences_kept.incident_no,
        cues.sentence_no,
        cues.char_start,
        cues.cue_type,
        cues.cue_value
    from incident_sentences_kept
    inner join cues
        on incident_sentences_kept.article_id = cues.article_id
        and incident_sentences_kept.sentence_no = cues.sentence_no
    left join weapons
        on cues.cue_type = 'weapon' and cues.cue_value = weapons.weapon
    where cues.cue_type = 'attack_trigger' or coalesce(weapons.implies_attack, false)
),

anchors as (
    select
        article_id,
        incident_no,
        arg_min(sentence_no, [sentence_no, char_start]) as anchor_sentence_no,
        arg_min(char_start, [sentence_no, char_start]) as anchor_char
    from triggers
    group by article_id, incident_no
),

incident_spans as (
    select
        article_id,
        incident_no,
        min(sentence_no) as first_sentence_no,
        max(sentence_no) as last_sentence_no,
        min(paragraph_no) as first_paragraph_no,
        max(paragraph_no) as last_paragraph_no,
        min(char_start) as char_start,
        max(char_end) as char_end,
        list(sentence_no order by sentence_no) as sentence_nos,
        any_value(published_date) as published_date
    from incident_sentences_kept
    group by article_id, incident_no
),

incident_evidence as (
    -- the exact body text of the incident's sentences (they are consecutive in the body)
    select
        incident_spans.*,
        substr(articles.body, incident_spans.char_start + 1, incident_spans.char_end - incident_spans.char_start)
            as evidence_text
    from incident_spans
    inner join {{ ref('stg_raw__articles') }} as articles
        on incident_spans.article_id = articles.article_id
),

incident_mentions as (
    select
        incident_sentences_kept.incident_no,
        incident_sentences_kept.can_locate,
        anchors.anchor_sentence_no,
        anchors.anchor_char,
        {{ text_before('incident_sentences_kept.sentence_text', 'incident_sentences_kept.char_start', 'mentions.char_start') }}
            as text_before,
        {{ text_after('incident_sentences_kept.sentence_text', 'incident_sentences_kept.char_start', 'mentions.char_end') }}
            as text_after,
        mentions.char_start - incident_sentences_kept.char_start
            < {{ dateline_length('incident_sentences_kept.sentence_text') }} as is_in_dateline,
        mentions.*
    from incident_sentences_kept
    inner join mentions
        on incident_sentences_kept.article_id = mentions.article_id
        and incident_sentences_kept.sentence_no = mentions.sentence_no
    inner join anchors
        on incident_sentences_kept.article_id = anchors.article_id
        and incident_sentences_kept.incident_no = anchors.incident_no
),

places as (
    select
        article_id,
        incident_no,
        entity_id as place_id,
        canonical_name as place_name,
        admin1,
        country_iso3,
        latitude,
        longitude,
        char_start as place_start,
        {{ is_country_place('incident_mentions') }} as is_country_level
    from incident_mentions
    where mention_type = 'place' and entity_id is not null and can_locate and not is_in_dateline
      and not {{ is_origin('text_before') }}
    -- towns before broad areas (seed broad_place_types, or a town named as its area: "the Mopti
    -- region") before countries; a speaker's or source's seat ("the ministry in Niamey said") after
    -- any other place below country level; destinations ("evacuated to Gao") after other places;
    -- then nearest to the trigger. A bearing ("40 km north of Ansongo") locates the attack like any
    -- other place.
    qualify row_number() over (
        partition by article_id, incident_no
        order by
            coalesce({{ is_country_place('incident_mentions') }}, false),
            {{ is_speaker_location('text_before', 'text_after') }},
            place_type in (select place_type from broad_place_types) or {{ is_area_use('text_after') }},
            {{ is_destination('text_before') }},
            abs(sentence_no - anchor_sentence_no),
            abs(char_start - anchor_char)
    ) = 1
),

event_dates as (
    -- "on Jan. 11, a day after X happened in Y": the event told after the phrase is a day earlier
    select
        incident_mentions.article_id,
        incident_mentions.incident_no,
        incident_mentions.resolved_date as event_date,
        incident_mentions.date_precision,
        incident_mentions.char_end as date_end_char,
        case regexp_extract(
            substr(
                date_sentences.sentence_text,
                incident_mentions.char_end - date_sentences.char_start + 1,
                30
            ),
            '^,?\s+(?:a|one|the)\s+day\s+(after|before)\b',
            1
        )
            when 'after' then -1
            when 'before' then 1
        end as day_shift
    from incident_mentions
    inner join incident_sentences_kept as date_sentences
        on incident_mentions.article_id = date_sentences.article_id
        and incident_mentions.sentence_no = date_sentences.sentence_no
    where incident_mentions.mention_type = 'date'
      and not incident_mentions.is_in_dateline
      and incident_mentions.resolved_date is not null
      and incident_mentions.date_precision in ('day', 'month')
    qualify row_number() over (
        partition by incident_mentions.article_id, incident_mentions.incident_no
        order by
            abs(incident_mentions.sentence_no - incident_mentions.anchor_sentence_no),
            abs(incident_mentions.char_start - incident_mentions.anchor_char)
    ) = 1
),

neighbour_dates as (
    -- no date inside the incident: a day or month date in the sentence just before it (else just
    -- after it) in the same paragraph, nearest first
    select
        incident_spans.article_id,
        incident_spans.incident_no,
        mentions.resolved_date as neighbour_date,
        mentions.date_precision as neighbour_precision
    from incident_spans
    inner join sentences
        on incident_spans.article_id = sentences.article_id
        and (
            (sentences.paragraph_no = incident_spans.first_paragraph_no
                and sentences.sentence_no = incident_spans.first_sentence_no - 1)
            or (sentences.paragraph_no = incident_spans.last_paragraph_no
                and sentences.sentence_no = incident_spans.last_sentence_no + 1)
        )
    inner join mentions
        on sentences.article_id = mentions.article_id
        and sentences.sentence_no = mentions.sentence_no
    where mentions.mention_type = 'date'
      and mentions.resolved_date is not null
      and mentions.date_precision in ('day', 'month')
      and not sentences.is_aggregate
    qualify row_number() over (
        partition by incident_spans.article_id, incident_spans.incident_no
        order by
            sentences.sentence_no > incident_spans.last_sentence_no,
            case when sentences.sentence_no < incident_spans.first_sentence_no then -mentions.char_start
                 else mentions.char_start end
    ) = 1
),

perpetrators as (
    select
        article_id,
        incident_no,
        entity_id as perpetrator_actor_id,
        canonical_name as perpetrator_name
    from incident_mentions
    where mention_type = 'actor' and actor_type = 'armed_group'
    qualify row_number() over (
        partition by article_id, incident_no
        order by abs(sentence_no - anchor_sentence_no), abs(char_start - anchor_char)
    ) = 1
),

incident_cues as (
    select
        incident_sentences_kept.article_id,
        incident_sentences_kept.incident_no,
        anchors.anchor_sentence_no,
        anchors.anchor_char,
        cues.sentence_no,
        cues.char_start,
        cues.cue_type,
        cues.cue_value
    from incident_sentences_kept
    inner join cues
        on incident_sentences_kept.article_id = cues.article_id
        and incident_sentences_kept.sentence_no = cues.sentence_no
    inner join anchors
        on incident_sentences_kept.article_id = anchors.article_id
        and incident_sentences_kept.incident_no = anchors.incident_no
),

cue_summary as (
    select
        article_id,
        incident_no,
        arg_min(cue_value, [abs(sentence_no - anchor_sentence_no), abs(char_start - anchor_char)])
            filter (where cue_type = 'target') as target,
        list_sort(list_distinct(list_concat(
            coalesce(list(cue_value) filter (where cue_type = 'weapon'), []::varchar[]),
            coalesce(list('ambush') filter (where cue_type = 'attack_trigger' and cue_value = 'ambush'), []::varchar[])
        ))) as weapons,
        list(cue_value) filter (where cue_type = 'attribution') as attributions
    from incident_cues
    group by article_id, incident_no
),

casualty_per_cue as (
    select
        incident_sentences_kept.article_id,
        incident_sentences_kept.incident_no,
        casualties.casualty_type,
        casualties.cue_start,
        bool_and(casualties.is_additive) as is_additive,
        -- a bound stays open (null) when any summed figure leaves it open ("more than 30")
        case when count(casualties.value_low) = count(*) then sum(casualties.value_low) end as value_low,
        sum(casualties.value_best) as value_best,
        case when count(casualties.value_high) = count(*) then sum(casualties.value_high) end as value_high
    from incident_sentences_kept
    inner join casualties
        on incident_sentences_kept.article_id = casualties.article_id
        and incident_sentences_kept.sentence_no = casualties.sentence_no
    group by all
),

casualty_counted as (
    -- the latest statement that is not additive replaces earlier ones ("initially eight, later ten");
    -- additive statements after it add to it ("two more were wounded")
    select *
    from (
        select
            *,
            max(case when not is_additive then cue_start end) over (
                partition by article_id, incident_no, casualty_type
            ) as reset_start
        from casualty_per_cue
    )
    where reset_start is null or cue_start >= reset_start
),

casualty_latest as (
    select
        article_id,
        incident_no,
        case when count(value_low) filter (where casualty_type = 'killed') = count(*) filter (where casualty_type = 'killed')
            then sum(value_low) filter (where casualty_type = 'killed') end as killed_low,
        sum(value_best) filter (where casualty_type = 'killed') as killed_best,
        case when count(value_high) filter (where casualty_type = 'killed') = count(*) filter (where casualty_type = 'killed')
            then sum(value_high) filter (where casualty_type = 'killed') end as killed_high,
        case when count(value_low) filter (where casualty_type = 'wounded') = count(*) filter (where casualty_type = 'wounded')
            then sum(value_low) filter (where casualty_type = 'wounded') end as wounded_low,
        sum(value_best) filter (where casualty_type = 'wounded') as wounded_best,
        case when count(value_high) filter (where casualty_type = 'wounded') = count(*) filter (where casualty_type = 'wounded')
            then sum(value_high) filter (where casualty_type = 'wounded') end as wounded_high
    from casualty_counted
    group by article_id, incident_no
),

victims as (
    select
        incident_sentences_kept.article_id,
        incident_sentences_kept.incident_no,
        list_sort(list_distinct(list(casualties.victim_iso3))) as victim_nationalities
    from incident_sentences_kept
    inner join casualties
        on incident_sentences_kept.article_id = casualties.article_id
        and incident_sentences_kept.sentence_no = casualties.sentence_no
    where casualties.victim_iso3 is not null
    group by all
),

assembled as (
    select
        incident_evidence.article_id,
        incident_evidence.incident_no,
        incident_evidence.first_sentence_no as sentence_no,
        incident_evidence.sentence_nos,
        incident_evidence.evidence_text,
        incident_evidence.char_start,
        incident_evidence.char_end,
        incident_evidence.published_date,
        case
            when event_dates.date_precision = 'day' and event_dates.day_shift is not null
                and places.place_start > event_dates.date_end_char
                then cast(event_dates.event_date + event_dates.day_shift as date)
            when event_dates.date_precision = 'month' then cast(date_trunc('month', event_dates.event_date) as date)
            when event_dates.event_date is not null then event_dates.event_date
            when neighbour_dates.neighbour_precision = 'month'
                then cast(date_trunc('month', neighbour_dates.neighbour_date) as date)
            else neighbour_dates.neighbour_date
        end as event_date,
        coalesce(event_dates.date_precision, neighbour_dates.neighbour_precision, 'unknown') as date_precision,
        places.place_id,
        places.place_name,
        places.admin1,
        places.country_iso3,
        places.latitude,
        places.longitude,
        coalesce(places.is_country_level, false) as is_country_level,
        perpetrators.perpetrator_actor_id,
        perpetrators.perpetrator_name,
        case
            when perpetrators.perpetrator_actor_id is null then null
            when list_contains(cue_summary.attributions, 'claimed') then 'claimed'
            when list_contains(cue_summary.attributions, 'suspected') then 'suspected'
            else 'stated'
        end as perpetrator_attribution,
        cue_summary.target,
        coalesce(victims.victim_nationalities, []::varchar[]) as victim_nationalities,
        case
            when casualty_latest.killed_best is null and casualty_latest.wounded_best is not null then 0
            else casualty_latest.killed_low
        end as killed_low,
        case
            when casualty_latest.killed_best is null and casualty_latest.wounded_best is not null then 0
            else casualty_latest.killed_best
        end as killed_best,
        case
            when casualty_latest.killed_best is null and casualty_latest.wounded_best is not null then 0
            else casualty_latest.killed_high
        end as killed_high,
        casualty_latest.wounded_low,
        casualty_latest.wounded_best,
        casualty_latest.wounded_high,
        coalesce(cue_summary.weapons, []::varchar[]) as weapons
    from incident_evidence
    left join places using (article_id, incident_no)
    left join event_dates using (article_id, incident_no)
    left join neighbour_dates using (article_id, incident_no)
    left join perpetrators using (article_id, incident_no)
    left join cue_summary using (article_id, incident_no)
    left join casualty_latest using (article_id, incident_no)
    left join victims using (article_id, incident_no)
)

select
    {{ stable_id('incident', ['article_id', 'sentence_no']) }} as incident_id,
    *,
    round(
        0.25
        + case when place_id is not null and not is_country_level then 0.25 else 0 end
        + case when killed_best is not null or wounded_best is not null then 0.25 else 0 end
        + case when event_date is not null then 0.15 else 0 end
        + case when perpetrator_actor_id is not null then 0.10 else 0 end,
        2
    )::double as confidence
from assembled
where (place_id is not null and not is_country_level)
   or killed_best > 0
   or wounded_best > 0
