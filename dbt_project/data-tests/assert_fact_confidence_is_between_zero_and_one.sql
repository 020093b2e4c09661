-- Every fact's confidence is a number in [0, 1].
with facts as (
    select 'fct_attacks' as mart, confidence from {{ ref('fct_attacks') }}
    union all
    select 'fct_attack_sources', confidence from {{ ref('fct_attack_sources') }}
    union all
    select 'fct_deployments', confidence from {{ ref('fct_deployments') }}
    union all
    select 'fct_contributions', confidence from {{ ref('fct_contributions') }}
    union all
    select 'fct_figures', confidence from {{ ref('fct_figures') }}
    union all
    select 'fct_mentions', confidence from {{ ref('fct_mentions') }}
)

select * from facts where confidence is null or confidence < 0 or confidence > 1
