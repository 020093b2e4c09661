-- One row per casualty statement: a person figure attributed to its nearest killed/wounded cue in
-- the same sentence, or a casualty cue with an implicit "a"/"an" victim ("killing a peacekeeper").
--
-- Rules (see _intermediate__models.yml):
--  * only figures whose unit is a person (seed unit_classes) count; munitions, assets, distances and
--    formations never do, and attackers killed are not victims;
--  * a figure goes to the nearest casualty cue, where each comma or semicolon in between adds 40
--    characters and each coordinating conjunction 20 (same clause first), up to 160 characters:
--    "two died and four others were hurt" gives the four to "hurt" (a long subject such as "Four
--    members of the X contingent serving with Y sustained injuries" still reaches its cue);
--  * a negated figure is no casualty: a negation ("no", "none", "neither", "nor", "without", "not",
--    "never"; not "no fewer/more than", "not only") in the figure's own clause before it ("none of
--    its 900 soldiers were hurt", "no casualties among the 300 troops"), or "not"/"never"/"n't"
--    between the figure and a later cue ("the 40 guards were not injured") drops the pair;
--  * "others" takes the unit of the previous person figure in the sentence;
--  * is_additive marks counts that add to earlier ones ("two more", "were also hurt");
--  * a cue with no figure takes an implicit count of 1 when an indefinite article names the victim
--    right after it ("killing a Chadian peacekeeper") or before a passive ("a soldier was killed");
--  * victim nationality is a country actor mention (name or demonym) inside or right after the
--    victim noun phrase (20 characters).
with sentences as (
    select * from {{ ref('int_sentences_enriched') }}
),

mentions as (
    select * from {{ ref('stg_raw__mentions') }}
),

unit_classes as (
    select * from {{ ref('unit_classes') }}
),

casualty_cues as (
    select
        article_id,
        sentence_no,
        char_start as cue_start,
        char_end as cue_end,
        cue_type as casualty_type
    from {{ ref('stg_raw__cues') }}
    where cue_type in ('killed', 'wounded')
),

person_figures as (
    select
        mentions.mention_id,
        mentions.article_id,
        mentions.sentence_no,
        mentions.char_start,
        mentions.char_end,
        mentions.value_low,
        mentions.value_best,
        mentions.value_high,
        mentions.qualifier,
        unit_classes.unit_class,
        case
            when unit_classes.unit_class = 'person_anaphor' then coalesce(
                last_value(case when unit_classes.unit_class = 'person' then mentions.unit end ignore nulls) over (
                    partition by mentions.article_id, mentions.sentence_no
                    order by mentions.char_start
                    rows between unbounded preceding and 1 preceding
                ),
                mentions.unit
            )
            else mentions.unit
        end as victim_unit
    from mentions
    inner join unit_classes
        on mentions.unit = unit_classes.unit
    where mentions.mention_type = 'figure'
      and unit_classes.unit_class in ('person', 'person_anaphor')
),

figure_cue_pairs as (
    select
        person_figures.*,
        casualty_cues.cue_start,
        casualty_cues.casualty_type,
        case
            when casualty_cues.cue_start >= person_figures.char_end then person_figures.char_end
            else casualty_cues.cue_end
        end as gap_start,
        case
            when casualty_cues.cue_start >= person_figures.char_end
                then casualty_cues.cue_start - person_figures.char_end
            else person_figures.char_start - casualty_cues.cue_end
        end as gap,
        sentences.char_start as sentence_start,
        sentences.sentence_text
    from person_figures
    inner join casualty_cues
        on person_figures.article_id = casualty_cues.article_id
        and person_figures.sentence_no = casualty_cues.sentence_no
    inner join sentences
        on person_figures.article_id = sentences.article_id
        and person_figures.sentence_no = sentences.sentence_no
),

figure_cue_scored as (
    select
        *,
        gap
        + 40 * len(regexp_extract_all(gap_text, '[,;]'))
        + 20 * len(regexp_extract_all(gap_text, '(?i)\b(and|but|while|whereas)\b')) as effective_gap
    from (
        select
            *,
            substr(sentence_text, gap_start - sentence_start + 1, greatest(gap, 0)) as gap_text
        from figure_cue_pairs
        where gap >= 0
    )
),

figure_cue_negation as (
    select
        *,
        (
            regexp_matches(clause_before, '\b(no|none|neither|nor|without|not|never)\b')
            and not regexp_matches(clause_before, '\b(no|not)\s+(fewer|less|more|only|far|least|long|until)\b')
        )
        or (cue_start >= char_end and regexp_matches(lower(gap_text), '\b(not|never)\b|n[''’]t\b'))
            as is_negated
    from (
        select
            *,
            -- the figure's own clause before it: the text since the last clause break (60 chars max)
            string_split_regex(
                lower(substr(
                    sentence_text,
                    greatest(1, char_start - sentence_start + 1 - 60),
                    least(60, char_start - sentence_start)
                )),
                '[,;:()]|\b(?:but|and|while|whereas|although|though)\b'
            )[-1] as clause_before
        from figure_cue_scored
    )
),

attributed_figures as (
    select
        mention_id,
        article_id,
        sentence_no,
        char_start,
        char_end,
        cue_start,
        casualty_type,
        value_low,
        value_best,
        value_high,
        qualifier,
        victim_unit,
        'figure' as attribution_method,
        -- "two more soldiers were wounded", "were also hurt": adds to the counts stated before
        regexp_matches(statement_text, '(?i)\b(also|another|additional|further)\b')
            or regexp_matches(regexp_replace(lower(statement_text), 'more than', '', 'g'), '\bmore\b')
            as is_additive
    from (
        select
            *,
            substr(
                sentence_text,
                least(char_start, cue_start) - sentence_start + 1,
                greatest(char_end, cue_start + 12) - least(char_start, cue_start)
            ) as statement_text
        from figure_cue_negation
    )
    where effective_gap <= 160
      and not is_negated
    qualify row_number() over (partition by mention_id order by effective_gap, cue_start) = 1
),

cues_without_figure as (
    select
        casualty_cues.*,
        sentences.char_start as sentence_start,
        sentences.sentence_text,
        substr(sentences.sentence_text, casualty_cues.cue_end - sentences.char_start + 1, 60) as text_after,
        substr(
            sentences.sentence_text,
            greatest(1, casualty_cues.cue_start - sentences.char_start + 1 - 60),
            least(60, casualty_cues.cue_start - sentences.char_start)
        ) as text_before
    from casualty_cues
    inner join sentences
        on casualty_cues.article_id = sentences.article_id
        and casualty_cues.sentence_no = sentences.sentence_no
    anti join attributed_figures
        on casualty_cues.article_id = attributed_figures.article_id
        and casualty_cues.sentence_no = attributed_figures.sentence_no
        and casualty_cues.cue_start = attributed_figures.cue_start
),

implicit_singulars as (
    select
        null::varchar as mention_id,
        article_id,
        sentence_no,
        case
            when active_match is not null then cue_end + length(active_match) - length(ltrim(active_match))
            else cue_start - length(passive_match)
        end as char_start,
        case
            when active_match is not null then cue_end + length(active_match)
            else cue_start
        end as char_end,
        cue_start,
        casualty_type,
        1.0::double as value_low,
        1.0::double as value_best,
        1.0::double as value_high,
        'exact' as qualifier,
        null::varchar as victim_unit,
        'indefinite_article' as attribution_method,
        false as is_additive
    from (
        select
            *,
            case
                when regexp_matches(text_after, '(?i)^\s+(?:a|an)\s+(?:day|week|month|year|time|while|number|total|few|couple|dozen|lot|further)\b')
                    then null
                else nullif(regexp_extract(text_after, '(?i)^\s+(?:a|an)\s+[^\s,;.]+(?:\s+[^\s,;.]+)?', 0), '')
            end as active_match,
            nullif(regexp_extract(
                text_before,
                '(?i)(?:^|\s)((?:a|an)\s+(?:[^\s,;.]+\s+){1,3}(?:was|has\s+been|had\s+been)\s+)$',
                1
            ), '') as passive_match
        from cues_without_figure
    )
    where active_match is not null or passive_match is not null
),

attributions as (
    select * from attributed_figures
    union all
    select * from implicit_singulars
),

country_mentions as (
    select article_id, sentence_no, char_start, country_iso3
    from mentions
    where {{ is_country_actor('mentions') }}
),

victim_countries as (
    select
        attributions.article_id,
        attributions.sentence_no,
        attributions.char_start,
        attributions.casualty_type,
        min(country_mentions.country_iso3) as victim_iso3
    from attributions
    inner join country_mentions
        on attributions.article_id = country_mentions.article_id
        and attributions.sentence_no = country_mentions.sentence_no
        and country_mentions.char_start between attributions.char_start and attributions.char_end + 20
    group by all
)

select
    {{ stable_id('casualty', ['attributions.article_id', 'attributions.char_start', 'attributions.casualty_type']) }}
        as casualty_id,
    attributions.mention_id,
    attributions.article_id,
    attributions.sentence_no,
    attributions.char_start,
    attributions.char_end,
    attributions.cue_start,
    attributions.casualty_type,
    attributions.value_low,
    attributions.value_best,
    attributions.value_high,
    attributions.qualifier,
    attributions.victim_unit,
    victim_countries.victim_iso3,
    attributions.attribution_method,
    attributions.is_additive,
    sentences.is_aggregate
from attributions
inner join sentences
    on attributions.article_id = sentences.article_id
    and attributions.sentence_no = sentences.sentence_no
left join victim_countries
    on attributions.article_id = victim_countries.article_id
    and attributions.sentence_no = victim_countries.sentence_no
    and attributions.char_start = victim_countries.char_start
    and attributions.casualty_type = victim_countries.casualty_type
