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
    -- every publisher table's branch (pipeline/sources/<publisher>/<table>.sql, assembled by
    -- pipeline/warehouse/indicators.py): its rows in the one vocabulary, and the totals it implies but does not print
    SELECT * FROM table_figures
),
tidy AS (
    -- Our transcriptions: the city's register figures, the MC2CM profile's tables, the policy register's figures
    SELECT * FROM transcribed_figures
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
everything AS (
    SELECT * REPLACE (age_from::INTEGER AS age_from, age_to::INTEGER AS age_to, period_start::DATE AS period_start,
                      coalesce(derivation, '') AS derivation), '' AS cited_publisher FROM figures
    UNION ALL BY NAME SELECT *, '' AS derivation FROM tidy_figures
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
