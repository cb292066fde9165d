-- marts.migration_germany: arrivals from abroad, departures abroad and net migration of Germany per year, in all
-- and for Germans and non-Germans. Two tables give these figures: the Statistischer Bericht (12711-02, every year
-- from 1950, before 1991 the former territory of the Federal Republic) and GENESIS 12711-0008 (2000 onwards, with
-- the countries of origin and destination). Where both have a year, the newer publication's figures are used (the
-- two are compared in reconciliation.comparisons); `territory` says which Germany a year's figures cover and
-- `footnotes` carries the publisher's notes on the year. A year no table covers has no row: it is absent from the
-- chart, not zero.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.migration_germany AS
WITH figures AS (
    SELECT year(i.reference_date) AS year, i.nationality, i.region_name, i.source_id, s.published,
           max(i.value) FILTER (WHERE i.indicator = 'arrivals') AS arrivals,
           max(i.value) FILTER (WHERE i.indicator = 'departures') AS departures,
           max(i.value) FILTER (WHERE i.indicator = 'net_migration') AS net_migration,
           bool_and(i.status = '-') AS all_dashes
    FROM core.indicators i
    JOIN core.sources s ON s.id = i.source_id
    WHERE i.region_code = 'DG' AND i.concept = 'migration_statistics' AND i.breakdown = 'total'
      AND i.status IN ('', '-')
    GROUP BY ALL
),
notes AS (
    SELECT DISTINCT year(reference_date) AS year, source_id, footnotes FROM staging.migration_germany_since_1950
)
SELECT f.year, f.nationality,
       arg_max(f.arrivals, f.published || f.source_id) AS arrivals,
       arg_max(f.departures, f.published || f.source_id) AS departures,
       arg_max(f.net_migration, f.published || f.source_id) AS net_migration,
       arg_max(CASE WHEN f.region_name = 'Früheres Bundesgebiet' THEN 'former_territory' ELSE 'germany' END,
               f.published || f.source_id) AS territory,
       arg_max(coalesce(n.footnotes, ''), f.published || f.source_id) AS footnotes,
       arg_max(f.source_id, f.published || f.source_id) AS source_id
FROM figures f
LEFT JOIN notes n ON n.year = f.year AND n.source_id = f.source_id
-- 1950-1953 print '-' for the nationalities although the totals are not zero: no split, not zero migrants
WHERE NOT (f.all_dashes AND f.nationality <> 'total')
GROUP BY f.year, f.nationality
ORDER BY f.year, f.nationality;
