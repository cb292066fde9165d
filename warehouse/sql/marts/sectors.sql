-- marts.sectors: where the city's employees work, in the MC2CM profile's three groups: services (WZ sections
-- G-T; the Regionaldatenbank's G-U adds extraterritorial organisations), manufacturing and construction (B-F),
-- agriculture and forestry (A). Shares of all employees; for the
-- statistical table they are computed from the counts (employees at their place of work), for the profile they are
-- the shares it printed. A group the publisher kept secret ('.') has its row with the symbol in status and no figure.
-- all_employees: the table's total, which may hold employees assigned to no section;
-- cited_publisher: whom the profile cites for its shares.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.sectors AS
WITH groups(sector, section_code, sort, label) AS (
    SELECT sector, section_code, sort, label FROM seeds.sector_groups  -- (warehouse/seeds/sector_groups.csv)
),
counted AS (
    SELECT i.region_code, i.reference_date, i.source_id, g.sector, g.sort, g.label, i.value AS employees,
           CASE WHEN i.status IN ('', '-') THEN 100 * i.value / t.value END AS share, 'computed from counts' AS how,
           t.value AS all_employees, '' AS cited_publisher, i.status
    FROM core.indicators i
    JOIN core.profile_cities USING (region_code)
    JOIN groups g ON g.section_code = i.category
    JOIN core.indicators t
      ON t.region_code = i.region_code AND t.reference_date = i.reference_date AND t.source_id = i.source_id
     AND t.indicator = i.indicator AND t.breakdown = 'total' AND t.nationality = 'total' AND t.sex = 'total'
    WHERE i.indicator = 'employees_at_workplace' AND i.breakdown = 'economic_section'
      AND i.nationality = 'total' AND i.sex = 'total'
      AND t.status IN ('', '-')
),
printed AS (
    SELECT i.region_code, i.reference_date, i.source_id, g.sector, g.sort, g.label, NULL::DOUBLE AS employees,
           i.value AS share, 'as printed' AS how, NULL::DOUBLE AS all_employees, i.cited_publisher, i.status
    FROM core.indicators i
    JOIN core.profile_cities USING (region_code)
    JOIN (SELECT DISTINCT sector, sort, label FROM groups) g ON g.sector = i.category
    WHERE i.indicator = 'employment_share' AND i.breakdown = 'economic_sector' AND i.status IN ('', '-')
)
SELECT x.region_code, p.city_name, x.reference_date, year(x.reference_date) AS year, x.sector, x.label, x.sort,
       x.employees, x.share, x.status, x.how, x.all_employees, x.cited_publisher, x.source_id, s.short_name AS source
FROM (SELECT * FROM counted UNION ALL BY NAME SELECT * FROM printed) x
JOIN core.profile_cities p USING (region_code)
JOIN core.sources s ON s.id = x.source_id
ORDER BY x.region_code, x.reference_date, x.sort;
