{#- Small SQL helpers shared by the intermediate and marts models. -#}

{#- A stable surrogate key: md5 of the natural key columns joined with '|' (nulls spelled '~'),
    so reruns on the same input give the same ids. -#}
{% macro stable_id(prefix, columns) -%}
    md5(concat_ws('|', '{{ prefix }}'{% for column in columns %}, coalesce(cast({{ column }} as varchar), '~'){% endfor %}))
{%- endmacro %}

{#- A mention of a country as an actor (name or demonym: "Chadian", "the Dutch"). -#}
{% macro is_country_actor(alias) -%}
    ({{ alias }}.mention_type = 'actor' and {{ alias }}.actor_type = 'country' and {{ alias }}.country_iso3 is not null)
{%- endmacro %}

{#- A place mention that names a whole country rather than a town or region. -#}
{% macro is_country_place(alias) -%}
    ({{ alias }}.place_type = 'country')
{%- endmacro %}

{#- The text of a sentence just before a mention (up to `width` characters), lowercased.
    Offsets are article-wide; the sentence starts at `sentence_start`. -#}
{% macro text_before(sentence_text, sentence_start, mention_start, width=30) -%}
    lower(substr({{ sentence_text }},
                 greatest(1, {{ mention_start }} - {{ sentence_start }} + 1 - {{ width }}),
                 least({{ width }}, {{ mention_start }} - {{ sentence_start }})))
{%- endmacro %}

{#- The text of a sentence just after a mention (up to `width` characters), lowercased. -#}
{% macro text_after(sentence_text, sentence_start, mention_end, width=12) -%}
    lower(substr({{ sentence_text }}, {{ mention_end }} - {{ sentence_start }} + 1, {{ width }}))
{%- endmacro %}

{#- True when the text after a place makes it a whole area ("in the Mopti region", "Kidal
    province"): weaker than a town of the same incident. -#}
{% macro is_area_use(after_text) -%}
    regexp_matches({{ after_text }}, '^\s+(region|province|district|area|circle|cercle)\b')
{%- endmacro %}

{#- Length of a news dateline at the start of a sentence, else 0: an upper-case place (or places
    joined by "/") with an optional country, date and agency, then a dash ("BAMAKO, Oct 3 (Sahel
    Wire) - ", "NIAMEY/BAMAKO - ", "DAKAR - "), or a title-case place followed by a date with a year
    ("Lomé, 10 August 2018 - "). Its place and date say where and when the story was filed, not
    where the event happened. -#}
{% macro dateline_length(sentence_text) -%}
    greatest(
        length(regexp_extract({{ sentence_text }}, '^[A-Z][A-Z .''’/-]{2,}(?:, [A-Z][A-Za-z .''’-]+)?(?:, [^()\n]{0,30})?(?:\([^)]{0,40}\))?\s*[-–—]+\s*', 0)),
        length(regexp_extract({{ sentence_text }}, '^[A-Z][^\s,]{1,25}(?: [A-Z][^\s,]{1,25})?, [^()\n]{0,25}\b\d{4}(?:\s*\([^)]{0,40}\))?\s*[-–—]+\s*', 0))
    )
{%- endmacro %}

{# Lower bound widened to include the best value; null (open) bounds stay null. #}
{% macro bounded_low(low, best) -%}
    case when {{ low }} is null then null else least({{ low }}, coalesce({{ best }}, {{ low }})) end
{%- endmacro %}

{# Upper bound widened to include the best value; null (open) bounds stay null. #}
{% macro bounded_high(high, best) -%}
    case when {{ high }} is null then null else greatest({{ high }}, coalesce({{ best }}, {{ high }})) end
{%- endmacro %}
