-- marts.foreigner_share_cities: the share of foreigners in Germany's 15 largest cities, from the newest table that
-- gives foreigners for every district (Regionaldatenbank 12411-03-03-4). A city is a district the Gemeindeverzeichnis
-- lists as "Kreisfreie Stadt" or "Stadtkreis" (Baden-Württemberg's term), Berlin and Hamburg among them (under their
-- district keys 11000 and 02000, as core.indicators files them); and cities inside a larger district that the table lists in
-- their own right under an 8-digit municipal key (Hannover, Aachen, Saarbrücken) count too. Every other district of
-- the directory is listed too (without a size rank, since it is not a city), so any profile can set its own share
-- beside the cities'.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.foreigner_share_cities AS
WITH city_districts AS (
    SELECT DISTINCT ags AS code, split_part(region_name, ',', 1) AS name
    FROM staging.districts_area_population
    WHERE region_type IN ('Kreisfreie Stadt', 'Stadtkreis')
),
latest AS (
    SELECT max(reference_date) AS reference_date, any_value(source_id) AS source_id
    FROM core.indicators
    WHERE indicator = 'population' AND nationality = 'non_german' AND breakdown = 'total' AND age_group = 'total'
      AND sex = 'total' AND concept = 'population_update' AND length(region_code) = 5
),
listed_municipalities AS (
    SELECT DISTINCT i.region_code AS code, split_part(i.region_name, ',', 1) AS name
    FROM core.indicators i JOIN latest l ON l.source_id = i.source_id
    WHERE length(i.region_code) = 8
),
cities AS (
    SELECT *, true AS is_city FROM city_districts
    UNION ALL SELECT *, true FROM listed_municipalities
    UNION ALL SELECT region_code, city_name, false FROM core.profile_cities
    WHERE region_code NOT IN (SELECT code FROM city_districts UNION SELECT code FROM listed_municipalities)
),
figures AS (
    SELECT i.region_code, c.name, c.is_city, i.reference_date, i.source_id,
           max(i.value) FILTER (WHERE i.nationality = 'total') AS population,
           max(i.value) FILTER (WHERE i.nationality = 'non_german') AS foreigners
    FROM core.indicators i
    JOIN cities c ON c.code = i.region_code
    JOIN latest l ON l.reference_date = i.reference_date AND l.source_id = i.source_id
    WHERE i.indicator = 'population' AND i.sex = 'total' AND i.age_group = 'total' AND i.breakdown = 'total'
      AND i.status IN ('', '-')
    GROUP BY ALL
),
ranked AS (
    SELECT *, CASE WHEN is_city THEN row_number() OVER (PARTITION BY is_city ORDER BY population DESC, region_code) END AS size_rank
    FROM figures WHERE foreigners IS NOT NULL
)
SELECT r.region_code, r.name AS city, r.is_city, r.reference_date, year(r.reference_date) AS year, r.size_rank, r.population,
       r.foreigners, 100 * r.foreigners / r.population AS share_foreigners,
       r.region_code IN (SELECT region_code FROM core.profile_cities) AS is_profile_city, r.source_id,
       s.short_name AS source
FROM ranked r
JOIN core.sources s ON s.id = r.source_id
WHERE r.size_rank <= 15 OR r.region_code IN (SELECT region_code FROM core.profile_cities)
ORDER BY share_foreigners DESC, r.region_code;
