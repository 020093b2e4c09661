-- One row per (sentence, contributor, place) where a sentence places a force somewhere.
--
-- Rules (general, each covered by tests):
--  * the sentence carries a deployment verb ("based in", "stationed", "deployed", "operating out
--    of", "garrisoned in", "presence in") or a unit type ("battalion", "detachment", "contingent"),
--    or a force-strength figure of people placed with "in"/"at" ("has about 250 soldiers in
--    Timbuktu", "870 troops, most of them in Ménaka");
--  * the place is a town or city (not a country or a broad area such as a river or region), not a
--    reference point, an origin ("north of Gao", "from Bamako") or a dateline ("BAMAKO, Oct 3 -"),
--    and within 80 characters of a deployment or unit cue, or within 60 characters after a strength
--    figure and introduced by "in"/"at"; a place that continues a list of a qualifying place
--    (", " / " and ") qualifies too ("split between Kidal, Tessalit and Aguelhok"); a town named
--    as its area ("the Kidal region") does not when the sentence places the force in a town too;
--  * the contributor is a country / demonym / national force not used as a location: with a
--    deployment verb, the subject wins over those after it (those before the verb within 100
--    characters, else the nearest one before it however far); otherwise those within 100
--    characters of the anchor cue;
--  * with no contributor named, the last one named in the previous sentence of the paragraph stands
--    in ("Its battalion is based in Ansongo"), else a national operation stands for its country
--    (Barkhane -> France) unless that is the place's own country; a mission alone still gives a row
--    (contributor null) only when the sentence itself names the mission ("companies of MINUSMA are
--    operating in Gao");
--  * a force placed in its own country is not a deployment (a capital standing for its government,
--    "Niamey has increased its contingent", or the host's own army).
with strength as (
    select * from {{ ref('int_strength_figures') }} where unit_class = 'person'
),

sentences as (
    select * from {{ ref('int_sentences_enriched') }} as enriched
    where has_deployment_cue
       or exists (
           select 1 from strength
           where strength.article_id = enriched.article_id and strength.sentence_no = enriched.sentence_no
       )
),

mentions as (
    select * from {{ ref('stg_raw__mentions') }}
),

deployment_cues as (
    select cues.article_id, cues.sentence_no, cues.char_start, cues.char_end, cues.cue_type
    from {{ ref('stg_raw__cues') }} as cues
    inner join sentences
        on cues.article_id = sentences.article_id
        and cues.sentence_no = sentences.sentence_no
    where cues.cue_type in ('deployment', 'unit_type')
    union all
    -- a force-strength figure of people anchors a deployment too ("has 250 soldiers in Timbuktu")
    select strength.article_id, strength.sentence_no, strength.char_start, strength.char_end, 'strength'
    from strength
    inner join sentences
        on strength.article_id = sentences.article_id
        and strength.sentence_no = sentences.sentence_no
    where not sentences.has_aggregate_cue
),

anchors as (
    select
        article_id,
        sentence_no,
        bool_or(cue_type = 'deployment') as has_deployment_verb,
        arg_min(char_start, [case cue_type when 'deployment' then 0 when 'unit_type' then 1 else 2 end, char_start])
            as anchor_start,
        arg_min(char_end, [case cue_type when 'deployment' then 0 when 'unit_type' then 1 else 2 end, char_start])
            as anchor_end
    from deployment_cues
    group by article_id, sentence_no
),

forces as (
    select * from {{ ref('int_force_mentions') }}
),

mission_context as (
    select * from {{ ref('int_missions_in_context') }}
),

place_candidates as (
    select
        mentions.article_id,
        mentions.sentence_no,
        mentions.char_start as place_start,
        mentions.entity_id as place_id,
        mentions.canonical_name as place_name,
        mentions.admin1,
        mentions.country_iso3,
        mentions.latitude,
        mentions.longitude,
        mentions.char_end as place_end,
        {{ is_area_use(text_after('sentences.sentence_text', 'sentences.char_start', 'mentions.char_end')) }}
            as is_area_use,
        sentences.sentence_text,
        sentences.char_start as sentence_start,
        exists (
            select 1 from deployment_cues
            where deployment_cues.article_id = mentions.article_id
              and deployment_cues.sentence_no = mentions.sentence_no
              and (
                  (deployment_cues.cue_type <> 'strength'
                      and greatest(deployment_cues.char_start - mentions.char_end,
                                   mentions.char_start - deployment_cues.char_end) <= 80)
                  or (deployment_cues.cue_type = 'strength'
                      and mentions.char_start - deployment_cues.char_end between 0 and 60
                      and regexp_matches(
                          {{ text_before('sentences.sentence_text', 'sentences.char_start', 'mentions.char_start') }},
                          '\b(in|at)\s+(the\s+)?$'
                      ))
              )
        ) as is_near_cue
    from mentions
    inner join sentences
        on mentions.article_id = sentences.article_id
        and mentions.sentence_no = sentences.sentence_no
    where mentions.mention_type = 'place'
      and mentions.entity_id is not null
      and not coalesce({{ is_country_place('mentions') }}, false)
      and coalesce(mentions.place_type not in (select place_type from {{ ref('broad_place_types') }}), true)
      and mentions.char_start - sentences.char_start >= {{ dateline_length('sentences.sentence_text') }}
      and not {{ is_reference_point(text_before('sentences.sentence_text', 'sentences.char_start', 'mentions.char_start')) }}
),

place_lists as (
    -- a place joined to the previous one by only ", " / " and " continues its list
    select
        *,
        sum(case when continues_list then 0 else 1 end) over (
            partition by article_id, sentence_no order by place_start
        ) as list_no
    from (
        select
            *,
            coalesce(regexp_matches(
                substr(
                    sentence_text,
                    lag(place_end) over (partition by article_id, sentence_no order by place_start) - sentence_start + 1,
                    place_start - lag(place_end) over (partition by article_id, sentence_no order by place_start)
                ),
                '^(,\s*|\s+and\s+|,\s+and\s+|\s+or\s+)$'
            ), false) as continues_list
        from place_candidates
    )
),

places as (
    -- a town named as its area ("arrived in the Kidal region") places nothing when the sentence
    -- also places the force in a town ("... secures the camps at Tessalit")
    select article_id, sentence_no, place_start, place_id, place_name, admin1, country_iso3, latitude, longitude
    from (
        select *
        from place_lists
        qualify bool_or(is_near_cue) over (
            partition by article_id, sentence_no, list_no order by place_start rows unbounded preceding
        )
    )
    qualify not is_area_use or bool_and(is_area_use) over (partition by article_id, sentence_no)
),

named_contributors as (
    select
        forces.article_id,
        forces.sentence_no,
        forces.char_start as contributor_start,
        forces.country_iso3 as contributor_iso3,
        forces.char_end <= anchors.anchor_start as is_before_anchor,
        greatest(anchors.anchor_start - forces.char_end, forces.char_start - anchors.anchor_end) <= 100
            as is_near_anchor,
        anchors.has_deployment_verb
    from forces
    inner join anchors
        on forces.article_id = anchors.article_id
        and forces.sentence_no = anchors.sentence_no
    where forces.force_role in ('country', 'national_force')
      and not forces.is_excluded_as_contributor
      and (
          (anchors.has_deployment_verb and forces.char_end <= anchors.anchor_start)
          or greatest(anchors.anchor_start - forces.char_end, forces.char_start - anchors.anchor_end) <= 100
      )
),

contributors as (
    select article_id, sentence_no, contributor_start, contributor_iso3, 'sentence' as contributor_source
    from named_contributors
    -- with a deployment verb, the subject wins when there is one: the contributors before it within
    -- 100 characters, else the nearest one before it
    qualify not has_deployment_verb
        or (is_before_anchor = bool_or(is_before_anchor) over (partition by article_id, sentence_no)
            and (not is_before_anchor
                or is_near_anchor
                or contributor_start = max(contributor_start) filter (where is_before_anchor)
                    over (partition by article_id, sentence_no)))
),

context_contributors as (
    -- no contributor named: the last one named in the previous sentence of the paragraph
    -- ("Niger contributes 850 troops. Its battalion is based in Ansongo.")
    select sentences.article_id, sentences.sentence_no, null::integer as contributor_start,
        forces.country_iso3 as contributor_iso3, 'context' as contributor_source
    from sentences
    inner join forces
        on sentences.article_id = forces.article_id
        and sentences.paragraph_no = forces.paragraph_no
        and forces.sentence_no = sentences.sentence_no - 1
    where forces.force_role in ('country', 'national_force')
      and not forces.is_excluded_as_contributor
      and not exists (
          select 1 from contributors
          where contributors.article_id = sentences.article_id
            and contributors.sentence_no = sentences.sentence_no
      )
    qualify row_number() over (partition by sentences.article_id, sentences.sentence_no order by forces.char_start desc) = 1
),

sentence_contributors as (
    select * from contributors
    union all
    select * from context_contributors
    union all
    -- still none: a national operation (Barkhane -> France) stands for its country
    select sentences.article_id, sentences.sentence_no, null, mission_context.mission_country_iso3, 'mission'
    from sentences
    inner join mission_context
        on sentences.article_id = mission_context.article_id
        and sentences.sentence_no = mission_context.sentence_no
    where not exists (
        select 1 from contributors
        where contributors.article_id = sentences.article_id
          and contributors.sentence_no = sentences.sentence_no
    )
      and not exists (
          select 1 from context_contributors
          where context_contributors.article_id = sentences.article_id
            and context_contributors.sentence_no = sentences.sentence_no
      )
),

pairs as (
    select
        sentences.article_id,
        sentences.sentence_no,
        sentences.paragraph_no,
        sentences.char_start,
        sentences.char_end,
        sentences.sentence_text as evidence_text,
        sentences.published_date,
        sentences.published_precision,
        sentence_contributors.contributor_start,
        -- a mission standing in for its country only when that country is not the place's host
        case
            when sentence_contributors.contributor_source = 'mission'
                and sentence_contributors.contributor_iso3 = places.country_iso3 then null
            else sentence_contributors.contributor_iso3
        end as contributor_iso3,
        sentence_contributors.contributor_source,
        places.place_start,
        places.place_id,
        places.place_name,
        places.admin1,
        places.country_iso3,
        places.latitude,
        places.longitude,
        mission_context.mission_actor_id,
        mission_context.mission,
        mission_context.mission_source,
        anchors.has_deployment_verb
    from sentences
    inner join anchors
        on sentences.article_id = anchors.article_id
        and sentences.sentence_no = anchors.sentence_no
    inner join places
        on sentences.article_id = places.article_id
        and sentences.sentence_no = places.sentence_no
    inner join sentence_contributors
        on sentences.article_id = sentence_contributors.article_id
        and sentences.sentence_no = sentence_contributors.sentence_no
    left join mission_context
        on sentences.article_id = mission_context.article_id
        and sentences.sentence_no = mission_context.sentence_no
),

unit_cues as (
    select pairs.article_id, pairs.sentence_no, pairs.contributor_start, pairs.place_start,
        arg_min(cues.cue_value, abs(cues.char_start - coalesce(pairs.contributor_start, pairs.place_start)))
            filter (where cues.cue_type = 'unit_type') as unit_type,
        arg_min(cues.cue_value, abs(cues.char_start - coalesce(pairs.contributor_start, pairs.place_start)))
            filter (where cues.cue_type = 'personnel_type') as personnel_type
    from pairs
    inner join {{ ref('stg_raw__cues') }} as cues
        on pairs.article_id = cues.article_id
        and pairs.sentence_no = cues.sentence_no
    group by all
),

personnel as (
    select pairs.article_id, pairs.sentence_no, pairs.contributor_start, pairs.place_start,
        arg_min(strength.value_low, abs(strength.char_start - coalesce(pairs.contributor_start, pairs.place_start))) as personnel_low,
        arg_min(strength.value_best, abs(strength.char_start - coalesce(pairs.contributor_start, pairs.place_start))) as personnel_best,
        arg_min(strength.value_high, abs(strength.char_start - coalesce(pairs.contributor_start, pairs.place_start))) as personnel_high
    from pairs
    inner join strength
        on pairs.article_id = strength.article_id
        and pairs.sentence_no = strength.sentence_no
    inner join sentences
        on strength.article_id = sentences.article_id
        and strength.sentence_no = sentences.sentence_no
    where not sentences.has_aggregate_cue
    group by all
),

dates as (
    select article_id, sentence_no, resolved_date, date_precision
    from mentions
    where mention_type = 'date' and resolved_date is not null
    qualify row_number() over (partition by article_id, sentence_no order by char_start) = 1
)

select
    pairs.*,
    unit_cues.unit_type,
    unit_cues.personnel_type,
    personnel.personnel_low,
    personnel.personnel_best,
    personnel.personnel_high,
    coalesce(dates.resolved_date, pairs.published_date) as as_of_date,
    case
        when dates.resolved_date is not null then dates.date_precision
        when pairs.published_date is not null then coalesce(pairs.published_precision, 'unknown')
        else 'unknown'
    end as date_precision,
    case
        when dates.resolved_date is not null then 'text'
        when pairs.published_date is not null then 'publication'
        else 'unknown'
    end as as_of_date_source
from pairs
left join unit_cues
    on pairs.article_id = unit_cues.article_id
    and pairs.sentence_no = unit_cues.sentence_no
    and pairs.contributor_start is not distinct from unit_cues.contributor_start
    and pairs.place_start = unit_cues.place_start
left join personnel
    on pairs.article_id = personnel.article_id
    and pairs.sentence_no = personnel.sentence_no
    and pairs.contributor_start is not distinct from personnel.contributor_start
    and pairs.place_start = personnel.place_start
left join dates
    on pairs.article_id = dates.article_id
    and pairs.sentence_no = dates.sentence_no
where (pairs.contributor_iso3 is not null or pairs.mission_source = 'sentence')
  and pairs.contributor_iso3 is distinct from pairs.country_iso3
