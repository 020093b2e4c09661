-- A tiny warehouse in the shape of the marts contract (issue 3), with invented rows.
-- Used by test_serve.py, test_analyses.py and test_reports.py; never copied from real articles.
create schema if not exists marts;
create schema if not exists raw;

create table raw.articles (article_id varchar, title varchar, body varchar);
insert into raw.articles values ('a1', 'Convoy hit near Aguelhok', 'invented body');

create table marts.dim_articles (
    article_id varchar, title varchar, url varchar, publisher varchar, published_date date,
    published_precision varchar, source_format varchar
);
insert into marts.dim_articles values
    ('a1', 'Convoy hit near Aguelhok', 'https://example.org/a1', 'Example Wire', '2016-02-13', 'day', 'txt'),
    ('a2', 'Camp shelled in Kidal', 'https://example.org/a2', 'Example Daily', '2016-02-14', 'day', 'html'),
    ('a3', 'Contingents rotate in Gao', null, 'Example Wire', '2019-05-02', 'day', 'md');

create table marts.dim_actors (
    actor_id varchar, actor_name varchar, actor_type varchar, country_iso3 varchar, aliases varchar[]
);
insert into marts.dim_actors values
    ('jnim', 'Jama''at Nusrat al-Islam wal-Muslimin', 'armed_group', null, ['JNIM', 'GSIM']),
    ('aqim', 'al-Qaeda in the Islamic Maghreb', 'armed_group', null, ['AQIM']),
    ('minusma', 'MINUSMA', 'mission', null, ['UN mission in Mali']);

create table marts.dim_places (
    place_id varchar, place_name varchar, admin1 varchar, country_iso3 varchar,
    latitude double, longitude double, place_type varchar
);
insert into marts.dim_places values
    ('aguelhok', 'Aguelhok', 'Kidal', 'MLI', 19.46, 0.86, 'town'),
    ('kidal', 'Kidal', 'Kidal', 'MLI', 18.44, 1.41, 'city'),
    ('gao', 'Gao', 'Gao', 'MLI', 16.27, -0.04, 'city'),
    ('timbuktu', 'Timbuktu', 'Tombouctou', 'MLI', 16.77, -3.01, 'city');

create table marts.dim_dates (date_day date, year integer, month integer, quarter integer);
insert into marts.dim_dates
select d::date, year(d), month(d), quarter(d) from range(date '2016-01-01', date '2019-12-31', interval 1 day) t(d);

create table marts.fct_attacks (
    attack_id varchar, event_date date, date_precision varchar, place_id varchar, place_name varchar,
    admin1 varchar, country_iso3 varchar, latitude double, longitude double,
    perpetrator_actor_id varchar, perpetrator_name varchar, perpetrator_attribution varchar, target varchar,
    victim_nationalities varchar[],
    killed_low double, killed_best double, killed_high double,
    wounded_low double, wounded_best double, wounded_high double,
    weapons varchar[], source_count integer,
    article_id varchar, sentence_no integer, evidence_text varchar, char_start integer, char_end integer
);
insert into marts.fct_attacks values
    ('att1', '2016-02-12', 'day', 'aguelhok', 'Aguelhok', 'Kidal', 'MLI', 19.46, 0.86, 'jnim', 'Jama''at Nusrat al-Islam wal-Muslimin', 'claimed',
     'convoy', ['TCD'], 2, 2, 2, 3, 3, 5, ['ied'], 2,
     'a1', 0, 'A roadside bomb struck a supply convoy near Aguelhok, killing two Chadian peacekeepers.', 0, 88),
    ('att2', '2016-02-13', 'day', 'kidal', 'Kidal', 'Kidal', 'MLI', 18.44, 1.41, null, null, null,
     'camp', ['GIN', 'MLI'], 6, 7, 7, 30, 30, 30, ['rocket', 'mortar'], 1,
     'a2', 2, 'Rockets and mortar rounds hit the camp in Kidal; seven people died and thirty were hurt.', 140, 231),
    ('att3', '2016-03-01', 'month', 'timbuktu', 'Timbuktu', 'Tombouctou', 'MLI', 16.77, -3.01, 'aqim', 'al-Qaeda in the Islamic Maghreb', 'suspected',
     'patrol', ['BFA'], 0, 0, 0, 1, 1, 1, ['small_arms'], 1,
     'a2', 5, 'Gunmen fired on a patrol outside Timbuktu, wounding one Burkinabe soldier.', 400, 474),
    ('att4', null, 'unknown', null, null, null, null, null, null, null, null, null,
     'checkpoint', [], 1, 1, 1, 0, 0, 0, [], 1,
     'a3', 1, 'A checkpoint was attacked and one guard was killed.', 60, 111);

