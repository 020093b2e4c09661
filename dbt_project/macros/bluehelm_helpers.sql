{#- Small SQL helpers shared by the intermediate and marts models. -#}

{#- A stable surrogate key: md5 of the natural key columns joined with '|' (nulls spelled '~'),
    so reruns on the same input give the same ids. Kept instead of dbt_utils.generate_surrogate_key
    because `dbt deps` fetches packages from the dbt hub or git, which a machine that reaches only the
    Python and Debian package registries cannot; changing it would also change every published id. -#}
{% macro stable_id(prefix, columns) -%}
    md5(concat_ws('|', '{{ prefix }}'{% for column in columns %}, coalesce(cast({{ column }} as varchar), '~'){% endfor %}))
{%- endmacro %}

{# Lower bound widened to include the best value; null (open) bounds stay null. #}
{% macro bounded_low(low, best) -%}
    case when {{ low }} is null then null else least({{ low }}, coalesce({{ best }}, {{ low }})) end
{%- endmacro %}

{# Upper bound widened to include the best value; null (open) bounds stay null. #}
{% macro bounded_high(high, best) -%}
    case when {{ high }} is null then null else greatest({{ high }}, coalesce({{ best }}, {{ high }})) end
{%- endmacro %}
