-- seeds.territorial_changes: districts merged into another since the oldest file in raw/ (warehouse/seeds/
-- territorial_changes.csv): a file dated before `effective` that lists `old_code` has its figures added to
-- `new_code`'s, so every figure is on today's 400 districts; `note` is what a profile of `new_code` says about it.
-- pipeline/domain/territory.py reads the same file for the ingest's check that no other vanished district carries
-- a value.
CREATE OR REPLACE TABLE seeds.territorial_changes (
    old_code VARCHAR NOT NULL,
    new_code VARCHAR NOT NULL,
    effective DATE NOT NULL,
    note VARCHAR NOT NULL,
    PRIMARY KEY (old_code)
);