create table marts.fct_attack_sources (
    attack_id varchar, article_id varchar, sentence_no integer, evidence_text varchar, char_start integer, char_end integer
);
insert into marts.fct_attack_sources values
    ('att1', 'a1', 0, 'A roadside bomb struck a supply convoy near Aguelhok, killing two Chadian peacekeepers.', 0, 88),
    ('att1', 'a2', 0, 'Two peacekeepers from Chad died near Aguelhok on Friday when their convoy hit a mine.', 0, 86),
    ('att2', 'a2', 2, 'Rockets and mortar rounds hit the camp in Kidal; seven people died and thirty were hurt.', 140, 231),
    ('att3', 'a2', 5, 'Gunmen fired on a patrol outside Timbuktu, wounding one Burkinabe soldier.', 400, 474),
    ('att4', 'a3', 1, 'A checkpoint was attacked and one guard was killed.', 60, 111);

create table marts.fct_deployments (
    deployment_id varchar, contributor_iso3 varchar, contributor_name varchar, mission varchar, unit_type varchar,
    place_id varchar, place_name varchar, admin1 varchar, country_iso3 varchar, latitude double, longitude double,
    personnel_low double, personnel_best double, personnel_high double, as_of_date date, date_precision varchar,
    article_id varchar, sentence_no integer, evidence_text varchar, char_start integer, char_end integer
);
insert into marts.fct_deployments values
    ('dep1', 'DEU', 'Germany', 'MINUSMA', 'reconnaissance company', 'gao', 'Gao', 'Gao', 'MLI', 16.27, -0.04,
     300, 350, 400, '2019-05-02', 'day', 'a3', 3, 'Some 350 German troops of a reconnaissance company are based in Gao.', 200, 270),
    ('dep2', 'NLD', 'Netherlands', 'MINUSMA', 'helicopter unit', 'gao', 'Gao', 'Gao', 'MLI', 16.27, -0.04,
     null, null, null, '2019-05-02', 'day', 'a3', 4, 'A Dutch helicopter unit also operates from Gao.', 271, 318),
    ('dep3', 'TCD', 'Chad', 'MINUSMA', 'infantry battalion', 'aguelhok', 'Aguelhok', 'Kidal', 'MLI', 19.46, 0.86,
     650, 650, 650, '2016-02-13', 'day', 'a1', 4, 'A Chadian battalion of 650 troops holds the camp at Aguelhok.', 300, 362);

create table marts.fct_contributions (
    contribution_id varchar, contributor_iso3 varchar, contributor_name varchar, mission varchar,
    personnel_low double, personnel_best double, personnel_high double, personnel_type varchar, assets varchar[],
    as_of_date date, date_precision varchar,
    article_id varchar, sentence_no integer, evidence_text varchar, char_start integer, char_end integer
);
insert into marts.fct_contributions values
    ('con1', 'DEU', 'Germany', 'MINUSMA', 1000, 1100, 1100, 'troops', ['helicopters'], '2019-05-02', 'day',
     'a3', 6, 'Germany contributes about 1,100 troops and four helicopters to the mission.', 400, 475),
    ('con2', 'DEU', 'Germany', 'MINUSMA', 650, 650, 650, 'troops', [], '2016-02-14', 'day',
     'a2', 8, 'Berlin had 650 soldiers in the mission at the time.', 600, 651),
    ('con3', 'TCD', 'Chad', 'MINUSMA', 1400, 1400, 1400, 'troops', [], '2016-02-13', 'day',
     'a1', 5, 'Chad is the largest contributor with 1,400 troops.', 363, 412);

create table marts.fct_figures (
    figure_id varchar, measure varchar, subject_actor_id varchar, subject_name varchar, value_low double, value_best double, value_high double,
    qualifier varchar, period_start date, period_end date,
    article_id varchar, sentence_no integer, evidence_text varchar, char_start integer, char_end integer
);
insert into marts.fct_figures values
    ('fig1', 'peacekeepers_killed', 'minusma', 'MINUSMA', 100, 100, null, 'more_than', '2013-07-01', '2016-02-14',
     'a2', 9, 'More than 100 peacekeepers have been killed since the mission began.', 652, 720);

create table marts.fct_mentions (
    mention_id varchar, article_id varchar, sentence_no integer, char_start integer, char_end integer, surface varchar,
    mention_type varchar, entity_id varchar, canonical_name varchar
);
insert into marts.fct_mentions values
    ('a1:40:place', 'a1', 0, 40, 48, 'Aguelhok', 'place', 'aguelhok', 'Aguelhok');
