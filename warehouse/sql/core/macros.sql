-- Helpers for the conformed layer. Run before core/indicators.sql.

CREATE SCHEMA IF NOT EXISTS core;

-- The key a region is stored under in core.indicators. A kreisfreie Stadt has an 8-digit municipal key ending in
-- 000 and a 5-digit district key; the statistical tables list it under the district key, so that is its key here
-- (Dortmund: 05913000 -> 05913). Every other code is kept as published (DG, Länder, districts, municipalities).
CREATE OR REPLACE MACRO core.region_key(code) AS
    CASE WHEN length(code) = 8 AND code LIKE '%000' THEN left(code, 5) ELSE code END;

-- Bounds of our age codes: '25-35' -> 25 and 35, '80+' -> 80 and NULL, 'total' -> NULL and NULL.
CREATE OR REPLACE MACRO core.age_from(code) AS TRY_CAST(regexp_extract(code, '^(\d+)[-+]', 1) AS INTEGER);
CREATE OR REPLACE MACRO core.age_to(code) AS TRY_CAST(regexp_extract(code, '^\d+-(\d+)$', 1) AS INTEGER);

-- Half the unit a printed figure was rounded to, read off how it was printed: '603.600' is taken as rounded to
-- hundreds (±50), '113.000 (19%)' to thousands (±500), '19,1 %' to a tenth of a percent (±0.05), '9 %' to a whole
-- percent (±0.5), '281 km2' to whole km² (±0.5; measurements have no trailing-zero rounding, their last printed
-- place is the rounding). Unprinted figures (our own files hold the published value) count as exact.
CREATE OR REPLACE MACRO core.printed_half_unit(printed, unit) AS
    CASE
        WHEN printed = '' THEN 0.0
        WHEN unit = 'percent' THEN
            0.5 * pow(10, -length(coalesce(nullif(regexp_extract(printed, '\d+[.,](\d+)\s*%', 1), ''), '')))
        WHEN unit = 'km2' THEN
            0.5 * pow(10, -length(coalesce(nullif(regexp_extract(printed, '\d+[.,](\d+)\s*km', 1), ''), '')))
        WHEN unit IN ('persons', 'households', 'EUR') THEN
            0.5 * pow(10, length(regexp_replace(regexp_extract(printed, '\d[\d.,]*'), '[.,]', '', 'g'))
                        - length(rtrim(regexp_replace(regexp_extract(printed, '\d[\d.,]*'), '[.,]', '', 'g'), '0')))
            * CASE WHEN rtrim(regexp_replace(regexp_extract(printed, '\d[\d.,]*'), '[.,]', '', 'g'), '0') = '' THEN 0 ELSE 1 END
        ELSE 0.0
    END;

-- The special symbol of a sum of published cells: any cell unknown ('.', '...', 'x', '/') makes the sum unknown with
-- that symbol; a sum of cells that are all '-' is '-'; otherwise a plain number.
CREATE OR REPLACE MACRO core.sum_status(statuses, total) AS
    CASE WHEN len(list_filter(statuses, lambda s: s NOT IN ('', '-'))) > 0 THEN list_filter(statuses, lambda s: s NOT IN ('', '-'))[1]
         WHEN total = 0 THEN '-' ELSE '' END;

-- One figure's period as the publisher defines it, in the words of pipeline/domain/periods.py's period_label (a
-- test holds the two to the same words): '31.12.2024', 'annual average 2023', 'year 2024', 'school year 2022/23',
-- 'winter semester 2023/24', 'start of the school year 2023/24'.
CREATE OR REPLACE MACRO core.period_of(kind, day) AS
    CASE coalesce(kind, 'reference_date')
        WHEN 'annual_average' THEN 'annual average ' || year(day)
        WHEN 'annual_sum' THEN 'year ' || year(day)
        WHEN 'school_year' THEN 'school year ' || (year(day) - 1) || '/' || right(CAST(year(day) AS VARCHAR), 2)
        WHEN 'semester' THEN 'winter semester ' || (year(day) - 1) || '/' || right(CAST(year(day) AS VARCHAR), 2)
        WHEN 'school_year_start' THEN 'start of the school year ' || year(day) || '/' || right(CAST(year(day) + 1 AS VARCHAR), 2)
        ELSE strftime(day, '%d.%m.%Y')
    END;
