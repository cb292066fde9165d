-- core.indicators: every published figure of every source in one long table, in one vocabulary.
--
-- One row per figure: the region (code as in core.region_key; a city-state's figures also under its district key), the reference date, what is counted (indicator)
-- for whom (nationality, sex, age group, and one further breakdown: citizenship, continent, legal status,
-- economic section, qualification, benefit, country, sector ...), the value with its unit and its special symbol
-- (status), what measurement it is (concept; see CONCEPTS in pipeline/domain/labels.py), its census basis where it
-- has one ('Zensus 2011', 'Zensus 2022', 'register' for the city's register), the source (manifest id, the table
-- inside a transcription, line and column in the file), who published it (publisher_level, from the manifest; for
-- our transcriptions also cited_publisher, the original publisher the transcribed publication names), and
-- how far it may be from the true count because of the publisher's rounding (rounding, in the unit).
-- Concepts are never mixed: a register count and a population update are two rows with two concepts.
-- A few totals the publisher does not print are derived here and say so in `derivation` (the AZR prints no total
-- of foreigners: it is the sum of the six continents).

CREATE SCHEMA IF NOT EXISTS core;

CREATE OR REPLACE TABLE core.indicators (
    region_code VARCHAR NOT NULL,
    region_name VARCHAR NOT NULL,
    reference_date DATE NOT NULL,
    period_start DATE,
    indicator VARCHAR NOT NULL,
    nationality VARCHAR NOT NULL,
    sex VARCHAR NOT NULL,
    age_group VARCHAR NOT NULL,
    age_from INTEGER,
    age_to INTEGER,
    breakdown VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    category_label VARCHAR NOT NULL,
    value DOUBLE,
    unit VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    concept VARCHAR NOT NULL,
    census_basis VARCHAR NOT NULL,
    rounding DOUBLE NOT NULL,
    derivation VARCHAR NOT NULL,
    publisher_level VARCHAR NOT NULL,
    cited_publisher VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL,
    source_table VARCHAR NOT NULL,
    source_line INTEGER,
    source_column VARCHAR NOT NULL,
    PRIMARY KEY (region_code, reference_date, indicator, nationality, sex, age_group, breakdown, category, source_id, source_table, derivation)
);

INSERT INTO core.indicators BY NAME
WITH figures AS (
    -- IT.NRW 12411-09i: population by single year of age
    SELECT core.region_key(ags) AS region_code, region_name, reference_date, 'population' AS indicator,
           'total' AS nationality, 'total' AS sex, age_group, age_from, age_to, 'total' AS breakdown, 'total' AS category,
           '' AS category_label, value, unit, status, 'population_update' AS concept, census_basis, 0.0 AS rounding,
           source_id, '' AS source_table, source_line, source_column
    FROM staging.population_by_single_year_of_age

    UNION ALL BY NAME
    -- IT.NRW 12411-15i: area, population, density
    SELECT core.region_key(ags) AS region_code, region_name, reference_date, indicator,
           'total' AS nationality, 'total' AS sex, 'total' AS age_group, 'total' AS breakdown, 'total' AS category,
           '' AS category_label, value, unit, status,
           CASE indicator WHEN 'area' THEN 'area_survey' ELSE 'population_update' END AS concept,
           CASE indicator WHEN 'area' THEN '' ELSE census_basis END AS census_basis, 0.0 AS rounding,
           source_id, '' AS source_table, source_line, source_column
    FROM staging.area_population_density

    UNION ALL BY NAME
    -- IT.NRW 12521-03i: foreigners by nationality (AZR), each value within ±2 of the true count
    SELECT core.region_key(ags) AS region_code, region_name, reference_date, 'population' AS indicator,
           'non_german' AS nationality, sex, 'total' AS age_group,
           CASE nationality_level WHEN 'continent' THEN 'continent' ELSE 'citizenship' END AS breakdown,
           nationality_code AS category, nationality AS category_label, value, unit, status,
           'foreigners_register' AS concept, '' AS census_basis, 2.0 AS rounding,
           source_id, '' AS source_table, source_line, source_column
    FROM staging.foreigners_by_nationality

    UNION ALL BY NAME
    -- IT.NRW 13111-54i: employees at their place of work, by economic section ...
    SELECT core.region_key(ags) AS region_code, region_name, reference_date, 'employees_at_workplace' AS indicator,
           'total' AS nationality, 'total' AS sex, 'total' AS age_group,
           CASE section_code WHEN 'total' THEN 'total' ELSE 'economic_section' END AS breakdown, section_code AS category,
           CASE section_code WHEN 'total' THEN '' ELSE section END AS category_label, value, unit, status,
           'employment_statistics' AS concept, '' AS census_basis, 0.0 AS rounding,
           source_id, '' AS source_table, source_line, source_column
    FROM staging.employees_by_economic_section WHERE qualification = 'total'

    UNION ALL BY NAME
    -- ... and by qualification (the cross-tabulation of both stays in staging)
    SELECT core.region_key(ags) AS region_code, region_name, reference_date, 'employees_at_workplace' AS indicator,
           'total' AS nationality, 'total' AS sex, 'total' AS age_group, 'qualification' AS breakdown,
           qualification AS category, '' AS category_label, value, unit, status,
           'employment_statistics' AS concept, '' AS census_basis, 0.0 AS rounding,
           source_id, '' AS source_table, source_line, source_column
    FROM staging.employees_by_economic_section WHERE section_code = 'total' AND qualification <> 'total'

    UNION ALL BY NAME
    -- IT.NRW 22811-05i: recipients of minimum benefits; SGB XII and AsylbLG counts rounded to multiples of 5
    SELECT core.region_key(ags) AS region_code, region_name, reference_date, 'benefit_recipients' AS indicator,
           'total' AS nationality, 'total' AS sex, 'total' AS age_group,
           CASE benefit WHEN 'total' THEN 'total' ELSE 'benefit' END AS breakdown, benefit AS category,
           '' AS category_label, value, unit, status, 'social_benefit_statistics' AS concept, '' AS census_basis,
           CASE benefit WHEN 'sgb2' THEN 0.0 WHEN 'total' THEN 6.0 ELSE 2.0 END AS rounding,
           source_id, '' AS source_table, source_line, source_column
    FROM staging.minimum_benefit_recipients

    UNION ALL BY NAME
    -- Regionaldatenbank 12411-03-03-4: population by nationality, sex, age group
    SELECT core.region_key(ags) AS region_code, region_name, reference_date, 'population' AS indicator,
           nationality, sex, age_group, age_from, age_to, 'total' AS breakdown, 'total' AS category,
           '' AS category_label, value, unit, status, 'population_update' AS concept, census_basis, 0.0 AS rounding,
           source_id, '' AS source_table, source_line, source_column
    FROM staging.population_by_nationality_and_age_group

    UNION ALL BY NAME
    -- Regionaldatenbank 12411-02-03-4 and 12411-04-02-4: population by sex and age group, by sex and single year of age
    SELECT core.region_key(ags) AS region_code, region_name, reference_date, 'population' AS indicator,
           'total' AS nationality, sex, age_group, age_from, age_to, 'total' AS breakdown, 'total' AS category,
           '' AS category_label, value, unit, status, 'population_update' AS concept, census_basis, 0.0 AS rounding,
           source_id, '' AS source_table, source_line, source_column
    FROM (SELECT * FROM staging.population_by_sex_and_age_group
          UNION ALL BY NAME SELECT * FROM staging.population_by_sex_and_single_year_of_age)

    UNION ALL BY NAME
    -- Regionaldatenbank 12411-01-01-4: population by sex
    SELECT core.region_key(ags) AS region_code, region_name, reference_date, 'population' AS indicator,
           'total' AS nationality, sex, 'total' AS age_group, 'total' AS breakdown, 'total' AS category,
           '' AS category_label, value, unit, status, 'population_update' AS concept, census_basis, 0.0 AS rounding,
           source_id, '' AS source_table, source_line, source_column
    FROM staging.population_by_sex

    UNION ALL BY NAME
    -- Regionaldatenbank 13211-02-05-4 (Bundesagentur für Arbeit): unemployed by group and unemployment rates. The
    -- groups are 'of which' figures: foreigners, men, women and the age groups as dimensions, the rest as a breakdown.
    SELECT core.region_key(ags) AS region_code, region_name, reference_date, indicator,
           CASE person_group WHEN 'foreigners' THEN 'non_german' ELSE 'total' END AS nationality,
           CASE person_group WHEN 'men' THEN 'male' WHEN 'women' THEN 'female' ELSE 'total' END AS sex,
           CASE person_group WHEN 'aged_15_20' THEN '15-20' WHEN 'aged_15_25' THEN '15-25' WHEN 'aged_55_65' THEN '55-65'
                ELSE 'total' END AS age_group,
           CASE person_group WHEN 'aged_15_20' THEN 15 WHEN 'aged_15_25' THEN 15 WHEN 'aged_55_65' THEN 55 END AS age_from,
           CASE person_group WHEN 'aged_15_20' THEN 20 WHEN 'aged_15_25' THEN 25 WHEN 'aged_55_65' THEN 65 END AS age_to,
           CASE WHEN person_group IN ('severely_disabled', 'long_term_unemployed') THEN 'person_group' ELSE 'total' END AS breakdown,
           CASE WHEN person_group IN ('severely_disabled', 'long_term_unemployed') THEN person_group ELSE 'total' END AS category,
           '' AS category_label, value, unit, status, 'unemployment_statistics' AS concept, '' AS census_basis,
           CASE unit WHEN 'percent' THEN 0.05 ELSE 0.0 END AS rounding,
           source_id, '' AS source_table, source_line, source_column
    FROM staging.unemployment_by_group

    UNION ALL BY NAME
    -- Regionaldatenbank 21111-02-06-4: leavers of general schools by the qualification they left with
    SELECT core.region_key(ags) AS region_code, region_name, reference_date, 'school_leavers' AS indicator,
           'total' AS nationality, sex, 'total' AS age_group,
           CASE qualification WHEN 'total' THEN 'total' ELSE 'school_qualification' END AS breakdown,
           qualification AS category, '' AS category_label, value, unit, status, 'school_statistics' AS concept,
           '' AS census_basis, 0.0 AS rounding, source_id, '' AS source_table, source_line, source_column
    FROM staging.school_leavers

    UNION ALL BY NAME
    -- Regionaldatenbank 21311-01-01-4-B: students at the district's higher-education institutions in a winter semester
    SELECT core.region_key(ags) AS region_code, region_name, reference_date, period_start, 'students' AS indicator,
           nationality, sex, 'total' AS age_group,
           CASE subject_group WHEN 'total' THEN 'total' ELSE 'subject_group' END AS breakdown,
           subject_group AS category, '' AS category_label, value, unit, status, 'student_statistics' AS concept,
           '' AS census_basis, CASE WHEN left(ags, 2) IN ('01', '02') THEN 2.0 ELSE 0.0 END AS rounding,
           source_id, '' AS source_table, source_line, source_column
    FROM staging.students_by_nationality

    UNION ALL BY NAME
    -- Regionaldatenbank 61511-01-03-4: building-land sales in the year (cases, area, purchase sum, average price per m²)
    SELECT core.region_key(ags) AS region_code, region_name, reference_date, period_start,
           CASE measure WHEN 'sales' THEN 'building_land_sales' WHEN 'area_sold' THEN 'building_land_area_sold'
                WHEN 'purchase_sum' THEN 'building_land_purchase_sum' ELSE 'building_land_price' END AS indicator,
           'total' AS nationality, 'total' AS sex, 'total' AS age_group,
           CASE land_type WHEN 'total' THEN 'total' ELSE 'land_type' END AS breakdown, land_type AS category,
           '' AS category_label, value, unit, status, 'land_price_statistics' AS concept, '' AS census_basis,
           0.0 AS rounding, source_id, '' AS source_table, source_line, source_column
    FROM staging.building_land_sales

    UNION ALL BY NAME
    -- Destatis 12411-0015: population of every district on each 31 December since 2000, on its year's census basis
    SELECT core.region_key(ags) AS region_code, region_name, reference_date, 'population' AS indicator,
           'total' AS nationality, 'total' AS sex, 'total' AS age_group, 'total' AS breakdown, 'total' AS category,
           '' AS category_label, value, unit, status, 'population_update' AS concept, census_basis, 0.0 AS rounding,
           source_id, '' AS source_table, source_line, source_column
    FROM staging.population_of_districts

    UNION ALL BY NAME
    -- Destatis 12711-0008: arrivals, departures, net migration of Germany, by nationality and country
    SELECT ags AS region_code, region_name, reference_date, period_start, flow AS indicator,
           nationality, 'total' AS sex, 'total' AS age_group,
           CASE country_code WHEN 'total' THEN 'total' ELSE 'country' END AS breakdown, country_code AS category,
           CASE country_code WHEN 'total' THEN '' ELSE country END AS category_label, value, unit, status,
           'migration_statistics' AS concept, '' AS census_basis, 0.0 AS rounding,
           source_id, '' AS source_table, source_line, source_column
    FROM staging.migration_germany_abroad

    UNION ALL BY NAME
    -- Destatis Statistischer Bericht 12711-02: Germany's migration balance since 1950 by nationality; before 1991
    -- the former territory (region_name says which)
    SELECT ags AS region_code, region_name, reference_date, period_start, flow AS indicator,
           nationality, 'total' AS sex, 'total' AS age_group, 'total' AS breakdown, 'total' AS category,
           '' AS category_label, value, unit, status, 'migration_statistics' AS concept, '' AS census_basis,
           0.0 AS rounding, source_id, '' AS source_table, source_line, source_column
    FROM staging.migration_germany_since_1950

    UNION ALL BY NAME
    -- Destatis Statistischer Bericht 12711-13: moves across every district's borders, by origin and destination
    SELECT ags AS region_code, region_name, reference_date, period_start, flow AS indicator,
           'total' AS nationality, 'total' AS sex, 'total' AS age_group, 'migration_scope' AS breakdown,
           scope AS category, '' AS category_label, value, unit, status, 'migration_statistics' AS concept,
           '' AS census_basis, 0.0 AS rounding, source_id, '' AS source_table, source_line, source_column
    FROM staging.migration_of_districts

    UNION ALL BY NAME
    -- Regionaldatenbank 12711-04-02-4 (XLSX): arrivals and departures across district borders by sex and age group
    SELECT ags AS region_code, region_name, reference_date, flow AS indicator, 'total' AS nationality, sex,
           age_group, age_from, age_to, 'migration_scope' AS breakdown, 'across_district_borders' AS category,
           '' AS category_label, value, unit, status, 'migration_statistics' AS concept, '' AS census_basis,
           0.0 AS rounding, source_id, '' AS source_table, source_line, source_column
    FROM staging.migration_of_districts_by_age

    UNION ALL BY NAME
    -- Zensus 2022 database 1000A-2022: the census count by immigration history, Germany and the Länder (the
    -- detail hierarchy WDGAT1 only for the two categories the summary WDGAT2 does not have)
    SELECT ags AS region_code, region_name, reference_date, 'population' AS indicator, 'total' AS nationality,
           'total' AS sex, age_group, age_from, age_to,
           CASE immigration_history WHEN 'total' THEN 'total' ELSE 'immigration_history' END AS breakdown,
           immigration_history AS category, '' AS category_label, value, unit, status, 'census_count' AS concept,
           census_basis, 0.0 AS rounding, source_id, '' AS source_table, source_line, source_column
    FROM staging.immigration_history_by_land
    WHERE hierarchy = 'WDGAT2' OR immigration_history IN ('immigrated', 'descendants')

    UNION ALL BY NAME
    -- Zensus 2022 database 1000A-0000: the census count on 15 May 2022 (a kreisfreie Stadt's municipality is its
    -- district: core.region_key takes 05913000 to 05913)
    SELECT core.region_key(ags) AS region_code, region_name, reference_date, 'population' AS indicator,
           'total' AS nationality, 'total' AS sex, 'total' AS age_group, 'total' AS breakdown, 'total' AS category,
           '' AS category_label, value, unit, status, 'census_count' AS concept, census_basis, 0.0 AS rounding,
           source_id, '' AS source_table, source_line, source_column
    FROM staging.census_population

    UNION ALL BY NAME
    -- Destatis GV-ISys: area, population by sex, density of every district
    SELECT core.region_key(ags) AS region_code, region_name, reference_date, indicator,
           'total' AS nationality, sex, 'total' AS age_group, 'total' AS breakdown, 'total' AS category,
           '' AS category_label, value, unit, status,
           CASE indicator WHEN 'area' THEN 'area_survey' ELSE 'population_update' END AS concept,
           CASE indicator WHEN 'area' THEN '' ELSE census_basis END AS census_basis, 0.0 AS rounding,
           source_id, '' AS source_table, source_line, source_column
    FROM staging.districts_area_population
),
tidy AS (
    -- Our transcriptions: the city's register figures and the MC2CM profile's tables
    SELECT * FROM staging.city_register_figures
    UNION ALL BY NAME SELECT * FROM staging.mc2cm_synopsis
    UNION ALL BY NAME SELECT * FROM staging.mc2cm_legal_status
    UNION ALL BY NAME SELECT * FROM staging.mc2cm_top_nationalities
    UNION ALL BY NAME SELECT * FROM staging.mc2cm_age_groups
    UNION ALL BY NAME SELECT * FROM staging.mc2cm_social_indicators
    UNION ALL BY NAME SELECT * FROM staging.city_policy_figures
),
tidy_figures AS (
    SELECT core.region_key(ags) AS region_code, '' AS region_name, reference_date, indicator, nationality, 'total' AS sex,
           CASE breakdown WHEN 'age_group' THEN category ELSE 'total' END AS age_group,
           CASE breakdown WHEN 'age_group' THEN core.age_from(category) END AS age_from,
           CASE breakdown WHEN 'age_group' THEN core.age_to(category) END AS age_to,
           CASE WHEN breakdown = 'age_group' OR category = 'total' THEN 'total' ELSE breakdown END AS breakdown,
           CASE breakdown WHEN 'age_group' THEN 'total' ELSE category END AS category,
           '' AS category_label, value, unit, status, concept,
           CASE concept WHEN 'municipal_register' THEN 'register' ELSE '' END AS census_basis,
           core.printed_half_unit(printed_as, unit) AS rounding, publisher AS cited_publisher,
           source_id, table_id AS source_table, source_line, source_column
    FROM tidy
),
azr_totals AS (
    -- The AZR prints no total: foreigners = the six continents added up (each within ±2, so ±12).
    SELECT region_code, any_value(region_name) AS region_name, reference_date, 'population' AS indicator,
           'non_german' AS nationality, sex, 'total' AS age_group, NULL::INTEGER AS age_from, NULL::INTEGER AS age_to,
           'total' AS breakdown, 'total' AS category, '' AS category_label, sum(value) AS value, 'persons' AS unit,
           '' AS status, 'foreigners_register' AS concept, '' AS census_basis, sum(rounding) AS rounding,
           'sum of the six continents' AS derivation, source_id, '' AS source_table, NULL::INTEGER AS source_line,
           'continents' AS source_column
    FROM figures
    WHERE concept = 'foreigners_register' AND breakdown = 'continent'
    GROUP BY region_code, reference_date, sex, source_id
    HAVING bool_and(status IN ('', '-'))
),
protection_totals AS (
    -- Destatis 12531-0043 prints protection seekers by citizenship only (and leaves empty cells out): each status
    -- and sex is the sum over the citizenships, each cell within ±2 (rounded to 5); both sexes added for the total.
    SELECT region_code, any_value(region_name) AS region_name, reference_date, 'protection_seekers' AS indicator,
           'non_german' AS nationality, sex, 'total' AS age_group, NULL::INTEGER AS age_from, NULL::INTEGER AS age_to,
           'protection_status' AS breakdown, protection_status AS category, '' AS category_label, sum(value) AS value,
           'persons' AS unit, '' AS status, 'foreigners_register' AS concept, '' AS census_basis,
           2.0 * count(*) AS rounding, 'sum of the citizenships' AS derivation, source_id, '' AS source_table,
           NULL::INTEGER AS source_line, 'citizenships' AS source_column
    FROM (SELECT ags AS region_code, region_name, reference_date, protection_status, sex, value, status, source_id
          FROM staging.protection_seekers
          UNION ALL
          SELECT ags, region_name, reference_date, protection_status, 'total', value, status, source_id
          FROM staging.protection_seekers)
    GROUP BY region_code, reference_date, protection_status, sex, source_id
    HAVING bool_and(status IN ('', '-'))
),
everything AS (
    SELECT * REPLACE (age_from::INTEGER AS age_from, age_to::INTEGER AS age_to, period_start::DATE AS period_start), '' AS derivation FROM figures
    UNION ALL BY NAME SELECT *, '' AS derivation FROM tidy_figures
    UNION ALL BY NAME SELECT *, '' AS cited_publisher FROM azr_totals
    UNION ALL BY NAME SELECT *, '' AS cited_publisher FROM protection_totals
),
keyed AS (
    SELECT * FROM everything
    UNION ALL BY NAME
    -- A city-state is a Land and a district in one. Tables that list it only under its Land's code (Berlin 11) give
    -- its district's figures: they are filed under its district key (11000) too, where the same source has none
    -- there, so every district has one key in every source (core.profile_cities.land_listing).
    SELECT e.* REPLACE (c.region_code AS region_code)
    FROM everything e
    JOIN core.profile_cities c ON e.region_code = c.land_listing
    WHERE NOT EXISTS (SELECT 1 FROM everything d WHERE d.region_code = c.region_code AND d.source_id = e.source_id)
),
names AS (
    -- A readable name per region code, from the tables that print names (transcriptions print none).
    SELECT region_code, arg_min(region_name, length(region_name)) AS name
    FROM keyed WHERE region_name <> '' GROUP BY region_code
)
SELECT e.* EXCLUDE (region_name, cited_publisher),
       coalesce(nullif(e.region_name, ''), n.name, e.region_code) AS region_name,
       coalesce(e.cited_publisher, '') AS cited_publisher,
       s.level AS publisher_level
FROM keyed e
JOIN staging.sources s ON s.id = e.source_id
LEFT JOIN names n USING (region_code);
