-- core.vocabulary: English labels of the codes used in the warehouse (pipeline/warehouse/vocabulary.py).
CREATE OR REPLACE TABLE core.vocabulary (
    kind VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    label VARCHAR NOT NULL,
    PRIMARY KEY (kind, code)
);
